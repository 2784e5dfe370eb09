import { microsToTimestamp } from '../stix/timestamps.js';
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './media-type.js';

/**
 * The TAXII 2.1 resources (section 4–5) as plain shapes, with the exact property names of the specification.
 * Timestamps go out with microseconds, as TAXII asks for date_added.
 */
export interface Discovery {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
  api_roots?: string[];
}

export interface ApiRoot {
  title: string;
  description?: string;
  versions: string[];
  max_content_length: number;
}

export interface Collection {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
  media_types?: string[];
}

export interface Envelope<T = unknown> {
  more?: boolean;
  next?: string;
  objects?: T[];
}

export interface ManifestRecord {
  id: string;
  date_added: string;
  version: string;
  media_type?: string;
}

export interface Manifest {
  more?: boolean;
  next?: string;
  objects?: ManifestRecord[];
}

export interface StatusDetails {
  id: string;
  version: string;
  message?: string;
}

export interface Status {
  id: string;
  status: 'pending' | 'complete';
  request_timestamp?: string;
  total_count: number;
  success_count: number;
  successes?: StatusDetails[];
  failure_count: number;
  failures?: StatusDetails[];
  pending_count: number;
  pendings?: StatusDetails[];
}

/** TAXII's own error message (section 3.6.1); TAXII endpoints answer errors with it, not problem+json. */
export interface TaxiiError {
  title: string;
  description?: string;
  error_id?: string;
  error_code?: string;
  http_status?: string;
  external_details?: string;
  details?: Record<string, unknown>;
}

export function apiRoot(title: string, maxContentLength: number, description?: string): ApiRoot {
  return { title, ...(description ? { description } : {}), versions: [TAXII_MEDIA_TYPE], max_content_length: maxContentLength };
}

export function collection(c: Omit<Collection, 'media_types'>): Collection {
  return { ...c, media_types: [STIX_MEDIA_TYPE] };
}

/** An envelope; empty pages omit `objects` and `more` is only written when true, as the examples do. */
export function envelope<T>(objects: T[], more: boolean, next?: string): Envelope<T> {
  return { ...(more ? { more: true } : {}), ...(more && next ? { next } : {}), ...(objects.length ? { objects } : {}) };
}

export function manifestRecord(id: string, dateAddedMicros: number, version: string): ManifestRecord {
  return { id, date_added: microsToTimestamp(dateAddedMicros), version, media_type: STIX_MEDIA_TYPE };
}

/** The headers every object/manifest/versions page carries (section 3.3.1). */
export function dateAddedHeaders(first: number | undefined, last: number | undefined): Record<string, string> {
  if (first === undefined || last === undefined) return {};
  return { 'X-TAXII-Date-Added-First': microsToTimestamp(first), 'X-TAXII-Date-Added-Last': microsToTimestamp(last) };
}

export function status(
  id: string,
  requestTimestampMicros: number,
  successes: StatusDetails[],
  failures: StatusDetails[],
  pendings: StatusDetails[],
): Status {
  const total = successes.length + failures.length + pendings.length;
  return {
    id,
    status: pendings.length > 0 ? 'pending' : 'complete',
    request_timestamp: microsToTimestamp(requestTimestampMicros),
    total_count: total,
    success_count: successes.length,
    ...(successes.length ? { successes } : {}),
    failure_count: failures.length,
    ...(failures.length ? { failures } : {}),
    pending_count: pendings.length,
    ...(pendings.length ? { pendings } : {}),
  };
}

export function taxiiError(httpStatus: number, title: string, description?: string, details?: Record<string, unknown>): TaxiiError {
  return { title, ...(description ? { description } : {}), http_status: String(httpStatus), ...(details ? { details } : {}) };
}
