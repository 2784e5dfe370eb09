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
  /** Float32 values, byte-planes shuffled then deflated (see encodeFloats). */
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

/**
 * Float32 values with their bytes regrouped by plane (all first bytes, then all second bytes, ...) before
 * deflate: exponents and high mantissa bytes of a smooth series repeat, so this compresses two to three
 * times better than deflating the floats as they lie.
 */
export function encodeFloats(columns: ArrayLike<number>[]): Uint8Array {
  const n = columns.reduce((s, c) => s + c.length, 0);
  const floats = new Float32Array(n);
  let at = 0;
  for (const c of columns) {
    for (let i = 0; i < c.length; i++) floats[at + i] = c[i]!;
    at += c.length;
  }
  const bytes = new Uint8Array(floats.buffer);
  const shuffled = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) shuffled[k * n + i] = bytes[4 * i + k]!;
  return deflateRawSync(shuffled, { level: 1 });
}

export function decodeFloats(data: Uint8Array, columns: number, points: number): Float32Array[] {
  const shuffled = inflateRawSync(data);
  const n = columns * points;
  if (shuffled.length !== n * 4) throw new Error(`stored series has ${shuffled.length} bytes, expected ${n * 4}`);
  const bytes = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) bytes[4 * i + k] = shuffled[k * n + i]!;
  const floats = new Float32Array(bytes.buffer);
  return Array.from({ length: columns }, (_, c) => floats.subarray(c * points, (c + 1) * points));
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
