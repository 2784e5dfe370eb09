import { describe, expect, it } from 'vitest';
import type { Detector, Observation } from '../../src/detect/model.js';
import { periodMeans } from '../../src/detect/periods.js';

const H = 3_600_000;

function recorder(): { seen: Observation[]; detector: Detector } {
  const seen: Observation[] = [];
  return { seen, detector: { id: 'r', kind: 'scada-attack', datastreams: 'all', observe: (o) => (seen.push(o), []) } };
}

describe('period means for the SCADA detector', () => {
  it('passes an hourly feed through at once, each reading standing for its hour', () => {
    const { seen, detector } = recorder();
    const d = periodMeans(detector, H);
    d.observe({ datastream: 'L_T1', time: 0, value: 1 });
    expect(seen).toEqual([]); // the first reading waits: its cadence is not known yet
    d.observe({ datastream: 'L_T1', time: H, value: 2 });
    expect(seen.map((o) => [o.time, o.value])).toEqual([[0, 1], [H, 2]]);
    d.observe({ datastream: 'L_T1', time: 2 * H, value: 4 });
    expect(seen.map((o) => [o.time, o.value])).toEqual([[0, 1], [H, 2], [2 * H, 4]]);
  });

  it('averages a faster feed and passes each hour’s mean on when the next hour begins', () => {
    const { seen, detector } = recorder();
    const d = periodMeans(detector, H);
    for (let m = 0; m < 120; m += 15) d.observe({ datastream: 'F_PU1', time: m * 60_000, value: m < 60 ? 10 + m / 15 : 20 });
    expect(seen).toEqual([{ datastream: 'F_PU1', time: 0, value: 11.5 }]);
    d.observe({ datastream: 'F_PU1', time: 2 * H, value: 0 });
    expect(seen[1]).toEqual({ datastream: 'F_PU1', time: H, value: 20 });
  });

  it('ignores unusable readings and readings that go back in time', () => {
    const { seen, detector } = recorder();
    const d = periodMeans(detector, H);
    d.observe({ datastream: 'A', time: 0, value: 1 });
    d.observe({ datastream: 'A', time: H, value: Number.NaN });
    d.observe({ datastream: 'A', time: H, value: 2, quality: 'bad' });
    expect(seen).toEqual([]);
    d.observe({ datastream: 'A', time: H, value: 3 });
    d.observe({ datastream: 'A', time: H - 1, value: 9 });
    expect(seen.map((o) => o.value)).toEqual([1, 3]);
  });
});
