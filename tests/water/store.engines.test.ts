import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { finished, importTown, pumpOut } from './api-helpers.js';
import { townInp } from './town.js';

for (const engine of engines()) {
  describe(`water models, scenarios, runs and sweeps stored on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let w: World;
    let networkId: string;
    let scenarioId: string;

    beforeAll(async () => {
      t = await openTestKernel(engine, { VIGIL_WATER_WORKERS: '1', VIGIL_WATER_PROGRESS_MS: '0' });
      api = await startApi(t.kernel);
      w = await seedWorld(() => t.kernel);
      // The network goes to the listed organisation; its assets stay with the owner (organisation default).
      const imported = await importTown(api, w.token.owner, { tlp: 'amber', distribution: { scope: 'orgs', orgIds: [w.org.listed] } });
      networkId = imported.network.id;
    });
    afterAll(async () => {
      await api?.close();
      await t?.cleanup();
    });

    it('shows a network only to its audience, and its assets only to theirs', async () => {
      const own = await api.call('GET', `/api/v1/water/networks/${networkId}`, w.token.owner);
      expect(own.body).toMatchObject({ name: 'town', version: 1, stats: { junctions: 4, pumps: 2, tanks: 1, plcs: 2 } });
      // What a scenario form offers: the communication links a spoof may sit on.
      expect(own.body.links).toEqual([
        { from: 'PLC2', to: 'PLC1', signals: ['L_T1'] },
        { from: 'PLC2', to: 'SCADA', signals: ['L_T1'] },
        { from: 'PLC1', to: 'SCADA', signals: ['S_PU1', 'F_PU1'] },
      ]);
      expect((await api.call('GET', `/api/v1/water/networks/${networkId}`, w.token.listed)).status).toBe(200);
      for (const org of ['member', 'community', 'outsider'] as const) {
        expect((await api.call('GET', `/api/v1/water/networks/${networkId}`, w.token[org])).status).toBe(404);
        expect((await api.call('GET', `/api/v1/water/networks/${networkId}/geojson`, w.token[org])).status).toBe(404);
        expect((await api.call('GET', '/api/v1/water/networks', w.token[org])).body.items).toEqual([]);
      }
      const ownMap = (await api.call('GET', `/api/v1/water/networks/${networkId}/geojson`, w.token.owner)).body;
      const listedMap = (await api.call('GET', `/api/v1/water/networks/${networkId}/geojson`, w.token.listed)).body;
      const pump = (m: any) => m.features.find((f: any) => f.id === 'PU1').properties;
      expect(pump(ownMap)).toMatchObject({ kind: 'pump', assetId: expect.any(String) });
      expect(pump(listedMap).assetId).toBeNull();
      expect(ownMap.features).toHaveLength(13);
      // ... and the controls a control-change event names, as the file says them.
      expect(ownMap.controls).toEqual([
        { id: 'C1', link: 'PU1', text: 'LINK PU1 OPEN IF NODE T1 BELOW 2' },
        { id: 'C2', link: 'PU1', text: 'LINK PU1 CLOSED IF NODE T1 ABOVE 5' },
      ]);
    });

    it('adds a version when the same network is imported again with changes, and none when it is the same', async () => {
      const same = await importTown(api, w.token.owner);
      expect(same).toMatchObject({ created: false, unchanged: true, assets: { created: 0, linked: 0 } });
      const changed = await importTown(api, w.token.owner, { inp: townInp({ extraJunction: true }) });
      expect(changed).toMatchObject({ created: false, unchanged: false, network: { version: 2, stats: { junctions: 5 } } });
      const versions = await api.call('GET', `/api/v1/water/networks/${networkId}/versions`, w.token.listed);
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const v1 = await api.call('GET', `/api/v1/water/networks/${networkId}?version=1`, w.token.owner);
      expect(v1.body.stats.junctions).toBe(4);
      const inp = await api.app.inject({ method: 'GET', url: `/api/v1/water/networks/${networkId}/inp?version=1`, headers: { authorization: `Bearer ${w.token.listed}` } });
      expect(inp.body).toBe(townInp());
      const assets = await t.kernel.store.db.selectFrom('assets').select('id').where('owner_org_id', '=', w.org.owner).execute();
      expect(assets).toHaveLength(2 + 1 + 1 + 2 + 1); // pumps, tank, source, PLCs, SCADA: no duplicates
    });

    it('keeps scenarios as shared, versioned records', async () => {
      const created = await api.call('POST', '/api/v1/water/scenarios', w.token.owner, { networkId, definition: pumpOut(), tlp: 'amber', distribution: { scope: 'orgs', orgIds: [w.org.listed] } });
      expect(created.status).toBe(201);
      scenarioId = created.body.id;
      expect(created.body).toMatchObject({ version: 1, networkVersion: 2, definition: { name: 'PU1 out of service', hours: 12 } });
      expect((await api.call('GET', `/api/v1/water/scenarios/${scenarioId}`, w.token.listed)).status).toBe(200);
      for (const org of ['member', 'community', 'outsider'] as const) {
        expect((await api.call('GET', `/api/v1/water/scenarios/${scenarioId}`, w.token[org])).status).toBe(404);
        expect((await api.call('GET', '/api/v1/water/scenarios', w.token[org])).body.items).toEqual([]);
      }
      const revised = await api.call('PUT', `/api/v1/water/scenarios/${scenarioId}`, w.token.owner, { definition: { ...pumpOut(8), name: 'PU1 out, 8 h' }, version: 1 });
      expect(revised.body).toMatchObject({ version: 2, shownVersion: 2, name: 'PU1 out, 8 h' });
      const stale = await api.call('PUT', `/api/v1/water/scenarios/${scenarioId}`, w.token.owner, { definition: pumpOut(), version: 1 });
      expect(stale.status).toBe(409);
      expect((await api.call('PUT', `/api/v1/water/scenarios/${scenarioId}`, w.token.listed, { definition: pumpOut() })).status).toBe(403);
      const first = await api.call('GET', `/api/v1/water/scenarios/${scenarioId}?version=1`, w.token.listed);
      expect(first.body).toMatchObject({ version: 2, shownVersion: 1, definition: { hours: 12 } });
      const versions = await api.call('GET', `/api/v1/water/scenarios/${scenarioId}/versions`, w.token.owner);
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    });

    it('refuses a scenario the network cannot run, with every problem listed (422)', async () => {
      const bad = await api.call('POST', '/api/v1/water/scenarios', w.token.owner, {
        networkId,
        definition: { name: 'bad', hours: 400, events: [{ type: 'pump-failure', pumps: ['NOPE'] }, { type: 'sensor-spoof', signal: 'L_T9', mode: 'constant', value: 1 }] },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['hours', 'events[0].pumps[0]', 'events[1].signal']);
      expect(await t.kernel.store.db.selectFrom('water_scenarios').select('id').where('name', '=', 'bad').execute()).toEqual([]);
    });

    it('runs a scenario version in the background and shows the run to the scenario audience only', async () => {
      const stream = openStream(await listen(api.app), w.token.listed);
      const hidden = openStream(await listen(api.app), w.token.community);
      await Promise.all([stream.opened, hidden.opened]);
      const started = await api.call('POST', `/api/v1/water/scenarios/${scenarioId}/run`, w.token.owner, { version: 1 });
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ status: 'queued', scenarioVersion: 1, networkVersion: 2 });
      const end = await finished(stream, started.body.id);
      expect(end.type).toBe('water-run.completed');
      expect(end.data.summary.criticalConsumers[0].text).toMatch(/Clinic \(J4\) drops below 20 m in/);
      const run = await api.call('GET', `/api/v1/water/runs/${started.body.id}`, w.token.listed);
      expect(run.body).toMatchObject({ status: 'completed', progress: 1, results: { report: true, series: 'stored', reportTimes: 49 } });
      const series = await api.call('GET', `/api/v1/water/runs/${started.body.id}/series?node=T1&points=10`, w.token.listed);
      expect(series.body).toMatchObject({ kind: 'node', type: 'tank', points: 49, returned: 10, units: { level: 'm', pressure: 'm' } });
      expect(series.body.series.level[0]).toBeCloseTo(3, 2);
      for (const path of ['', '/report', '/series?node=T1', '/frames', '/impact']) {
        expect((await api.call('GET', `/api/v1/water/runs/${started.body.id}${path}`, w.token.community)).status).toBe(404);
      }
      expect((await api.call('GET', '/api/v1/water/runs', w.token.community)).body.items).toEqual([]);
      expect((await api.call('GET', `/api/v1/water/runs?scenario=${scenarioId}`, w.token.listed)).body.items).toHaveLength(1);
      // Sharing the scenario with group G shows its runs to the member from then on.
      await api.call('POST', `/api/v1/water/scenarios/${scenarioId}/share`, w.token.owner, { distribution: { scope: 'group', groupId: w.groupG } });
      expect((await api.call('GET', `/api/v1/water/runs/${started.body.id}`, w.token.member)).status).toBe(200);
      expect((await api.call('GET', `/api/v1/water/runs/${started.body.id}`, w.token.listed)).status).toBe(404);
      expect(hidden.events.filter((e) => e.recordKind === 'water-run')).toEqual([]);
      stream.close();
      hidden.close();
    });

    it('ranks a sweep on the worker pool and shares it like any record', async () => {
      const stream = openStream(await listen(api.app), w.token.owner);
      await stream.opened;
      const sweep = await api.call('POST', '/api/v1/water/sweeps', w.token.owner, { networkId, kind: 'pump-off', hours: 12 });
      expect(sweep.status).toBe(202);
      const done = await stream.waitFor((e) => e.recordId === sweep.body.id && ['water-sweep.completed', 'water-sweep.failed'].includes(e.type));
      expect(done.type).toBe('water-sweep.completed');
      const ranking = done.data.result.ranking;
      expect(ranking.map((r: { name: string }) => r.name)).toEqual(['pump PU1 out of service', 'pump PU2 out of service']);
      expect(ranking[0].impactScore).toBeGreaterThan(0);
      expect(ranking[1].impactScore).toBe(0);
      // Each row keeps its events, so the web can simulate it again in full as a scenario of its own.
      expect(ranking[0].events).toEqual([{ type: 'pump-failure', pumps: ['PU1'], cause: 'mechanical' }]);
      expect((await api.call('GET', `/api/v1/water/sweeps/${sweep.body.id}`, w.token.listed)).status).toBe(404);
      stream.close();
    });
  });
}
