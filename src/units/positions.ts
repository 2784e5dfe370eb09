/**
 * Live positions (AVL) as vehicles report them, checked before they are stored. Pure: the caller passes `now`.
 * A report older than the one on record is ignored (MQTT and mobile networks deliver out of order), and a
 * report from the future (a vehicle clock gone wrong) is refused, so a unit never jumps backwards on the map.
 */
export interface PositionReport {
  lon: number;
  lat: number;
  /** Epoch ms; the server's clock when the vehicle did not say. */
  at: number;
  headingDeg: number | null;
  speedKmh: number | null;
  accuracyM: number | null;
}

/** How far ahead of the server's clock a vehicle's clock may run. */
export const MAX_CLOCK_AHEAD_MS = 2 * 60_000;

export type PositionVerdict = { ok: true; report: PositionReport } | { ok: false; reason: 'invalid' | 'future' | 'stale'; detail: string };

/** Reads a position as sent (`{lon, lat, at?, headingDeg?, speedKmh?, accuracyM?}`), against the one on record. */
export function checkPosition(input: unknown, now: number, onRecordAt: number | null): PositionVerdict {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalid('a position is an object {"lon", "lat", "at"?, "headingDeg"?, "speedKmh"?, "accuracyM"?}');
  const p = input as Record<string, unknown>;
  const known = new Set(['lon', 'lat', 'at', 'headingDeg', 'speedKmh', 'accuracyM', 'unitId']);
  const unknown = Object.keys(p).find((k) => !known.has(k));
  if (unknown) return invalid(`unknown field "${unknown}"`);
  const { lon, lat } = p;
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) return invalid('lon and lat must be numbers');
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return invalid('lon must lie in -180..180 and lat in -90..90');
  let at = now;
  if (p.at !== undefined) {
    at = typeof p.at === 'string' ? Date.parse(p.at) : typeof p.at === 'number' ? p.at : NaN;
    if (!Number.isFinite(at)) return invalid('at must be an RFC 3339 time or epoch milliseconds');
  }
  if (at > now + MAX_CLOCK_AHEAD_MS) return { ok: false, reason: 'future', detail: `the position is dated ${new Date(at).toISOString()}, ahead of the server's clock: check the vehicle's clock` };
  if (onRecordAt !== null && at <= onRecordAt) return { ok: false, reason: 'stale', detail: 'a newer position is already on record' };
  const optional = (name: string, min: number, max: number): number | null | string => {
    const v = p[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return `${name} must be a number in ${min}..${max}`;
    return v;
  };
  const heading = optional('headingDeg', 0, 360);
  const speed = optional('speedKmh', 0, 400);
  const accuracy = optional('accuracyM', 0, 100_000);
  for (const v of [heading, speed, accuracy]) if (typeof v === 'string') return invalid(v);
  return { ok: true, report: { lon, lat, at, headingDeg: heading as number | null, speedKmh: speed as number | null, accuracyM: accuracy as number | null } };
}

function invalid(detail: string): PositionVerdict {
  return { ok: false, reason: 'invalid', detail };
}
