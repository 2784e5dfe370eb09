/**
 * The state of every node at every report time in one byte, for the map animation: what a person needs to
 * see (has this street water? is it contaminated? is it worse than normal?), not the numbers behind it
 * (those are in the per-element series).
 *
 * bits 0-1  pressure class. Junctions: 1 no water (at or below the PDA minimum), 2 low (below the service
 *           pressure), 3 adequate. Tanks: 1 empty, 2 between, 3 full. Reservoirs: 3. 0: no value.
 * bits 2-3  service of a junction's demand: 0 no demand, 1 unserved (< 1 % delivered), 2 partly (< 99 %),
 *           3 served.
 * bits 4-5  contaminant (or water age): 0 none / no quality run, 1 trace (above zero, at most the
 *           threshold), 2 above the threshold, 3 at least ten times the threshold.
 * bit 6     affected: without adequate pressure now while normal operation (the baseline) had it.
 */
export const FRAME_LEGEND = {
  pressure: { bits: [0, 1], values: { 0: 'no value', 1: 'no water (tank: empty)', 2: 'low (tank: between)', 3: 'adequate (tank: full; reservoir)' } },
  service: { bits: [2, 3], values: { 0: 'no demand', 1: 'unserved', 2: 'partly served', 3: 'served' } },
  contaminant: { bits: [4, 5], values: { 0: 'none', 1: 'trace', 2: 'above threshold', 3: 'ten times the threshold' } },
  affected: { bits: [6], values: { 0: 'as in normal operation', 1: 'without adequate pressure, unlike normal operation' } },
} as const;

export interface FrameInputs {
  junctions: number;
  reservoirs: number;
  /** Per tank: its minimum and maximum level. */
  tanks: Array<{ min: number; max: number }>;
  /** Per report time, every node's pressure (junctions, reservoirs, tanks). */
  pressure: Float32Array[];
  /** Per report time, each junction's expected and delivered demand. */
  expected: Float32Array[];
  delivered: Float32Array[];
  /** Per tank, its level at each report time. */
  tankLevels: number[][];
  quality?: { series: Float32Array[]; threshold: number };
  /** Per report time, junctions without adequate pressure (1) in the scenario and in the baseline. */
  below: Uint8Array[];
  baselineBelow: Uint8Array[];
  servicePressure: number;
  minimumPressure: number;
}

const LEVEL_TOLERANCE = 1e-3;

export function frameCodes(f: FrameInputs): Uint8Array[] {
  const nodes = f.junctions + f.reservoirs + f.tanks.length;
  const frames: Uint8Array[] = [];
  for (let i = 0; i < f.pressure.length; i++) {
    const codes = new Uint8Array(nodes);
    const pressure = f.pressure[i]!;
    const quality = f.quality?.series[i];
    for (let j = 0; j < f.junctions; j++) {
      const p = pressure[j]!;
      let code = p <= f.minimumPressure + 0.01 ? 1 : p < f.servicePressure ? 2 : 3;
      const expected = f.expected[i]?.[j] ?? 0;
      if (expected > 1e-9) {
        const ratio = Math.max(0, f.delivered[i]?.[j] ?? 0) / expected;
        code |= (ratio < 0.01 ? 1 : ratio < 0.99 ? 2 : 3) << 2;
      }
      if (f.below[i]?.[j] === 1 && f.baselineBelow[i]?.[j] !== 1) code |= 1 << 6;
      codes[j] = code;
    }
    for (let r = 0; r < f.reservoirs; r++) codes[f.junctions + r] = 3;
    f.tanks.forEach((tank, k) => {
      const level = f.tankLevels[k]?.[i];
      codes[f.junctions + f.reservoirs + k] =
        level === undefined ? 0 : level <= tank.min + LEVEL_TOLERANCE ? 1 : level >= tank.max - LEVEL_TOLERANCE ? 3 : 2;
    });
    if (quality && f.quality) {
      const t = f.quality.threshold;
      for (let n = 0; n < nodes; n++) {
        const q = quality[n] ?? 0;
        const c = q > 10 * t ? 3 : q > t ? 2 : q > 1e-6 ? 1 : 0;
        codes[n]! |= c << 4;
      }
    }
    frames.push(codes);
  }
  return frames;
}

/** Reads one node's code (for tests and for clients that prefer names). */
export function describeCode(code: number): { pressure: number; service: number; contaminant: number; affected: boolean } {
  return { pressure: code & 3, service: (code >> 2) & 3, contaminant: (code >> 4) & 3, affected: ((code >> 6) & 1) === 1 };
}
