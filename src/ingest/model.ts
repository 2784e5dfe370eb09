/** Datastreams, observations and the reasons a reading is refused: the vocabulary of ingestion. */

/** Common kinds of sensor; others may be used (lower-case, dashes). */
export const DATASTREAM_KINDS = [
  'level',
  'flow',
  'pressure',
  'status',
  'power',
  'voltage',
  'current',
  'temperature',
  'gas',
  'chlorine',
  'turbidity',
  'crowd-count',
  'intrusion',
  'other',
] as const;
export const KIND_PATTERN = '^[a-z][a-z0-9-]{1,39}$';

/** A datastream key is its name inside the organisation and the last level of its MQTT topic. */
export const KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$';
const KEY_RE = new RegExp(KEY_PATTERN);
export function isDatastreamKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_RE.test(key);
}

export interface ExpectedRange {
  min: number;
  max: number;
}

export interface Datastream {
  id: string;
  key: string;
  kind: string;
  unit: string;
  assetId: string | null;
  ownerOrgId: string;
  expectedRange: ExpectedRange | null;
  lastObservationAt: string | null;
  createdAt: string;
}

export type Quality = 'good' | 'uncertain' | 'bad';
export const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];

/** A reading that passed validation: epoch-ms time, numeric value (booleans as 1/0), quality code. */
export interface Reading {
  stream: string;
  t: number;
  v: number;
  /** 0 good, 1 uncertain, 2 bad. */
  q: number;
}

/** Why a reading (or a whole message) was refused; counted per organisation. */
export const REJECTION_REASONS = [
  'malformed',
  'invalid-key',
  'unknown-datastream',
  'non-numeric',
  'non-finite',
  'bad-time',
  'future',
  'duplicate',
  'out-of-order',
  'bad-quality',
  'forbidden-topic',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const REJECTION_TEXT: Record<RejectionReason, string> = {
  malformed: 'the message is not JSON of the expected shape',
  'invalid-key': 'the datastream key is not valid (letters, digits, _ . : -)',
  'unknown-datastream': 'no datastream has this key and the organisation does not create them on first sight',
  'non-numeric': 'the value is neither a number nor a boolean',
  'non-finite': 'the value is NaN or infinite',
  'bad-time': 'the time is not ISO 8601 with a zone nor epoch milliseconds',
  future: 'the time is too far in the future',
  duplicate: 'a reading with the same time is already stored',
  'out-of-order': 'the reading is older than the newest stored reading of its datastream',
  'bad-quality': 'the quality is not good, uncertain or bad',
  'forbidden-topic': "the publisher tried to write to another organisation's topic",
};

export interface Rejection {
  reason: RejectionReason;
  detail: string;
  stream?: string;
  /** The offending input, shortened, for the quarantine list. */
  payload?: string;
}

/** Times before 2000 are almost always epoch seconds sent where milliseconds are expected. */
const EARLIEST = Date.UTC(2000, 0, 1);
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseTime(t: unknown): number | string {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) return 'the time is not a finite number';
    if (t < EARLIEST) return `${t} is before the year 2000: send epoch milliseconds, not seconds`;
    return Math.round(t);
  }
  if (typeof t === 'string') {
    if (!ISO_RE.test(t)) return `"${t.slice(0, 40)}" is not an ISO 8601 date-time with a zone (e.g. 2026-11-22T10:00:00Z)`;
    const ms = Date.parse(t);
    if (!Number.isFinite(ms)) return `"${t.slice(0, 40)}" is not a valid date-time`;
    if (ms < EARLIEST) return `${t} is before the year 2000`;
    return ms;
  }
  return 'the time "t" is missing or neither a string nor a number';
}

export function shorten(value: unknown, max = 300): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Checks one reading's own fields (not its place in the series: duplicates and order are the pipeline's
 * business, which knows what is stored). `stream` comes from the topic for MQTT, from the item for HTTP.
 */
export function checkReading(stream: unknown, item: unknown, now: number, maxFutureMs: number): Reading | Rejection {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { reason: 'malformed', detail: 'each reading must be a JSON object {"t", "v", "q"?}', payload: shorten(item) };
  }
  const o = item as Record<string, unknown>;
  if (!isDatastreamKey(stream)) {
    return { reason: 'invalid-key', detail: `"${shorten(stream, 60)}" is not a datastream key`, payload: shorten(item) };
  }
  if (o.v === undefined) return { reason: 'malformed', detail: 'the reading has no value "v"', stream, payload: shorten(item) };
  let v: number;
  if (typeof o.v === 'boolean') v = o.v ? 1 : 0;
  else if (typeof o.v === 'number') v = o.v;
  else return { reason: 'non-numeric', detail: `the value ${shorten(o.v, 40)} is not a number or a boolean`, stream, payload: shorten(item) };
  if (!Number.isFinite(v)) return { reason: 'non-finite', detail: 'the value is NaN or infinite', stream, payload: shorten(item) };
  const t = parseTime(o.t);
  if (typeof t === 'string') return { reason: 'bad-time', detail: t, stream, payload: shorten(item) };
  if (t > now + maxFutureMs) {
    return { reason: 'future', detail: `${new Date(t).toISOString()} is more than ${Math.round(maxFutureMs / 1000)} s ahead of the server clock`, stream, payload: shorten(item) };
  }
  let q = 0;
  if (o.q !== undefined && o.q !== null) {
    const index = QUALITIES.indexOf(o.q as Quality);
    if (index < 0) return { reason: 'bad-quality', detail: `quality ${shorten(o.q, 40)} is not good, uncertain or bad`, stream, payload: shorten(item) };
    q = index;
  }
  return { stream, t, v, q };
}

export function isRejection(x: Reading | Rejection): x is Rejection {
  return (x as Rejection).reason !== undefined;
}
