import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROADS_FILE, demoLogins, loadDemoCity } from '../../src/demo/load.js';
import { openSession } from '../../src/kernel/auth/index.js';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';

describe('the demo city', () => {
  let t: TestKernel;
  let api: Api;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_DEMO: '1' });
    expect(await loadDemoCity(t.kernel)).toBe(true);
    api = await startApi(t.kernel);
    const users = await t.kernel.store.db.selectFrom('users').select(['id', 'email']).execute();
    for (const u of users) tokens.set(u.email, (await openSession(t.kernel.store.db, u.id, Date.now(), 3600)).token);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('has the seven organisations with an admin and an analyst each', async () => {
    const orgs = await api.call('GET', '/api/v1/organisations', tokens.get('analyst@water.demo'));
    expect(orgs.body.items.map((o: { slug: string }) => o.slug).sort()).toEqual(['cert', 'energy', 'fire', 'hospital', 'police', 'transit', 'water']);
    expect(demoLogins()).toHaveLength(14);
    for (const l of demoLogins()) expect(tokens.has(l.email)).toBe(true);
  });

  it('signs in with the documented password', async () => {
    const res = await api.call('POST', '/api/v1/auth/login', null, { email: 'analyst@police.demo', password: 'vigil-demo' });
    expect(res.status).toBe(200);
  });

  it('places every asset on a real street of the Monaco road network', async () => {
    const roads = JSON.parse(fs.readFileSync(DEMO_ROADS_FILE, 'utf8')) as { features: Array<{ properties: { name?: string }; geometry: { coordinates: number[][] } }> };
    const all = await t.kernel.store.db.selectFrom('assets').select(['name', 'geometry', 'attributes']).execute();
    expect(all.length).toBeGreaterThanOrEqual(20);
    // The water network's assets stand where the placed network puts them (tests/water/demo.test.ts).
    const assets = all.filter((a) => JSON.parse(a.attributes).waterKey === undefined);
    expect(assets.length).toBeGreaterThanOrEqual(9);
    for (const a of assets) {
      const point = JSON.parse(a.geometry!).coordinates as number[];
      const street = JSON.parse(a.attributes).street as string;
      const onStreet = roads.features.some((f) => f.properties.name === street && f.geometry.coordinates.some((c) => c[0] === point[0] && c[1] === point[1]));
      expect(onStreet, `${a.name} on ${street}`).toBe(true);
    }
  });

  it('shows the sharing at work: each organisation sees what it was given', async () => {
    const titles = async (email: string) => (await api.call('GET', '/api/v1/incidents', tokens.get(email))).body.items.map((i: { title: string }) => i.title);
    expect(await titles('analyst@police.demo')).toEqual(expect.arrayContaining(['Suspicious device at Place du Casino', 'Suspected manipulation of tank T1 level readings']));
    expect(await titles('analyst@fire.demo')).toContain('Suspicious device at Place du Casino');
    expect(await titles('analyst@energy.demo')).not.toContain('Suspicious device at Place du Casino');
    expect(await titles('analyst@energy.demo')).not.toContain('Suspected manipulation of tank T1 level readings');
    // The police see the shared incident but not its AMBER+STRICT SCADA login alert.
    const incidents = (await api.call('GET', '/api/v1/incidents', tokens.get('analyst@police.demo'))).body.items;
    const t1 = incidents.find((i: { title: string }) => i.title.startsWith('Suspected manipulation'));
    const waterView = (await api.call('GET', `/api/v1/incidents/${t1.id}`, tokens.get('analyst@water.demo'))).body;
    expect(waterView.alertIds).toHaveLength(2);
    expect(t1.alertIds).toHaveLength(1);
    const labels = new Set((await api.call('GET', '/api/v1/alerts', tokens.get('analyst@water.demo'))).body.items.map((a: { tlp: string }) => a.tlp));
    expect(labels.size).toBeGreaterThanOrEqual(4);
  });

  it('loads only into an empty database', async () => {
    expect(await loadDemoCity(t.kernel)).toBe(false);
  });
});
