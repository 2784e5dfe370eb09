/**
 * CAP's DateTime Data Type (CAP 1.2 §3.3.2): "YYYY-MM-DDThh:mm:ssXzh:zm", no fractional seconds, no "Z";
 * UTC is written "-00:00" (CAP 1.1 also accepted "+00:00").
 */

const CAP_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;

export type DateTimeProblem =
  | 'alphabetic-time-zone'
  | 'no-time-zone'
  | 'fractional-seconds'
  | 'form'
  | 'out-of-range'
  | 'utc-as-plus';

/** Why a value is not a CAP dateTime, or null when it is one. `version` decides how UTC may be written. */
export function capDateTimeProblem(value: string, version: '1.1' | '1.2' = '1.2'): DateTimeProblem | null {
  const v = value.trim();
  const m = CAP_DATE_TIME.exec(v);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[A-Za-z]+$/.test(v)) return 'alphabetic-time-zone';
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+/.test(v)) return 'fractional-seconds';
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)) return 'no-time-zone';
    return 'form';
  }
  const [, y, mo, d, h, mi, s, , zh, zm] = m.map(Number) as number[];
  const month = mo!;
  const daysInMonth = new Date(Date.UTC(y!, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || d! < 1 || d! > daysInMonth) return 'out-of-range';
  if (h! > 23 || mi! > 59 || s! > 59 || zh! > 23 || zm! > 59) return 'out-of-range';
  if (version === '1.2' && m[7] === '+' && zh === 0 && zm === 0) return 'utc-as-plus';
  return null;
}

/** Milliseconds since the epoch of a CAP dateTime, or null when the value is not one. */
export function parseCapDateTime(value: string): number | null {
  if (capDateTimeProblem(value, '1.1') !== null) return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A CAP dateTime for `date`, shown in the time zone `timeZone` (IANA name, e.g. "Europe/Monaco") so a
 * person reading the XML sees local time; without it, UTC written "-00:00" as CAP 1.2 requires.
 */
export function formatCapDateTime(date: Date, timeZone?: string): string {
  const offset = timeZone ? utcOffsetMinutes(date, timeZone) : 0;
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offset * 60_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${String(local.getUTCFullYear()).padStart(4, '0')}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}` +
    `T${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}`;
  if (offset === 0) return `${stamp}-00:00`;
  const sign = offset > 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${stamp}${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The offset from UTC, in minutes, of `timeZone` at the instant `date` (daylight saving included). */
export function utcOffsetMinutes(date: Date, timeZone: string): number {
  // Building a DateTimeFormat costs far more than using one: keep one per zone.
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value;
  const m = name ? /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name) : null;
  if (!m) throw new Error(`cannot tell the UTC offset of time zone ${timeZone}`);
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** RFC 3339 timestamp in UTC ("Z"), as Atom (RFC 4287 §3.3) wants it; seconds precision. */
export function formatRfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
