import { describe, expect, it } from 'vitest';
import {
  createDetector,
  createDetectors,
  DetectionEngine,
  DetectorSettingsError,
  parseDetectorSettings,
  type Detector,
  type Observation,
} from '../../src/detect/index.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const series = (stream: string, values: number[], stepMs = H): Observation[] =>
  values.map((value, i) => ({ datastream: stream, time: T0 + i * stepMs, value }));
const feed = (detector: Detector, observations: Observation[]) => observations.flatMap((o) => detector.observe(o));

describe('range detector', () => {
  const detector = () => createDetector(parseDetectorSettings({ id: 't1-level', kind: 'range', datastreams: ['L_T1'], min: 0.5, max: 6 }));

  it('raises one alert per excursion, with the bound and the excess', () => {
    const alerts = feed(detector(), series('L_T1', [3, 4, 6.5, 7, 5, 0.2, 0.1, 3]));
    expect(alerts).toHaveLength(2);
    const [high, low] = alerts;
    expect(high!.time).toBe(T0 + 2 * H);
    expect(high!.evidence.deviations[0]).toMatchObject({ datastream: 'L_T1', observed: 6.5, expected: 6, upper: 6 });
    expect(high!.evidence.deviations[0]!.deviation).toBeCloseTo(0.5);
    expect(low!.title).toContain('low');
    expect(low!.evidence.deviations[0]!.deviation).toBeCloseTo(-0.3);
    expect(high!.dedupKey).toBe('range:t1-level:L_T1');
  });

  it('ignores bad-quality readings and non-finite values', () => {
    const d = detector();
    expect(d.observe({ datastream: 'L_T1', time: T0, value: 99, quality: 'bad' })).toEqual([]);
    expect(d.observe({ datastream: 'L_T1', time: T0, value: Number.NaN })).toEqual([]);
    expect(d.observe({ datastream: 'L_T1', time: T0, value: Infinity })).toEqual([]);
  });
});

describe('rate-of-change detector', () => {
  it('flags a jump faster than the allowed rate per hour, in both directions', () => {
    const d = createDetector(parseDetectorSettings({ id: 'roc', kind: 'rate-of-change', datastreams: ['L_T1'], maxChange: 1 }));
    const alerts = feed(d, series('L_T1', [2, 2.5, 3, 5, 4.8, 2]));
    expect(alerts.map((a) => a.time)).toEqual([T0 + 3 * H, T0 + 5 * H]);
    expect(alerts[0]!.evidence.deviations[0]!.ratio).toBeCloseTo(2);
    expect(alerts[1]!.title).toContain('falls');
  });

  it('scales by the time between readings and skips out-of-order ones', () => {
    const d = createDetector(parseDetectorSettings({ id: 'roc', kind: 'rate-of-change', datastreams: ['*'], maxChange: 1 }));
    // 1.5 units over 2 hours is 0.75 per hour: fine. A reading back in time is ignored.
    expect(d.observe({ datastream: 'x', time: T0, value: 0 })).toEqual([]);
    expect(d.observe({ datastream: 'x', time: T0 + 2 * H, value: 1.5 })).toEqual([]);
    expect(d.observe({ datastream: 'x', time: T0 + H, value: 100 })).toEqual([]);
    expect(d.observe({ datastream: 'x', time: T0 + 2.5 * H, value: 3 })).toHaveLength(1);
  });
});

describe('flat-line detector', () => {
  it('flags N identical readings once, and re-arms when the value moves', () => {
    const d = createDetector(parseDetectorSettings({ id: 'flat', kind: 'flat-line', datastreams: ['P_J1'], periods: 4, tolerance: 0.01 }));
    const values = [1, 1.2, 2, 2.005, 1.998, 2, 2, 2, 3, 3, 3, 3];
    const alerts = feed(d, series('P_J1', values));
    expect(alerts.map((a) => a.time)).toEqual([T0 + 5 * H, T0 + 11 * H]);
    expect(alerts[0]!.evidence.deviations[0]).toMatchObject({ expected: 2, check: 'flat-line' });
  });

  it('does not count a live, jittering signal', () => {
    const d = createDetector(parseDetectorSettings({ id: 'flat', kind: 'flat-line', datastreams: ['P_J1'], periods: 3 }));
    expect(feed(d, series('P_J1', [1, 1.01, 1, 1.01, 1]))).toEqual([]);
  });
});

describe('stale detector', () => {
  const settings = { id: 'stale', kind: 'stale', datastreams: ['L_T1', 'L_T2'], periodSeconds: 3600, periods: 3 };

  it('alerts once per silence against the now it is given, and re-arms on data', () => {
    const d = createDetector(parseDetectorSettings(settings));
    feed(d, series('L_T1', [1, 2]));
    expect(d.tick!(T0 + 2 * H)).toEqual([]);
    const first = d.tick!(T0 + 4.5 * H);
    // L_T1 last seen at T0+1h (3.5 h ago > 3 h); L_T2 never seen, counted from the first tick (2.5 h ago).
    expect(first.map((a) => a.datastreams[0])).toEqual(['L_T1']);
    expect(first[0]!.evidence.deviations[0]).toMatchObject({ observed: null, check: 'stale' });
    expect(d.tick!(T0 + 5.5 * H).map((a) => a.datastreams[0])).toEqual(['L_T2']);
    expect(d.tick!(T0 + 6 * H)).toEqual([]);
    d.observe({ datastream: 'L_T1', time: T0 + 6 * H, value: 1 });
    expect(d.tick!(T0 + 9.5 * H).map((a) => a.datastreams[0])).toEqual(['L_T1']);
  });

  it('ignores bad-quality readings: they do not prove the sensor alive', () => {
    const d = createDetector(parseDetectorSettings({ ...settings, datastreams: ['L_T1'] }));
    d.tick!(T0);
    d.observe({ datastream: 'L_T1', time: T0 + 3 * H, value: 1, quality: 'bad' });
    expect(d.tick!(T0 + 4 * H)).toHaveLength(1);
  });
});

describe('settings validation', () => {
  it('lists every problem with its path', () => {
    try {
      parseDetectorSettings([
        { id: 'a', kind: 'range', datastreams: ['x'] },
        { id: 'a', kind: 'stale', datastreams: [], periodSeconds: -1, periods: 1.5, colour: 'red' },
        { id: 'b', kind: 'teleport', datastreams: ['x'] },
        { id: 'c', kind: 'range', datastreams: ['x'], min: 5, max: 1, severity: 'apocalyptic' },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DetectorSettingsError);
      const problems = (error as DetectorSettingsError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          '[0].min: give min, max or both',
          '[1].colour: unknown setting for a stale detector',
          '[1].datastreams: must be a non-empty list of datastream keys (or ["*"])',
          '[1].periodSeconds: must be a number of seconds greater than 0',
          '[1].periods: must be a whole number, at least 1',
          expect.stringMatching(/^\[2\]\.kind: must be one of/),
          '[3].max: must be greater than min',
          '[3].severity: must be one of low, medium, high, critical',
        ]),
      );
    }
  });

  it('accepts valid settings and skips disabled detectors', () => {
    const detectors = createDetectors([
      { id: 'r', kind: 'range', datastreams: ['x'], max: 1 },
      { id: 'f', kind: 'flat-line', datastreams: ['x'], periods: 3, enabled: false },
    ]);
    expect(detectors.map((d) => d.id)).toEqual(['r']);
  });

  it('refuses a scada-attack detector whose model is unknown', () => {
    expect(() => createDetectors([{ id: 's', kind: 'scada-attack', datastreams: ['*'], model: 'nope' }])).toThrow(/no trained model "nope"/);
  });
});

describe('detection engine', () => {
  const thrower = (id: string): Detector => ({
    id,
    kind: 'broken',
    datastreams: 'all',
    observe() {
      throw new Error('division by zero in the flux capacitor');
    },
  });

  it('isolates a detector that throws; the others go on; it is suspended after repeated failures', () => {
    const range = createDetector(parseDetectorSettings({ id: 'r', kind: 'range', datastreams: ['x'], max: 1 }));
    const engine = new DetectionEngine([thrower('bad'), range], { maxConsecutiveFailures: 2 });
    const first = engine.observe({ datastream: 'x', time: T0, value: 5 });
    expect(first.alerts).toHaveLength(1);
    expect(first.failures).toEqual([expect.objectContaining({ detector: 'bad', phase: 'observe', suspended: false, message: expect.stringContaining('flux') })]);
    const second = engine.observe({ datastream: 'x', time: T0 + H, value: 0 });
    expect(second.failures[0]!.suspended).toBe(true);
    expect(engine.observe({ datastream: 'x', time: T0 + 2 * H, value: 7 })).toMatchObject({ failures: [], alerts: [expect.anything()] });
    expect(engine.status().find((s) => s.id === 'bad')).toMatchObject({ suspended: true, totalFailures: 2 });
    expect(engine.resume('bad')).toBe(true);
    expect(engine.observe({ datastream: 'x', time: T0 + 3 * H, value: 0 }).failures).toHaveLength(1);
  });

  it('passes each observation only to the detectors that watch its datastream, and ticks time-based ones', () => {
    const engine = new DetectionEngine(
      createDetectors([
        { id: 'r', kind: 'range', datastreams: ['x'], max: 1 },
        { id: 's', kind: 'stale', datastreams: ['y'], periodSeconds: 60, periods: 1 },
      ]),
    );
    expect(engine.observe({ datastream: 'y', time: T0, value: 50 }).alerts).toEqual([]);
    expect(engine.tick(T0 + 30_000).alerts).toEqual([]);
    expect(engine.tick(T0 + 61_000).alerts.map((a) => a.detector)).toEqual(['s']);
  });
});
