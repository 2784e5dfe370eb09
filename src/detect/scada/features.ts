/**
 * The feature vector shared by training and online assessment, so both compute exactly the same thing:
 * [z(t) | z(t−1) | z(t−2) | sin(time of day) | cos(time of day) | 1], z being readings standardised with
 * the training mean and scale. Time of day carries the daily demand pattern the network follows.
 */

/** One period's readings, in a table's tag order. NaN = missing. */
export interface ScadaTable {
  tags: string[];
  /** Epoch ms, ascending. */
  times: number[];
  rows: Float64Array[];
}

const DAY_MS = 86_400_000;

export function featureLength(modelled: number): number {
  return 3 * modelled + 3;
}

export function standardise(raw: ArrayLike<number>, index: number[], mean: number[], scale: number[], out: Float64Array): boolean {
  for (let i = 0; i < index.length; i++) {
    const v = raw[index[i]!]!;
    if (!Number.isFinite(v)) return false;
    out[i] = (v - mean[i]!) / scale[i]!;
  }
  return true;
}

export function fillFeatures(out: Float64Array, offset: number, z0: Float64Array, z1: Float64Array, z2: Float64Array, time: number): void {
  const k = z0.length;
  out.set(z0, offset);
  out.set(z1, offset + k);
  out.set(z2, offset + 2 * k);
  const phase = (2 * Math.PI * (((time % DAY_MS) + DAY_MS) % DAY_MS)) / DAY_MS;
  out[offset + 3 * k] = Math.sin(phase);
  out[offset + 3 * k + 1] = Math.cos(phase);
  out[offset + 3 * k + 2] = 1;
}

/**
 * Which features a check of `target` may use. A tag never predicts itself at time t; `cross` also hides
 * its past, so a replayed or frozen tag cannot vouch for itself; `dynamic` lets its past in.
 * z(t−2) of the other tags is left out: it adds little and doubles the weights to store.
 */
export function checkFeatures(k: number, target: number, form: 'cross' | 'dynamic'): number[] {
  const selected: number[] = [];
  for (let i = 0; i < k; i++) if (i !== target) selected.push(i);
  for (let i = 0; i < k; i++) if (i !== target || form === 'dynamic') selected.push(k + i);
  if (form === 'dynamic') selected.push(2 * k + target);
  selected.push(3 * k, 3 * k + 1, 3 * k + 2);
  return selected;
}

export function dot(weights: ArrayLike<number>, features: Float64Array, offset: number, length: number): number {
  let s = 0;
  for (let i = 0; i < length; i++) {
    const w = weights[i]!;
    if (w !== 0) s += w * features[offset + i]!;
  }
  return s;
}

export function roundTo(value: number, resolution: number): number {
  return resolution > 0 ? Math.round(value / resolution) * resolution : value;
}

/**
 * The resolution a log reports at: 10^−d for the most decimals any reading carries (capped at 6).
 * A model must not be trained finer than the feed it will judge, or rounding alone looks like an attack.
 */
export function reportingResolution(table: ScadaTable): number {
  let decimals = 0;
  for (const row of table.rows) {
    for (const v of row) {
      if (!Number.isFinite(v)) continue;
      while (decimals < 6 && Math.abs(v * 10 ** decimals - Math.round(v * 10 ** decimals)) > 1e-9 * Math.max(1, Math.abs(v) * 10 ** decimals)) decimals += 1;
      if (decimals === 6) return 1e-6;
    }
  }
  return 10 ** -decimals;
}
