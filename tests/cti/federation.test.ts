import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP_2_MARKING_IDS, tlpMarkingId } from '../../src/cti/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createApiToken } from '../../src/organisations/queries.js';
import { type Api, listen } from '../helpers/http.js';
import { openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { TAXII, importBundle, raw, startCtiApi } from './api.js';

/**
 * Two Vigil instances (city A and city B) exchange intelligence through each other's TAXII collections. What
 * arrives keeps its label and is never shared further than the label allows; TLP:AMBER+STRICT and TLP:RED
 * never leave an instance.
 */
let n = 0;
const indicator = (tlp: keyof typeof TLP_2_MARKING_IDS | null, name: string) => {
  n++;
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--0c0ffee0-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, created: '2026-05-01T00:00:00.000Z',
    modified: '2026-05-01T00:00:00.000Z', name, pattern: `[domain-name:value = 'evil-${n}.example']`, pattern_type: 'stix', valid_from: '2026-05-01T00:00:00Z',
    ...(tlp ? { object_marking_refs: [tlpMarkingId(tlp)] } : {}),
  };
};
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });

interface City {
  t: TestKernel;
  api: Api;
  world: World;
  base: string;
}

async function city(): Promise<City> {
  const t = await openTestKernel('sqlite');
  const api = await startCtiApi(t.kernel);
  const world = await seedWorld(t.kernel);
  return { t, api, world, base: await listen(api.app) };
}

describe('federation of two Vigil instances over TAXII 2.1', () => {
  let a: City;
  let b: City;
  /** City B's account on city A: the `listed` organisation of A stands for city B there. */
  let bOnA: string;
  const clear = indicator('clear', 'public');
  const green = indicator('green', 'community');
  const amber = indicator('amber', 'for city B by name');
  const unmarked = indicator(null, 'unmarked, AMBER on A');
  const strict = indicator('amber+strict', 'strict');
  const red = indicator('red', 'red for city B by name');

  beforeAll(async () => {
    [a, b] = await Promise.all([city(), city()]);
    bOnA = await a.t.kernel.write(SYSTEM_ACTOR, async (w) => (await createApiToken(w, { orgId: a.world.org.listed, name: 'city B', role: 'analyst', expiresAt: null })).token);
    const owner = a.world.token.owner;
    expect((await importBundle(a.api, owner, bundle([clear]), 'scope=public')).body.stored).toBe(1);
    expect((await importBundle(a.api, owner, bundle([green]), 'scope=community')).body.stored).toBe(1);
    // AMBER and RED to city B's organisation by name; AMBER+STRICT kept to the owner.
    expect((await importBundle(a.api, owner, bundle([amber, red]), `scope=orgs&orgs=${a.world.org.listed}`)).body.stored).toBe(2);
    expect((await importBundle(a.api, owner, bundle([unmarked]), `tlp=amber&scope=orgs&orgs=${a.world.org.listed}`)).body.stored).toBe(1);
    expect((await importBundle(a.api, owner, bundle([strict]), 'scope=owner')).body.stored).toBe(1);
  });
  afterAll(async () => {
    await Promise.all([a?.api.close(), b?.api.close()]);
    await Promise.all([a?.t.cleanup(), b?.t.cleanup()]);
  });

  async function collections(c: City, token: string): Promise<Map<string, string>> {
    const res = await raw(c.api, 'GET', '/taxii2/api/collections/', { token, accept: TAXII });
    return new Map(res.body.collections.map((x: { alias: string; id: string }) => [x.alias.split('-')[0], x.id]));
  }

  async function addFeed(c: City, token: string, body: Record<string, unknown>): Promise<string> {
    const res = await c.api.call('POST', '/api/v1/cti/feeds', token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  it('city B pulls what city A shares with it; labels travel; AMBER+STRICT and RED stay in city A', async () => {
    const onA = await collections(a, bOnA);
    const feeds = [
      await addFeed(b, b.world.token.owner, { kind: 'taxii', url: `${a.base}/taxii2/`, collectionId: onA.get('org'), secret: bOnA, tlp: 'green', distribution: { scope: 'community' } }),
      await addFeed(b, b.world.token.owner, { kind: 'taxii', url: `${a.base}/taxii2/api/`, collectionId: onA.get('community'), username: 'city-b', secret: bOnA, distribution: { scope: 'community' } }),
      await addFeed(b, b.world.token.owner, { kind: 'taxii', url: `${a.base}/taxii2/api/`, collectionId: onA.get('public'), username: 'city-b', secret: bOnA, distribution: { scope: 'public' } }),
    ];
    for (const id of feeds) {
      const pulled = await b.api.call('POST', `/api/v1/cti/feeds/${id}/pull`, b.world.token.owner);
      expect(pulled.status).toBe(200);
      expect(pulled.body.outcome.error, JSON.stringify(pulled.body.outcome)).toBeUndefined();
      expect(pulled.body.outcome.caughtUp).toBe(true);
      expect(pulled.body.feed.lastSuccessAt).toBeTruthy();
    }
    const held = await b.api.call('GET', '/api/v1/stix/objects?type=indicator&limit=100', b.world.token.owner);
    const byId = new Map(held.body.items.map((i: { stixId: string }) => [i.stixId, i]));
    expect([...byId.keys()].sort()).toEqual([clear.id, green.id, amber.id, unmarked.id].sort());
    expect(byId.get(clear.id)).toMatchObject({ tlp: 'clear', distribution: { scope: 'public' } });
    expect(byId.get(green.id)).toMatchObject({ tlp: 'green', distribution: { scope: 'community' } });
    // AMBER came in labelled AMBER (the unmarked one with the marking city A added): the community distribution
    // the feed asked for is narrowed to the owner organisation.
    expect(byId.get(amber.id)).toMatchObject({ tlp: 'amber', distribution: { scope: 'owner' } });
    expect(byId.get(unmarked.id)).toMatchObject({ tlp: 'amber', distribution: { scope: 'owner' } });
    expect((byId.get(unmarked.id) as { object: { object_marking_refs: string[] } }).object.object_marking_refs).toEqual([TLP_2_MARKING_IDS.amber]);
  });

  it('what city B received is shared no further than its label: AMBER is not in B’s community collection', async () => {
    const onB = await collections(b, b.world.token.community);
    const community = await raw(b.api, 'GET', `/taxii2/api/collections/${onB.get('community')}/objects/`, { token: b.world.token.community, accept: TAXII });
    expect(community.body.objects.map((o: { id: string }) => o.id)).toEqual([green.id]);
    const seenByOther = await b.api.call('GET', '/api/v1/stix/objects?type=indicator', b.world.token.community);
    expect(seenByOther.body.items.map((i: { stixId: string }) => i.stixId).sort()).toEqual([clear.id, green.id].sort());
  });

  it('the exchange goes both ways, and a second pull brings only what is new', async () => {
    const fromB = indicator('green', 'seen in city B');
    expect((await importBundle(b.api, b.world.token.owner, bundle([fromB]), 'scope=community')).body.stored).toBe(1);
    const aOnB = await b.t.kernel.write(SYSTEM_ACTOR, async (w) => (await createApiToken(w, { orgId: b.world.org.community, name: 'city A', role: 'viewer', expiresAt: null })).token);
    const onB = await collections(b, aOnB);
    const feed = await addFeed(a, a.world.token.owner, { kind: 'taxii', url: `${b.base}/taxii2/`, collectionId: onB.get('community'), secret: aOnB, distribution: { scope: 'owner' } });
    const first = await a.api.call('POST', `/api/v1/cti/feeds/${feed}/pull`, a.world.token.owner);
    // B's community collection holds B's own indicator and the GREEN one it got from A.
    expect(first.body.outcome).toMatchObject({ objects: 2, stored: 1, duplicates: 1, caughtUp: true });
    const again = await a.api.call('POST', `/api/v1/cti/feeds/${feed}/pull`, a.world.token.owner);
    expect(again.body.outcome).toMatchObject({ objects: 0, stored: 0, caughtUp: true });
    const newer = indicator('green', 'newer in city B');
    await importBundle(b.api, b.world.token.owner, bundle([newer]), 'scope=community');
    const third = await a.api.call('POST', `/api/v1/cti/feeds/${feed}/pull`, a.world.token.owner);
    expect(third.body.outcome).toMatchObject({ objects: 1, stored: 1 });
    const held = await a.api.call('GET', `/api/v1/stix/objects?id=${fromB.id},${newer.id}`, a.world.token.owner);
    expect(held.body.items).toHaveLength(2);
  });
});
