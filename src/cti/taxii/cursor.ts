import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../stix/ids.js';
import { TaxiiQueryError, type TaxiiQuery } from './query.js';

/**
 * The `next` token. It is a keyset position — the (date_added, sequence) of the last object served — not an
 * offset, so objects added while a client pages land after the position or before it but never shift a page:
 * nothing is skipped or repeated. That holds when the store gives date_added and sequence in commit order
 * (both non-decreasing along the event log), which is the store's half of the contract.
 *
 * The token is signed (HMAC-SHA-256) and bound to the collection, the caller (principal and organisation) and
 * the filters, so it cannot be forged, replayed by someone else, or reused with other filters. It grants nothing:
 * every page is read again through the caller's current rights.
 */
export interface PagePosition {
  /** date_added of the last object served, in microseconds since the epoch. */
  dateAdded: number;
  /** The store's insertion sequence of that object (tie-break inside one microsecond). */
  sequence: number;
}

export interface CursorBinding {
  collection: string;
  /** The authenticated caller: user id or API token id. */
  principal: string;
  organisation: string;
  filters: string;
}

interface CursorPayload extends CursorBinding {
  v: 1;
  after: PagePosition;
  /** Milliseconds since the epoch when issued. */
  iat: number;
}

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A stable digest of the filters a page was asked with (everything but next and limit). */
export function filtersDigest(query: TaxiiQuery, endpoint: string, objectId?: string): string {
  const filters = {
    endpoint,
    objectId: objectId ?? null,
    addedAfter: query.addedAfter?.micros ?? null,
    ids: query.ids ? [...query.ids].sort() : null,
    types: query.types ? [...query.types].sort() : null,
    versions: query.versions.map((v) => (v.kind === 'timestamp' ? `t${v.micros}` : v.kind)).sort(),
    specVersions: query.specVersions ? [...query.specVersions].sort() : null,
  };
  return createHash('sha256').update(canonicalJson(filters)).digest('base64url').slice(0, 22);
}

export function encodeCursor(binding: CursorBinding, after: PagePosition, secret: string | Buffer, now: number): string {
  const payload: CursorPayload = { v: 1, ...binding, after, iat: now };
  const body = b64(JSON.stringify(payload));
  return `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`;
}

/**
 * Checks a `next` token against the request it arrives with. Anything wrong is a 400 (the TAXII way to say the
 * token is not valid for this request); the message names the reason without echoing the token.
 */
export function decodeCursor(
  token: string,
  expected: CursorBinding,
  secret: string | Buffer,
  now: number,
  maxAgeMs = 24 * 3600 * 1000,
): PagePosition {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) throw new TaxiiQueryError('next', 'not a next token issued by this server');
  const wanted = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new TaxiiQueryError('next', 'not a next token issued by this server');
  }
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new TaxiiQueryError('next', 'not a next token issued by this server');
  }
  if (payload.v !== 1) throw new TaxiiQueryError('next', 'token from another version of this server');
  if (now - payload.iat > maxAgeMs) throw new TaxiiQueryError('next', 'token expired; start again with added_after');
  if (payload.collection !== expected.collection) throw new TaxiiQueryError('next', 'token belongs to another collection');
  if (payload.principal !== expected.principal || payload.organisation !== expected.organisation) {
    throw new TaxiiQueryError('next', 'token was issued to another caller');
  }
  if (payload.filters !== expected.filters) throw new TaxiiQueryError('next', 'token was issued for other filters');
  const { dateAdded, sequence } = payload.after ?? {};
  if (!Number.isSafeInteger(dateAdded) || !Number.isSafeInteger(sequence)) {
    throw new TaxiiQueryError('next', 'not a next token issued by this server');
  }
  return { dateAdded, sequence };
}

/** Keyset order: strictly after `p` in (date_added, sequence). */
export function isAfter(p: PagePosition, dateAdded: number, sequence: number): boolean {
  return dateAdded > p.dateAdded || (dateAdded === p.dateAdded && sequence > p.sequence);
}
