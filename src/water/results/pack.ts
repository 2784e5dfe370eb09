import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { flowUnitInVolumePerSecond } from '../network/model.js';
import type { Scenario } from '../scenario/model.js';
import type { HydraulicRun } from '../sim/hydraulics.js';
import { round } from '../sim/impact.js';
import { frameCodes } from './frames.js';

/**
 * A run's results in the form they are stored: one small compressed record per element (its time series),
 * the node states of the map animation in chunks of report times, and the impact per junction. A C-Town
 * 72 h run is about 850 element records of a few kB each instead of one 2 MB document, so a chart reads
 * one element and an animation reads only the frames.
 */
export type ElementType = 'junction' | 'reservoir' | 'tank' | 'pipe' | 'pump' | 'valve';

export interface PackedElement {
  kind: 'node' | 'link';
  id: string;
  type: ElementType;
  /** The series stored, in order, each `points` long: pressure, demand, expectedDemand, level, quality, flow, status. */
  quantities: string[];
  points: number;
  /** The values, quantised to 16 bits per series, delta-coded and deflated (see encodeFloats). */
  data: Uint8Array;
}

export interface PackedFrameChunk {
  firstStep: number;
  steps: number;
  /** Deflated node codes (see frames.ts), `steps` × nodes bytes. */
  data: Uint8Array;
}

export interface JunctionImpact {
  node: string;
  population: number;
  hoursWithoutService: number;
  /** Seconds since the start; null: never below the service pressure. */
  firstBelowAt: number | null;
  unserved: number;
  minPressure: number;
  /** Seconds since the start when the contaminant (or water age) first exceeded the threshold; null: never. */
  contaminantAbove?: number | null;
  contaminantPeak?: number;
}

export interface PackedResults {
  times: number[];
  elements: PackedElement[];
  frames: { nodes: string[]; chunks: PackedFrameChunk[] };
  junctions: JunctionImpact[];
  /** Stored size of the series and frames. */
  bytes: number;
}

/** Report times per stored chunk of frames: a day at the usual 15 minutes. */
export const FRAMES_PER_CHUNK = 96;

/** Quantisation steps per series: 65535 levels between its least and greatest value (the top code is "no value"). */
const LEVELS = 65534;
const MISSING = 0xffff;

/**
 * Series stored compactly: each one quantised to 16 bits between its own least and greatest value (a
 * pressure range of 100 m is kept to 1.5 mm), stored as differences from the previous value (smooth
 * series become runs of small numbers), low bytes then high bytes, deflated. Half the size of deflated
 * Float32 for the same work. Values that are not numbers (a run that failed early) come back as NaN.
 */
export function encodeFloats(columns: ArrayLike<number>[]): Uint8Array {
  const points = columns[0]?.length ?? 0;
  const header = new Float64Array(columns.length * 2);
  const codes = new Uint16Array(columns.length * points);
  columns.forEach((c, k) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (!Number.isFinite(min)) min = max = 0;
    const step = max > min ? (max - min) / LEVELS : 1;
    header[2 * k] = min;
    header[2 * k + 1] = step;
    let previous = 0;
    for (let i = 0; i < points; i++) {
      const v = c[i]!;
      const q = Number.isFinite(v) ? Math.round((v - min) / step) : MISSING;
      codes[k * points + i] = (q - previous) & 0xffff;
      previous = q;
    }
  });
  const n = codes.length;
  const out = new Uint8Array(header.byteLength + 2 * n);
  out.set(new Uint8Array(header.buffer), 0);
  const low = header.byteLength;
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    out[low + i] = c & 0xff;
    out[low + n + i] = c >> 8;
  }
  return deflateRawSync(out, { level: 1 });
}

export function decodeFloats(data: Uint8Array, columns: number, points: number): Float32Array[] {
  const raw = inflateRawSync(data);
  const n = columns * points;
  const headerBytes = columns * 16;
  if (raw.length !== headerBytes + 2 * n) throw new Error(`stored series has ${raw.length} bytes, expected ${headerBytes + 2 * n}`);
  const header = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + headerBytes));
  return Array.from({ length: columns }, (_, k) => {
    const min = header[2 * k]!;
    const step = header[2 * k + 1]!;
    const out = new Float32Array(points);
    let q = 0;
    for (let i = 0; i < points; i++) {
      const at = headerBytes + k * points + i;
      q = (q + (raw[at]! | (raw[at + n]! << 8))) & 0xffff;
      out[i] = q === MISSING ? NaN : min + q * step;
    }
    return out;
  });
}

export function decodeFrames(chunk: Pick<PackedFrameChunk, 'data' | 'steps'>, nodes: number): Uint8Array[] {
  const raw = inflateRawSync(chunk.data);
  return Array.from({ length: chunk.steps }, (_, i) => raw.subarray(i * nodes, (i + 1) * nodes));
}

/** Packs a scenario run (with series kept) and its baseline. */
export function packResults(run: HydraulicRun, baseline: HydraulicRun, scenario: Scenario): PackedResults {
  const net = run.network;
  const r = run.recorder;
  const points = r.reportTimes.length;
  const q = run.quality && run.quality.series.length >= points ? run.quality : undefined;
  const column = (rows: Float32Array[], k: number): Float32Array => Float32Array.from({ length: points }, (_, i) => rows[i]?.[k] ?? NaN);
  const elements: PackedElement[] = [];
  const node = (id: string, type: ElementType, k: number, extra: Array<[string, ArrayLike<number>]>): void => {
    const cols: Array<[string, ArrayLike<number>]> = [['pressure', column(r.series.nodePressure, k)], ...extra];
    if (q) cols.push(['quality', column(q.series, k)]);
    elements.push({ kind: 'node', id, type, quantities: cols.map((c) => c[0]), points, data: encodeFloats(cols.map((c) => c[1])) });
  };
  net.junctions.forEach((j, k) => node(j.id, 'junction', k, [['demand', column(r.series.delivered, k)], ['expectedDemand', column(r.series.expected, k)]]));
  const nj = net.junctions.length;
  net.reservoirs.forEach((x, k) => node(x.id, 'reservoir', nj + k, []));
  net.tanks.forEach((t, k) => node(t.id, 'tank', nj + net.reservoirs.length + k, [['level', r.tankLevels[k]!]]));
  const links: Array<[string, ElementType]> = [
    ...net.pipes.map((l): [string, ElementType] => [l.id, 'pipe']),
    ...net.pumps.map((l): [string, ElementType] => [l.id, 'pump']),
    ...net.valves.map((l): [string, ElementType] => [l.id, 'valve']),
  ];
  links.forEach(([id, type], k) => {
    const cols: Array<[string, ArrayLike<number>]> = [['flow', column(r.series.linkFlow, k)]];
    if (type !== 'pipe') cols.push(['status', r.actuatorStatus[k - net.pipes.length]!]);
    elements.push({ kind: 'link', id, type, quantities: cols.map((c) => c[0]), points, data: encodeFloats(cols.map((c) => c[1])) });
  });

  const codes = frameCodes({
    junctions: nj,
    reservoirs: net.reservoirs.length,
    tanks: net.tanks.map((t) => ({ min: t.minLevel, max: t.maxLevel })),
    pressure: r.series.nodePressure,
    expected: r.series.expected,
    delivered: r.series.delivered,
    tankLevels: r.tankLevels,
    ...(q ? { quality: { series: q.series, threshold: q.threshold } } : {}),
    below: r.belowAt,
    baselineBelow: baseline.recorder.belowAt,
    servicePressure: run.servicePressure,
    minimumPressure: (scenario.demandModel ?? 'PDA') === 'PDA' ? (scenario.pressure?.minimum ?? 0) : 0,
  });
  const nodes = [...net.junctions.map((j) => j.id), ...net.reservoirs.map((x) => x.id), ...net.tanks.map((t) => t.id)];
  const chunks: PackedFrameChunk[] = [];
  for (let first = 0; first < codes.length; first += FRAMES_PER_CHUNK) {
    const part = codes.slice(first, first + FRAMES_PER_CHUNK);
    const raw = new Uint8Array(part.length * nodes.length);
    part.forEach((c, i) => raw.set(c, i * nodes.length));
    chunks.push({ firstStep: first, steps: part.length, data: deflateRawSync(raw, { level: 1 }) });
  }

  const volume = flowUnitInVolumePerSecond(net.options.flowUnits);
  const junctions: JunctionImpact[] = net.junctions.map((j, k) => ({
    node: j.id,
    population: round(run.population[k] ?? 0),
    hoursWithoutService: round(r.secondsBelow[k]! / 3600),
    firstBelowAt: r.firstBelow[k]! >= 0 ? r.firstBelow[k]! : null,
    unserved: round(r.unservedVolume[k]! * volume, 3),
    minPressure: round(r.minPressure[k]!),
    ...(run.quality ? { contaminantAbove: run.quality.firstAbove[k]! >= 0 ? run.quality.firstAbove[k]! : null, contaminantPeak: round(run.quality.peak[k]!, 4) } : {}),
  }));
  const bytes = elements.reduce((s, e) => s + e.data.length, 0) + chunks.reduce((s, c) => s + c.data.length, 0);
  return { times: [...r.reportTimes], elements, frames: { nodes, chunks }, junctions, bytes };
}
