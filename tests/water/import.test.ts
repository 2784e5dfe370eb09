import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { importTown } from './api-helpers.js';
import { townInp } from './town.js';

describe('importing a water network', () => {
  let t: TestKernel;
  let api: Api;
  let w: World;
  const ids = {} as Record<'tank' | 'plc' | 'clinic' | 'plc2', string>;

  const asset = async (name: string, type: string, attributes: Record<string, unknown>, token = w.token.owner) => {
    const res = await api.call('POST', '/api/v1/assets', token, { name, type, attributes, tlp: 'clear', distribution: { scope: 'public' } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const count = async (table: 'assets' | 'water_networks' | 'water_network_versions' | 'events') =>
    Number((await t.kernel.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_WATER_WORKERS: '1' });
    api = await startApi(t.kernel);
    w = await seedWorld(() => t.kernel);
    // What the utility had before it imported its model: two assets of the network, with their own names.
    ids.tank = await asset('Hilltop tank', 'tank', { scadaTag: 'L_T1', volumeM3: 1000 });
    ids.plc = await asset('Station controller', 'plc', { plcId: 'PLC1', firmware: '4.2' });
    ids.clinic = await asset('Clinic', 'hospital', {}, w.token.listed);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('links existing assets by SCADA tag and PLC id, creates the others, and draws the dependencies', async () => {
    const result = await importTown(api, w.token.owner, { consumers: [{ node: 'J4', assetId: ids.clinic }] });
    expect(result.assets).toEqual({ created: 5, linked: 2, updated: 0, unlinked: 0 });
    expect(result.assetIds['town/water-tank/T1']).toBe(ids.tank);
    expect(result.assetIds['town/plc/PLC1']).toBe(ids.plc);
    expect(result.network.consumers).toEqual([{ node: 'J4', name: 'Clinic', assetId: ids.clinic }]);
    const get = async (id: string) => (await api.call('GET', `/api/v1/assets/${id}`, w.token.owner)).body;
    const tank = await get(ids.tank);
    expect(tank.name).toBe('Hilltop tank');
    expect(tank.attributes).toMatchObject({ volumeM3: 1000, scadaTag: 'L_T1', waterKey: 'town/water-tank/T1', waterElement: 'T1' });
    expect(tank.geometry.type).toBe('Point');
    expect(tank.dependencies).toEqual([{ kind: 'supplies', assetId: ids.clinic }]);
    const plc = await get(ids.plc);
    expect(plc.attributes.firmware).toBe('4.2');
    const pu1 = result.assetIds['town/water-pump/PU1'];
    const plc2 = result.assetIds['town/plc/PLC2'];
    const scada = result.assetIds['town/scada-server/SCADA'];
    expect(plc.dependencies).toEqual(expect.arrayContaining([{ kind: 'controls', assetId: pu1 }, { kind: 'monitors', assetId: pu1 }]));
    expect((await get(plc2)).dependencies).toEqual(expect.arrayContaining([{ kind: 'feeds', assetId: ids.plc }, { kind: 'monitors', assetId: ids.tank }]));
    expect((await get(scada)).dependencies).toEqual(expect.arrayContaining([{ kind: 'controls', assetId: ids.plc }, { kind: 'controls', assetId: plc2 }]));
  });

  it('updates rather than duplicates on re-import, and keeps a dependency someone drew by hand', async () => {
    const before = await count('assets');
    const plc = (await api.call('GET', `/api/v1/assets/${ids.plc}`, w.token.owner)).body;
    const extra = await asset('UPS', 'ups', {});
    await api.call('PATCH', `/api/v1/assets/${extra}`, w.token.owner, { dependencies: [] });
    await api.call('PATCH', `/api/v1/assets/${ids.plc}`, w.token.owner, { dependencies: [...plc.dependencies, { kind: 'located-in', assetId: extra }] });
    const events = await count('events');
    const same = await importTown(api, w.token.owner, { consumers: [{ node: 'J4', assetId: ids.clinic }] });
    expect(same).toMatchObject({ unchanged: true, assets: { created: 0, linked: 0, updated: 0 } });
    expect(await count('events')).toBe(events); // nothing changed, nothing announced
    const next = await importTown(api, w.token.owner, { inp: townInp({ extraJunction: true }), consumers: [{ node: 'J4', assetId: ids.clinic }] });
    expect(next).toMatchObject({ unchanged: false, network: { version: 2 }, assets: { created: 0, linked: 0 } });
    expect(await count('assets')).toBe(before + 1);
    const after = (await api.call('GET', `/api/v1/assets/${ids.plc}`, w.token.owner)).body;
    expect(after.dependencies).toContainEqual({ kind: 'located-in', assetId: extra });
  });

  it('refuses a malformed .inp with its line and section, and stores nothing', async () => {
    const [networks, versions, assets] = [await count('water_networks'), await count('water_network_versions'), await count('assets')];
    const broken = townInp().replace(' P3 J2 J3 600 150 130 0 Open', ' P3 J2 J3 six-hundred 150 130 0 Open');
    const res = await api.call('POST', '/api/v1/water/networks', w.token.owner, { name: 'broken', inp: broken });
    expect(res.status).toBe(422);
    const line = broken.split('\n').findIndex((l) => l.includes('six-hundred')) + 1;
    expect(res.body).toMatchObject({ line, section: 'PIPES' });
    expect(res.body.detail).toContain(`line ${line} [PIPES]`);
    const unknownNode = await api.call('POST', '/api/v1/water/networks', w.token.owner, { name: 'broken', inp: townInp().replace(' P5 J3 J4', ' P5 J3 J9') });
    expect(unknownNode.status).toBe(422);
    expect(unknownNode.body.detail).toMatch(/J9/);
    const badLayout = await api.call('POST', '/api/v1/water/networks', w.token.owner, { name: 'broken', inp: townInp(), layout: { scada: { id: 'S' }, plcs: [{ id: 'P', sensors: ['L_NOPE'], actuators: [] }], links: [] } });
    expect(badLayout.status).toBe(422);
    expect(badLayout.body.problems.join(' ')).toMatch(/L_NOPE/);
    // A consumer asset that does not exist fails inside the transaction: the network is not half-imported.
    const badConsumer = await api.call('POST', '/api/v1/water/networks', w.token.owner, { name: 'other', inp: townInp(), consumers: [{ node: 'J4', assetId: '01a20000-0000-7000-8000-000000000000' }] });
    expect(badConsumer.status).toBe(422);
    expect([await count('water_networks'), await count('water_network_versions'), await count('assets')]).toEqual([networks, versions, assets]);
  });

  it('lets only roles that write records import', async () => {
    const viewer = await w.tokenFor('owner', 'viewer');
    expect((await api.call('POST', '/api/v1/water/networks', viewer, { name: 'x', inp: townInp() })).status).toBe(403);
  });
});
