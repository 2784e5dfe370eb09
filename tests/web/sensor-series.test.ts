import { describe, expect, it } from 'vitest';
import { REFRESH_MAX_MS, REFRESH_MIN_MS, followNow, initialWindow, refreshInterval, segments, shapeSeries, showsNow, valueRange, zoomOut } from '../../web/src/sensors/series.js';

const T = Date.UTC(2026, 10, 22, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;
const HOUR = 3_600_000;

describe('shaping a series for the chart', () => {
  it('draws raw readings at their time and breaks the line where readings stop for a while', () => {
    const times = [0, 1, 2, 3, 10, 11].map((m) => T + m * MIN);
    const s = shapeSeries({ resolution: 'raw', bucketSeconds: 0, truncated: false, points: times.map((t, i) => ({ t: iso(t), v: i, ...(i === 5 ? { q: 'bad' as const } : {}) })) });
    expect(s.points.map((p) => p.t)).toEqual(times);
    expect(s.points.map((p) => Boolean(p.gap))).toEqual([false, false, false, false, true, false]);
    expect(segments(s.points).map((run) => run.length)).toEqual([4, 2]);
    expect(s.points[5]!.q).toBe('bad');
    expect(s.description).toBe('raw readings (6)');
  });

  it('draws an aggregate in the middle of its bucket, with its band, and breaks where a bucket is missing', () => {
    const buckets = [0, 5, 10, 25].map((m) => T + m * MIN);
    const s = shapeSeries({ resolution: 'minute', bucketSeconds: 300, truncated: false, points: buckets.map((t) => ({ t: iso(t), v: 2, min: 1, max: 3, count: 5 })) });
    expect(s.points.map((p) => p.t)).toEqual(buckets.map((t) => t + 150_000));
    expect(s.points.map((p) => Boolean(p.gap))).toEqual([false, false, false, true]);
    expect(s.points[0]).toMatchObject({ min: 1, max: 3, count: 5 });
    expect(s.bucketMs).toBe(300_000);
    expect(s.description).toBe('5-minute buckets: mean, min–max band (4 buckets, minute aggregates)');
  });

  it('says when raw readings were cut, and names hour buckets', () => {
    expect(shapeSeries({ resolution: 'raw', bucketSeconds: 0, truncated: true, points: [{ t: iso(T), v: 1 }] }).description).toContain('cut at the first 10,000: zoom in');
    expect(shapeSeries({ resolution: 'hour', bucketSeconds: 7200, truncated: false, points: [] }).description).toContain('2-hour buckets');
  });

  it('keeps the expected range in view and never collapses to a flat axis', () => {
    expect(valueRange([{ t: 0, v: 2 }, { t: 1, v: 3, min: 1, max: 4 }], { min: 0, max: 10 })).toEqual({ lo: -0.8, hi: 10.8 });
    const flat = valueRange([{ t: 0, v: 5 }]);
    expect(flat.lo).toBeLessThan(5);
    expect(flat.hi).toBeGreaterThan(5);
  });
});

describe('the window a chart shows, and when it asks again', () => {
  it('opens on the last span up to now, or before the last reading of a sensor gone quiet', () => {
    expect(initialWindow(iso(T - 10 * MIN), 6 * HOUR, T)).toEqual({ from: T - 6 * HOUR, to: T });
    expect(initialWindow(null, HOUR, T)).toEqual({ from: T - HOUR, to: T });
    const quiet = initialWindow(iso(T - 3 * 86_400_000), 6 * HOUR, T);
    expect(quiet.to).toBeGreaterThan(T - 3 * 86_400_000);
    expect(quiet.to - quiet.from).toBe(6 * HOUR);
    expect(showsNow(quiet, T)).toBe(false);
  });

  it('refreshes raw readings every 5 s and buckets every half bucket (5 s to 60 s), only while the window shows now', () => {
    const live = { from: T - HOUR, to: T };
    expect(refreshInterval(live, T + 1000, 'raw', 0)).toBe(REFRESH_MIN_MS);
    expect(refreshInterval(live, T, null, 0)).toBe(REFRESH_MIN_MS);
    expect(refreshInterval(live, T, 'minute', 60_000)).toBe(30_000);
    expect(refreshInterval(live, T, 'minute', 3 * MIN)).toBe(REFRESH_MAX_MS);
    expect(refreshInterval(live, T, 'hour', HOUR)).toBe(REFRESH_MAX_MS);
    expect(refreshInterval(live, T + 10 * MIN, 'raw', 0)).toBeNull();
    expect(showsNow({ from: T - 86_400_000, to: T - 30 * MIN }, T)).toBe(true);
  });

  it('follows now keeping the span, and zooms out around the middle without passing now', () => {
    expect(followNow({ from: T - 2 * HOUR, to: T - HOUR }, T)).toEqual({ from: T - HOUR, to: T });
    expect(zoomOut({ from: T - 4 * HOUR, to: T - 2 * HOUR }, T)).toEqual({ from: T - 5 * HOUR, to: T - HOUR });
    expect(zoomOut({ from: T - HOUR, to: T }, T)).toEqual({ from: T - 2 * HOUR, to: T });
  });
});
