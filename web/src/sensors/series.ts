// Shaping a datastream's observations for a chart, and when to refresh a chart that shows "now". Pure: the
// API answer and the clock come in, what the chart draws goes out (tests/web/sensor-series.test.ts).
import type { ObservationSeries } from '../api/types';

export type Resolution = 'raw' | 'minute' | 'hour';
export type RequestedResolution = 'auto' | Resolution;

export interface ChartPoint {
  /** Where the point is drawn: a raw reading's time, or the middle of its bucket. */
  t: number;
  v: number;
  min?: number;
  max?: number;
  count?: number;
  q?: 'uncertain' | 'bad';
  /** True when data are missing before this point: the line and the band start again here. */
  gap?: boolean;
}

export interface ShapedSeries {
  points: ChartPoint[];
  resolution: Resolution;
  bucketMs: number;
  truncated: boolean;
  /** What a person reads under the chart: "raw readings", "5-minute buckets: mean, min–max band". */
  description: string;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export function widthText(ms: number): string {
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return `${ms / 86_400_000}-day`;
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR}-hour`;
  if (ms >= MINUTE && ms % MINUTE === 0) return `${ms / MINUTE}-minute`;
  return `${Math.round(ms / 1000)}-second`;
}

export function resolutionText(resolution: Resolution, bucketMs: number, count: number, truncated = false): string {
  if (resolution === 'raw') return `raw readings (${count}${truncated ? ', cut at the first 10,000: zoom in' : ''})`;
  return `${widthText(bucketMs)} buckets: mean, min–max band (${count} buckets, ${resolution} aggregates)`;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The API's series as chart points. Aggregated points are drawn in the middle of their bucket (the API
 * stamps a bucket with its start). A gap is where data are missing: a bucket left out, or raw readings
 * more than three times further apart than usual, so the line does not draw a value nobody measured.
 */
export function shapeSeries(series: Pick<ObservationSeries, 'resolution' | 'points'> & { bucketSeconds?: number; truncated?: boolean }): ShapedSeries {
  const resolution = (['raw', 'minute', 'hour'].includes(series.resolution) ? series.resolution : 'raw') as Resolution;
  const bucketMs = resolution === 'raw' ? 0 : (series.bucketSeconds ?? (resolution === 'hour' ? 3600 : 60)) * 1000;
  const points: ChartPoint[] = series.points.map((p) => {
    const point: ChartPoint = { t: Date.parse(p.t) + bucketMs / 2, v: p.v };
    if (p.min !== undefined) point.min = p.min;
    if (p.max !== undefined) point.max = p.max;
    if (p.count !== undefined) point.count = p.count;
    if (p.q === 'uncertain' || p.q === 'bad') point.q = p.q;
    return point;
  });
  const steps = points.slice(1).map((p, i) => p.t - points[i]!.t);
  const limit = resolution === 'raw' ? 3 * median(steps) : 1.5 * bucketMs;
  if (limit > 0) steps.forEach((step, i) => step > limit && (points[i + 1]!.gap = true));
  const truncated = Boolean(series.truncated);
  return { points, resolution, bucketMs, truncated, description: resolutionText(resolution, bucketMs, points.length, truncated) };
}

/** The runs of points between gaps: each is drawn as its own line and band. */
export function segments<T extends { gap?: boolean }>(points: T[]): T[][] {
  const out: T[][] = [];
  for (const p of points) {
    if (out.length === 0 || p.gap) out.push([]);
    out[out.length - 1]!.push(p);
  }
  return out;
}

export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * The window a chart opens on: the last `span` up to now when the datastream reported within that span
 * (so the chart is live), else the `span` before its last reading (a sensor that went quiet still shows
 * its last data), else the last `span` (nothing yet).
 */
export function initialWindow(lastObservationAt: string | null, span: number, now: number): TimeWindow {
  const last = lastObservationAt ? Date.parse(lastObservationAt) : NaN;
  if (Number.isFinite(last) && last < now - span) return { from: last - span + span * 0.02, to: last + span * 0.02 };
  return { from: now - span, to: now };
}

/** A window "shows now" when its end is within a few percent of its span (at least a minute) of now. */
export function showsNow(window: TimeWindow, now: number): boolean {
  const slack = Math.max(MINUTE, (window.to - window.from) * 0.05);
  return window.to >= now - slack;
}

/** The same span, ending now. */
export function followNow(window: TimeWindow, now: number): TimeWindow {
  return { from: now - (window.to - window.from), to: now };
}

export const REFRESH_MIN_MS = 5_000;
export const REFRESH_MAX_MS = 60_000;

/**
 * How often a chart that shows now asks for its window again: readings are not on the live stream (one event
 * per reading would flood it). Raw readings every 5 s, which is how soon an operator notices a new value;
 * aggregated buckets every half bucket, 5 s to 60 s, because a new point appears only once per bucket.
 * null: the window is in the past, nothing will change.
 */
export function refreshInterval(window: TimeWindow, now: number, resolution: Resolution | null, bucketMs: number): number | null {
  if (!showsNow(window, now)) return null;
  if (resolution === null || resolution === 'raw' || bucketMs <= 0) return REFRESH_MIN_MS;
  return Math.min(REFRESH_MAX_MS, Math.max(REFRESH_MIN_MS, bucketMs / 2));
}

/** Zooming out doubles the span around its middle, never past now. */
export function zoomOut(window: TimeWindow, now: number): TimeWindow {
  const span = window.to - window.from;
  const to = Math.min(now, window.to + span / 2);
  return { from: to - span * 2, to };
}

/** The series' value range, the expected range included, with a margin (the chart's y axis). */
export function valueRange(points: ChartPoint[], expected?: { min: number; max: number } | null): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p.min ?? p.v, p.v);
    hi = Math.max(hi, p.max ?? p.v, p.v);
  }
  if (expected) {
    lo = Math.min(lo, expected.min);
    hi = Math.max(hi, expected.max);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const margin = (hi - lo) * 0.08;
  return { lo: lo - margin, hi: hi + margin };
}
