import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCity } from '../../src/demo/load.js';
import { openSession } from '../../src/kernel/auth/index.js';
import { type Api, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { finished } from './api-helpers.js';

describe("the demo city's water utility: C-Town on Monaco", () => {
  let t: TestKernel;
  let api: Api;
  const token = {} as Record<'water' | 'police' | 'hospital', string>;

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_DEMO: '1', VIGIL_WATER_WORKERS: '1' });
    await loadDemoCity(t.kernel);
    api = await startApi(t.kernel);
    for (const u of await t.kernel.store.db.selectFrom('users').select(['id', 'email']).where('email', 'like', 'analyst@%').execute()) {
      (token as Record<string, string>)[u.email.split('@')[1]!.split('.')[0]!] = (await openSession(t.kernel.store.db, u.id, Date.now(), 3600)).token;
    }
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('is one consistent set of assets: the hand-made ones linked, the rest created, all placed by the network', async () => {
    const networks = (await api.call('GET', '/api/v1/water/networks', token.police)).body.items;
    expect(networks).toHaveLength(1);
    const ctown = networks[0];
    expect(ctown).toMatchObject({ name: 'ctown', tlp: 'green', stats: { junctions: 388, pumps: 11, tanks: 7, plcs: 9 } });
    const assets = await t.kernel.store.db.selectFrom('assets').select(['id', 'name', 'attributes', 'geometry', 'tlp']).execute();
    const tagged = (tag: string) => assets.filter((a) => JSON.parse(a.attributes).scadaTag === tag);
    expect(tagged('L_T1').map((a) => a.name)).toEqual(['Tank T1 Moneghetti']);
    expect(assets.filter((a) => JSON.parse(a.attributes).plcId === 'PLC2').map((a) => [a.name, a.tlp])).toEqual([['PLC2 tank T1', 'amber']]);
    expect(assets.filter((a) => JSON.parse(a.attributes).waterKey)).toHaveLength(33);
    const map = (await api.call('GET', `/api/v1/water/networks/${ctown.id}/geojson`, token.water)).body;
    const t1 = map.features.find((f: { id: string }) => f.id === 'T1');
    expect(JSON.parse(tagged('L_T1')[0]!.geometry!).coordinates).toEqual(t1.geometry.coordinates);
    expect(t1.properties.assetId).toBe(tagged('L_T1')[0]!.id);
  });

  it('has the hospital as critical consumer at its junction, and the links other operators drew', async () => {
    const ctown = (await api.call('GET', '/api/v1/water/networks', token.hospital)).body.items[0];
    const hospital = (await api.call('GET', '/api/v1/assets?type=hospital', token.hospital)).body.items[0];
    expect(ctown.consumers).toEqual([{ node: expect.stringMatching(/^J\d+$/), name: 'Princess Grace Hospital', assetId: hospital.id }]);
    const links = await t.kernel.store.db
      .selectFrom('asset_links')
      .innerJoin('assets as f', 'f.id', 'asset_links.from_asset_id')
      .innerJoin('assets as to', 'to.id', 'asset_links.to_asset_id')
      .select(['f.name as from', 'asset_links.kind', 'to.name as to'])
      .execute();
    const says = links.map((l) => `${l.from} ${l.kind} ${l.to}`);
    expect(says).toEqual(expect.arrayContaining(['Substation Fontvieille feeds Pump PU10', 'Substation Fontvieille feeds Pump PU11', 'Larvotto water treatment plant feeds Source R1', 'PLC2 tank T1 monitors Tank T1 Moneghetti', 'Water SCADA server controls PLC2 tank T1']));
    expect(says.filter((s) => s.endsWith('supplies Princess Grace Hospital'))).toHaveLength(1);
  });

  it('has a ready scenario for the critical infrastructure group, and drafts one from the T1 incident that reaches the hospital', async () => {
    const ready = (await api.call('GET', '/api/v1/water/scenarios', token.hospital)).body.items;
    expect(ready.map((s: { name: string }) => s.name)).toEqual(['T1 level spoofed to PLC1, then PU10/PU11 lose power']);
    expect((await api.call('GET', '/api/v1/water/scenarios', token.police)).body.items).toEqual([]);
    const incident = (await api.call('GET', '/api/v1/incidents?q=tank%20T1', token.water)).body.items[0];
    const draft = await api.call('POST', '/api/v1/water/scenarios/from-incident', token.water, { incidentId: incident.id, hours: 24 });
    expect(draft.status).toBe(201);
    expect(draft.body.definition.events).toEqual([expect.objectContaining({ type: 'sensor-spoof', signal: 'L_T1' })]);
    const stream = openStream(await listen(api.app), token.water);
    await stream.opened;
    const run = await api.call('POST', `/api/v1/water/scenarios/${draft.body.id}/run`, token.water);
    const end = await finished(stream, run.body.id);
    expect(end.type).toBe('water-run.completed');
    expect(end.data.summary.tanksEmptied).toContain('T1');
    expect(end.data.summary.criticalConsumers[0]).toMatchObject({ name: 'Princess Grace Hospital', timeToImpact: expect.any(Number) });
    stream.close();
  });
});
