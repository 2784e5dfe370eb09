/**
 * The trained SCADA attack model as stored JSON: versioned (format + version), traceable (fingerprint of
 * the training data) and self-describing (the parameters it was trained with). The platform stores it
 * per organisation; `parseScadaModel` checks a stored document before it is used.
 */

export const SCADA_MODEL_FORMAT = 'vigil.scada-attack-model';
export const SCADA_MODEL_VERSION = 1;

export interface ScadaModelParameters {
  /** The resolution readings are reported at; training data are rounded to it so the model never
   * relies on precision the live feed does not carry (BATADAL's sets report two decimals). */
  resolution: number;
  /** Ridge penalty on the standardised regressions. */
  ridge: number;
  /** Per-hour residuals are divided by this quantile of their training values ("normal bad hour")... */
  baseQuantile: number;
  /** ...and capped at this many times it, so one wild hour cannot dominate the evidence. */
  clip: number;
  /** Weight of the newest hour in the exponentially weighted evidence while it grows (0..1]. */
  smoothing: number;
  /** The same weight while evidence falls: forgetting faster than accumulating ends an alarm sooner
   * once the network is consistent again. */
  release: number;
  /** Alarm when the evidence exceeds this multiple of the most the training history ever showed. */
  margin: number;
  /** Envelope: a reading farther than this fraction of the tag's training range outside it alarms at once. */
  envelopeMargin: number;
}

export const DEFAULT_SCADA_PARAMETERS: ScadaModelParameters = {
  resolution: 0.01,
  ridge: 1,
  baseQuantile: 0.99,
  clip: 5,
  smoothing: 0.15,
  release: 0.15,
  margin: 1.1,
  envelopeMargin: 0.1,
};

/**
 * One consistency check: a tag predicted from the rest of the network.
 * `cross`: from every other modelled tag now and one period ago (a lie in this tag, or in the others,
 * breaks the relation); `dynamic`: the same plus the tag's own two previous readings (its physics over
 * time: a tank level against the flows in and out of it).
 */
export interface ConsistencyCheck {
  target: string;
  form: 'cross' | 'dynamic';
  /** Weights over the feature layout [z(t) | z(t−1) | z(t−2) | sin hour | cos hour | 1]. */
  weights: number[];
  /** Standard deviation of the training residual, in standardised units. */
  sigma: number;
  /** `baseQuantile` of |residual|/sigma over training. */
  base: number;
  /** The largest smoothed evidence seen in training. */
  threshold: number;
}

export interface TagEnvelope {
  min: number;
  max: number;
}

export interface ScadaModel {
  format: typeof SCADA_MODEL_FORMAT;
  version: typeof SCADA_MODEL_VERSION;
  training: {
    /** sha256 over tag names, times and (rounded) values of the training history. */
    fingerprint: string;
    hours: number;
    from: string;
    to: string;
    periodMs: number;
  };
  parameters: ScadaModelParameters;
  /** Every tag the model expects each period, in input order. */
  tags: string[];
  /** Tags that varied in training; they form the feature vector. Constant tags get an envelope only. */
  modelled: string[];
  mean: number[];
  scale: number[];
  envelopes: Record<string, TagEnvelope>;
  checks: ConsistencyCheck[];
}

export class ScadaModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScadaModelError';
  }
}

/** Check a stored model document; throws ScadaModelError naming what is wrong. */
export function parseScadaModel(input: unknown): ScadaModel {
  const m = input as Partial<ScadaModel> | null;
  if (!m || typeof m !== 'object') throw new ScadaModelError('model: not a JSON object');
  if (m.format !== SCADA_MODEL_FORMAT) throw new ScadaModelError(`model: format must be "${SCADA_MODEL_FORMAT}"`);
  if (m.version !== SCADA_MODEL_VERSION) {
    throw new ScadaModelError(`model: version ${String(m.version)} is not supported (this Vigil reads version ${SCADA_MODEL_VERSION}); retrain it`);
  }
  const isNums = (a: unknown, n?: number): a is number[] =>
    Array.isArray(a) && (n === undefined || a.length === n) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!Array.isArray(m.tags) || !m.tags.every((t) => typeof t === 'string')) throw new ScadaModelError('model: tags must be a list of names');
  if (!Array.isArray(m.modelled) || !m.modelled.every((t) => m.tags!.includes(t))) throw new ScadaModelError('model: modelled must list known tags');
  const k = m.modelled.length;
  if (!isNums(m.mean, k) || !isNums(m.scale, k)) throw new ScadaModelError('model: mean and scale must have one number per modelled tag');
  if (!m.training || typeof m.training.fingerprint !== 'string' || !(m.training.periodMs > 0)) {
    throw new ScadaModelError('model: training must carry fingerprint and periodMs');
  }
  if (!m.parameters || typeof m.parameters !== 'object') throw new ScadaModelError('model: parameters missing');
  for (const key of Object.keys(DEFAULT_SCADA_PARAMETERS) as (keyof ScadaModelParameters)[]) {
    if (typeof m.parameters[key] !== 'number') throw new ScadaModelError(`model: parameters.${key} must be a number`);
  }
  if (!m.envelopes || !m.tags.every((t) => m.envelopes![t] && isNums([m.envelopes![t]!.min, m.envelopes![t]!.max]))) {
    throw new ScadaModelError('model: every tag needs an envelope {min, max}');
  }
  const d = 3 * k + 3;
  if (!Array.isArray(m.checks)) throw new ScadaModelError('model: checks must be a list');
  m.checks.forEach((c, i) => {
    if (!m.modelled!.includes(c.target) || (c.form !== 'cross' && c.form !== 'dynamic') || !isNums(c.weights, d)) {
      throw new ScadaModelError(`model: checks[${i}] is malformed (target, form, ${d} weights)`);
    }
    if (!isNums([c.sigma, c.base, c.threshold]) || !(c.sigma > 0) || !(c.base > 0) || !(c.threshold > 0)) {
      throw new ScadaModelError(`model: checks[${i}] needs positive sigma, base and threshold`);
    }
  });
  return m as ScadaModel;
}

/** One step of the evidence accumulator shared by training and assessment. */
export function smooth(previous: number, current: number, p: ScadaModelParameters): number {
  const weight = current >= previous ? p.smoothing : p.release;
  return weight * current + (1 - weight) * previous;
}
