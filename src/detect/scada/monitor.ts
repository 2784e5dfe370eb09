/**
 * Online assessment with a trained SCADA model, one period (hour) at a time, in time order. Keeps only
 * what the next period needs: the two previous standardised readings and the smoothed evidence per check.
 * Batch assessment is the same loop (`assessTable`), so online and batch results are identical.
 */
import type { Deviation, Severity } from '../model.js';
import { dot, featureLength, fillFeatures, standardise, type ScadaTable } from './features.js';
import { smooth, type ScadaModel } from './model.js';

export interface PeriodAssessment {
  time: number;
  /** False while the monitor warms up (two periods after a start or a gap): consistency not judged. */
  scored: boolean;
  alarm: boolean;
  /** Strongest evidence as a multiple of its alarm line (≥ 1 means alarm). */
  score: number;
  severity: Severity;
  /** The datastreams that deviate, strongest first (only when alarming). */
  deviations: Deviation[];
}

export interface MonitorOptions {
  /** Override the model's margin (lower = more sensitive). */
  margin?: number;
  /** Most deviations listed per alarm. */
  maxDeviations?: number;
}

export class ScadaAttackMonitor {
  private readonly k: number;
  private readonly d: number;
  private readonly modelledIndex: number[];
  private readonly margin: number;
  private readonly maxDeviations: number;
  private readonly evidence: Float64Array;
  private readonly features: Float64Array;
  private z: Float64Array[];
  private run = 0;
  private lastTime = -Infinity;

  constructor(
    readonly model: ScadaModel,
    options: MonitorOptions = {},
  ) {
    this.k = model.modelled.length;
    this.d = featureLength(this.k);
    this.modelledIndex = model.modelled.map((t) => model.tags.indexOf(t));
    this.margin = options.margin ?? model.parameters.margin;
    this.maxDeviations = options.maxDeviations ?? 10;
    this.evidence = new Float64Array(model.checks.length);
    this.features = new Float64Array(this.d);
    this.z = [new Float64Array(this.k), new Float64Array(this.k), new Float64Array(this.k)];
  }

  /** Assess one period. `values` are in `model.tags` order (NaN = missing). Times must increase. */
  assess(time: number, values: ArrayLike<number>): PeriodAssessment {
    if (!(time > this.lastTime)) throw new Error(`periods must arrive in time order (${new Date(time).toISOString()} is not after the last one)`);
    const { model, k, d } = this;
    const p = model.parameters;
    const deviations: Deviation[] = this.envelopeBreaches(time, values);

    const [z0, z1, z2] = [this.z[2]!, this.z[0]!, this.z[1]!];
    this.z = [z0, z1, z2];
    const ok = standardise(values, this.modelledIndex, model.mean, model.scale, z0);
    this.run = ok && this.run > 0 && time - this.lastTime === model.training.periodMs ? this.run + 1 : ok ? 1 : 0;
    this.lastTime = time;
    const scored = this.run >= 3;

    if (scored) {
      fillFeatures(this.features, 0, z0, z1, z2, time);
      const strongest = new Map<string, Deviation>();
      model.checks.forEach((check, c) => {
        const target = model.modelled.indexOf(check.target);
        const predicted = dot(check.weights, this.features, 0, d);
        const residual = z0[target]! - predicted;
        const e = Math.abs(residual) / check.sigma;
        this.evidence[c] = smooth(this.evidence[c]!, Math.min(e / check.base, p.clip), p);
        const ratio = this.evidence[c]! / check.threshold / this.margin;
        if (ratio <= 1) return;
        const previous = strongest.get(check.target);
        if (previous && previous.ratio >= ratio) return;
        const observed = values[this.modelledIndex[target]!]!;
        const expected = model.mean[target]! + model.scale[target]! * predicted;
        strongest.set(check.target, {
          datastream: check.target,
          check: `consistency-${check.form}`,
          time,
          observed,
          expected,
          deviation: observed - expected,
          ratio,
          note: `${e.toFixed(1)} σ off what the ${check.form === 'cross' ? 'other tags imply' : 'tag history and other tags imply'} this period`,
        });
      });
      deviations.push(...strongest.values());
    }
    deviations.sort((a, b) => b.ratio - a.ratio);
    const score = deviations[0]?.ratio ?? this.quietScore();
    const alarm = deviations.length > 0;
    return {
      time,
      scored,
      alarm,
      score,
      severity: score >= 5 ? 'critical' : score >= 2 ? 'high' : 'medium',
      deviations: alarm ? deviations.slice(0, this.maxDeviations) : [],
    };
  }

  /** Forget the history (e.g. after a long outage): the next two periods warm up again. */
  reset(): void {
    this.run = 0;
    this.evidence.fill(0);
  }

  private quietScore(): number {
    let best = 0;
    this.model.checks.forEach((check, c) => (best = Math.max(best, this.evidence[c]! / check.threshold / this.margin)));
    return best;
  }

  private envelopeBreaches(time: number, values: ArrayLike<number>): Deviation[] {
    const { model } = this;
    const p = model.parameters;
    const out: Deviation[] = [];
    model.tags.forEach((tag, j) => {
      const v = values[j]!;
      const env = model.envelopes[tag]!;
      if (!Number.isFinite(v) || (v >= env.min && v <= env.max)) return;
      const tolerance = p.envelopeMargin * (env.max - env.min) + p.resolution;
      const bound = v < env.min ? env.min : env.max;
      const ratio = Math.abs(v - bound) / tolerance;
      if (ratio <= 1) return;
      out.push({
        datastream: tag,
        check: 'envelope',
        time,
        observed: v,
        expected: bound,
        lower: env.min,
        upper: env.max,
        deviation: v - bound,
        ratio,
        note: `outside everything seen in the attack-free history (${env.min}..${env.max})`,
      });
    });
    return out;
  }
}

/** Batch: assess every row of a table (columns matched to the model's tags by name). */
export function assessTable(model: ScadaModel, table: ScadaTable, options: MonitorOptions = {}, onRow?: (i: number) => void): PeriodAssessment[] {
  const index = model.tags.map((tag) => table.tags.indexOf(tag));
  const missing = model.tags.filter((_, i) => index[i]! < 0);
  if (missing.length) throw new Error(`input lacks tags the model needs: ${missing.join(', ')}`);
  const monitor = new ScadaAttackMonitor(model, options);
  const values = new Float64Array(model.tags.length);
  return table.rows.map((row, i) => {
    index.forEach((src, j) => (values[j] = row[src]!));
    onRow?.(i);
    return monitor.assess(table.times[i]!, values);
  });
}

