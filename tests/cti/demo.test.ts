import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCity } from '../../src/demo/load.js';
import { openSession } from '../../src/kernel/auth/index.js';
import { type Api } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { INCIDENT_CORE_EXTENSION_ID, validateObjects } from '../../src/cti/index.js';
import { TAXII, raw, startCtiApi } from './api.js';

/** The demo city's threat intelligence: the CERT's indicators, matched against the SCADA login from the start. */
describe('the demo city’s threat intelligence', () => {
  let t: TestKernel;
  let api: Api;
  const token = async (email: string) => {
    const user = await t.kernel.store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return (await openSession(t.kernel.store.db, user.id, Date.now(), 3600)).token;
  };

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_DEMO: '1' });
    expect(await loadDemoCity(t.kernel)).toBe(true);
    api = await startCtiApi(t.kernel);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('the water utility sees both indicators, a sighting of the VPS address and the alert it raised', async () => {
    const water = await token('analyst@water.demo');
    const indicators = (await api.call('GET', '/api/v1/cti/indicators', water)).body.items as Array<{ name: string; sightings: { count: number; alertId?: string } }>;
    expect(indicators.map((i) => i.name).sort()).toEqual(['Phishing sender domain: fake PLC vendor support', 'VPS address used by the phishing campaign']);
    const vps = indicators.find((i) => i.name.startsWith('VPS'))!;
    expect(vps.sightings.count).toBe(1);
    const alert = await api.call('GET', `/api/v1/alerts/${vps.sightings.alertId}`, water);
    expect(alert.body).toMatchObject({ source: 'cti:indicator-match', category: 'cyber', evidence: { matched: [{ field: 'sourceIp', value: '203.0.113.45' }] } });
  });

  it('the police (not a critical-infrastructure operator) see the community indicator only; TAXII serves it', async () => {
    const police = await token('analyst@police.demo');
    const names = (await api.call('GET', '/api/v1/cti/indicators', police)).body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual(['Phishing sender domain: fake PLC vendor support']);
    const collections = (await raw(api, 'GET', '/taxii2/api/collections/', { token: police, accept: TAXII })).body.collections as Array<{ alias: string; id: string }>;
    const community = collections.find((c) => c.alias === 'community')!;
    const objects = await raw(api, 'GET', `/taxii2/api/collections/${community.id}/objects/`, { token: police, accept: TAXII });
    expect(objects.body.objects.map((o: { name: string }) => o.name)).toContain('Phishing sender domain: fake PLC vendor support');
  });

  it('exports the T1 incident as STIX as each organisation sees it, and publishes it over TAXII to those it is shared with', async () => {
    const water = await token('analyst@water.demo');
    const police = await token('analyst@police.demo');
    const incidents = (await api.call('GET', '/api/v1/incidents', water)).body.items as Array<{ id: string; title: string }>;
    const t1 = incidents.find((i) => i.title.startsWith('Suspected manipulation'))!;
    const bundleOf = async (t: string) => JSON.parse((await raw(api, 'GET', `/api/v1/incidents/${t1.id}/stix`, { token: t })).text) as { objects: Array<Record<string, any>> };
    const seenByWater = await bundleOf(water);
    expect(validateObjects(seenByWater.objects).filter((r) => !r.valid)).toEqual([]);
    const top = seenByWater.objects.find((o) => o.type === 'incident' && o.x_vigil_record === 'incident')!;
    expect(top.extensions[INCIDENT_CORE_EXTENSION_ID]).toMatchObject({ determination: 'successful-attempt', investigation_status: 'open' });
    expect(seenByWater.objects.filter((o) => o.relationship_type === 'derived-from')).toHaveLength(2);
    // The police do not see the AMBER+STRICT SCADA login alert: it is not in their export.
    expect((await bundleOf(police)).objects.filter((o) => o.relationship_type === 'derived-from')).toHaveLength(1);
    expect((await api.call('POST', '/api/v1/stix/publish', police, { incidentId: t1.id })).status).toBe(403);
    const published = await api.call('POST', '/api/v1/stix/publish', water, { incidentId: t1.id });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const collections = (await raw(api, 'GET', '/taxii2/api/collections/', { token: police, accept: TAXII })).body.collections as Array<{ alias: string; id: string }>;
    const own = collections.find((c) => c.alias === 'org-police')!;
    const served = await raw(api, 'GET', `/taxii2/api/collections/${own.id}/objects/?match[id]=${top.id}`, { token: police, accept: TAXII });
    expect(served.body.objects).toHaveLength(1);
    // Nothing the police receive names the SCADA login alert they may not see.
    const all = await raw(api, 'GET', `/taxii2/api/collections/${own.id}/objects/`, { token: police, accept: TAXII });
    const hidden = seenByWater.objects.find((o) => o.type === 'incident' && o.x_vigil_record === 'alert' && o.name.startsWith('SCADA engineering login'))!;
    expect(JSON.stringify(all.body)).not.toContain(hidden.id);
  });
});
