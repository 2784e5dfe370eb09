import { describe, expect, it } from 'vitest';
import {
  TAXII_MEDIA_TYPE,
  TaxiiQueryError,
  checkTaxiiContentType,
  dateAddedHeaders,
  decodeCursor,
  encodeCursor,
  envelope,
  filtersDigest,
  manifestRecord,
  negotiateTaxii,
  parseTaxiiQuery,
  selectPage,
  status,
  type CollectionRecord,
  type TaxiiQuery,
} from '../../src/cti/index.js';

const q = (query: string, endpoint: 'objects' | 'manifest' | 'object' | 'versions' = 'objects'): TaxiiQuery =>
  parseTaxiiQuery(new URLSearchParams(query), endpoint);
const bad = (query: string, endpoint: 'objects' | 'manifest' | 'object' | 'versions' = 'objects'): TaxiiQueryError => {
  try {
    q(query, endpoint);
  } catch (e) {
    if (e instanceof TaxiiQueryError) return e;
    throw e;
  }
  throw new Error(`${query} was accepted`);
};

describe('TAXII 2.1 query parameters', () => {
  it('defaults to the last version, the latest spec version and the server limit', () => {
    expect(q('')).toEqual({ limit: 1000, versions: [{ kind: 'last' }] });
    expect(q('', 'versions').versions).toEqual([{ kind: 'all' }]);
  });

  it('reads every filter with its values', () => {
    const query = q(
      'added_after=2026-03-14T10:00:00.123456Z&limit=50&match[id]=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f,sighting--ee20065d-2555-424f-ad9e-0f8428623c75' +
        '&match[type]=indicator,sighting&match[version]=first,2026-03-14T10:00:00.5Z&match[spec_version]=2.0,2.1&next=abc',
    );
    expect(query).toEqual({
      addedAfter: { micros: Date.UTC(2026, 2, 14, 10) * 1000 + 123456, text: '2026-03-14T10:00:00.123456Z' },
      limit: 50,
      ids: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'sighting--ee20065d-2555-424f-ad9e-0f8428623c75'],
      types: ['indicator', 'sighting'],
      versions: [{ kind: 'first' }, { kind: 'timestamp', micros: Date.UTC(2026, 2, 14, 10) * 1000 + 500000, text: '2026-03-14T10:00:00.5Z' }],
      specVersions: ['2.0', '2.1'],
      next: 'abc',
    });
    expect(q('match[version]=last,all').versions).toEqual([{ kind: 'all' }]);
    expect(q('limit=999999').limit).toBe(10_000);
    expect(q('added_after=2026-03-14T10:00:00.1234567Z').addedAfter!.micros % 1_000_000).toBe(123456);
  });

  it.each([
    ['added_after=yesterday', 'added_after'],
    ['added_after=2026-03-14T10:00:00+01:00', 'added_after'],
    ['limit=0', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=ten', 'limit'],
    ['match[id]=not-an-id', 'match[id]'],
    ['match[id]=indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f,', 'match[id]'],
    ['match[type]=Indicator', 'match[type]'],
    ['match[version]=latest', 'match[version]'],
    ['match[spec_version]=two', 'match[spec_version]'],
    ['match[color]=red', 'match[color]'],
    ['limit=1&limit=2', 'limit'],
    ['next=', 'next'],
  ])('%s is a 400 naming %s', (query, parameter) => {
    const e = bad(query);
    expect(e.parameter).toBe(parameter);
    expect(e.status).toBe(400);
  });

  it('refuses filters the endpoint does not define', () => {
    expect(bad('match[type]=indicator', 'object').parameter).toBe('match[type]');
    expect(bad('match[version]=all', 'versions').parameter).toBe('match[version]');
    expect(q('match[version]=all', 'object').versions).toEqual([{ kind: 'all' }]);
    expect(q('_=123&foo=bar')).toEqual({ limit: 1000, versions: [{ kind: 'last' }] });
  });
});

describe('the next token', () => {
  const binding = { collection: 'community', principal: 'token-7', organisation: 'org-water', filters: filtersDigest(q('match[type]=indicator'), 'objects') };
  const secret = 'test-secret';

  it('round-trips a position for the same caller, collection and filters', () => {
    const token = encodeCursor(binding, { dateAdded: 1773482400123456, sequence: 42 }, secret, 1000);
    expect(decodeCursor(token, binding, secret, 2000)).toEqual({ dateAdded: 1773482400123456, sequence: 42 });
  });

  it.each([
    ['another caller', { ...binding, principal: 'token-8' }, /another caller/],
    ['another organisation', { ...binding, organisation: 'org-police' }, /another caller/],
    ['another collection', { ...binding, collection: 'group-9' }, /another collection/],
    ['other filters', { ...binding, filters: filtersDigest(q('match[type]=malware'), 'objects') }, /other filters/],
  ])('is refused for %s', (_name, expected, message) => {
    const token = encodeCursor(binding, { dateAdded: 1, sequence: 1 }, secret, 1000);
    expect(() => decodeCursor(token, expected, secret, 1000)).toThrow(message);
  });

  it('is refused when forged, tampered, expired or garbage', () => {
    const token = encodeCursor(binding, { dateAdded: 1, sequence: 1 }, secret, 1000);
    expect(() => decodeCursor(token, binding, 'other-secret', 1000)).toThrow(/not a next token/);
    const [body, sig] = token.split('.');
    const forged = Buffer.from(Buffer.from(body!, 'base64url').toString().replace('"sequence":1', '"sequence":9')).toString('base64url');
    expect(() => decodeCursor(`${forged}.${sig}`, binding, secret, 1000)).toThrow(/not a next token/);
    expect(() => decodeCursor(token, binding, secret, 1000 + 25 * 3600 * 1000)).toThrow(/expired/);
    expect(() => decodeCursor('garbage', binding, secret, 1000)).toThrow(TaxiiQueryError);
  });

  it('binds the filters, not the limit', () => {
    expect(filtersDigest(q('match[type]=a-b,c-d&limit=5'), 'objects')).toBe(filtersDigest(q('match[type]=c-d,a-b&limit=50'), 'objects'));
    expect(filtersDigest(q(''), 'objects')).not.toBe(filtersDigest(q(''), 'manifest'));
  });
});

describe('page selection (the reference semantics the store must reproduce)', () => {
  const rec = (id: string, version: number, dateAdded: number, sequence: number, specVersion = '2.1', type = id.split('--')[0]!): CollectionRecord => ({
    id, type, version: `v${version}`, versionMicros: version, specVersion, dateAdded, sequence,
  });
  const A = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
  const B = 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061';
  const records = [rec(A, 1, 10, 1), rec(B, 1, 11, 2), rec(A, 2, 12, 3), rec(A, 3, 13, 4, '2.0'), rec(B, 2, 13, 5)];
  const idsOf = (page: { records: CollectionRecord[] }) => page.records.map((r) => `${r.id.split('--')[0]}@${r.version}`);

  it('applies match[version] first/last/all/timestamp after the spec_version default', () => {
    expect(idsOf(selectPage(records, q('')))).toEqual(['indicator@v2', 'malware@v2']);
    expect(idsOf(selectPage(records, q('match[version]=first')))).toEqual(['indicator@v1', 'malware@v1']);
    expect(idsOf(selectPage(records, q('match[version]=all')))).toEqual(['indicator@v1', 'malware@v1', 'indicator@v2', 'malware@v2']);
    expect(idsOf(selectPage(records, q('match[spec_version]=2.0')))).toEqual(['indicator@v3']);
    expect(idsOf(selectPage(records, q('match[spec_version]=2.0,2.1')))).toEqual(['indicator@v3', 'malware@v2']);
    const at = { ...q(''), versions: [{ kind: 'timestamp' as const, micros: 1, text: 'x' }] };
    expect(idsOf(selectPage(records, at))).toEqual(['indicator@v1', 'malware@v1']);
  });

  it('filters by id, type and added_after (strictly after, by date_added)', () => {
    expect(idsOf(selectPage(records, q('match[type]=malware&match[version]=all')))).toEqual(['malware@v1', 'malware@v2']);
    expect(idsOf(selectPage(records, q(`match[id]=${A}&match[version]=all`)))).toEqual(['indicator@v1', 'indicator@v2']);
    const after = { ...q('match[version]=all'), addedAfter: { micros: 11, text: '' } };
    expect(idsOf(selectPage(records, after))).toEqual(['indicator@v2', 'malware@v2']);
  });

  it('pages exactly under concurrent inserts: nothing skipped, nothing repeated', () => {
    // The store appends in commit order: date_added and sequence never go backwards.
    const store: CollectionRecord[] = [];
    let clock = 1_000;
    let sequence = 0;
    const insert = (n: number) => {
      for (let i = 0; i < n; i++) {
        clock += i % 3 === 0 ? 0 : 1; // several objects in the same microsecond
        sequence++;
        store.push(rec(`indicator--00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`, 1, clock, sequence));
      }
    };
    insert(25);
    const seen: string[] = [];
    let after: { dateAdded: number; sequence: number } | undefined;
    for (let round = 0; round < 100; round++) {
      const page = selectPage(store, q('limit=7'), after);
      seen.push(...page.records.map((r) => r.id));
      if (round < 5) insert(4); // arrives while the client is paging
      if (!page.more) break;
      after = page.last;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(store.map((r) => r.id));
  });

  it('gives what the headers and the envelope need', () => {
    const page = selectPage(records, q('limit=1&match[version]=all'));
    expect(page).toMatchObject({ more: true, last: { dateAdded: 10, sequence: 1 }, dateAddedFirst: 10, dateAddedLast: 10 });
    const t = Date.UTC(2026, 2, 14, 10) * 1000 + 7;
    expect(dateAddedHeaders(t, t + 1)).toEqual({ 'X-TAXII-Date-Added-First': '2026-03-14T10:00:00.000007Z', 'X-TAXII-Date-Added-Last': '2026-03-14T10:00:00.000008Z' });
    expect(dateAddedHeaders(undefined, undefined)).toEqual({});
  });
});

describe('TAXII resources and media types', () => {
  it('negotiates application/taxii+json;version=2.1', () => {
    expect(negotiateTaxii('application/taxii+json;version=2.1')).toEqual({ ok: true, contentType: TAXII_MEDIA_TYPE });
    expect(negotiateTaxii('application/taxii+json')).toMatchObject({ ok: true });
    expect(negotiateTaxii('application/json, */*;q=0.1')).toMatchObject({ ok: true });
    expect(negotiateTaxii(undefined)).toMatchObject({ ok: true });
    expect(negotiateTaxii('application/taxii+json;version=2.0')).toMatchObject({ ok: false, status: 406 });
    expect(negotiateTaxii('application/json')).toMatchObject({ ok: false, status: 406 });
    expect(negotiateTaxii('application/taxii+json;version=2.1;q=0')).toMatchObject({ ok: false, status: 406 });
    expect(checkTaxiiContentType('application/taxii+json; version=2.1')).toEqual({ ok: true });
    expect(checkTaxiiContentType('application/stix+json;version=2.1')).toMatchObject({ ok: false, status: 415 });
    expect(checkTaxiiContentType(undefined)).toMatchObject({ ok: false, status: 415 });
  });

  it('shapes envelopes, manifests and status resources with the specification names', () => {
    expect(envelope([], false)).toEqual({});
    expect(envelope([{ id: 'x' }], true, 'tok')).toEqual({ more: true, next: 'tok', objects: [{ id: 'x' }] });
    expect(manifestRecord('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 1_773_482_400_000_001, '2026-03-14T10:00:00.000Z')).toEqual({
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', date_added: '2026-03-14T10:00:00.000001Z', version: '2026-03-14T10:00:00.000Z', media_type: 'application/stix+json;version=2.1',
    });
    const s = status('2d086da7-4bdc-4f91-900e-d77486753710', 1_773_482_400_000_000, [{ id: 'a', version: 'v' }], [{ id: 'b', version: 'v', message: 'schema' }], []);
    expect(s).toEqual({
      id: '2d086da7-4bdc-4f91-900e-d77486753710', status: 'complete', request_timestamp: '2026-03-14T10:00:00.000000Z',
      total_count: 2, success_count: 1, successes: [{ id: 'a', version: 'v' }], failure_count: 1, failures: [{ id: 'b', version: 'v', message: 'schema' }], pending_count: 0,
    });
  });
});
