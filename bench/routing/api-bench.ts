/**
 * `npm run bench:routing:api` (and the second half of `npm run bench:routing`) — routing and dispatch through the
 * HTTP API, end to end over a loopback socket: authentication, the sharing policy (the closures a caller may see),
 * the router, serialisation. Embedded default (SQLite); BENCH_ROUTING_API_ENGINE=postgres for PostgreSQL.
 * Environment: BENCH_ROUTING_API_ROUTES (1000), BENCH_ROUTING_API_DISPATCH (300), BENCH_ROUTING_API_CLOSURES (200).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { openSession } from '../../src/kernel/auth/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import type { Engine } from '../../src/kernel/db/connection.js';
import { createOrganisation, createUser } from '../../src/organisations/queries.js';
import { importRoadGraph, Router, writeRoadGraphFile } from '../../src/routing/index.js';
import { buildServer } from '../../src/server.js';
import { benchKernel } from '../lib/kernel.js';
import { figure, printFigures, type Figure } from './stats.js';

const ROUTES = Number(process.env.BENCH_ROUTING_API_ROUTES ?? 1000);
const DISPATCHES = Number(process.env.BENCH_ROUTING_API_DISPATCH ?? 300);
const CLOSURES = Number(process.env.BENCH_ROUTING_API_CLOSURES ?? 200);
const ENGINE = (process.env.BENCH_ROUTING_API_ENGINE ?? 'sqlite') as Engine;
const MONACO = new URL('../../data-seed/osm/monaco.osm.pbf', import.meta.url);

let seed = 20261123;
const random = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
process.stdout.write(`routing API benchmark — ${new Date().toISOString()}\n${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, node ${process.version}, ${ENGINE}, load average ${load}\n`);

const { kernel, close } = await benchKernel(ENGINE);
const graph = importRoadGraph({ bytes: readFileSync(MONACO), fileName: 'monaco.osm.pbf', importedAt: new Date().toISOString() });
writeRoadGraphFile(path.join(kernel.config.dataDir, 'roads', 'graph.bin'), graph);
const router = new Router(graph);
const roadPoint = (profile: 'car' | 'emergency' = 'emergency'): [number, number] => {
  for (;;) {
    const at = router.snap([7.409 + random() * 0.031, 43.725 + random() * 0.027], profile);
    if (at && at.distanceM < 100) return [at.lon, at.lat];
  }
};

const userId = await kernel.write(SYSTEM_ACTOR, async (w) => {
  const org = await createOrganisation(w, { slug: 'fire', name: 'Fire and Rescue', sector: 'fire', kind: 'practitioner' });
  return (await createUser(w, { orgId: org.id, email: 'dispatcher@fire.bench', name: 'Dispatcher', role: 'analyst', password: '' }, 'x')).id;
});
const { token } = await openSession(kernel.store.db, userId, kernel.clock(), 86_400);
const app = await buildServer(kernel);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${base}${url}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const parsed = await res.json();
  return { status: res.status, body: parsed, ms: performance.now() - started };
}
const q = (p: [number, number]) => p.join(',');

// Warm up (graph load, JIT, connection).
for (let i = 0; i < 50; i++) await call('GET', `/routes?from=${q(roadPoint())}&to=${q(roadPoint())}&profile=emergency`);

const routes: number[] = [];
let found = 0;
for (let i = 0; i < ROUTES; i++) {
  const res = await call('GET', `/routes?from=${q(roadPoint())}&to=${q(roadPoint())}&profile=emergency`);
  if (res.status !== 200) throw new Error(`route answered ${res.status}: ${JSON.stringify(res.body)}`);
  if (res.body.status === 'found') found++;
  routes.push(res.ms);
}

const isochrones: number[] = [];
for (let i = 0; i < 100; i++) isochrones.push((await call('GET', `/isochrones?at=${q(roadPoint())}&minutes=3,6,9&profile=emergency`)).ms);

// 50 units of four types at random places; incidents at random places.
const types = ['fire-engine', 'ambulance', 'police-car', 'repair-crew'];
for (let i = 0; i < 50; i++) {
  const [lon, lat] = roadPoint();
  const res = await call('POST', '/units', { name: `Unit ${i + 1}`, type: types[i % types.length], position: { lon, lat } });
  if (res.status !== 201) throw new Error(`unit answered ${res.status}`);
}
const incidents: string[] = [];
for (let i = 0; i < 20; i++) incidents.push((await call('POST', '/incidents', { title: `Incident ${i}`, severity: 'high', location: { type: 'Point', coordinates: roadPoint() } })).body.id);
const dispatch: number[] = [];
const dispatchAll: number[] = [];
for (let i = 0; i < DISPATCHES; i++) {
  const incident = incidents[i % incidents.length]!;
  const res = await call('GET', `/incidents/${incident}/dispatch?perType=3`);
  if (res.status !== 200 || res.body.ranked.length + res.body.unranked.length !== 50) throw new Error(`dispatch answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  dispatch.push(res.ms);
  dispatchAll.push((await call('GET', `/incidents/${incident}/dispatch?perType=50`)).ms);
}

const positions: number[] = [];
const unitIds = ((await call('GET', '/units?limit=100')).body.items as Array<{ id: string }>).map((u) => u.id);
for (let i = 0; i < 200; i++) {
  const [lon, lat] = roadPoint();
  positions.push((await call('POST', `/units/${unitIds[i % unitIds.length]}/position`, { lon, lat })).ms);
}
const batches: number[] = [];
for (let i = 0; i < 50; i++) {
  batches.push((await call('POST', '/units/positions', { positions: unitIds.map((unitId) => ({ unitId, ...Object.fromEntries([['lon', roadPoint()[0]], ['lat', roadPoint()[1]]]) })) })).ms);
}

// A closure set through the API, then the next route asked through the API: from the POST to the answer.
/** Whether a route's first or last point lies on the closure's road: a trip may start or end on a closed road. */
async function startsOrEndsOnClosedRoad(closureId: string, line: number[][]): Promise<boolean> {
  const roads = (await call('GET', `/closures/${closureId}/roads`)).body.geometry.coordinates as number[][][];
  const near = (p: number[]) =>
    roads.some((road) =>
      road.some((c, i) => {
        if (i === 0) return false;
        const [ax, ay] = road[i - 1]!, [bx, by] = c;
        const k = Math.cos((p[1]! * Math.PI) / 180);
        const dx = (bx! - ax!) * k, dy = by! - ay!, px = (p[0]! - ax!) * k, py = p[1]! - ay!;
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy || 1)));
        return Math.hypot(px - t * dx, py - t * dy) * 111_320 < 1;
      }),
    );
  return near(line[0]!) || near(line[line.length - 1]!);
}

const closureSet: number[] = [];
let onOwnRoad = 0;
const closureNext: number[] = [];
let honoured = 0;
for (let trial = 0; closureNext.length < CLOSURES && trial < CLOSURES * 10; trial++) {
  const from = roadPoint();
  const to = roadPoint();
  const before = await call('GET', `/routes?from=${q(from)}&to=${q(to)}&profile=emergency`);
  if (before.body.status !== 'found' || before.body.geometry.coordinates.length < 12) continue;
  // The middle of a piece of the route (a vertex may be a junction, whose nearest road could be a cross street).
  const line = before.body.geometry.coordinates as number[][];
  const k = Math.floor(line.length / 2);
  const middle = [(line[k - 1]![0]! + line[k]![0]!) / 2, (line[k - 1]![1]! + line[k]![1]!) / 2];
  const started = performance.now();
  const set = await call('POST', '/closures', { reason: 'bench', geometry: { type: 'Point', coordinates: middle } });
  const after = await call('GET', `/routes?from=${q(from)}&to=${q(to)}&profile=emergency`);
  const done = performance.now();
  if (set.status !== 201) throw new Error(`closure answered ${set.status}: ${JSON.stringify(set.body)}`);
  closureSet.push(set.ms);
  closureNext.push(done - started);
  if (after.body.closuresHonoured === 1 && (after.body.status === 'unreachable' || after.body.travelTimeS > before.body.travelTimeS || after.body.engine === 'dijkstra')) honoured++;
  else if (after.body.closuresHonoured === 1 && (await startsOrEndsOnClosedRoad(set.body.id, after.body.geometry.coordinates))) onOwnRoad++;
  await call('POST', `/closures/${set.body.id}/end`, {});
}

const figures: Figure[] = [
  figure('GET /routes (emergency, random road points)', routes, `${found}/${routes.length} found`),
  figure('GET /isochrones 3,6,9 min', isochrones),
  figure('GET /incidents/{id}/dispatch, 50 units, 3 routes per type', dispatch),
  figure('GET /incidents/{id}/dispatch, 50 units, every route', dispatchAll),
  figure('POST /units/{id}/position', positions),
  figure('POST /units/positions, 50 units', batches),
  figure('POST /closures (stored, compiled, in force)', closureSet),
  figure('POST /closures then GET /routes honouring it', closureNext, `${honoured}/${closureNext.length} next routes went round it; ${onOwnRoad} started or ended on the closed road (allowed)`),
];
printFigures(`Monaco through the HTTP API, end to end over loopback (${ENGINE})`, figures);
mkdirSync(new URL('../out/', import.meta.url), { recursive: true });
writeFileSync(new URL('../out/routing-api.json', import.meta.url), `${JSON.stringify({ date: new Date().toISOString(), engine: ENGINE, load, figures }, null, 2)}\n`);
process.stdout.write('\nfigures written to bench/out/routing-api.json\n');
await app.close();
await close();
