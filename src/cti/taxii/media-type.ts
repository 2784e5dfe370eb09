/**
 * TAXII 2.1 media types (section 1.6.8): requests and responses are `application/taxii+json;version=2.1`.
 * `application/taxii+json` without a version means the latest the server speaks, which is 2.1 here.
 */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const TAXII_VERSION = '2.1';

interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

function parseMediaRanges(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [typePart, ...paramParts] = part.split(';');
    const [type, subtype] = (typePart ?? '').trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (name === 'q') q = Number(value);
      else params.set(name, value);
    }
    if (Number.isFinite(q)) ranges.push({ type, subtype, params, q });
  }
  return ranges;
}

function acceptsTaxii21(range: MediaRange): boolean {
  if (range.q <= 0) return false;
  if (range.type === '*' && range.subtype === '*') return true;
  if (range.type === 'application' && range.subtype === '*') return true;
  if (range.type !== 'application' || range.subtype !== 'taxii+json') return false;
  const version = range.params.get('version');
  return version === undefined || version === TAXII_VERSION;
}

/**
 * Content negotiation for a TAXII response. A missing Accept header is read as accepting anything; otherwise
 * some acceptable range must admit TAXII 2.1, else 406 Not Acceptable.
 */
export function negotiateTaxii(accept: string | undefined): { ok: true; contentType: string } | { ok: false; status: 406; message: string } {
  if (accept === undefined || accept.trim() === '') return { ok: true, contentType: TAXII_MEDIA_TYPE };
  if (parseMediaRanges(accept).some(acceptsTaxii21)) return { ok: true, contentType: TAXII_MEDIA_TYPE };
  return { ok: false, status: 406, message: `this server responds with ${TAXII_MEDIA_TYPE}` };
}

/** A request body's Content-Type must be the TAXII 2.1 media type, else 415 Unsupported Media Type. */
export function checkTaxiiContentType(contentType: string | undefined): { ok: true } | { ok: false; status: 415; message: string } {
  const [range] = parseMediaRanges(contentType ?? '');
  if (range && range.type === 'application' && range.subtype === 'taxii+json') {
    const version = range.params.get('version');
    if (version === undefined || version === TAXII_VERSION) return { ok: true };
  }
  return { ok: false, status: 415, message: `send ${TAXII_MEDIA_TYPE}` };
}
