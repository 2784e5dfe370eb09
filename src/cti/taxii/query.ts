import { isIdentifier } from '../stix/ids.js';
import { timestampToMicros } from '../stix/timestamps.js';

/**
 * URL parameters of the TAXII 2.1 object endpoints (sections 3.4, 3.5 and 5), parsed and validated. Malformed
 * values are a TaxiiQueryError (HTTP 400); so is a filter the endpoint does not define, rather than silently
 * returning more than the caller asked for.
 */
export type TaxiiEndpoint = 'objects' | 'manifest' | 'object' | 'versions';

export type VersionFilter =
  | { kind: 'last' }
  | { kind: 'first' }
  | { kind: 'all' }
  | { kind: 'timestamp'; micros: number; text: string };

export interface TaxiiTimestamp {
  micros: number;
  text: string;
}

export interface TaxiiQuery {
  addedAfter?: TaxiiTimestamp;
  limit: number;
  next?: string;
  /** match[id]: undefined means any. */
  ids?: string[];
  /** match[type] */
  types?: string[];
  /** match[version]: defaults to [last] (section 3.4.2); `versions` endpoint: all. */
  versions: VersionFilter[];
  /** match[spec_version]: undefined means the latest spec version of each object. */
  specVersions?: string[];
}

export class TaxiiQueryError extends Error {
  readonly status = 400;
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'TaxiiQueryError';
  }
}

const ALLOWED: Readonly<Record<TaxiiEndpoint, ReadonlySet<string>>> = {
  objects: new Set(['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]']),
  manifest: new Set(['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]']),
  object: new Set(['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]']),
  versions: new Set(['added_after', 'limit', 'next', 'match[spec_version]']),
};

const TYPE_NAME = /^[a-z][a-z0-9-]{1,248}[a-z0-9]$/;
const SPEC_VERSION = /^\d+\.\d+$/;

export interface QueryLimits {
  defaultLimit: number;
  /** Larger limits are lowered to this (a server may return fewer than asked, section 3.4.1). */
  maxLimit: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { defaultLimit: 1000, maxLimit: 10_000 };

export function parseTaxiiQuery(
  params: URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>,
  endpoint: TaxiiEndpoint,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): TaxiiQuery {
  const values = new Map<string, string>();
  const entries: Array<[string, string]> =
    params instanceof URLSearchParams
      ? [...params.entries()]
      : Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : typeof v === 'string' ? [[k, v]] : v.map((x): [string, string] => [k, x])));
  for (const [name, value] of entries) {
    if (name.startsWith('match[') || ALLOWED[endpoint].has(name)) {
      if (!ALLOWED[endpoint].has(name)) throw new TaxiiQueryError(name, `this endpoint does not support the ${name} filter`);
      if (values.has(name)) throw new TaxiiQueryError(name, 'given more than once; separate several values with commas');
      values.set(name, value);
    }
    // Other parameters are not TAXII's (cache busters, …) and are ignored.
  }
  const list = (name: string): string[] | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new TaxiiQueryError(name, 'empty value in the list');
    return [...new Set(items)];
  };

  const query: TaxiiQuery = { limit: limits.defaultLimit, versions: [{ kind: endpoint === 'versions' ? 'all' : 'last' }] };
  const addedAfter = values.get('added_after');
  if (addedAfter !== undefined) query.addedAfter = parseTaxiiTimestamp('added_after', addedAfter);
  const limit = values.get('limit');
  if (limit !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(limit)) throw new TaxiiQueryError('limit', 'must be a positive integer');
    query.limit = Math.min(Number(limit), limits.maxLimit);
  }
  const next = values.get('next');
  if (next !== undefined) {
    if (next === '' || next.length > 4096) throw new TaxiiQueryError('next', 'not a next token issued by this server');
    query.next = next;
  }
  const ids = list('match[id]');
  if (ids) {
    const bad = ids.find((id) => !isIdentifier(id));
    if (bad) throw new TaxiiQueryError('match[id]', `'${bad}' is not a STIX identifier`);
    query.ids = ids;
  }
  const types = list('match[type]');
  if (types) {
    const bad = types.find((t) => !TYPE_NAME.test(t));
    if (bad) throw new TaxiiQueryError('match[type]', `'${bad}' is not a STIX type name`);
    query.types = types;
  }
  const versions = list('match[version]');
  if (versions) {
    const parsed = versions.map((v): VersionFilter => {
      if (v === 'first' || v === 'last' || v === 'all') return { kind: v };
      return { kind: 'timestamp', ...parseTaxiiTimestamp('match[version]', v) };
    });
    query.versions = parsed.some((v) => v.kind === 'all') ? [{ kind: 'all' }] : parsed;
  }
  const specVersions = list('match[spec_version]');
  if (specVersions) {
    const bad = specVersions.find((s) => !SPEC_VERSION.test(s));
    if (bad) throw new TaxiiQueryError('match[spec_version]', `'${bad}' is not a spec version such as 2.1`);
    query.specVersions = specVersions;
  }
  return query;
}

/**
 * A TAXII timestamp: RFC 3339 in UTC with `Z`. Precision past the microsecond is dropped (for added_after,
 * "strictly after" a truncated time selects the same objects, since stored times are microseconds).
 */
export function parseTaxiiTimestamp(parameter: string, text: string): TaxiiTimestamp {
  const micros = timestampToMicros(text);
  if (micros === undefined || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/.test(text)) {
    throw new TaxiiQueryError(parameter, `'${text}' is not an RFC 3339 UTC timestamp (e.g. 2026-03-14T10:00:00.123456Z)`);
  }
  return { micros, text };
}
