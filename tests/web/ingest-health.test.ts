import { describe, expect, it } from 'vitest';
import { type IngestHealth, pathRows, pressureOf, rateText, reasonRows, sparkPath } from '../../web/src/sensors/health.js';

const minute = (last: number) => [...new Array<number>(59).fill(0), last];

function health(over: Partial<IngestHealth> = {}): IngestHealth {
  return {
    organisation: 'water', datastreams: 8,
    acceptedPerSecond: { last10s: 12, last60s: 3 }, acceptedSinceStart: 900, acceptedBySource: { http: 600, replay: 300 },
    acceptedPerSecondBySource: { http: { last10s: 10, last60s: 2 }, replay: { last10s: 2, last60s: 1 } },
    lastAcceptedAt: '2026-11-22T10:00:00Z',
    rejectedPerMinute: { duplicate: 4 }, rejectedSinceStart: { duplicate: 4, future: 1 },
    lastMinute: { until: '2026-11-22T10:00:00Z', accepted: { http: minute(10), replay: minute(2) }, rejected: { duplicate: minute(4) } },
    rejectedTotal: { duplicate: 40, future: 1, malformed: 7 }, recentRejections: [],
    queue: { waiting: 0, limit: 50_000 },
    paths: [{ name: 'http', state: 'running', detail: 'POST /api/v1/observations' }, { name: 'mqtt', state: 'unavailable', detail: 'port 1883 on 127.0.0.1 is in use: set VIGIL_MQTT_PORT' }],
    topic: 'vigil/water/<datastream key>',
    ...over,
  };
}

describe('ingestion health as pictures', () => {
  it('gives every path a row: its state, its rate and its last minute, even when it is off', () => {
    const rows = pathRows(health());
    expect(rows.map((r) => [r.id, r.state, r.perSecond, r.total])).toEqual([
      ['mqtt', 'unavailable', 0, 0],
      ['mqtt-external', 'not configured', 0, 0],
      ['http', 'running', 10, 600],
      ['replay', 'running', 2, 300],
    ]);
    expect(rows[0]!.detail).toContain('VIGIL_MQTT_PORT');
    expect(rows[2]!.lastMinute.at(-1)).toBe(10);
    expect(rows[1]!.lastMinute).toHaveLength(60);
    // A server that predates per-path rates still shows every path.
    const old = pathRows(health({ acceptedPerSecondBySource: undefined, lastMinute: undefined, paths: [] }));
    expect(old.map((r) => r.state)).toEqual(['not started', 'not configured', 'running', 'running']);
  });

  it('says whether senders are being held back', () => {
    expect(pressureOf({ waiting: 0, limit: 50_000 }).state).toBe('idle');
    expect(pressureOf({ waiting: 10_000, limit: 50_000 })).toMatchObject({ state: 'flowing', share: 0.2 });
    expect(pressureOf({ waiting: 40_000, limit: 50_000 }).state).toBe('filling');
    expect(pressureOf({ waiting: 80_000, limit: 50_000 })).toMatchObject({ state: 'holding back', share: 1 });
  });

  it('lists refusals per reason, those happening now first, with bars relative to the largest', () => {
    const rows = reasonRows(health());
    expect(rows.map((r) => [r.reason, r.total, r.lastMinute, r.share])).toEqual([
      ['duplicate', 40, 4, 1],
      ['malformed', 7, 0, 7 / 40],
      ['future', 1, 0, 1 / 40],
    ]);
    expect(rows[0]!.meaning).toContain('already stored');
    expect(rows[0]!.perSecond.at(-1)).toBe(4);
  });

  it('writes rates for people and draws sparklines to scale', () => {
    expect([0, 0.25, 42.4, 9999, 52_340].map(rateText)).toEqual(['0', '0.3', '42', '9999', '52.3 k']);
    const { line, area, max } = sparkPath([0, 5, 10], 100, 20);
    expect(max).toBe(10);
    expect(line).toBe('M0.0,20.0L50.0,10.5L100.0,1.0');
    expect(area.endsWith('L100.0,20L0,20Z')).toBe(true);
    expect(sparkPath([0, 0], 100, 20).line).toBe('M0.0,20.0L100.0,20.0');
  });
});
