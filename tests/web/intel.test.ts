import { describe, expect, it } from 'vitest';
import { type IndicatorItem, type ImportBody } from '../../web/src/intel/types.js';
import { NO_FILTERS, filterOptions, filtersFromSearch, filtersToSearch, indicatorRows, latestVersions, observableTypes, sightingBars, sourceText, validityOf } from '../../web/src/intel/indicators.js';
import { detectFileKind, draftProblem, importChoices, importContext, importRequest, mispReport, stixReport } from '../../web/src/intel/importFile.js';
import { EMPTY_FEED, checkFeed, failureText, feedBody, feedState, outcomeText, scheduleText } from '../../web/src/intel/feeds.js';
import { audienceText, connectionGuide, orderedCollections } from '../../web/src/intel/taxii.js';
import { worldOf } from '../../web/src/sharing/rules.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
let n = 0;
function indicator(over: Partial<IndicatorItem> = {}): IndicatorItem {
  n++;
  return {
    rowId: `row-${n}`, stixId: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `ioc ${n}`, pattern: "[ipv4-addr:value = '203.0.113.45']", patternType: 'stix',
    validFrom: '2026-01-01T00:00:00Z', validUntil: null, version: '2026-01-01T00:00:00.000Z', revoked: false, ownerOrgId: 'cert', tlp: 'green', labels: [], source: { kind: 'api' },
    dateAdded: '2026-01-01T00:00:00.000000Z', matchable: true, refusedBecause: null, sightings: { count: 0 }, ...over,
  };
}

describe('indicators as the list shows them', () => {
  it('names the object types a pattern compares, not what its strings say', () => {
    expect(observableTypes("[ipv4-addr:value = '203.0.113.45']")).toEqual(['ipv4-addr']);
    expect(observableTypes("[file:hashes.'SHA-256' = 'ab'] AND [domain-name:value = 'x:y.example'] OR [file:name = 'a']")).toEqual(['file', 'domain-name']);
    expect(observableTypes("[x-acme-thing:value = 'a'] FOLLOWEDBY [process:command_line LIKE '%url:evil%'] WITHIN 300 SECONDS")).toEqual(['x-acme-thing', 'process']);
    expect(observableTypes('alert tcp any any -> any 80 (msg:"x"; sid:1;)')).toEqual([]);
  });

  it('says whether an indicator is in force, expired, not yet valid or revoked', () => {
    expect(validityOf({ revoked: false, validFrom: '2026-01-01T00:00:00Z', validUntil: null }, NOW)).toBe('in force');
    expect(validityOf({ revoked: false, validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-11-22T12:00:00Z' }, NOW)).toBe('expired');
    expect(validityOf({ revoked: false, validFrom: '2026-12-01T00:00:00Z', validUntil: null }, NOW)).toBe('not yet valid');
    expect(validityOf({ revoked: true, validFrom: '2026-12-01T00:00:00Z', validUntil: null }, NOW)).toBe('revoked');
  });

  it('filters by text, observable type, label, source, holder and sighting, and orders by sightings keeping ties in place', () => {
    const a = indicator({ name: 'VPS address', labels: ['c2'], sightings: { count: 3 } });
    const b = indicator({ pattern: "[domain-name:value = 'plc-vendor-support.example']", tlp: 'amber', source: { kind: 'feed', feedId: 'f1' }, ownerOrgId: 'water' });
    const c = indicator({ pattern: "[url:value = 'https://x.example/']", source: { kind: 'misp' }, sightings: { count: 3 } });
    const d = indicator({ sightings: { count: 9 } });
    const items = [a, b, c, d];
    const ids = (f: Partial<typeof NO_FILTERS>) => indicatorRows(items, { ...NO_FILTERS, ...f }, NOW).map((r) => r.item);
    expect(ids({ text: 'vps' })).toEqual([a]);
    expect(ids({ text: 'C2' })).toEqual([a]);
    expect(ids({ text: 'plc-vendor' })).toEqual([b]);
    expect(ids({ type: 'url' })).toEqual([c]);
    expect(ids({ tlp: 'amber' })).toEqual([b]);
    expect(ids({ source: 'feed' })).toEqual([b]);
    expect(ids({ holder: 'water' })).toEqual([b]);
    expect(ids({ sightedOnly: true })).toEqual([a, c, d]);
    expect(ids({ sort: 'sightings' })).toEqual([d, a, c, b]);
    expect(filterOptions(items)).toEqual({ types: ['domain-name', 'ipv4-addr', 'url'], tlps: ['green', 'amber'], sources: ['api', 'feed', 'misp'], holders: ['cert', 'water'] });
  });

  it('keeps the filters in the address, and reads them back (unknown labels ignored)', () => {
    const f = { ...NO_FILTERS, text: ' evil ', type: 'url', tlp: 'amber' as const, source: 'feed', sightedOnly: true, sort: 'sightings' as const };
    const search = filtersToSearch(f);
    expect(search).toBe('?q=evil&type=url&tlp=amber&source=feed&sighted=1&sort=sightings');
    expect(filtersFromSearch(new URLSearchParams(search))).toEqual({ ...f, text: 'evil' });
    expect(filtersToSearch(NO_FILTERS)).toBe('');
    expect(filtersFromSearch(new URLSearchParams('tlp=purple')).tlp).toBe('');
  });

  it('names where an indicator came from, a feed of ones own by its name', () => {
    expect(sourceText({ kind: 'feed', feedId: 'f1' }, new Map([['f1', { name: 'ISAC water' }]]))).toBe('feed “ISAC water”');
    expect(sourceText({ kind: 'feed' })).toBe('feed');
    expect(sourceText({ kind: 'misp' })).toBe('MISP event');
    expect(sourceText(null)).toBe('unknown');
  });

  it('draws each alert of an indicator as a bar on one time axis, a single match still visible', () => {
    const alert = (id: string, time: string, lastSeen: string, value: string) => ({ alertId: id, title: id, status: 'new', time, lastSeen, count: 2, origin: 'security-event', matched: [{ field: 'source.ip', value, stixType: 'ipv4-addr' }] });
    const { bars, from, to } = sightingBars({ alerts: [alert('b', '2026-11-20T11:00:00Z', '2026-11-20T11:00:00Z', '2.2.2.2'), alert('a', '2026-11-20T10:00:00Z', '2026-11-20T12:00:00Z', '1.1.1.1')] }, 203);
    expect(from).toBe('2026-11-20T10:00:00.000Z');
    expect(to).toBe('2026-11-20T12:00:00.000Z');
    expect(bars.map((b) => [b.alertId, b.label, Math.round(b.x), Math.round(b.width)])).toEqual([['a', '1.1.1.1', 0, 200], ['b', '2.2.2.2', 100, 3]]);
    expect(sightingBars({ alerts: [] }, 100)).toEqual({ bars: [], from: null, to: null });
  });

  it('keeps each holder’s latest version of an indicator, newest first', () => {
    const v = (ownerOrgId: string, version: string) => ({ ownerOrgId, version, dateAdded: '2026-01-01T00:00:00Z' });
    expect(latestVersions([v('cert', '2026-01-01'), v('cert', '2026-03-01'), v('water', '2026-02-01')])).toEqual([v('cert', '2026-03-01'), v('water', '2026-02-01')]);
  });
});

const report = (over: Partial<ImportBody> = {}, reportOver: Partial<ImportBody['report']> = {}): ImportBody => ({
  importId: 'imp-1', status: 'complete', total: 3, stored: 1, duplicates: 1, invalid: 1, narrowed: 0,
  accepted: [{ id: 'indicator--a', version: '2026-01-01T00:00:00.000Z' }, { id: 'ipv4-addr--b', version: 'unversioned' }],
  report: { bundleReasons: [], total: 3, valid: 2, invalid: 1, truncated: false, invalidatedLate: [], objects: [{ index: 2, id: 'indicator--c', type: 'indicator', valid: false, warnings: [], reasons: [{ code: 'pattern', path: '$.objects[2].pattern', message: "expected ']' at 1:20" }] }], ...reportOver },
  ...over,
});

describe('importing a file', () => {
  it('tells a STIX bundle from a MISP event by its first bytes', () => {
    expect(detectFileKind('{"type": "bundle", "id": "bundle--1", "objects": []}')).toBe('stix');
    expect(detectFileKind('{"id":"bundle--1","objects":[{"type":"indicator"}]}')).toBe('stix');
    expect(detectFileKind(' {"Event": {"info": "x", "Attribute": []}}')).toBe('misp');
    expect(detectFileKind('{"response": [{"Event": {"info": "x"}}]}')).toBe('misp');
    expect(detectFileKind('[1, 2, 3]')).toBeNull();
  });

  it('offers the distributions the policy allows under the chosen label, with the reason for the others', () => {
    const world = worldOf(['me', 'water', 'police'], [{ id: 'g1', ownerOrgId: 'water', memberOrgIds: ['me'] }]);
    const share = { tlp: 'green' as const, scope: 'public' as const, orgIds: [], groupId: null };
    const ctx = importContext('me', true, world, ['g1'], share);
    const scopes = Object.fromEntries(importChoices(ctx, share).scopes.map((c) => [c.value, c.allowed ? 'yes' : c.reason]));
    expect(scopes.owner).toBe('yes');
    expect(scopes.community).toBe('yes');
    expect(scopes.group).toBe('yes');
    expect(scopes.public).toMatch(/GREEN/i);
    expect(draftProblem(ctx, { kind: 'stix', partial: false, useDefaults: false, share })).toMatch(/GREEN/i);
    expect(draftProblem(ctx, { kind: 'stix', partial: false, useDefaults: true, share })).toBeNull();
    const groupDraft = { ...share, scope: 'group' as const };
    expect(draftProblem(ctx, { kind: 'stix', partial: false, useDefaults: false, share: groupDraft })).toBe('Choose a sharing group');
    expect(draftProblem(ctx, { kind: 'stix', partial: false, useDefaults: false, share: { ...groupDraft, groupId: 'g1' } })).toBeNull();
    const viewer = importContext('me', false, world, ['g1'], share);
    expect(draftProblem(viewer, { kind: 'stix', partial: false, useDefaults: true, share })).toMatch(/may not import/);
    expect(importChoices(viewer, share).scopes.every((c) => !c.allowed)).toBe(true);
  });

  it('sends the sharing as query parameters, or none for the organisation defaults', () => {
    const share = { tlp: 'amber' as const, scope: 'group' as const, orgIds: [], groupId: 'g1' };
    expect(importRequest({ kind: 'stix', partial: true, useDefaults: false, share })).toEqual({ path: '/stix/bundles?partial=true&tlp=amber&scope=group&group=g1', contentType: 'application/json' });
    expect(importRequest({ kind: 'misp', partial: false, useDefaults: false, share: { ...share, scope: 'orgs', orgIds: ['a', 'b'] } }).path).toBe('/misp/events?tlp=amber&scope=orgs&orgs=a%2Cb');
    expect(importRequest({ kind: 'misp', partial: false, useDefaults: true, share }).path).toBe('/misp/events');
  });

  it('reads a partial import: what was accepted and each rejection with its reason', () => {
    const r = stixReport(report());
    expect(r.outcome).toBe('partly imported');
    expect(r.headline).toBe('1 object stored, 1 duplicate, 1 object rejected');
    expect(r.accepted).toEqual([{ id: 'indicator--a', type: 'indicator', version: '2026-01-01T00:00:00.000Z' }, { id: 'ipv4-addr--b', type: 'ipv4-addr', version: 'unversioned' }]);
    expect(r.rejected).toEqual([{ where: 'object 3', id: 'indicator--c', type: 'indicator', reasons: [{ code: 'pattern', path: '$.objects[2].pattern', message: "expected ']' at 1:20" }] }]);
    expect(r.counts).toEqual({ total: 3, stored: 1, duplicates: 1, rejected: 1, narrowed: 0 });
  });

  it('reads a rejected bundle: nothing stored, the server’s reason, every object counted as rejected', () => {
    const r = stixReport(report({ status: 'rejected', stored: 0, duplicates: 0, accepted: [] }), 'The bundle was not imported: 1 of 3 objects are not valid STIX 2.1');
    expect(r.outcome).toBe('not imported');
    expect(r.headline).toBe('Nothing was imported: 1 of 3 objects are not valid STIX 2.1');
    expect(r.counts).toMatchObject({ stored: 0, duplicates: 0, rejected: 3 });
    const broken = stixReport(report({ status: 'rejected', total: 0, stored: 0, duplicates: 0, invalid: 0, accepted: [] }, { objects: [], syntaxError: { message: 'Unexpected token', offset: 17 } }), 'x');
    expect(broken.rejected).toEqual([{ where: 'byte 17', id: null, type: null, reasons: [{ code: 'json', path: '$', message: 'Unexpected token' }] }]);
  });

  it('says how many were not listed when the server cut its lists', () => {
    const r = stixReport(report({ stored: 1500, duplicates: 0, invalid: 1200 }, { truncated: true }));
    expect(r.acceptedNotListed).toBe(1498);
    expect(r.rejectedNotListed).toBe(1199);
    expect(stixReport(report({ accepted: null, stored: 20_000, duplicates: 0 })).acceptedNotListed).toBe(20_000);
  });

  it('reads a MISP import: attributes not converted, then the STIX import', () => {
    const r = mispReport({ eventUuid: 'e1', problems: [], skipped: [{ uuid: 'attr-1', reason: 'unsupported type: x509-fingerprint-sha1' }], import: report({ invalid: 0 }, { objects: [] }) });
    expect(r.outcome).toBe('partly imported');
    expect(r.headline).toBe('1 object stored, 1 duplicate; 1 MISP item not converted');
    expect(r.rejected).toEqual([{ where: 'attribute attr-1', id: 'attr-1', type: 'misp-attribute', reasons: [{ code: 'misp', path: 'attr-1', message: 'unsupported type: x509-fingerprint-sha1' }] }]);
    const unreadable = mispReport({ eventUuid: null, problems: [{ path: '$.Event.info', message: 'is required' }], skipped: [] }, 'This is not a MISP event Vigil can read');
    expect(unreadable).toMatchObject({ outcome: 'not imported', headline: 'Nothing was imported: This is not a MISP event Vigil can read', counts: { rejected: 1 } });
  });
});

describe('feeds', () => {
  it('checks a new feed as the server does', () => {
    expect(checkFeed(EMPTY_FEED)).toEqual({ url: 'is required', collectionId: expect.stringMatching(/collection id/) });
    expect(checkFeed({ ...EMPTY_FEED, url: 'http://isac.example/taxii2/', collectionId: 'c' }).url).toMatch(/HTTPS/);
    expect(checkFeed({ ...EMPTY_FEED, url: 'https://u:p@isac.example/taxii2/', collectionId: 'c' }).url).toMatch(/not in the URL/);
    expect(checkFeed({ ...EMPTY_FEED, url: 'http://127.0.0.1:9000/taxii2/', collectionId: 'c' })).toEqual({});
    expect(checkFeed({ ...EMPTY_FEED, kind: 'misp', url: 'https://misp.example/feed/' })).toEqual({});
  });

  it('sends only what was given', () => {
    expect(feedBody({ ...EMPTY_FEED, url: ' https://isac.example/taxii2/ ', collectionId: 'water', secret: 's3cret' })).toEqual({ kind: 'taxii', url: 'https://isac.example/taxii2/', collectionId: 'water', secret: 's3cret', everySeconds: 3600 });
    expect(feedBody({ ...EMPTY_FEED, kind: 'misp', url: 'https://m.example/', collectionId: 'ignored', tlp: 'green', name: 'M' })).toEqual({ kind: 'misp', url: 'https://m.example/', name: 'M', everySeconds: 3600, tlp: 'green' });
  });

  it('puts a feed’s state, schedule and last pull into words', () => {
    expect(scheduleText(3600)).toBe('every hour');
    expect(scheduleText(7200)).toBe('every 2 hours');
    expect(scheduleText(120)).toBe('every 2 minutes');
    expect(feedState({ enabled: true, lastError: 'timed out', failures: 2, lastPullAt: '2026-11-22T11:00:00Z' })).toBe('failing');
    expect(feedState({ enabled: true, lastError: null, failures: 0, lastPullAt: null })).toBe('never pulled');
    expect(feedState({ enabled: false, lastError: 'x', failures: 3, lastPullAt: null })).toBe('paused');
    expect(failureText({ failures: 2, nextPullAt: '2026-11-22T12:04:00Z' }, NOW)).toBe('2 failures in a row; tried again in 4 min');
    expect(outcomeText({ feedId: 'f', pages: 2, objects: 1500, stored: 1400, duplicates: 100, invalid: 0, caughtUp: true })).toBe('1,500 objects received, 1,400 new, 100 already held in 2 pages; up to date');
    expect(outcomeText({ feedId: 'f', pages: 0, objects: 0, stored: 0, duplicates: 0, invalid: 0, caughtUp: false, error: 'HTTP 401' })).toBe('Pull failed: HTTP 401');
  });
});

describe('the TAXII page', () => {
  it('gives absolute addresses and the lines a partner runs, never a token', () => {
    const g = connectionGuide('https://vigil.city.example', { discovery: '/taxii2/', apiRoot: '/taxii2/api/' });
    expect(g.discovery).toBe('https://vigil.city.example/taxii2/');
    expect(g.curl).toContain('https://vigil.city.example/taxii2/api/collections/');
    expect(g.curl).toContain('$VIGIL_TOKEN');
    expect(g.vigilFeed({ id: 'c-1' } as never)).toBe('vigil feeds add taxii https://vigil.city.example/taxii2/api/ --collection c-1 --org <your-org> --user partner --token -');
  });

  it('lists the organisation’s own collection first, then its groups, the community and the public', () => {
    const c = (kind: 'public' | 'community' | 'org' | 'group', title: string) => ({ id: title, alias: title, kind, title, description: '', canRead: true, canWrite: false, objects: 0, versions: 0, url: '' });
    expect(orderedCollections([c('public', 'Public'), c('group', 'Water ISAC'), c('community', 'Community'), c('org', 'City CERT'), c('group', 'Energy')]).map((x) => x.title)).toEqual(['City CERT', 'Energy', 'Water ISAC', 'Community', 'Public']);
    expect(audienceText(c('public', 'Public'))).toMatch(/CLEAR only/);
  });
});
