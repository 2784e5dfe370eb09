import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEngine } from '../../src/detect/index.js';
import { DetectionEngine } from '../../src/detect/engine.js';
import { DetectionRuntime } from '../../src/detect/runtime.js';
import { Ingestion } from '../../src/ingest/index.js';
import { type Live, buildServer, stopLive } from '../../src/server.js';
import { type SseClient, listen, openStream } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { apiToken, setAutoCreate } from './helpers.js';

/**
 * HTTP ingestion end to end (JSON and NDJSON), every kind of bad input counted per organisation, and the
 * detection runtime: settings over the API, alerts through the core on the live stream, a failing detector
 * isolated while the others go on.
 */
describe('HTTP ingestion and detection', () => {
  let t: TestKernel;
  let live: Live;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let world: World;
  let device: string;
  let admin: string;
  let stream: SseClient;
  let assetId: string;

  const post = async (token: string, body: string, type = 'application/json') => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/observations', headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };
  const get = async (token: string, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    const ingestion = new Ingestion(t.kernel);
    // One detector of the runtime always throws: it must not stop the range detector beside it.
    const detection = new DetectionRuntime(t.kernel, ingestion, (settings, models) => {
      const real = buildEngine(settings, models);
      const broken = { id: 'broken', kind: 'range', datastreams: 'all' as const, observe: () => { throw new Error('sensor model exploded'); } };
      return new DetectionEngine([broken, ...(real as unknown as { slots: Array<{ detector: never }> }).slots.map((s) => s.detector)], { maxConsecutiveFailures: 3 });
    });
    detection.start();
    live = { ingestion, detection };
    app = await buildServer(t.kernel, live);
    world = await seedWorld(t.kernel);
    device = await apiToken(t.kernel, world.org.owner, 'operator');
    admin = await apiToken(t.kernel, world.org.owner, 'admin');
    const asset = await app.inject({ method: 'POST', url: '/api/v1/assets', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'Tank T1', type: 'tank', geometry: { type: 'Point', coordinates: [7.42, 43.73] }, tlp: 'green', distribution: { scope: 'community' } } });
    assetId = JSON.parse(asset.body).id;
    await app.inject({ method: 'POST', url: '/api/v1/datastreams', headers: { authorization: `Bearer ${admin}` }, payload: { key: 'L_T1', kind: 'level', unit: 'm', assetId } });
    stream = openStream(await listen(app), world.token.owner);
    await stream.opened;
  });

  afterAll(async () => {
    stream?.close();
    await app?.close();
    if (live) await stopLive(live);
    await t?.cleanup();
  });

  it('stores a JSON array and NDJSON, answering once stored', async () => {
    const now = Date.now();
    const json = await post(device, JSON.stringify([{ stream: 'L_T1', t: new Date(now - 3000).toISOString(), v: 2.5 }, { stream: 'L_T1', t: now - 2000, v: 2.6, q: 'uncertain' }]));
    expect(json).toEqual({ status: 200, body: { accepted: 2, rejected: [] } });
    const nd = await post(device, `{"stream":"L_T1","t":${now - 1000},"v":2.7}\n\n{"stream":"L_T1","t":${now},"v":true}\n`, 'application/x-ndjson');
    expect(nd).toEqual({ status: 200, body: { accepted: 2, rejected: [] } });
    const rows = await t.kernel.store.db.selectFrom('observations').select(['t', 'v', 'q']).orderBy('t').execute();
    expect(rows.map((r) => [Number(r.t) - now, r.v, r.q])).toEqual([[-3000, 2.5, 0], [-2000, 2.6, 1], [-1000, 2.7, 0], [0, 1, 0]]);
  });

  it('refuses bad readings one by one with the reason, counts them per organisation, and stores the rest', async () => {
    await setAutoCreate(t.kernel, world.org.owner, false);
    live.ingestion.pipeline.forgetOrganisation(world.org.owner);
    const now = Date.now() + 10_000;
    const lines = [
      '{"stream":"L_T1","t":' + now + ',"v":3}', // good
      'not json', // malformed
      '{"stream":"NOPE","t":' + now + ',"v":1}', // unknown-datastream
      '{"stream":"L_T1","t":' + (now + 1) + ',"v":"12"}', // non-numeric
      '{"stream":"L_T1","t":' + (now + 2) + ',"v":1e999}', // non-finite (JSON reads it as Infinity)
      '{"stream":"L_T1","t":"yesterday","v":1}', // bad-time
      '{"stream":"L_T1","t":1700000000,"v":1}', // bad-time: seconds, not milliseconds
      '{"stream":"L_T1","t":' + (now + 3_600_000) + ',"v":1}', // future
      '{"stream":"L_T1","t":' + now + ',"v":4}', // duplicate
      '{"stream":"L_T1","t":' + (now - 60_000) + ',"v":4}', // out-of-order
      '{"stream":"L_T1","t":' + (now + 5) + ',"v":4,"q":"great"}', // bad-quality
      '{"stream":"bad/key","t":' + (now + 6) + ',"v":4}', // invalid-key
      '{"stream":"L_T1","t":' + (now + 7) + ',"v":3.1}', // good
    ];
    const res = await post(device, lines.join('\n'), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { reason: string }) => r.reason).sort()).toEqual(
      ['bad-quality', 'bad-time', 'bad-time', 'duplicate', 'future', 'invalid-key', 'malformed', 'non-finite', 'non-numeric', 'out-of-order', 'unknown-datastream'].sort(),
    );
    const rej = await get(device, '/api/v1/ingest/rejections');
    expect(rej.status).toBe(200);
    const counts = Object.fromEntries(rej.body.counts.map((c: { reason: string; count: number }) => [c.reason, c.count]));
    expect(counts).toEqual({ 'bad-quality': 1, 'bad-time': 2, duplicate: 1, future: 1, 'invalid-key': 1, malformed: 1, 'non-finite': 1, 'non-numeric': 1, 'out-of-order': 1, 'unknown-datastream': 1 });
    expect(rej.body.recent.length).toBe(11);
    // Another organisation sees none of it.
    const other = await get(await apiToken(t.kernel, world.org.listed), '/api/v1/ingest/rejections');
    expect(other.body.counts).toEqual([]);
    const health = await get(admin, '/api/v1/ingest/health');
    expect(health.status).toBe(200);
    expect(health.body.rejectedTotal.duplicate).toBe(1);
    expect(health.body.acceptedSinceStart).toBeGreaterThanOrEqual(6);
    expect((await get(device, '/api/v1/ingest/health')).status).toBe(403);
  });

  it('refuses a body that is neither an array nor NDJSON, and readers without write rights', async () => {
    expect((await post(device, '{"stream":"L_T1"}')).status).toBe(400);
    expect((await post(device, '[1,')).status).toBe(400);
    expect((await post(await apiToken(t.kernel, world.org.owner, 'viewer'), '[]')).status).toBe(403);
  });

  it('creates datastreams on first sight when the organisation allows it, on the asset that names the tag', async () => {
    await setAutoCreate(t.kernel, world.org.owner, true);
    await app.inject({ method: 'POST', url: '/api/v1/assets', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'Pump PU1', type: 'pump', attributes: { scadaTag: 'F_PU1' } } });
    live.ingestion.pipeline.forgetOrganisation(world.org.owner); // its settings changed behind the API's back
    const res = await post(device, JSON.stringify([{ stream: 'F_PU1', t: Date.now(), v: 88.1 }, { stream: 'P_J280', t: Date.now(), v: 3 }]));
    expect(res.body).toEqual({ accepted: 2, rejected: [] });
    const list = await get(admin, '/api/v1/datastreams');
    const f = list.body.items.find((d: { key: string }) => d.key === 'F_PU1');
    expect(f).toMatchObject({ kind: 'flow', assetId: expect.any(String) });
    expect(list.body.items.find((d: { key: string }) => d.key === 'P_J280')).toMatchObject({ kind: 'pressure', assetId: null });
  });

  it('validates detector settings, raises alerts through the core with evidence, and isolates a failing detector', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/detectors', headers: { authorization: `Bearer ${admin}` }, payload: { detectors: [{ id: 'x', kind: 'range', datastreams: ['L_T1'] }, { id: 'y', kind: 'range', datastreams: [], max: 1, colour: 'red' }] } });
    expect(bad.statusCode).toBe(422);
    expect(JSON.parse(bad.body).errors.map((e: { path: string }) => e.path)).toEqual(['[0].min', '[1].colour', '[1].datastreams']);
    const noModel = await app.inject({ method: 'PUT', url: '/api/v1/detectors', headers: { authorization: `Bearer ${admin}` }, payload: { detectors: [{ id: 'y', kind: 'scada-attack', datastreams: ['*'], model: 'missing' }] } });
    expect(noModel.statusCode).toBe(422);
    expect(JSON.parse(noModel.body).errors).toEqual([{ path: 'y.model', message: 'no trained model "missing"' }]);
    const put = await app.inject({ method: 'PUT', url: '/api/v1/detectors', headers: { authorization: `Bearer ${admin}` }, payload: { version: 0, detectors: [{ id: 't1-high', kind: 'range', datastreams: ['L_T1'], max: 5, severity: 'high' }] } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await get(device, '/api/v1/detectors')).body).toMatchObject({ version: 1, detectors: [{ id: 't1-high' }] });
    expect((await app.inject({ method: 'PUT', url: '/api/v1/detectors', headers: { authorization: `Bearer ${device}` }, payload: { detectors: [] } })).statusCode).toBe(403);

    const t0 = Date.now() + 20_000;
    for (let i = 0; i < 4; i++) await post(device, JSON.stringify([{ stream: 'L_T1', t: t0 + i, v: i === 2 ? 5.8 : 4 }]));
    const event = await stream.waitFor((e) => e.type === 'alert.created' && e.data.source === 'detector:t1-high');
    expect(event.data).toMatchObject({ severity: 'high', category: 'physical', assetIds: [assetId], ownerOrgId: world.org.owner, tlp: 'amber', location: { type: 'Point' } });
    expect(event.data.evidence.datastreams.L_T1).toMatchObject({ observed: 5.8, expected: 5, unit: 'm', check: 'range' });
    expect(event.data.evidence.datastreamIds).toHaveLength(1);
    expect(event.data.dedupKey).toBe('range:t1-high:L_T1');

    const status = await get(admin, '/api/v1/detectors/status');
    expect(status.body.state).toBe('ready');
    const broken = status.body.detectors.find((d: { id: string }) => d.id === 'broken');
    expect(broken).toMatchObject({ suspended: true, lastError: 'sensor model exploded' });
    expect(status.body.detectors.find((d: { id: string }) => d.id === 't1-high')).toMatchObject({ suspended: false, totalFailures: 0 });
    expect(status.body.recentFailures[0]).toMatchObject({ detector: 'broken', message: 'sensor model exploded' });
    const resumed = await app.inject({ method: 'POST', url: '/api/v1/detectors/broken/resume', headers: { authorization: `Bearer ${admin}` } });
    expect(JSON.parse(resumed.body).detectors.find((d: { id: string }) => d.id === 'broken').suspended).toBe(false);
  });
});
