/**
 * Training the SCADA attack model on attack-free history: ridge regressions that predict every varying
 * tag from the rest of the network (see ConsistencyCheck), then the evidence thresholds, taken as the most
 * the attack-free history itself ever showed. No labels are needed or used.
 */
import { createHash } from 'node:crypto';
import { checkFeatures, dot, featureLength, fillFeatures, roundTo, standardise, type ScadaTable } from './features.js';
import { gram, quantile, solveSpd } from './linalg.js';
import {
  DEFAULT_SCADA_PARAMETERS,
  SCADA_MODEL_FORMAT,
  SCADA_MODEL_VERSION,
  ScadaModelError,
  type ConsistencyCheck,
  type ScadaModel,
  type ScadaModelParameters,
  type TagEnvelope,
  smooth,
} from './model.js';

export type TrainingProgress = (done: number, total: number, note: string) => void;

export function trainScadaModel(
  histories: ScadaTable[],
  overrides: Partial<ScadaModelParameters> = {},
  progress?: TrainingProgress,
): ScadaModel {
  const parameters: ScadaModelParameters = { ...DEFAULT_SCADA_PARAMETERS, ...overrides };
  const first = histories[0];
  if (!first || histories.every((h) => h.rows.length < 3)) throw new ScadaModelError('training needs at least three periods of history');
  const tags = first.tags;
  // Every history is reordered to the first one's tags, so files may order their columns differently.
  const tables = histories.map((h) => reorder(h, tags));
  const periodMs = medianStep(tables);

  const rounded = tables.map((t) => t.rows.map((row) => row.map((v) => roundTo(v, parameters.resolution))));
  const envelopes: Record<string, TagEnvelope> = {};
  const sums = tags.map(() => ({ n: 0, s: 0, ss: 0 }));
  tags.forEach((tag, j) => {
    let min = Infinity;
    let max = -Infinity;
    for (const rows of rounded) for (const row of rows) {
      const v = row[j]!;
      if (!Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sums[j]!.n += 1;
      sums[j]!.s += v;
      sums[j]!.ss += v * v;
    }
    if (!Number.isFinite(min)) throw new ScadaModelError(`training history has no reading for ${tag}`);
    envelopes[tag] = { min, max };
  });
  const modelledIdx: number[] = [];
  const mean: number[] = [];
  const scale: number[] = [];
  sums.forEach(({ n, s, ss }, j) => {
    const m = s / n;
    const sd = Math.sqrt(Math.max(0, ss / n - m * m));
    if (sd > parameters.resolution / 2) {
      modelledIdx.push(j);
      mean.push(m);
      scale.push(sd);
    }
  });
  const k = modelledIdx.length;
  if (k < 2) throw new ScadaModelError('training history has fewer than two varying tags: nothing to check against each other');
  const d = featureLength(k);

  // Feature rows for every period whose two predecessors are exactly one period before it.
  const features: number[][] = [];
  const rowTimes: number[] = [];
  const z = [new Float64Array(k), new Float64Array(k), new Float64Array(k)];
  const buffer = new Float64Array(d);
  rounded.forEach((rows, ti) => {
    const times = tables[ti]!.times;
    let run = 0;
    rows.forEach((row, t) => {
      const [z0, z1, z2] = [z[2]!, z[0]!, z[1]!]; // rotate: newest goes into the oldest buffer
      z[0] = z0; z[1] = z1; z[2] = z2;
      const ok = standardise(row, modelledIdx, mean, scale, z0);
      run = ok && run > 0 && times[t]! - times[t - 1]! === periodMs ? run + 1 : ok ? 1 : 0;
      if (run >= 3) {
        fillFeatures(buffer, 0, z0, z1, z2, times[t]!);
        features.push(Array.from(buffer));
        rowTimes.push(times[t]!);
      }
    });
  });
  const n = features.length;
  if (n < 10 * d) throw new ScadaModelError(`training history too short: ${n} usable periods for ${d} features (need ${10 * d})`);
  const flat = new Float64Array(n * d);
  features.forEach((f, r) => flat.set(f, r * d));
  const g = gram(flat, n, d);

  const checks: ConsistencyCheck[] = [];
  const total = 2 * k;
  for (let j = 0; j < k; j++) {
    for (const form of ['cross', 'dynamic'] as const) {
      const selected = checkFeatures(k, j, form);
      const s = selected.length;
      const a = new Float64Array(s * s);
      const b = new Float64Array(s);
      selected.forEach((fi, r) => {
        b[r] = g[fi * d + j]!;
        selected.forEach((fj, c) => (a[r * s + c] = g[fi * d + fj]! + (r === c ? parameters.ridge : 0)));
      });
      const w = solveSpd(a, s, b);
      const weights = new Array<number>(d).fill(0);
      selected.forEach((fi, r) => (weights[fi] = w[r]!));
      const residuals = new Float64Array(n);
      let ss = 0;
      for (let r = 0; r < n; r++) {
        const res = flat[r * d + j]! - dot(weights, flat, r * d, d);
        residuals[r] = res;
        ss += res * res;
      }
      const sigma = Math.max(Math.sqrt(ss / n), 1e-6);
      const e = residuals.map((x) => Math.abs(x) / sigma);
      const base = Math.max(quantile(e, parameters.baseQuantile), 1e-3);
      let evidence = 0;
      let threshold = 0;
      for (let r = 0; r < n; r++) {
        evidence = smooth(evidence, Math.min(e[r]! / base, parameters.clip), parameters);
        threshold = Math.max(threshold, evidence);
      }
      checks.push({ target: tags[modelledIdx[j]!]!, form, weights, sigma, base, threshold: Math.max(threshold, 1e-3) });
      progress?.(checks.length, total, `${tags[modelledIdx[j]!]} ${form}`);
    }
  }

  return {
    format: SCADA_MODEL_FORMAT,
    version: SCADA_MODEL_VERSION,
    training: {
      fingerprint: fingerprint(tags, tables, rounded),
      hours: tables.reduce((acc, t) => acc + t.rows.length, 0),
      from: new Date(Math.min(...tables.map((t) => t.times[0]!))).toISOString(),
      to: new Date(Math.max(...tables.map((t) => t.times[t.times.length - 1]!))).toISOString(),
      periodMs,
    },
    parameters,
    tags,
    modelled: modelledIdx.map((j) => tags[j]!),
    mean,
    scale,
    envelopes,
    checks,
  };
}

function reorder(table: ScadaTable, tags: string[]): ScadaTable {
  const index = tags.map((tag) => table.tags.indexOf(tag));
  const missing = tags.filter((_, i) => index[i]! < 0);
  if (missing.length) throw new ScadaModelError(`training histories disagree: missing ${missing.join(', ')}`);
  return { tags, times: table.times, rows: table.rows.map((row) => Float64Array.from(index, (i) => row[i]!)) };
}

function medianStep(tables: ScadaTable[]): number {
  const steps: number[] = [];
  for (const t of tables) for (let i = 1; i < t.times.length; i++) steps.push(t.times[i]! - t.times[i - 1]!);
  steps.sort((a, b) => a - b);
  const step = steps[Math.floor(steps.length / 2)];
  if (!step || step <= 0) throw new ScadaModelError('training history times must increase');
  return step;
}

function fingerprint(tags: string[], tables: ScadaTable[], rounded: Float64Array[][]): string {
  const hash = createHash('sha256');
  hash.update(tags.join('\u0000'));
  tables.forEach((t, i) => {
    hash.update(Float64Array.from(t.times));
    for (const row of rounded[i]!) hash.update(row);
  });
  return `sha256:${hash.digest('hex')}`;
}
