/**
 * Detector settings are plain JSON (stored per organisation, edited over the API). `parseDetectorSettings`
 * turns untrusted JSON into typed settings or throws one `DetectorSettingsError` listing every problem
 * with its JSON path, so an operator can fix all of them at once.
 */
import { SEVERITIES, type AlertCategory, type Severity } from './model.js';

export const DETECTOR_KINDS = ['range', 'rate-of-change', 'flat-line', 'stale', 'scada-attack'] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];
const CATEGORIES: readonly AlertCategory[] = ['cyber', 'physical', 'cyber-physical', 'hazard', 'crowd', 'social'];

interface CommonSettings {
  /** Unique within the organisation; part of every dedup key. */
  id: string;
  /** Datastream keys this detector watches; `["*"]` means all (scada-attack: the model's own tags). */
  datastreams: string[];
  severity?: Severity;
  category?: AlertCategory;
  enabled?: boolean;
}
/** Alarm while a value is below `min` or above `max`. */
export interface RangeSettings extends CommonSettings { kind: 'range'; min?: number; max?: number }
/** Alarm when a value moves faster than `maxChange` per `perSeconds` (default per hour) between two readings. */
export interface RateOfChangeSettings extends CommonSettings { kind: 'rate-of-change'; maxChange: number; perSeconds?: number }
/** Alarm when `periods` consecutive readings stay within `tolerance` (default 0) of each other. */
export interface FlatLineSettings extends CommonSettings { kind: 'flat-line'; periods: number; tolerance?: number }
/** Alarm when no usable reading arrived for `periods` × `periodSeconds` before `now`. */
export interface StaleSettings extends CommonSettings { kind: 'stale'; periodSeconds: number; periods: number }
/** The multivariate SCADA attack detector, with a trained model referenced by id. */
export interface ScadaAttackSettings extends CommonSettings { kind: 'scada-attack'; model: string; margin?: number }

export type DetectorSettings = RangeSettings | RateOfChangeSettings | FlatLineSettings | StaleSettings | ScadaAttackSettings;

export class DetectorSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid detector settings:\n  ${problems.join('\n  ')}`);
    this.name = 'DetectorSettingsError';
  }
}

type Json = Record<string, unknown>;

/** Validate one detector's settings (or a list of them: ids must then be unique). */
export function parseDetectorSettings(input: unknown[]): DetectorSettings[];
export function parseDetectorSettings(input: unknown): DetectorSettings;
export function parseDetectorSettings(input: unknown): DetectorSettings | DetectorSettings[] {
  const problems: string[] = [];
  if (Array.isArray(input)) {
    const list = input.map((item, i) => parseOne(item, `[${i}]`, problems));
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (s && seen.has(s.id)) problems.push(`[${i}].id: "${s.id}" is used by another detector`);
      if (s) seen.add(s.id);
    });
    if (problems.length) throw new DetectorSettingsError(problems);
    return list as DetectorSettings[];
  }
  const one = parseOne(input, '', problems);
  if (problems.length || !one) throw new DetectorSettingsError(problems);
  return one;
}

function parseOne(input: unknown, at: string, problems: string[]): DetectorSettings | undefined {
  const path = (key: string): string => (at ? `${at}.${key}` : key);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.push(`${at || 'settings'}: must be a JSON object`);
    return undefined;
  }
  const o = input as Json;
  const before = problems.length;
  const kind = o.kind;
  if (typeof kind !== 'string' || !(DETECTOR_KINDS as readonly string[]).includes(kind)) {
    problems.push(`${path('kind')}: must be one of ${DETECTOR_KINDS.join(', ')}`);
    return undefined;
  }
  const allowed = new Set(['id', 'kind', 'datastreams', 'severity', 'category', 'enabled', ...KIND_KEYS[kind as DetectorKind]]);
  for (const key of Object.keys(o)) if (!allowed.has(key)) problems.push(`${path(key)}: unknown setting for a ${kind} detector`);

  if (typeof o.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/.test(o.id)) {
    problems.push(`${path('id')}: must be 1-100 letters, digits, '_', '.', ':' or '-'`);
  }
  const streams = o.datastreams;
  if (!Array.isArray(streams) || streams.length === 0 || !streams.every((s) => typeof s === 'string' && s.length > 0)) {
    problems.push(`${path('datastreams')}: must be a non-empty list of datastream keys (or ["*"])`);
  }
  if (o.severity !== undefined && !SEVERITIES.includes(o.severity as Severity)) {
    problems.push(`${path('severity')}: must be one of ${SEVERITIES.join(', ')}`);
  }
  if (o.category !== undefined && !CATEGORIES.includes(o.category as AlertCategory)) {
    problems.push(`${path('category')}: must be one of ${CATEGORIES.join(', ')}`);
  }
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') problems.push(`${path('enabled')}: must be true or false`);

  const num = (key: string, rule: (n: number) => boolean, words: string, required: boolean): void => {
    const v = o[key];
    if (v === undefined) {
      if (required) problems.push(`${path(key)}: is required (${words})`);
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || !rule(v)) problems.push(`${path(key)}: must be ${words}`);
  };
  switch (kind as DetectorKind) {
    case 'range':
      num('min', () => true, 'a number', false);
      num('max', () => true, 'a number', false);
      if (o.min === undefined && o.max === undefined) problems.push(`${path('min')}: give min, max or both`);
      if (typeof o.min === 'number' && typeof o.max === 'number' && o.min >= o.max) problems.push(`${path('max')}: must be greater than min`);
      break;
    case 'rate-of-change':
      num('maxChange', (n) => n > 0, 'a number greater than 0', true);
      num('perSeconds', (n) => n > 0, 'a number of seconds greater than 0', false);
      break;
    case 'flat-line':
      num('periods', (n) => Number.isInteger(n) && n >= 2, 'a whole number of readings, at least 2', true);
      num('tolerance', (n) => n >= 0, 'a number, 0 or more', false);
      break;
    case 'stale':
      num('periodSeconds', (n) => n > 0, 'a number of seconds greater than 0', true);
      num('periods', (n) => Number.isInteger(n) && n >= 1, 'a whole number, at least 1', true);
      break;
    case 'scada-attack':
      if (typeof o.model !== 'string' || o.model.length === 0) problems.push(`${path('model')}: must name a trained model`);
      num('margin', (n) => n > 0, 'a number greater than 0', false);
      break;
  }
  return problems.length === before ? (o as unknown as DetectorSettings) : undefined;
}

const KIND_KEYS: Record<DetectorKind, string[]> = {
  range: ['min', 'max'],
  'rate-of-change': ['maxChange', 'perSeconds'],
  'flat-line': ['periods', 'tolerance'],
  stale: ['periodSeconds', 'periods'],
  'scada-attack': ['model', 'margin'],
};
