import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCode } from '../../src/water/index.js';
import { type Api, type SseClient, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { tinyNetworkText } from './helpers.js';
import { finished, importTown, pumpOut } from './api-helpers.js';

describe('a run through the API', () => {
  let t: TestKernel;
  let api: Api;
  let w: World;
  let stream: SseClient;
  let networkId: string;
  let scenarioId: string;
  const ids = {} as Record<'tank' | 'plc' | 'clinic' | 'plc2', string>;

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_WATER_WORKERS: '1', VIGIL_WATER_PROGRESS_MS: '0', VIGIL_WATER_KEEP_SERIES: '1' });
    api = await startApi(t.kernel);
    w = await seedWorld(() => t.kernel);
    const imported = await importTown(api, w.token.owner, { tlp: 'green', distribution: { scope: 'community' } });
    networkId = imported.network.id;
    ids.tank = imported.assetIds['town/water-tank/T1'];
    ids.plc2 = imported.assetIds['town/plc/PLC2'];
    scenarioId = (await api.call('POST', '/api/v1/water/scenarios', w.token.owner, { networkId, definition: pumpOut(24), tlp: 'green', distribution: { scope: 'community' } })).body.id;
    stream = openStream(await listen(api.app), w.token.community);
    await stream.opened;
  });
  afterAll(async () => {
    stream?.close();
    await api?.close();
    await t?.cleanup();
  });

  let firstRun: string;

  it('answers 202 at once, then reports progress and the outcome on the live stream', async () => {
    const res = await api.call('POST', `/api/v1/water/scenarios/${scenarioId}/run`, w.token.owner);
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/water/runs/${res.body.id}`);
    firstRun = res.body.id;
    const end = await finished(stream, firstRun);
    const mine = stream.events.filter((e) => e.recordId === firstRun);
    expect(mine.map((e) => e.type).filter((x, i, a) => a.indexOf(x) === i)).toEqual(['water-run.queued', 'water-run.started', 'water-run.progress', 'water-run.completed']);
    const progress = mine.filter((e) => e.type === 'water-run.progress').map((e) => e.data.progress);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(end.data).toMatchObject({ status: 'completed', progress: 1, failure: null });
    expect(end.data.summary).toMatchObject({ scenarioName: 'PU1 out of service', tanksEmptied: ['T1'], criticalConsumers: [{ node: 'J4', timeToImpact: expect.any(Number) }] });
  });

  it('serves the report, the impact per junction, decimated series and animation frames', async () => {
    const report = await api.call('GET', `/api/v1/water/runs/${firstRun}/report`, w.token.community);
    expect(report.body).toMatchObject({ status: 'completed', scenario: { hours: 24 }, tanks: [{ tank: 'T1', emptiedAt: expect.any(Number) }] });
    const impact = (await api.call('GET', `/api/v1/water/runs/${firstRun}/impact`, w.token.community)).body;
    expect(impact.junctions.map((j: { node: string }) => j.node).sort()).toEqual(['J2', 'J3', 'J4']);
    expect(impact.timeline.times).toHaveLength(97);
    const pump = (await api.call('GET', `/api/v1/water/runs/${firstRun}/series?link=PU1`, w.token.community)).body;
    expect(pump).toMatchObject({ kind: 'link', type: 'pump', points: 97, returned: 97, units: { flow: 'LPS', status: '1 open, 0 closed' } });
    expect(pump.series.status.every((s: number) => s === 0)).toBe(true);
    expect((await api.call('GET', `/api/v1/water/runs/${firstRun}/series?node=J4&points=12`, w.token.community)).body.times).toHaveLength(12);
    expect((await api.call('GET', `/api/v1/water/runs/${firstRun}/series?node=NOPE`, w.token.community)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/water/runs/${firstRun}/series`, w.token.community)).status).toBe(400);
    const frames = (await api.call('GET', `/api/v1/water/runs/${firstRun}/frames?from=0&to=96&every=48`, w.token.community)).body;
    expect(frames).toMatchObject({ encoding: 'base64', steps: [0, 48, 96], times: [0, 43200, 86400], nodeTypes: { junctions: 4, reservoirs: 1, tanks: 1 } });
    const decode = (k: number) => [...Buffer.from(frames.frames[k], 'base64')].map(describeCode);
    const j4 = frames.nodes.indexOf('J4');
    const t1 = frames.nodes.indexOf('T1');
    expect(decode(0)[j4]).toMatchObject({ pressure: 3, service: 3, affected: false });
    expect(decode(2)[j4]).toMatchObject({ pressure: 1, service: 1, affected: true });
    expect(decode(2)[t1]!.pressure).toBe(1); // the tank is empty
  });

  it('keeps series for the newest runs of a scenario only', async () => {
    const second = await api.call('POST', `/api/v1/water/scenarios/${scenarioId}/run`, w.token.owner);
    await finished(stream, second.body.id);
    expect((await api.call('GET', `/api/v1/water/runs/${firstRun}`, w.token.owner)).body.results).toMatchObject({ report: true, series: 'purged', seriesBytes: 0 });
    const gone = await api.call('GET', `/api/v1/water/runs/${firstRun}/frames`, w.token.owner);
    expect(gone.status).toBe(409);
    expect(gone.body.detail).toMatch(/run the scenario again/);
    expect((await api.call('GET', `/api/v1/water/runs/${firstRun}/report`, w.token.owner)).status).toBe(200);
  });

  it('cancels a run: the worker stops between two time steps, the run says so, nothing crashes', async () => {
    const long = await api.call('POST', '/api/v1/water/scenarios', w.token.owner, { networkId, definition: { ...pumpOut(336), name: 'two weeks' }, tlp: 'green', distribution: { scope: 'community' } });
    const run = await api.call('POST', `/api/v1/water/scenarios/${long.body.id}/run`, w.token.owner);
    await stream.waitFor((e) => e.recordId === run.body.id && e.type === 'water-run.started');
    expect((await api.call('DELETE', `/api/v1/water/runs/${run.body.id}`, w.token.community)).status).toBe(403);
    const cancelled = await api.call('DELETE', `/api/v1/water/runs/${run.body.id}`, w.token.owner);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', results: { report: false } });
    expect((await finished(stream, run.body.id)).type).toBe('water-run.cancelled');
    expect((await api.call('DELETE', `/api/v1/water/runs/${run.body.id}`, w.token.owner)).status).toBe(409);
    // The pool is still there for the next run.
    const next = await api.call('POST', `/api/v1/water/scenarios/${scenarioId}/run`, w.token.owner);
    expect((await finished(stream, next.body.id)).type).toBe('water-run.completed');
  });

  it('reports a network that does not converge as a failed run, with the time step and the element', async () => {
    const stiff = tinyNetworkText().replace('[OPTIONS]', '[OPTIONS]\n Trials 1\n Accuracy 0.0000001\n Unbalanced STOP');
    const net = (await api.call('POST', '/api/v1/water/networks', w.token.owner, { name: 'stiff', inp: stiff, tlp: 'green', distribution: { scope: 'community' } })).body.network;
    const sc = await api.call('POST', '/api/v1/water/scenarios', w.token.owner, { networkId: net.id, definition: { name: 'stiff', hours: 4, demandModel: 'DDA', events: [] }, tlp: 'green', distribution: { scope: 'community' } });
    const run = await api.call('POST', `/api/v1/water/scenarios/${sc.body.id}/run`, w.token.owner);
    const end = await finished(stream, run.body.id);
    expect(end.type).toBe('water-run.failed');
    expect(end.data.failure).toMatchObject({ run: 'baseline', time: 0, code: 1, element: { kind: 'link', id: expect.stringMatching(/^P[12]$/) } });
    expect(end.data.note).toMatch(/failed at 0 min/);
    expect((await api.call('GET', '/api/v1/water/networks', w.token.owner)).status).toBe(200);
  });

  it('drafts a scenario from an incident: its water assets become events, the network consumers are watched', async () => {
    const incident = await api.call('POST', '/api/v1/incidents', w.token.owner, {
      title: 'Tank T1 level readings manipulated', severity: 'high', type: 'scada-intrusion', assetIds: [ids.tank, ids.plc2], tlp: 'green', distribution: { scope: 'community' },
    });
    const draft = await api.call('POST', '/api/v1/water/scenarios/from-incident', w.token.owner, { incidentId: incident.body.id, hours: 12, tlp: 'green', distribution: { scope: 'community' } });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ ownerOrgId: w.org.owner, networkId, sourceIncidentId: incident.body.id, name: 'What if: Tank T1 level readings manipulated' });
    expect(draft.body.definition.events).toEqual([expect.objectContaining({ type: 'sensor-spoof', signal: 'L_T1', mode: 'constant', value: 6 })]);
    const listed = await api.call('GET', `/api/v1/water/scenarios?incident=${incident.body.id}`, w.token.owner);
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([draft.body.id]);
    // Another organisation sees the incident but not the utility's assets (AMBER): no event can be drawn from them.
    const blind = await api.call('POST', '/api/v1/water/scenarios/from-incident', w.token.listed, { incidentId: incident.body.id, networkId });
    expect(blind.status).toBe(422);
    const empty = await api.call('POST', '/api/v1/incidents', w.token.owner, { title: 'Unrelated', severity: 'low', tlp: 'green', distribution: { scope: 'community' } });
    const none = await api.call('POST', '/api/v1/water/scenarios/from-incident', w.token.owner, { incidentId: empty.body.id, networkId });
    expect(none.status).toBe(422);
  });

  it('fails the runs a stopped server left behind when the next one starts', async () => {
    const run = await api.call('POST', `/api/v1/water/scenarios/${scenarioId}/run`, w.token.owner);
    await finished(stream, run.body.id);
    await t.kernel.store.db.updateTable('water_runs').set({ status: 'running', report: null }).where('id', '=', run.body.id).execute();
    const restarted = await startApi(t.kernel);
    const after = await restarted.call('GET', `/api/v1/water/runs/${run.body.id}`, w.token.owner);
    expect(after.body).toMatchObject({ status: 'failed', failure: { message: expect.stringMatching(/interrupted/) } });
    await restarted.close();
  });
});
