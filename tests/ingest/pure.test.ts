import { describe, expect, it } from 'vitest';
import { checkReading } from '../../src/ingest/model.js';
import { planReplay } from '../../src/ingest/replay.js';
import { planSeries } from '../../src/ingest/series.js';
import { readingsOfPayload } from '../../src/ingest/mqtt/topics.js';

const NOW = Date.UTC(2026, 10, 22, 12);

describe('a reading on its own', () => {
  it('accepts ISO times with a zone and epoch milliseconds, numbers and booleans, and a quality', () => {
    expect(checkReading('L_T1', { t: '2026-11-22T11:00:00+01:00', v: 2.5 }, NOW, 300_000)).toEqual({ stream: 'L_T1', t: Date.UTC(2026, 10, 22, 10), v: 2.5, q: 0 });
    expect(checkReading('S_PU1', { t: NOW, v: true, q: 'bad' }, NOW, 300_000)).toEqual({ stream: 'S_PU1', t: NOW, v: 1, q: 2 });
  });
  it('names what is wrong', () => {
    const reason = (item: unknown, stream: unknown = 'L_T1') => (checkReading(stream, item, NOW, 300_000) as { reason?: string }).reason;
    expect(reason({ t: '2026-11-22T11:00:00', v: 1 })).toBe('bad-time'); // no zone
    expect(reason({ t: NOW / 1000, v: 1 })).toBe('bad-time'); // seconds
    expect(reason({ t: NOW + 301_000, v: 1 })).toBe('future');
    expect(reason({ t: NOW, v: Number.NaN })).toBe('non-finite');
    expect(reason({ t: NOW, v: null })).toBe('non-numeric');
    expect(reason({ t: NOW })).toBe('malformed');
    expect(reason([1, 2])).toBe('malformed');
    expect(reason({ t: NOW, v: 1, q: 'fine' })).toBe('bad-quality');
    expect(reason({ t: NOW, v: 1 }, '../etc')).toBe('invalid-key');
  });
  it('reads an MQTT payload as one reading or an array, and refuses what is not JSON', () => {
    expect(readingsOfPayload('L_T1', Buffer.from('[{"t":1,"v":2},{"t":2,"v":3}]')).items).toHaveLength(2);
    expect(readingsOfPayload('L_T1', '{"t":1,"v":2}').items).toEqual([{ stream: 'L_T1', item: { t: 1, v: 2 } }]);
    expect(readingsOfPayload('L_T1', '{oops').rejects[0]?.reason).toBe('malformed');
    expect(readingsOfPayload('L_T1', '[]').rejects[0]?.reason).toBe('malformed');
  });
});

describe('chart resolution', () => {
  const ctx = { rawCount: 10, rawHorizon: 0, minuteHorizon: 0 };
  it('draws few readings raw, a day in minute buckets, a month in hour buckets', () => {
    expect(planSeries({ from: NOW - 3_600_000, to: NOW }, 'auto', ctx)).toEqual({ resolution: 'raw', bucketMs: 0 });
    expect(planSeries({ from: NOW - 86_400_000, to: NOW }, 'auto', { ...ctx, rawCount: 86_400 })).toEqual({ resolution: 'minute', bucketMs: 180_000 });
    expect(planSeries({ from: NOW - 30 * 86_400_000, to: NOW }, 'auto', { ...ctx, rawCount: 1e6 })).toEqual({ resolution: 'hour', bucketMs: 2 * 3_600_000 });
  });
  it('uses aggregates where raw readings are no longer kept', () => {
    expect(planSeries({ from: NOW - 3_600_000, to: NOW }, 'auto', { ...ctx, rawHorizon: NOW - 60_000 })).toEqual({ resolution: 'minute', bucketMs: 60_000 });
  });
});

describe('replay timing', () => {
  const log = { tags: ['A', 'B'], times: [0, 3_600_000, 7_200_000], rows: [[1, 2], [3, Number.NaN], [5, 6]] };
  it('keeps the spacing, stamps the last row when it is sent, never in the future', () => {
    const plan = planReplay(log, NOW, 3600);
    expect(plan.map((r) => r.dueMs)).toEqual([0, 1000, 2000]);
    expect(plan[2]!.readings[0]!.t).toBe(NOW + 2000);
    expect(plan[1]!.readings).toEqual([{ stream: 'A', t: NOW + 2000 - 3_600_000, v: 3 }]);
    for (const row of plan) for (const r of row.readings) expect(r.t).toBeLessThanOrEqual(NOW + row.dueMs);
  });
  it('stamps every row the moment it is sent at speed 1', () => {
    const plan = planReplay(log, NOW, 1);
    expect(plan.map((r) => r.readings[0]!.t - NOW)).toEqual(plan.map((r) => r.dueMs));
  });
});
