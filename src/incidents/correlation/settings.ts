import { CORRELATION_RULES, DEPENDENCY_KINDS, type CorrelationRule, type DependencyKind } from './model.js';
import { INDICATOR_TYPES, type IndicatorType } from './indicators.js';

/**
 * How one organisation wants its alerts correlated. Every window is a duration in milliseconds; the
 * defaults suit both floods of machine alerts (IDS, SIEM) and sparse physical alarms (see docs/correlation.md).
 */
export interface CorrelationSettings {
  /** The rules that may group this organisation's alerts. */
  rules: CorrelationRule[];
  sameAsset: {
    /** Longest silence on an asset that still continues its burst (and the window for a lone alert). */
    quietGapMs: number;
    /** Shortest silence that ends a burst, however fast it was. */
    minGapMs: number;
    /** A burst ends after a silence this many times its own mean gap between alerts. */
    rhythmFactor: number;
    /** Alerts arriving this many times faster than the burst's rhythm start a new burst (a surge). */
    surgeFactor: number;
    /** When the mix of a burst's latest alerts is less similar than this to the rest, a new burst starts. */
    shiftSimilarity: number;
  };
  recurrence: {
    /** How far back a burst may find the incident it repeats. */
    horizonMs: number;
    /** Cosine similarity of the kind mix (0..1) from which a burst counts as the same thing again. */
    similarity: number;
  };
  dependency: {
    windowMs: number;
    /** How many dependency links may lie between two alerts' assets (transitive, bounded). */
    maxHops: number;
    kinds: DependencyKind[];
  };
  placeTime: {
    radiusMetres: number;
    windowMs: number;
  };
  indicator: {
    windowMs: number;
    types: IndicatorType[];
  };
  /** Organisations whose incidents this organisation's alerts may join (besides its own). */
  partners: string[];
}

/** A partial override, as stored per organisation. */
export type CorrelationSettingsInput = {
  [K in keyof CorrelationSettings]?: CorrelationSettings[K] extends unknown[]
    ? CorrelationSettings[K]
    : Partial<CorrelationSettings[K]>;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_SETTINGS: CorrelationSettings = {
  rules: [...CORRELATION_RULES],
  sameAsset: { quietGapMs: 30 * MINUTE, minGapMs: 10_000, rhythmFactor: 10, surgeFactor: 20, shiftSimilarity: 0.8 },
  recurrence: { horizonMs: 12 * HOUR, similarity: 0.9 },
  dependency: { windowMs: HOUR, maxHops: 2, kinds: [...DEPENDENCY_KINDS] },
  placeTime: { radiusMetres: 250, windowMs: 30 * MINUTE },
  indicator: { windowMs: 24 * HOUR, types: [...INDICATOR_TYPES] },
  partners: [],
};

export class CorrelationSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorrelationSettingsError';
  }
}

/** Fills an organisation's partial settings from the defaults and checks every value. */
export function resolveSettings(
  input: CorrelationSettingsInput | undefined,
  base: CorrelationSettings = DEFAULT_SETTINGS,
  where = 'settings',
): CorrelationSettings {
  const i = input ?? {};
  const settings: CorrelationSettings = {
    rules: i.rules ? [...i.rules] : [...base.rules],
    sameAsset: { ...base.sameAsset, ...i.sameAsset },
    recurrence: { ...base.recurrence, ...i.recurrence },
    dependency: { ...base.dependency, ...i.dependency },
    placeTime: { ...base.placeTime, ...i.placeTime },
    indicator: { ...base.indicator, ...i.indicator },
    partners: i.partners ? [...i.partners] : [...base.partners],
  };
  checkSettings(settings, where);
  return settings;
}

function checkSettings(s: CorrelationSettings, where: string): void {
  const fail = (path: string, what: string): never => {
    throw new CorrelationSettingsError(`${where}.${path}: ${what}`);
  };
  const list = <T extends string>(path: string, values: unknown, allowed: readonly T[]): void => {
    if (!Array.isArray(values)) fail(path, 'must be a list');
    for (const v of values as unknown[]) {
      if (!allowed.includes(v as T)) fail(path, `unknown value ${JSON.stringify(v)} (known: ${allowed.join(', ')})`);
    }
  };
  const duration = (path: string, v: number): void => {
    if (!Number.isFinite(v) || v <= 0) fail(path, `must be a positive duration in milliseconds, got ${v}`);
  };
  list('rules', s.rules, CORRELATION_RULES);
  duration('sameAsset.quietGapMs', s.sameAsset.quietGapMs);
  duration('sameAsset.minGapMs', s.sameAsset.minGapMs);
  if (s.sameAsset.minGapMs > s.sameAsset.quietGapMs) fail('sameAsset.minGapMs', 'must not exceed quietGapMs');
  if (!(s.sameAsset.rhythmFactor >= 1)) fail('sameAsset.rhythmFactor', 'must be at least 1');
  if (!(s.sameAsset.surgeFactor > 1)) fail('sameAsset.surgeFactor', 'must be greater than 1');
  if (!(s.sameAsset.shiftSimilarity >= 0 && s.sameAsset.shiftSimilarity < 1)) {
    fail('sameAsset.shiftSimilarity', 'must be in [0, 1) (0 turns the check off)');
  }
  duration('recurrence.horizonMs', s.recurrence.horizonMs);
  if (!(s.recurrence.similarity > 0 && s.recurrence.similarity <= 1)) {
    fail('recurrence.similarity', 'must be in (0, 1]');
  }
  duration('dependency.windowMs', s.dependency.windowMs);
  if (!Number.isInteger(s.dependency.maxHops) || s.dependency.maxHops < 1 || s.dependency.maxHops > 4) {
    fail('dependency.maxHops', 'must be an integer from 1 to 4');
  }
  list('dependency.kinds', s.dependency.kinds, DEPENDENCY_KINDS);
  if (!(s.placeTime.radiusMetres > 0 && s.placeTime.radiusMetres <= 50_000)) {
    fail('placeTime.radiusMetres', 'must be between 0 and 50000 metres');
  }
  duration('placeTime.windowMs', s.placeTime.windowMs);
  duration('indicator.windowMs', s.indicator.windowMs);
  list('indicator.types', s.indicator.types, INDICATOR_TYPES);
  if (!Array.isArray(s.partners) || s.partners.some((p) => typeof p !== 'string' || p === '')) {
    fail('partners', 'must be a list of organisation ids');
  }
}

/** The longest time any rule looks back: state older than this can be forgotten. */
export function memoryHorizonMs(s: CorrelationSettings): number {
  return Math.max(
    s.sameAsset.quietGapMs,
    s.recurrence.horizonMs,
    s.dependency.windowMs,
    s.placeTime.windowMs,
    s.indicator.windowMs,
  );
}
