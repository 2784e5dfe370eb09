/**
 * The detection vocabulary: what detectors consume (observations of one organisation's datastreams)
 * and what they produce (alert drafts the core turns into alerts). Pure types, no I/O.
 */

/** How far a reading can be trusted, as the sender says. `bad` readings are ignored by every detector. */
export type ObservationQuality = 'good' | 'uncertain' | 'bad';
/** Quality codes as stored (0, 1, 2) to names. */
export const QUALITY_NAMES: readonly ObservationQuality[] = ['good', 'uncertain', 'bad'];

/** One reading of one datastream (a sensor or SCADA tag, keyed per organisation, e.g. `L_T1`). */
export interface Observation {
  datastream: string;
  /** Epoch milliseconds (UTC). */
  time: number;
  value: number | boolean;
  quality?: ObservationQuality;
}

export type AlertCategory = 'cyber' | 'physical' | 'cyber-physical' | 'hazard' | 'crowd' | 'social';
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** One datastream's part in an alarm: what was seen, what was expected, and by how much they differ. */
export interface Deviation {
  datastream: string;
  /** Which check this is, e.g. `range`, `rate-of-change`, `consistency`, `envelope`. */
  check: string;
  time: number;
  /** The reading that triggered (null when the problem is the absence of readings). */
  observed: number | null;
  /** What the check expected (a bound, a prediction, the last value before a flat line). */
  expected?: number;
  lower?: number;
  upper?: number;
  /** observed − expected (or the excess beyond the bound), in the datastream's unit. */
  deviation: number;
  /** How many times the tolerance the deviation is (1 = just at the alarm line). */
  ratio: number;
  note?: string;
}

export interface Evidence {
  summary: string;
  deviations: Deviation[];
  /** Detector-specific figures (scores, thresholds, model version) kept for the analyst. */
  details?: Record<string, unknown>;
}

/** What a detector hands the core; the core adds organisation, TLP, distribution, asset and location. */
export interface AlertDraft {
  detector: string;
  category: AlertCategory;
  severity: Severity;
  title: string;
  /** Same key = same ongoing problem: the core updates the open alert instead of raising another. */
  dedupKey: string;
  datastreams: string[];
  /** Time of the observation (or the `now`) that raised it, epoch ms. */
  time: number;
  evidence: Evidence;
}

/**
 * A stateful detector for one organisation. The platform feeds it that organisation's observations
 * in arrival order and, periodically, the current time. It must not perform I/O or read the clock.
 * It may throw: the engine isolates it (see engine.ts).
 */
export interface Detector {
  readonly id: string;
  readonly kind: string;
  /** The datastreams it wants; observations of other datastreams are not passed to it. */
  readonly datastreams: ReadonlySet<string> | 'all';
  observe(observation: Observation): AlertDraft[];
  /** Evaluate time-based conditions (stale sensors) against `now`, epoch ms. */
  tick?(now: number): AlertDraft[];
}

export function numericValue(value: number | boolean): number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export function isUsable(observation: Observation): boolean {
  if (observation.quality === 'bad') return false;
  const v = numericValue(observation.value);
  return Number.isFinite(v) && Number.isFinite(observation.time);
}
