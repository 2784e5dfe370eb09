import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, openStream, type SseClient } from '../helpers/http.js';
import { unitPositionFromMqtt } from '../../src/units/index.js';
import { principalForToken } from '../../src/kernel/auth/index.js';
import { PLACES, type RoutingWorld, middleOf, startRoutingWorld } from './helpers.js';

/**
 * Routing and dispatch end to end over the API, on Monaco's real roads: routes, isochrones, closures, units,
 * AVL positions, the dispatch ranking and dispatching (timeline and live stream).
 */
let r: RoutingWorld;
let token: string;
const q = (p: [number, number]) => p.join(',');
const call = (method: string, url: string, body?: unknown, as?: string) => r.api.call(method, url, as ?? token, body);

beforeAll(async () => {
  r = await startRoutingWorld('sqlite');
  token = r.world.token.owner;
});
afterAll(async () => r?.close());

async function route(from: [number, number], to: [number, number], profile = 'emergency', as?: string) {
  const res = await call('GET', `/api/v1/routes?from=${q(from)}&to=${q(to)}&profile=${profile}`, undefined, as);
  expect(res.status).toBe(200);
  return res.body;
}

async function newIncident(location: unknown = { type: 'Point', coordinates: PLACES.casino }, title = 'Fire at the casino') {
  const res = await call('POST', '/api/v1/incidents', { title, severity: 'high', location });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function newUnit(name: string, type: string, at: [number, number] | null, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/units', { name, type, ...(at ? { position: { lon: at[0], lat: at[1] } } : {}), ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** A square cordon (a Polygon with a hole): every road crossing the ring is closed, the inside stays open but cut off. */
function cordon(centre: [number, number], outerM: number, innerM: number) {
  const square = (m: number) => {
    const dLon = m / (111_320 * Math.cos((centre[1] * Math.PI) / 180));
    const dLat = m / 110_574;
    const [x, y] = centre;
    return [[x - dLon, y - dLat], [x + dLon, y - dLat], [x + dLon, y + dLat], [x - dLon, y + dLat], [x - dLon, y - dLat]];
  };
  return { type: 'Polygon', coordinates: [square(outerM), square(innerM).reverse()] };
}

it('describes every routing, closure, unit and dispatch path in the OpenAPI document', async () => {
  const doc = await r.api.call('GET', '/api/v1/openapi.json', null);
  const paths = Object.keys(doc.body.paths);
  for (const path of ['/api/v1/routes', '/api/v1/isochrones', '/api/v1/roads', '/api/v1/roads/reload', '/api/v1/closures', '/api/v1/closures/{id}/end', '/api/v1/closures/{id}/roads', '/api/v1/units', '/api/v1/units/{id}/position', '/api/v1/units/positions', '/api/v1/units/{id}/status', '/api/v1/incidents/{id}/dispatch']) {
    expect(paths, path).toContain(path);
  }
  expect((await r.api.call('GET', `/api/v1/routes?from=${q(PLACES.fireStation)}&to=${q(PLACES.casino)}`, null)).status).toBe(401);
});

describe('GET /routes', () => {
  it('answers a route with GeoJSON geometry, travel time, distance and turn-by-turn steps', async () => {
    const answer = await route(PLACES.fireStation, PLACES.casino);
    expect(answer.status).toBe('found');
    expect(answer.geometry.type).toBe('LineString');
    expect(answer.geometry.coordinates.length).toBeGreaterThan(10);
    expect(answer.travelTimeS).toBeGreaterThan(60);
    expect(answer.distanceM).toBeGreaterThan(1500);
    expect(answer.steps[0].maneuver).toBe('depart');
    expect(answer.steps.at(-1).maneuver).toBe('arrive');
    const stepMetres = answer.steps.reduce((sum: number, s: { distanceM: number }) => sum + s.distanceM, 0);
    expect(Math.abs(stepMetres - answer.distanceM)).toBeLessThan(1);
    expect(answer.from.roadName).toBe('Avenue de Fontvieille');
    expect(answer.from).not.toHaveProperty('segment');
    // Emergency vehicles plan faster than cars on the same trip.
    expect((await route(PLACES.fireStation, PLACES.casino, 'car')).travelTimeS).toBeGreaterThan(answer.travelTimeS);
  });

  it('refuses a point off the road network with 422 and the distance to the nearest road', async () => {
    const res = await call('GET', `/api/v1/routes?from=7.44,43.72&to=${q(PLACES.casino)}`);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.point).toBe('from');
    expect(res.body.distanceM).toBeGreaterThan(250);
    expect(res.body.maxDistanceM).toBe(250);
    expect(res.body.detail).toMatch(/off the road network/);
  });

  it('answers garbage parameters with 400', async () => {
    for (const url of [
      `/api/v1/routes?from=abc&to=${q(PLACES.casino)}`,
      `/api/v1/routes?from=7.42&to=${q(PLACES.casino)}`,
      `/api/v1/routes?from=7.42,43.73,5&to=${q(PLACES.casino)}`,
      `/api/v1/routes?from=200,43.7&to=${q(PLACES.casino)}`,
      `/api/v1/routes?from=7.42,43.73&to=${q(PLACES.casino)}&profile=bicycle`,
      `/api/v1/routes?from=7.42,43.73`,
      `/api/v1/routes?from=7.42,43.73&to=${q(PLACES.casino)}&colour=red`,
      `/api/v1/isochrones?at=${q(PLACES.fireStation)}&minutes=0`,
      `/api/v1/isochrones?at=${q(PLACES.fireStation)}&minutes=3,,6`,
      `/api/v1/isochrones?at=${q(PLACES.fireStation)}&minutes=1,2,3,4,5,6,7,8,9`,
      `/api/v1/isochrones?at=${q(PLACES.fireStation)}&minutes=200`,
      `/api/v1/isochrones?at=nowhere&minutes=3`,
    ]) {
      const res = await call('GET', url);
      expect(res.status, url).toBe(400);
      expect(res.body.detail, url).toBeTruthy();
    }
  });
});

describe('GET /isochrones', () => {
  it('answers nested GeoJSON MultiPolygons, one per time', async () => {
    const res = await call('GET', `/api/v1/isochrones?at=${q(PLACES.fireStation)}&minutes=4,2&profile=emergency`);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.origin.roadName).toBe('Avenue de Fontvieille');
    const [two, four] = res.body.features;
    expect([two.properties.minutes, four.properties.minutes]).toEqual([2, 4]);
    expect(two.geometry.type).toBe('MultiPolygon');
    expect(four.properties.areaKm2).toBeGreaterThan(two.properties.areaKm2);
    expect(two.properties.areaKm2).toBeGreaterThan(0.1);
  });

  it('refuses an origin at sea with 422', async () => {
    const res = await call('GET', '/api/v1/isochrones?at=7.44,43.72&minutes=3');
    expect(res.status).toBe(422);
    expect(res.body.point).toBe('at');
  });
});

describe('closures', () => {
  it('are honoured by the very next route, and released when ended', async () => {
    const before = await route(PLACES.fireStation, PLACES.casino);
    // Close the road under the middle of the route.
    const middle = middleOf(before.geometry);
    const created = await call('POST', '/api/v1/closures', { reason: 'burst main', geometry: { type: 'Point', coordinates: middle } });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('active');
    expect(created.body.roadsClosed).toBe(1);
    const after = await route(PLACES.fireStation, PLACES.casino);
    expect(after.status).toBe('found');
    expect(after.closuresHonoured).toBe(1);
    expect(after.engine).toBe('dijkstra');
    expect(after.travelTimeS).toBeGreaterThan(before.travelTimeS);
    const closed = await call('GET', `/api/v1/closures/${created.body.id}/roads`);
    expect(closed.body.geometry.type).toBe('MultiLineString');
    const closedPoints = new Set(closed.body.geometry.coordinates[0].slice(1, -1).map((c: number[]) => c.join(',')));
    expect(after.geometry.coordinates.some((c: number[]) => closedPoints.has(c.join(',')))).toBe(false);

    const ended = await call('POST', `/api/v1/closures/${created.body.id}/end`, { note: 'repaired' });
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ended');
    expect((await call('POST', `/api/v1/closures/${created.body.id}/end`, {})).status).toBe(409);
    const again = await route(PLACES.fireStation, PLACES.casino);
    expect(again.travelTimeS).toBe(before.travelTimeS);
    expect(again.closuresHonoured).toBe(0);
    const listed = await call('GET', '/api/v1/closures?status=ended');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    expect((await call('GET', '/api/v1/closures?status=active')).body.items.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
  });

  it('that cut a destination off give an unreachable answer, not an error', async () => {
    const ring = await call('POST', '/api/v1/closures', { reason: 'cordon', geometry: cordon(PLACES.casino, 260, 200) });
    expect(ring.status).toBe(201);
    expect(ring.body.roadsClosed).toBeGreaterThan(3);
    const answer = await route(PLACES.fireStation, PLACES.casino);
    expect(answer.status).toBe('unreachable');
    expect(answer.message).toMatch(/no emergency route/);
    expect((await call('POST', `/api/v1/closures/${ring.body.id}/end`, {})).status).toBe(200);
    expect((await route(PLACES.fireStation, PLACES.casino)).status).toBe('found');
  });

  it('take the area of an incident, and do not stop the responders of that incident', async () => {
    const area = cordon(PLACES.casino, 120, 0).coordinates.slice(0, 1);
    const incident = await newIncident({ type: 'Polygon', coordinates: area }, 'Gas leak at the casino');
    const closure = await call('POST', '/api/v1/closures', { reason: 'gas leak', incidentId: incident });
    expect(closure.status).toBe(201);
    expect(closure.body.geometry.type).toBe('Polygon');
    expect(closure.body.incidentId).toBe(incident);
    expect((await call('GET', `/api/v1/closures?incident=${incident}`)).body.items).toHaveLength(1);
    await newUnit('Engine Gas', 'hazmat', PLACES.fireStation);
    const dispatch = await call('GET', `/api/v1/incidents/${incident}/dispatch?types=hazmat`);
    expect(dispatch.status).toBe(200);
    expect(dispatch.body.byType[0].units[0].name).toBe('Engine Gas');
    expect(dispatch.body.closuresHonoured).toBe(0);
    // Anyone else's route to the middle of the closed area cannot drive in.
    const centre = dispatch.body.target;
    const outsider = await route(PLACES.fireStation, [centre.lon, centre.lat]);
    expect(outsider.status === 'unreachable' || outsider.travelTimeS > dispatch.body.byType[0].units[0].etaS).toBe(true);
    await call('POST', `/api/v1/closures/${closure.body.id}/end`, {});
  });

  it('refuse bad input', async () => {
    const bad = [
      [{ reason: 'x' }, 400],
      [{ reason: 'x', geometry: { type: 'Polygon', coordinates: [[[7.42, 43.73], [7.43, 43.73], [7.42, 43.73]]] } }, 400],
      [{ reason: 'x', geometry: { type: 'Point', coordinates: [7.44, 43.72] } }, 422],
      [{ reason: 'x', geometry: { type: 'Point', coordinates: PLACES.casino }, endsAt: '2020-01-01T00:00:00Z' }, 400],
      [{ reason: 'x', geometry: { type: 'Point', coordinates: PLACES.casino }, startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 400],
      [{ reason: 'x', incidentId: '01a00000-0000-7000-8000-000000000000' }, 422],
      [{ reason: '', geometry: { type: 'Point', coordinates: PLACES.casino } }, 400],
    ] as const;
    for (const [body, status] of bad) expect((await call('POST', '/api/v1/closures', body)).status, JSON.stringify(body)).toBe(status);
  });

  it('may be scheduled: stored now, honoured from their start', async () => {
    const created = await call('POST', '/api/v1/closures', { reason: 'marathon', geometry: { type: 'Point', coordinates: PLACES.casino }, startsAt: '2030-01-01T08:00:00Z', endsAt: '2030-01-01T12:00:00Z' });
    expect(created.body.status).toBe('scheduled');
    expect((await route(PLACES.fireStation, PLACES.policeHq)).closuresHonoured).toBe(0);
  });
});

describe('units and AVL positions', () => {
  it('stores a position, ignores an older one and refuses one from the future', async () => {
    const id = await newUnit('Patrol A', 'police-car', null);
    const first = await call('GET', `/api/v1/units/${id}`);
    expect(first.body.position).toBeNull();
    expect(first.body.profile).toBe('emergency');
    const at = new Date(Date.now() - 10_000).toISOString();
    const posted = await call('POST', `/api/v1/units/${id}/position`, { lon: PLACES.policeHq[0], lat: PLACES.policeHq[1], at, headingDeg: 180, speedKmh: 30 });
    expect(posted.status).toBe(200);
    expect(posted.body.accepted).toBe(true);
    expect(posted.body.unit.position).toMatchObject({ lon: PLACES.policeHq[0], at, headingDeg: 180, speedKmh: 30 });
    const older = await call('POST', `/api/v1/units/${id}/position`, { lon: 7.43, lat: 43.74, at: new Date(Date.now() - 60_000).toISOString() });
    expect(older.body).toMatchObject({ accepted: false, reason: 'stale' });
    expect(older.body.unit.position.lon).toBe(PLACES.policeHq[0]);
    expect((await call('POST', `/api/v1/units/${id}/position`, { lon: 7.43, lat: 43.74, at: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(422);
    expect((await call('POST', `/api/v1/units/${id}/position`, { lon: 700, lat: 43.74 })).status).toBe(400);
    expect((await call('POST', `/api/v1/units/${id}/position`, { lon: 7.43 })).status).toBe(400);
    const viewer = await r.world.tokenFor('owner', 'viewer');
    expect((await call('POST', `/api/v1/units/${id}/position`, { lon: 7.43, lat: 43.74 }, viewer)).status).toBe(403);
  });

  it('takes a batch from an AVL gateway, rejecting the bad items one by one', async () => {
    const a = await newUnit('Batch A', 'ambulance', null);
    const b = await newUnit('Batch B', 'ambulance', null);
    const foreign = (await call('POST', '/api/v1/units', { name: 'Not yours', type: 'ambulance', distribution: { scope: 'community' }, tlp: 'green' }, r.world.token.community)).body.id;
    const res = await call('POST', '/api/v1/units/positions', {
      positions: [
        { unitId: a, lon: 7.42, lat: 43.73 },
        { unitId: b, lon: 7.421, lat: 43.731, at: new Date(Date.now() + 3_600_000).toISOString() },
        { unitId: foreign, lon: 7.42, lat: 43.73 },
        { unitId: 'not-a-unit', lon: 7.42, lat: 43.73 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected.map((x: { reason: string }) => x.reason)).toEqual(['future', 'not-yours', 'not-found']);
    expect((await call('GET', `/api/v1/units/${a}`)).body.position.lon).toBe(7.42);
    expect((await call('GET', `/api/v1/units/${b}`)).body.position).toBeNull();
    expect((await call('POST', '/api/v1/units/positions', { positions: [] })).status).toBe(400);
  });

  it('takes positions from the MQTT broker on vigil/<org>/units/<id>/position', async () => {
    const id = await newUnit('MQTT car', 'police-car', null);
    const principal = (await principalForToken(r.t.kernel.store.db, token, Date.now()))!;
    const ok = await unitPositionFromMqtt(r.t.kernel, principal, `vigil/owner/units/${id}/position`, JSON.stringify({ lon: 7.425, lat: 43.735 }));
    expect(ok).toEqual({ allowed: true, results: [{ unitId: id, accepted: true }] });
    expect((await call('GET', `/api/v1/units/${id}`)).body.position.lon).toBe(7.425);
    const elsewhere = await unitPositionFromMqtt(r.t.kernel, principal, `vigil/listed/units/${id}/position`, '{"lon":7.4,"lat":43.7}');
    expect(elsewhere.allowed).toBe(false);
    const garbage = await unitPositionFromMqtt(r.t.kernel, principal, `vigil/owner/units/${id}/position`, Buffer.from('{"lon":'));
    expect(garbage.results[0]).toMatchObject({ accepted: false, reason: 'invalid' });
  });

  it('refuses units with unknown references or garbage fields', async () => {
    expect((await call('POST', '/api/v1/units', { name: 'x', type: 'Fire Engine' })).status).toBe(400);
    expect((await call('POST', '/api/v1/units', { name: 'x', type: 'ambulance', colour: 'red' })).status).toBe(400);
    expect((await call('POST', '/api/v1/units', { name: 'x', type: 'ambulance', homeStationId: '01a00000-0000-7000-8000-000000000000' })).status).toBe(422);
    expect((await call('POST', '/api/v1/units', { name: 'x', type: 'ambulance', status: 'dispatched' })).status).toBe(400);
  });
});

describe('dispatch', () => {
  let incident: string;
  let stream: SseClient;
  const units: Record<string, string> = {};

  beforeAll(async () => {
    incident = await newIncident();
    units.station = await newUnit('Engine Station', 'fire-engine', PLACES.fireStation);
    units.larvotto = await newUnit('Engine Larvotto', 'fire-engine', PLACES.larvotto);
    units.hq = await newUnit('Engine HQ', 'fire-engine', PLACES.policeHq);
    units.ambulance = await newUnit('Ambulance H', 'ambulance', PLACES.hospital);
    units.blind = await newUnit('Car without AVL', 'police-car', null);
    units.broken = await newUnit('Engine Broken', 'fire-engine', PLACES.casino, { status: 'out-of-service' });
    units.crew = await newUnit('Repair crew', 'repair-crew', PLACES.hospital);
    stream = openStream(await listen(r.api.app), token);
    await stream.opened;
  });
  afterAll(() => stream?.close());

  it('ranks the units that arrive first by type, with ETAs equal to their own routes', async () => {
    const res = await call('GET', `/api/v1/incidents/${incident}/dispatch?types=fire-engine,ambulance,police-car,repair-crew&perType=2`);
    expect(res.status).toBe(200);
    const body = res.body;
    const fire = body.byType.find((g: { type: string }) => g.type === 'fire-engine').units;
    expect(fire).toHaveLength(2);
    expect(body.byType.map((g: { type: string }) => g.type)).toEqual(['fire-engine', 'ambulance', 'police-car', 'repair-crew']);
    // The police car without AVL is listed as such, never ranked (the other police cars come from earlier tests).
    expect(body.byType.find((g: { type: string }) => g.type === 'police-car').units.map((u: { unitId: string }) => u.unitId)).not.toContain(units.blind);
    // Every ETA is the travel time of the unit's own route to the incident (emergency or car profile).
    const expected: Array<[string, number]> = [];
    for (const u of body.ranked) {
      const own = await route([u.position.lon, u.position.lat], [body.target.lon, body.target.lat], u.profile);
      expect(u.etaS, u.name).toBeCloseTo(own.travelTimeS, 6);
      expect(u.distanceM, u.name).toBeCloseTo(own.distanceM, 0);
      expected.push([u.name, own.travelTimeS]);
    }
    expect(expected.map(([, t]) => t)).toEqual([...expected.map(([, t]) => t)].sort((a, b) => a - b));
    expect(fire.map((u: { name: string }) => u.name)).toEqual(expected.filter(([n]) => n.startsWith('Engine')).slice(0, 2).map(([n]) => n));
    expect(fire[0].geometry.type).toBe('LineString');
    expect(body.ranked.every((u: object) => !('geometry' in u))).toBe(true);
    expect(body.ranked.find((u: { name: string }) => u.name === 'Repair crew').profile).toBe('car');
    expect(body.unranked).toEqual(expect.arrayContaining([{ unitId: units.blind, name: 'Car without AVL', type: 'police-car', reason: 'no-position' }]));
    expect(body.busy).toEqual(expect.arrayContaining([{ unitId: units.broken, name: 'Engine Broken', type: 'fire-engine', status: 'out-of-service' }]));
    expect(body.ranked.map((u: { unitId: string }) => u.unitId)).not.toContain(units.broken);
  });

  it('moves a unit up when its AVL position comes closer', async () => {
    await call('POST', `/api/v1/units/${units.larvotto}/position`, { lon: 7.4283, lat: 43.7398 });
    const res = await call('GET', `/api/v1/incidents/${incident}/dispatch?types=fire-engine&perType=1`);
    expect(res.body.byType[0].units[0].unitId).toBe(units.larvotto);
  });

  it('dispatches: status, a timeline entry, and the route on the live stream', async () => {
    const res = await call('POST', `/api/v1/incidents/${incident}/dispatch`, { unitId: units.station, note: 'first engine' });
    expect(res.status).toBe(201);
    expect(res.body.unit.status).toBe('dispatched');
    expect(res.body.route.steps.length).toBeGreaterThan(2);
    const assignment = res.body.unit.assignment;
    expect(assignment).toMatchObject({ incidentId: incident, routeStatus: 'found' });
    expect(assignment.etaS).toBe(res.body.route.travelTimeS);
    expect(res.body.timelineEntry.kind).toBe('unit-dispatched');
    expect(res.body.timelineEntry.text).toMatch(/^Engine Station \(fire-engine\) dispatched, ETA \d+ min/);

    const timeline = await call('GET', `/api/v1/incidents/${incident}/timeline`);
    const entry = timeline.body.items.find((e: { kind: string }) => e.kind === 'unit-dispatched');
    expect(entry.data).toMatchObject({ unitId: units.station, unitType: 'fire-engine', etaS: assignment.etaS });

    const event = await stream.waitFor((e) => e.type === 'unit.dispatched' && e.recordId === units.station);
    expect(event.data.incidentId).toBe(incident);
    expect(event.data.assignment.route.type).toBe('LineString');
    expect(event.data.assignment.route.coordinates).toEqual(res.body.route.geometry.coordinates);
    expect(event.data.unit).not.toHaveProperty('assignment');
    await stream.waitFor((e) => e.type === 'incident.unit' && e.recordId === incident && e.data.kind === 'unit-dispatched');
    expect((await call('GET', `/api/v1/units?incident=${incident}`)).body.items.map((u: { id: string }) => u.id)).toEqual([units.station]);

    // Not twice, not out of service, not without a location.
    expect((await call('POST', `/api/v1/incidents/${incident}/dispatch`, { unitId: units.station })).status).toBe(409);
    expect((await call('POST', `/api/v1/incidents/${incident}/dispatch`, { unitId: units.broken })).status).toBe(409);
    const nowhere = (await call('POST', '/api/v1/incidents', { title: 'Phishing', severity: 'low' })).body.id;
    expect((await call('POST', `/api/v1/incidents/${nowhere}/dispatch`, { unitId: units.hq })).status).toBe(422);
    expect((await call('GET', `/api/v1/incidents/${nowhere}/dispatch`)).status).toBe(422);
    expect((await call('POST', `/api/v1/incidents/${incident}/dispatch`, { unitId: '01a00000-0000-7000-8000-000000000000' })).status).toBe(422);
    expect((await call('GET', `/api/v1/incidents/${incident}/dispatch?types=Fire Engine`)).status).toBe(400);
    expect((await call('GET', `/api/v1/incidents/${incident}/dispatch?perType=0`)).status).toBe(400);
  });

  it('dispatches a unit without a position (no route), and hears the crew report on scene and back', async () => {
    const res = await call('POST', `/api/v1/incidents/${incident}/dispatch`, { unitId: units.blind });
    expect(res.status).toBe(201);
    expect(res.body.route).toBeNull();
    expect(res.body.unit.assignment.routeStatus).toBe('no-position');
    expect(res.body.timelineEntry.text).toMatch(/no route \(no-position\)/);

    const onScene = await call('POST', `/api/v1/units/${units.station}/status`, { status: 'on-scene' });
    expect(onScene.status).toBe(200);
    expect(onScene.body.status).toBe('on-scene');
    expect(onScene.body.assignment.onSceneAt).not.toBeNull();
    const back = await call('POST', `/api/v1/units/${units.station}/status`, { status: 'available', note: 'fire out' });
    expect(back.body.assignment).toBeNull();
    const kinds = (await call('GET', `/api/v1/incidents/${incident}/timeline`)).body.items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['unit-dispatched', 'unit-on-scene', 'unit-released']));
    expect((await call('POST', `/api/v1/units/${units.hq}/status`, { status: 'on-scene' })).status).toBe(409);
    expect((await call('POST', `/api/v1/units/${units.hq}/status`, { status: 'dispatched' })).status).toBe(400);
  });

  it('reassigns a busy unit only when asked to, and tells the first incident', async () => {
    const other = await newIncident({ type: 'Point', coordinates: PLACES.larvotto }, 'Second fire');
    expect((await call('POST', `/api/v1/incidents/${other}/dispatch`, { unitId: units.blind })).status).toBe(409);
    const moved = await call('POST', `/api/v1/incidents/${other}/dispatch`, { unitId: units.blind, reassign: true });
    expect(moved.status).toBe(201);
    const first = (await call('GET', `/api/v1/incidents/${incident}/timeline`)).body.items;
    expect(first.at(-1)).toMatchObject({ kind: 'unit-released', data: { unitId: units.blind, reassigned: true } });
  });
});
