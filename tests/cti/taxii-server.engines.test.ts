import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectPage, tlpMarkingId, TLP_2_MARKING_IDS, type CollectionRecord, parseTaxiiQuery, timestampToMicros } from '../../src/cti/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { saveSharingGroup } from '../../src/organisations/queries.js';
import { type Api, listen, startApi } from '../helpers/http.js';
import { engines, openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { TAXII, importBundle, raw } from './api.js';

/** The TAXII 2.1 server against the specification's requirements, one by one (section numbers of TAXII 2.1 OS). */
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ROOT = '/taxii2/api/';

let n = 0;
function indicator(tlp: keyof typeof TLP_2_MARKING_IDS | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  const hex = n.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--6b0b2d1e-3c4d-4e5f-8a6b-${hex}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name: `indicator ${n}`,
    pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...(tlp ? { object_marking_refs: [tlpMarkingId(tlp)] } : {}),
    ...extra,
  };
}
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });

describe.each(engines())('TAXII 2.1 server (%s)', (engine) => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  let viewerToken: string;
  const cols = new Map<string, string>();
  const versioned = indicator('green');
  const get = (url: string, token: string | null = world.token.owner, accept = TAXII) => raw(api, 'GET', url, { token, accept });

  beforeAll(async () => {
    t = await openTestKernel(engine);
    api = await startApi(t.kernel);
    world = await seedWorld(t.kernel);
    viewerToken = await world.tokenFor('member', 'viewer');
    // The owner holds: 6 GREEN + 1 CLEAR for the community, one of them in three versions; AMBER for group G;
    // and AMBER+STRICT and RED to itself only.
    const community = [indicator('green'), indicator('green'), indicator('green'), indicator('green'), indicator('green'), indicator('clear'), versioned];
    expect((await importBundle(api, world.token.owner, bundle(community), 'scope=community')).status).toBe(200);
    for (const modified of ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']) {
      expect((await importBundle(api, world.token.owner, bundle([{ ...versioned, modified }]), 'scope=community')).body.stored).toBe(1);
    }
    expect((await importBundle(api, world.token.owner, bundle([indicator('amber'), indicator('amber')]), `scope=group&group=${world.groupG}`)).body.stored).toBe(2);
    expect((await importBundle(api, world.token.owner, bundle([indicator('clear')]), 'scope=public')).body.stored).toBe(1);
    expect((await importBundle(api, world.token.owner, bundle([indicator('amber+strict'), indicator('red')]), 'scope=owner')).body.stored).toBe(2);
    const list = await get(`${ROOT}collections/`);
    for (const c of list.body.collections) cols.set(c.alias.startsWith('org-') ? 'org' : c.alias.startsWith('group-') ? 'group' : c.alias, c.id);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  describe('server information (section 4)', () => {
    it('serves discovery at /taxii2/ with its API root (4.1)', async () => {
      const res = await get('/taxii2/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(res.body.title).toBeTruthy();
      expect(res.body.api_roots).toContain(res.body.default);
      expect(res.body.default).toBe(ROOT);
    });

    it('describes the API root: versions with the 2.1 media type, max_content_length (4.2)', async () => {
      const res = await get(ROOT);
      expect(res.status).toBe(200);
      expect(res.body.versions).toContain(TAXII);
      expect(res.body.max_content_length).toBeGreaterThan(0);
    });

    it('answers 401 without credentials, with a TAXII error and WWW-Authenticate (1.6.9, 3.6)', async () => {
      const res = await get('/taxii2/', null);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      expect(res.body).toMatchObject({ title: expect.any(String), http_status: '401' });
    });

    it('accepts HTTP Basic with a token as the password, and Bearer', async () => {
      expect((await raw(api, 'GET', '/taxii2/', { basic: world.token.owner, accept: TAXII })).status).toBe(200);
      expect((await raw(api, 'GET', '/taxii2/', { basic: 'wrong', accept: TAXII })).status).toBe(401);
    });

    it('negotiates the media type: 406 for what it cannot serve, TAXII for taxii+json with or without version (1.6.8, 3.1)', async () => {
      expect((await get('/taxii2/', world.token.owner, 'application/json')).status).toBe(406);
      expect((await get('/taxii2/', world.token.owner, 'application/taxii+json;version=2.0')).status).toBe(406);
      expect((await get('/taxii2/', world.token.owner, 'application/taxii+json')).status).toBe(200);
      expect((await get('/taxii2/', world.token.owner, 'text/html, */*;q=0.1')).status).toBe(200);
      const r406 = await get('/taxii2/', world.token.owner, 'application/xml');
      expect(r406.headers['content-type']).toBe(TAXII);
      expect(r406.body.http_status).toBe('406');
    });

    it('answers 404 as a TAXII error for paths it does not serve (endpoints end in a slash, 3.1)', async () => {
      const res = await get('/taxii2/api/collections');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe(TAXII);
    });
  });

  describe('collections (5.1, 5.2)', () => {
    it('lists one collection per sharing scope the caller sees, ids v4 UUIDs, in a stable order', async () => {
      const a = await get(`${ROOT}collections/`);
      expect(a.body.collections.map((c: { alias: string }) => c.alias)).toEqual(['public', 'community', 'org-owner', `group-${world.groupG}`]);
      for (const c of a.body.collections) {
        expect(c.id).toMatch(V4);
        expect(c).toMatchObject({ can_read: true, can_write: true, media_types: ['application/stix+json;version=2.1'] });
      }
      expect((await get(`${ROOT}collections/`)).body).toEqual(a.body);
      const member = await get(`${ROOT}collections/`, world.token.member);
      expect(member.body.collections.map((c: { alias: string }) => c.alias)).toEqual(['public', 'community', 'org-member', `group-${world.groupG}`]);
      const outsider = await get(`${ROOT}collections/`, world.token.outsider);
      expect(outsider.body.collections.map((c: { alias: string }) => c.alias)).toEqual(['public', 'community', 'org-outsider', `group-${world.groupH}`]);
      const viewer = await get(`${ROOT}collections/`, viewerToken);
      expect(viewer.body.collections.every((c: { can_write: boolean }) => !c.can_write)).toBe(true);
    });

    it('gets one collection; 404 for an unknown one or one the caller cannot see', async () => {
      const res = await get(`${ROOT}collections/${cols.get('community')}/`);
      expect(res.body).toMatchObject({ id: cols.get('community'), title: 'Community', can_read: true });
      expect((await get(`${ROOT}collections/${crypto.randomUUID()}/`)).status).toBe(404);
      expect((await get(`${ROOT}collections/${cols.get('org')}/`, world.token.member)).status).toBe(404);
      expect((await get(`${ROOT}collections/${cols.get('group')}/objects/`, world.token.community)).status).toBe(404);
    });
  });

  describe('objects (5.4), manifest (5.3), object (5.6), versions (5.8)', () => {
    it('serves the community collection oldest first, with X-TAXII-Date-Added-First/Last in microseconds (3.2, 3.3)', async () => {
      const res = await get(`${ROOT}collections/${cols.get('community')}/objects/`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(res.body.objects).toHaveLength(7);
      expect(res.body.more).toBeUndefined();
      const manifest = await get(`${ROOT}collections/${cols.get('community')}/manifest/`);
      const added = manifest.body.objects.map((m: { date_added: string }) => m.date_added);
      expect(added).toEqual([...added].sort());
      for (const a of added) expect(a).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(res.headers['x-taxii-date-added-first']).toBe(added[0]);
      expect(res.headers['x-taxii-date-added-last']).toBe(added[added.length - 1]);
      expect(manifest.body.objects.map((m: { id: string }) => m.id)).toEqual(res.body.objects.map((o: { id: string }) => o.id));
      expect(manifest.body.objects[0]).toMatchObject({ media_type: 'application/stix+json;version=2.1' });
    });

    it('never serves TLP:AMBER+STRICT or TLP:RED, in any collection', async () => {
      for (const id of cols.values()) {
        const res = await get(`${ROOT}collections/${id}/objects/?match[version]=all`);
        for (const o of res.body.objects ?? []) {
          expect(o.object_marking_refs ?? []).not.toContain(TLP_2_MARKING_IDS.red);
          expect(o.object_marking_refs ?? []).not.toContain(TLP_2_MARKING_IDS['amber+strict']);
        }
      }
      const org = await get(`${ROOT}collections/${cols.get('org')}/objects/`);
      expect(org.body.objects.length).toBe(10);
    });

    it('gives the latest version by default; first, all and a given version on request (3.4.1)', async () => {
      const base = `${ROOT}collections/${cols.get('community')}/objects/?match[id]=${versioned.id}`;
      expect((await get(base)).body.objects.map((o: { modified: string }) => o.modified)).toEqual(['2026-03-01T00:00:00.000Z']);
      expect((await get(`${base}&match[version]=first`)).body.objects.map((o: { modified: string }) => o.modified)).toEqual(['2026-01-01T00:00:00.000Z']);
      expect((await get(`${base}&match[version]=all`)).body.objects).toHaveLength(3);
      expect((await get(`${base}&match[version]=first,last`)).body.objects).toHaveLength(2);
      expect((await get(`${base}&match[version]=2026-02-01T00:00:00.000Z`)).body.objects.map((o: { modified: string }) => o.modified)).toEqual(['2026-02-01T00:00:00.000Z']);
      expect((await get(`${base}&match[spec_version]=2.0`)).body).toEqual({});
      expect((await get(`${base}&match[spec_version]=2.1`)).body.objects).toHaveLength(1);
      expect((await get(`${ROOT}collections/${cols.get('community')}/objects/?match[type]=malware`)).body).toEqual({});
      expect((await get(`${ROOT}collections/${cols.get('community')}/objects/?match[type]=indicator,malware`)).body.objects).toHaveLength(7);
    });

    it('filters with added_after strictly after the given time', async () => {
      const manifest = (await get(`${ROOT}collections/${cols.get('community')}/manifest/`)).body.objects;
      const res = await get(`${ROOT}collections/${cols.get('community')}/manifest/?added_after=${manifest[2].date_added}`);
      expect(res.body.objects.map((m: { id: string }) => m.id)).toEqual(manifest.slice(3).map((m: { id: string }) => m.id));
    });

    it('pages with limit, more and next; the same pages with added_after = X-TAXII-Date-Added-Last (3.5)', async () => {
      const url = `${ROOT}collections/${cols.get('community')}/objects/?limit=2`;
      const viaNext: string[] = [];
      let res = await get(url);
      for (;;) {
        viaNext.push(...res.body.objects.map((o: { id: string }) => o.id));
        if (!res.body.more) break;
        expect(res.body.next).toBeTruthy();
        expect(res.body.objects).toHaveLength(2);
        res = await get(`${url}&next=${encodeURIComponent(res.body.next)}`);
      }
      const viaDate: string[] = [];
      res = await get(url);
      for (;;) {
        viaDate.push(...res.body.objects.map((o: { id: string }) => o.id));
        if (!res.body.more) break;
        res = await get(`${url}&added_after=${res.headers['x-taxii-date-added-last']}`);
      }
      expect(viaNext).toHaveLength(7);
      expect(new Set(viaNext).size).toBe(7);
      expect(viaDate).toEqual(viaNext);
    });

    it('gives the same pages as the reference semantics (selectPage) for every filter', async () => {
      const all = (await get(`${ROOT}collections/${cols.get('community')}/manifest/?match[version]=all`)).body.objects as Array<{ id: string; date_added: string; version: string }>;
      const records: CollectionRecord[] = all.map((m, i) => ({
        id: m.id, type: 'indicator', version: m.version, versionMicros: timestampToMicros(m.version)!, specVersion: '2.1', dateAdded: timestampToMicros(m.date_added)!, sequence: i,
      }));
      const queries = ['', 'match[version]=all', 'match[version]=first', 'match[version]=first,last', `match[id]=${versioned.id}&match[version]=all`, `added_after=${all[3]!.date_added}&match[version]=all`, 'limit=3&match[version]=all', 'match[version]=2026-02-01T00:00:00.000Z'];
      for (const query of queries) {
        const expected = selectPage(records, parseTaxiiQuery(new URLSearchParams(query), 'manifest'));
        const res = await get(`${ROOT}collections/${cols.get('community')}/manifest/?${query}`);
        expect((res.body.objects ?? []).map((m: { id: string; version: string }) => `${m.id}@${m.version}`), query).toEqual(expected.records.map((r) => `${r.id}@${r.version}`));
        expect(res.body.more === true, query).toBe(expected.more);
      }
    });

    it('answers 400 for malformed or undefined query parameters (3.4)', async () => {
      const base = `${ROOT}collections/${cols.get('community')}/objects/`;
      for (const q of ['limit=0', 'limit=ten', 'added_after=yesterday', 'match[id]=nope', 'match[version]=newest', 'match[spec_version]=two', 'match[color]=red', 'limit=1&limit=2', 'next=forged']) {
        const res = await get(`${base}?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.headers['content-type']).toBe(TAXII);
        expect(res.body.http_status).toBe('400');
      }
      expect((await get(`${ROOT}collections/${cols.get('community')}/objects/${versioned.id}/?match[type]=indicator`)).status).toBe(400);
    });

    it('re-checks a next token: another caller, other filters, or a caller who lost the collection cannot use it', async () => {
      const url = `${ROOT}collections/${cols.get('group')}/objects/?limit=1`;
      const first = await get(url, world.token.member);
      expect(first.body.more).toBe(true);
      const next = encodeURIComponent(first.body.next);
      expect((await get(`${url}&next=${next}`, world.token.member)).status).toBe(200);
      expect((await get(`${url}&next=${next}`, world.token.owner)).status).toBe(400);
      expect((await get(`${url}&match[type]=indicator&next=${next}`, world.token.member)).status).toBe(400);
      // The member leaves group G: the same token now finds no collection.
      await t.kernel.write(SYSTEM_ACTOR, (w) => saveSharingGroup(w, { id: world.groupG, ownerOrgId: world.org.owner, name: 'G', description: '', memberOrgIds: [] }));
      const member = await world.tokenFor('member', 'analyst');
      expect((await get(`${url}&next=${next}`, member)).status).toBe(404);
      await t.kernel.write(SYSTEM_ACTOR, (w) => saveSharingGroup(w, { id: world.groupG, ownerOrgId: world.org.owner, name: 'G', description: '', memberOrgIds: [world.org.member] }));
    });

    it('gets one object in an envelope; its versions oldest first; 404 for an object not in the collection', async () => {
      const one = await get(`${ROOT}collections/${cols.get('community')}/objects/${versioned.id}/`);
      expect(one.body.objects).toHaveLength(1);
      expect(one.headers['x-taxii-date-added-last']).toBeTruthy();
      const all = await get(`${ROOT}collections/${cols.get('community')}/objects/${versioned.id}/?match[version]=all`);
      expect(all.body.objects).toHaveLength(3);
      const versions = await get(`${ROOT}collections/${cols.get('community')}/objects/${versioned.id}/versions/`);
      expect(versions.body).toEqual({ versions: ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'] });
      expect(versions.headers['x-taxii-date-added-first']).toBeTruthy();
      expect((await get(`${ROOT}collections/${cols.get('community')}/objects/indicator--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
      expect((await get(`${ROOT}collections/${cols.get('public')}/objects/${versioned.id}/versions/`)).status).toBe(404);
    });
  });

  describe('add objects (5.5) and status (4.3)', () => {
    const post = (collection: string, body: string, token = world.token.owner, contentType = TAXII) =>
      raw(api, 'POST', `${ROOT}collections/${collection}/objects/`, { token, body, contentType, accept: TAXII });

    it('answers 202 with a status resource; duplicates are successes, invalid and over-labelled objects failures', async () => {
      const good = indicator('green');
      const red = indicator('red');
      const broken: Record<string, unknown> = { ...indicator('green'), pattern: "[ipv4-addr:value = '1.2.3.4'" };
      const res = await post(cols.get('community')!, JSON.stringify({ objects: [good, good, red, broken] }));
      expect(res.status).toBe(202);
      expect(res.headers['content-type']).toBe(TAXII);
      expect(res.body).toMatchObject({ status: 'complete', total_count: 4, success_count: 2, failure_count: 2, pending_count: 0 });
      expect(res.body.id).toMatch(V4);
      expect(res.body.successes.map((s: { id: string }) => s.id)).toEqual([good.id, good.id]);
      expect(res.body.failures.map((f: { id: string }) => f.id).sort()).toEqual([red.id, broken.id].sort());
      expect(res.body.failures.find((f: { id: string }) => f.id === broken.id).message).toMatch(/pattern/);
      const again = await post(cols.get('community')!, JSON.stringify({ objects: [good] }));
      expect(again.body).toMatchObject({ success_count: 1, failure_count: 0 });
      const status = await get(`${ROOT}status/${res.body.id}/`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ id: res.body.id, status: 'complete', total_count: 4, success_count: 2, failure_count: 2 });
      expect((await get(`${ROOT}status/${res.body.id}/`, world.token.member)).status).toBe(404);
      expect((await get(`${ROOT}collections/${cols.get('community')}/objects/${good.id}/`, world.token.community)).body.objects).toHaveLength(1);
    });

    it('labels unmarked objects for the collection: GREEN in the community, and serves them with that marking', async () => {
      const plain = indicator(null);
      expect((await post(cols.get('community')!, JSON.stringify({ objects: [plain] }))).body.success_count).toBe(1);
      const served = await get(`${ROOT}collections/${cols.get('community')}/objects/${plain.id}/`);
      expect(served.body.objects[0].object_marking_refs).toEqual([TLP_2_MARKING_IDS.green]);
    });

    it('answers 415 for another content type, 403 to a role that may not write, 422 for a body that is not an envelope, 413 past max_content_length', async () => {
      expect((await post(cols.get('community')!, '{"objects":[]}', world.token.owner, 'application/json')).status).toBe(415);
      const viewer = await post(cols.get('community')!, '{"objects":[]}', viewerToken);
      expect(viewer.status).toBe(403);
      expect(viewer.body.http_status).toBe('403');
      const garbage = await post(cols.get('community')!, '{"objects":[{"type":');
      expect(garbage.status).toBe(422);
      const big = await raw(api, 'POST', `${ROOT}collections/${cols.get('community')}/objects/`, {
        token: world.token.owner, body: '{}', contentType: TAXII, accept: TAXII, headers: { 'content-length': String(2 ** 40) },
      });
      expect([413, 400]).toContain(big.status);
    });
  });

  describe('delete (5.7)', () => {
    it('deletes an object of the caller organisation; others may not', async () => {
      const mine = indicator('green');
      await importBundle(api, world.token.owner, bundle([mine]), 'scope=community');
      const url = `${ROOT}collections/${cols.get('community')}/objects/${mine.id}/`;
      expect((await raw(api, 'DELETE', url, { token: world.token.community, accept: TAXII })).status).toBe(403);
      expect((await raw(api, 'DELETE', url, { token: viewerToken, accept: TAXII })).status).toBe(403);
      expect((await raw(api, 'DELETE', url, { token: world.token.owner, accept: TAXII })).status).toBe(200);
      expect((await get(url)).status).toBe(404);
      expect((await get(`${ROOT}collections/${cols.get('community')}/manifest/?match[id]=${mine.id}`)).body).toEqual({});
    });
  });

  describe('paging under concurrent inserts', () => {
    it('delivers every object exactly once while others are being added (over real sockets)', async () => {
      const base = await listen(api.app);
      const collection = cols.get('community')!;
      const http = async (method: string, path: string, body?: string) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${world.token.owner}`, accept: TAXII, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
        return { status: res.status, headers: res.headers, body: (await res.json()) as any };
      };
      const before = (await http('GET', `${ROOT}collections/${collection}/manifest/`)).body.objects.length as number;
      const added: string[] = [];
      let done = false;
      const writer = (async () => {
        for (let i = 0; i < 12; i++) {
          const batch = [indicator('green'), indicator('green')];
          added.push(...batch.map((o) => String(o.id)));
          const res = await http('POST', '/api/v1/stix/bundles?scope=community', JSON.stringify(bundle(batch)));
          expect(res.body.stored).toBe(2);
        }
        done = true;
      })();
      const seen: string[] = [];
      // Paging with next while there is more; when caught up, polling on with added_after = the last date seen.
      let query = `${ROOT}collections/${collection}/objects/?limit=3`;
      let url = query;
      let lastAdded: string | undefined;
      for (let rounds = 0; rounds < 2000; rounds++) {
        const writerFinished = done;
        const res = await http('GET', url);
        expect(res.status).toBe(200);
        seen.push(...(res.body.objects ?? []).map((o: { id: string }) => o.id));
        lastAdded = res.headers.get('x-taxii-date-added-last') ?? lastAdded;
        if (res.body.more) url = `${query}&next=${encodeURIComponent(res.body.next)}`;
        else if (writerFinished) break;
        else url = query = `${ROOT}collections/${collection}/objects/?limit=3${lastAdded ? `&added_after=${lastAdded}` : ''}`;
      }
      await writer;
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(before + added.length);
      for (const id of added) expect(seen).toContain(id);
    });
  });
});
