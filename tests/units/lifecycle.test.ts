import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RoadsStatus } from '../../src/routing/index.js';
import { buildServer, liveRoadsFor } from '../../src/server.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { type Api, startApi } from '../helpers/http.js';
import { openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { runVigil } from '../helpers/process.js';
import { seedWorld } from '../helpers/world.js';
import { MONACO_PBF, PLACES, installGraph, middleOf, startRoutingWorld } from './helpers.js';

/**
 * The road graph and the closures across the server's life: no graph yet, a graph arriving, restarts,
 * re-imports while it runs (good and corrupt files), closures ending by their end time.
 */
const q = (p: [number, number]) => p.join(',');
const toCasino = `/api/v1/routes?from=${q(PLACES.fireStation)}&to=${q(PLACES.casino)}&profile=emergency`;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A point under the middle of the fastest route from the fire station to the casino. */
async function pointOnRoute(api: Api, token: string): Promise<[number, number]> {
  const res = await api.call('GET', toCasino, token);
  return middleOf(res.body.geometry);
}

describe('without a road graph', () => {
  it('answers 503 until a graph is imported, keeps closures, then loads on a platform admin’s reload', async () => {
    const t: TestKernel = await openTestKernel('sqlite');
    const world = await seedWorld(t.kernel);
    const api = await startApi(t.kernel);
    cleanups.push(async () => {
      await api.close();
      await t.cleanup();
    });
    const token = world.token.owner;
    const routes = await api.call('GET', toCasino, token);
    expect(routes.status).toBe(503);
    expect(routes.body.detail).toMatch(/vigil roads import/);
    expect((await api.call('GET', `/api/v1/isochrones?at=${q(PLACES.casino)}&minutes=3`, token)).status).toBe(503);
    expect((await api.call('GET', '/api/v1/roads', token)).body.state).toBe('missing');
    const closure = await api.call('POST', '/api/v1/closures', token, { reason: 'before the roads', geometry: { type: 'Point', coordinates: PLACES.casino } });
    expect(closure.status).toBe(201);
    expect(closure.body.roadsClosed).toBeNull();
    // A unit can still be dispatched: it just gets no route.
    const unit = (await api.call('POST', '/api/v1/units', token, { name: 'E', type: 'fire-engine', position: { lon: PLACES.fireStation[0], lat: PLACES.fireStation[1] } })).body.id;
    const incident = (await api.call('POST', '/api/v1/incidents', token, { title: 'x', severity: 'low', location: { type: 'Point', coordinates: PLACES.casino } })).body.id;
    expect((await api.call('GET', `/api/v1/incidents/${incident}/dispatch`, token)).status).toBe(503);
    const sent = await api.call('POST', `/api/v1/incidents/${incident}/dispatch`, token, { unitId: unit });
    expect(sent.status).toBe(201);
    expect(sent.body.unit.assignment.routeStatus).toBe('no-road-graph');

    installGraph(t.config.dataDir);
    expect((await api.call('POST', '/api/v1/roads/reload', token, undefined)).status).toBe(403);
    const admin = await world.tokenFor('owner', 'admin');
    const reloaded = await api.call('POST', '/api/v1/roads/reload', admin, undefined);
    expect(reloaded.status).toBe(200);
    expect(reloaded.body.state).toBe('ready');
    expect(reloaded.body.graph.stats.nodes).toBeGreaterThan(2000);
    expect((await api.call('GET', `/api/v1/closures/${closure.body.id}`, token)).body.roadsClosed).toBe(1);
    expect((await api.call('GET', toCasino, token)).body.closuresHonoured).toBe(1);
    const communityAdmin = await world.tokenFor('community', 'admin');
    expect((await api.call('POST', '/api/v1/roads/reload', communityAdmin, undefined)).status).toBe(403);
  });
});

describe('closures across restarts and time', () => {
  it('are replayed into the router when the server starts again', async () => {
    const r = await startRoutingWorld('sqlite');
    cleanups.push(() => r.close());
    const token = r.world.token.owner;
    const before = (await r.api.call('GET', toCasino, token)).body;
    const point = await pointOnRoute(r.api, token);
    expect((await r.api.call('POST', '/api/v1/closures', token, { reason: 'crash', geometry: { type: 'Point', coordinates: point } })).status).toBe(201);
    await r.api.close();

    const kernel = await r.t.reopen();
    const api = await startApi(kernel);
    cleanups.push(() => api.close());
    const after = (await api.call('GET', toCasino, token)).body;
    expect(after.closuresHonoured).toBe(1);
    expect(after.engine).toBe('dijkstra');
    expect(after.travelTimeS).toBeGreaterThan(before.travelTimeS);
  });

  it('end by their end time without anyone lifting them', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const r = await startRoutingWorld('sqlite', { clock: () => now });
    cleanups.push(() => r.close());
    const token = r.world.token.owner;
    const point = await pointOnRoute(r.api, token);
    const closure = await r.api.call('POST', '/api/v1/closures', token, { reason: 'parade', geometry: { type: 'Point', coordinates: point }, endsAt: '2026-11-22T10:01:00Z' });
    expect(closure.body.status).toBe('active');
    expect((await r.api.call('GET', toCasino, token)).body.closuresHonoured).toBe(1);
    now += 61_000;
    const after = (await r.api.call('GET', toCasino, token)).body;
    expect(after.closuresHonoured).toBe(0);
    expect(after.engine).toBe('hierarchy');
    expect((await r.api.call('GET', `/api/v1/closures/${closure.body.id}`, token)).body.status).toBe('ended');
  });
});

describe('a new graph while the server runs', () => {
  it('`vigil roads import` is picked up without a restart, a corrupt file never replaces the graph, closures carry over', async () => {
    const t = await openTestKernel('sqlite');
    const graphPath = installGraph(t.config.dataDir);
    const world = await seedWorld(t.kernel);
    const roads = liveRoadsFor(t.kernel);
    const app = await buildServer(t.kernel, undefined, { roads });
    await app.ready();
    cleanups.push(async () => {
      await app.close();
      await t.cleanup();
    });
    const token = world.token.owner;
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    const nextLoad = (): Promise<RoadsStatus> =>
      new Promise((resolve) => {
        const stop = roads.onLoad((status) => {
          if (status.lastLoad?.reason === 'the graph file changed' && status.lastLoad.outcome !== 'unchanged') {
            stop();
            resolve(status);
          }
        });
      });
    const first = (await call('GET', '/api/v1/roads')).body;
    expect(first.state).toBe('ready');
    const routeBefore = (await call('GET', toCasino)).body;
    const point = middleOf(routeBefore.geometry);
    expect((await call('POST', '/api/v1/closures', { reason: 'works', geometry: { type: 'Point', coordinates: point } })).status).toBe(201);

    const loaded = nextLoad();
    const imported = await runVigil(['roads', 'import', MONACO_PBF, '--out', graphPath, '--quiet'], { VIGIL_DATA_DIR: t.config.dataDir, VIGIL_LOG_LEVEL: 'silent' });
    expect(imported.code, imported.stderr).toBe(0);
    const status = await loaded;
    expect(status.lastLoad?.outcome).toBe('loaded');
    const second = (await call('GET', '/api/v1/roads')).body;
    expect(second.graph.importedAt).not.toBe(first.graph.importedAt);
    const routeAfter = (await call('GET', toCasino)).body;
    expect(routeAfter.closuresHonoured).toBe(1);
    expect(routeAfter.engine).toBe('dijkstra');

    // A damaged file lands the way an import would (rename over the graph): the graph in service stays.
    const failed = nextLoad();
    const damaged = fs.readFileSync(graphPath);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const temporary = path.join(path.dirname(graphPath), '.damaged.tmp');
    fs.writeFileSync(temporary, damaged);
    fs.renameSync(temporary, graphPath);
    const failure = await failed;
    expect(failure.lastLoad?.outcome).toBe('failed');
    expect(failure.lastLoad?.error).toMatch(/checksum|damaged|corrupt/i);
    const third = (await call('GET', '/api/v1/roads')).body;
    expect(third.state).toBe('ready');
    expect(third.graph.importedAt).toBe(second.graph.importedAt);
    expect((await call('GET', toCasino)).body.travelTimeS).toBe(routeAfter.travelTimeS);
    // A real `vigil roads import` process: on a busy two-core machine its start alone can take many seconds.
  }, 180_000);
});

export type { Kernel };
