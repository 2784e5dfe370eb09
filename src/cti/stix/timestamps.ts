/**
 * STIX and TAXII timestamps (RFC 3339, UTC, `Z`). Compared exactly, whatever the number of fraction digits:
 * lexical order breaks on `.5Z` against `.123Z`, and Date drops everything below the millisecond.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

export function isStixTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value);
}

/** Sortable fixed-width key: seconds part then the fraction padded to nanoseconds. */
export function timestampKey(value: string): string | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const fraction = (m[7] ?? '').padEnd(9, '0').slice(0, 9);
  return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}${fraction}`;
}

/** Negative when a < b, zero when equal, positive when a > b; undefined when either is not a timestamp. */
export function compareTimestamps(a: string, b: string): number | undefined {
  const ka = timestampKey(a);
  const kb = timestampKey(b);
  if (ka === undefined || kb === undefined) return undefined;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Microseconds since the epoch (exact below 2^53, i.e. until year 2255); fraction digits past 6 are dropped. */
export function timestampToMicros(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const seconds = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  if (!Number.isFinite(seconds)) return undefined;
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return seconds * 1_000_000 + micros;
}

/** The TAXII form: RFC 3339 with exactly six fraction digits. */
export function microsToTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const rest = micros - seconds * 1_000_000;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(rest).padStart(6, '0')}Z`;
}

/** STIX form of a Date: millisecond precision, as the specification requires for created/modified. */
export function stixTimestamp(date: Date): string {
  return date.toISOString();
}
