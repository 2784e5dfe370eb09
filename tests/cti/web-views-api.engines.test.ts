import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlpMarkingId } from '../../src/cti/index.js';
import { type Api } from '../helpers/http.js';
import { engines, openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { importBundle, startCtiApi } from './api.js';

/**
 * What the web application's threat-intelligence pages read besides the lists: one indicator's sightings with
 * the alerts they raised and what matched; the TAXII collections with their object counts; how each indicator
 * came in; and the import report's list of what was accepted. Who sees what is checked as a matrix.
 */
type Json = Record<string, any>;
const ind = (n: number, pattern: string, tlp: 'green' | 'amber' | 'red', labels: string[] = []) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--cd000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, created: '2026-06-01T00:00:00.000Z',
  modified: '2026-06-01T00:00:00.000Z', name: `ioc ${n}`, pattern, pattern_type: 'stix', valid_from: '2026-06-01T00:00:00Z', ...(labels.length ? { labels } : {}), object_marking_refs: [tlpMarkingId(tlp)],
});
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });

describe.each(engines())('the threat-intelligence views the web application reads (%s)', (engine) => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  const ip = ind(1, "[ipv4-addr:value = '203.0.113.77']", 'green', ['c2']);
  const amber = ind(2, "[domain-name:value = 'amber.example']", 'amber');
  const red = ind(3, "[domain-name:value = 'red.example']", 'red');
  let imported: Json;

  beforeAll(async () => {
    t = await openTestKernel(engine);
    api = await startCtiApi(t.kernel);
    world = await seedWorld(t.kernel);
    imported = (await importBundle(api, world.token.owner, bundle([ip]), 'scope=community')).body;
    const a = (await importBundle(api, world.token.owner, bundle([amber]), `scope=group&group=${world.groupG}`)).body;
    expect(a.stored, JSON.stringify(a)).toBe(1);
    expect((await importBundle(api, world.token.owner, bundle([red]), 'scope=owner')).body.stored).toBe(1);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('the import report names what was accepted, and a re-import names the duplicate too', async () => {
    expect(imported).toMatchObject({ status: 'complete', stored: 1, accepted: [{ id: ip.id, version: '2026-06-01T00:00:00.000Z' }] });
    const again = (await importBundle(api, world.token.owner, bundle([ip]), 'scope=community')).body;
    expect(again).toMatchObject({ stored: 0, duplicates: 1, accepted: [{ id: ip.id }] });
    const rejected = await importBundle(api, world.token.owner, bundle([ip, { ...amber, id: 'indicator--nope' }]));
    expect(rejected.status).toBe(422);
    // RFC 9457: the problem's `status` is the HTTP code, whatever the import report carries.
    expect(rejected.body.status).toBe(422);
    expect(rejected.body.accepted).toEqual([]);
    expect(rejected.body.report.objects[0]).toMatchObject({ index: 1, valid: false, reasons: [expect.objectContaining({ code: 'schema', path: '$.objects[1].id' })] });
  });

  it('each indicator says how it came in and carries its labels', async () => {
    const items = (await api.call('GET', '/api/v1/cti/indicators', world.token.community)).body.items as Json[];
    expect(items.find((i) => i.stixId === ip.id)).toMatchObject({ labels: ['c2'], source: { kind: 'api' }, tlp: 'green' });
  });

  it("one indicator's sightings: the count and each alert with what matched, only for the organisation that saw it", async () => {
    const none = (await api.call('GET', `/api/v1/cti/indicators/${ip.id}/sightings`, world.token.community)).body;
    expect(none).toEqual({ indicatorId: ip.id, count: 0, firstSeen: null, lastSeen: null, sightingId: null, alerts: [] });
    const posted = await api.call('POST', '/api/v1/security-events', world.token.community, [
      { '@timestamp': '2026-11-20T10:00:00Z', 'source.ip': '203.0.113.77' },
      { '@timestamp': '2026-11-20T10:01:00Z', 'destination.ip': '203.0.113.77' },
    ]);
    expect(posted.body.matched).toBe(2);
    const seen = (await api.call('GET', `/api/v1/cti/indicators/${ip.id}/sightings`, world.token.community)).body;
    expect(seen).toMatchObject({ count: 2, firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:01:00.000Z', sightingId: expect.stringMatching(/^sighting--/) });
    // Repeats of one value fold into one alert; its evidence says which field held it (the latest match).
    expect(seen.alerts).toHaveLength(1);
    expect(seen.alerts[0]).toMatchObject({ alertId: posted.body.alertIds[0], count: 2, status: 'new', origin: 'security-event', matched: [{ field: 'destination.ip', value: '203.0.113.77', stixType: 'ipv4-addr' }] });
    // The owner of the indicator does not learn of another organisation's sighting.
    for (const org of ['owner', 'member', 'outsider'] as const) {
      expect((await api.call('GET', `/api/v1/cti/indicators/${ip.id}/sightings`, world.token[org])).body).toMatchObject({ count: 0, alerts: [] });
    }
    expect((await api.call('GET', '/api/v1/cti/indicators/not-an-id/sightings', world.token.community)).status).toBe(400);
  });

  it('lists the TAXII collections with what each holds for the caller; RED is never counted', async () => {
    const counts = async (org: keyof World['token']) => {
      const body = (await api.call('GET', '/api/v1/cti/collections', world.token[org])).body;
      expect(body).toMatchObject({ discovery: '/taxii2/', apiRoot: '/taxii2/api/' });
      return Object.fromEntries((body.collections as Json[]).map((c) => [c.kind === 'group' ? `group:${c.title}` : c.kind, c.objects]));
    };
    const owner = await counts('owner');
    // ip (community), amber (group G), red (the owner only: in no collection).
    expect(owner).toMatchObject({ public: 0, community: 1, org: 2 });
    expect(Object.entries(owner).filter(([k]) => k.startsWith('group:')).map(([, n]) => n)).toEqual([1]);
    expect(await counts('member')).toMatchObject({ community: 1, org: 0 });
    expect((Object.values(await counts('outsider')) as number[]).reduce((a, b) => a + b, 0)).toBe(1);
    // The same ids the TAXII server gives.
    const list = (await api.call('GET', '/api/v1/cti/collections', world.token.owner)).body.collections as Json[];
    const taxii = await api.app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers: { authorization: `Bearer ${world.token.owner}`, accept: 'application/taxii+json;version=2.1' } });
    expect(list.map((c) => c.id).sort()).toEqual((JSON.parse(taxii.body).collections as Json[]).map((c) => c.id).sort());
    expect(list[0]).toMatchObject({ canRead: true, canWrite: true, url: `/taxii2/api/collections/${list[0]!.id}/` });
    expect(list[0]).not.toHaveProperty('refId');
  });

  it('both views are in the OpenAPI document', async () => {
    const paths = Object.keys((await api.call('GET', '/api/v1/openapi.json', null)).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/cti/indicators/{stixId}/sightings', '/api/v1/cti/collections']));
  });
});
