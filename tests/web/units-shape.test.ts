import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../web/src/api/types.js';
import {
  UNIT_STATUS_COLOURS,
  applyUnitEvent,
  closureFeatures,
  closureRequest,
  closureStatus,
  draftFeatures,
  draftGeometry,
  formatDistance,
  formatEta,
  isochroneFeatures,
  mergeUnit,
  parseMinutes,
  recommendationRows,
  routeFeatures,
  unitFeatures,
  unitIconKey,
  unitsAtIncident,
} from '../../web/src/units/shape.js';
import type { Closure, IsochroneAnswer, Unit, UnitEta } from '../../web/src/units/types.js';

const T = Date.UTC(2026, 10, 22, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const route = { type: 'LineString' as const, coordinates: [[7.41, 43.73], [7.42, 43.74]] as Array<[number, number]> };

function unit(id: string, extra: Partial<Unit> = {}): Unit {
  return {
    id,
    name: `Unit ${id}`,
    type: 'fire-engine',
    status: 'available',
    profile: 'emergency',
    homeStationId: null,
    position: { lon: 7.41, lat: 43.73, at: iso(T), headingDeg: null, speedKmh: null, accuracyM: null },
    assignment: null,
    dispatcherOrgIds: [],
    ownerOrgId: 'fire',
    tlp: 'green',
    distribution: { scope: 'community' } as Unit['distribution'],
    version: 1,
    updatedAt: iso(T),
    ...extra,
  };
}

const assignment = (incidentId: string, etaS = 120) => ({ incidentId, dispatchedAt: iso(T), dispatchedByOrgId: 'fire', etaS, distanceM: 1500, routeStatus: 'found', route, onSceneAt: null });
const event = (type: string, data: unknown): StreamEvent => ({ id: 1, type, at: iso(T), recordKind: 'unit', recordId: null, data });

describe('units on the map', () => {
  it('draws units with a position, pictogram by type and colour by status', () => {
    const features = unitFeatures([unit('a'), unit('b', { type: 'drone', status: 'on-scene' }), unit('c', { position: null })]);
    expect(features.map((f) => f.properties!.id)).toEqual(['a', 'b']);
    expect(features[0]!.properties).toMatchObject({ kind: 'unit', icon: 'fire-engine', colour: UNIT_STATUS_COLOURS.available });
    expect(features[1]!.properties).toMatchObject({ icon: 'generic', colour: UNIT_STATUS_COLOURS['on-scene'] });
    expect(unitFeatures([unit('a'), unit('b')], new Set(['b'])).map((f) => f.properties!.id)).toEqual(['b']);
    expect(unitIconKey('ambulance')).toBe('ambulance');
  });

  it('draws the route of units on their way or at the scene only', () => {
    const units = [
      unit('out', { status: 'dispatched', assignment: assignment('i1') }),
      unit('there', { status: 'on-scene', assignment: assignment('i2') }),
      unit('back', { status: 'available', assignment: assignment('i1') }),
      unit('noroute', { status: 'dispatched', assignment: { ...assignment('i1'), etaS: null, distanceM: null, route: null, routeStatus: 'no-position' } }),
    ];
    expect(routeFeatures(units).map((f) => f.properties!.id)).toEqual(['out', 'there']);
    expect(routeFeatures(units, { incidentId: 'i1' }).map((f) => f.properties!.id)).toEqual(['out']);
    expect(routeFeatures(units, { only: new Set(['there']) }).map((f) => f.properties!.id)).toEqual(['there']);
    expect(routeFeatures(units)[0]!.properties).toMatchObject({ eta: '2 min', incidentId: 'i1' });
    expect(unitsAtIncident([...units, unit('fast', { status: 'dispatched', assignment: assignment('i1', 30) })], 'i1').map((u) => u.id)).toEqual(['fast', 'out', 'noroute']);
  });
});

describe('units kept current by the live stream', () => {
  it('moves a unit on unit.position, never back to an older report', () => {
    const units = new Map([['a', unit('a')]]);
    expect(applyUnitEvent(units, event('unit.position', { id: 'a', status: 'available', position: { lon: 7.42, lat: 43.74, at: iso(T + 5000), headingDeg: 90, speedKmh: 30, accuracyM: 5 } }))).toBe(true);
    expect(units.get('a')!.position).toMatchObject({ lon: 7.42, lat: 43.74 });
    applyUnitEvent(units, event('unit.position', { id: 'a', status: 'available', position: { lon: 7.0, lat: 43.0, at: iso(T + 1000), headingDeg: null, speedKmh: null, accuracyM: null } }));
    expect(units.get('a')!.position).toMatchObject({ lon: 7.42, lat: 43.74 });
    // A position of a unit not loaded (not visible yet) does not invent one.
    expect(applyUnitEvent(units, event('unit.position', { id: 'zz', status: 'available', position: { lon: 1, lat: 1, at: iso(T) } }))).toBe(false);
    expect(units.has('zz')).toBe(false);
  });

  it('keeps the assignment through updates that do not carry it, drops it when the unit is back', () => {
    const units = new Map([['a', unit('a')]]);
    const { assignment: _a, ...bare } = unit('a', { status: 'dispatched', version: 2 });
    applyUnitEvent(units, event('unit.dispatched', { unit: bare, incidentId: 'i1', assignment: assignment('i1'), steps: [] }));
    expect(units.get('a')!.assignment?.route).toEqual(route);
    const { assignment: _b, ...onScene } = unit('a', { status: 'on-scene', version: 3 });
    applyUnitEvent(units, event('unit.updated', onScene));
    expect(units.get('a')).toMatchObject({ status: 'on-scene', assignment: { incidentId: 'i1' } });
    // An older version arriving late changes nothing.
    expect(applyUnitEvent(units, event('unit.updated', { ...bare, version: 2 }))).toBe(false);
    const { assignment: _c, ...available } = unit('a', { status: 'available', version: 4 });
    applyUnitEvent(units, event('unit.updated', available));
    expect(units.get('a')).toMatchObject({ status: 'available', assignment: null });
  });

  it('adds created or shared units and forgets removed ones', () => {
    const units = new Map<string, Unit>();
    const { assignment: _a, ...bare } = unit('n');
    expect(applyUnitEvent(units, event('unit.created', bare))).toBe(true);
    expect(units.get('n')!.assignment).toBeNull();
    expect(applyUnitEvent(units, event('record.removed', { kind: 'unit', id: 'n' }))).toBe(true);
    expect(units.size).toBe(0);
    expect(applyUnitEvent(units, event('record.removed', { kind: 'alert', id: 'n' }))).toBe(false);
    expect(mergeUnit(undefined, { id: 'x', status: 'available' })).toBeNull();
  });
});

describe('closures', () => {
  const closure = (id: string, extra: Partial<Closure> = {}): Closure => ({
    id,
    reason: 'works',
    geometry: { type: 'Point', coordinates: [7.41, 43.73] },
    startsAt: iso(T),
    endsAt: null,
    endedAt: null,
    status: 'active',
    incidentId: null,
    roadsClosed: 1,
    ownerOrgId: 'fire',
    tlp: 'green',
    version: 1,
    ...extra,
  });

  it('tells scheduled, active and ended at any time, and draws only those not over', () => {
    expect(closureStatus(closure('a'), T - 1)).toBe('scheduled');
    expect(closureStatus(closure('a'), T)).toBe('active');
    expect(closureStatus(closure('a', { endsAt: iso(T + 1000) }), T + 1000)).toBe('ended');
    expect(closureStatus(closure('a', { endedAt: iso(T + 10), endsAt: iso(T + 10) }), T + 500)).toBe('ended');
    const features = closureFeatures([closure('a'), closure('b', { startsAt: iso(T + 60_000) }), closure('c', { endsAt: iso(T - 1) })], T);
    expect(features.map((f) => [f.properties!.id, f.properties!.status])).toEqual([
      ['a', 'active'],
      ['b', 'scheduled'],
    ]);
  });

  it('draws an area from three points and a line from two, closing the ring', () => {
    expect(draftGeometry('area', [[0, 0], [1, 0]])).toBeNull();
    expect(draftGeometry('area', [[0, 0], [1, 0], [1, 1]])).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    expect(draftGeometry('line', [[0, 0]])).toBeNull();
    expect(draftGeometry('line', [[0, 0], [1, 1]])).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1]] });
    // Two points of an area: the edge so far and both points are shown.
    expect(draftFeatures('area', [[0, 0], [1, 0]]).map((f) => f.geometry.type)).toEqual(['LineString', 'Point', 'Point']);
  });

  it('builds the POST /closures body, or says what is missing', () => {
    const draft = { mode: 'area' as const, vertices: [[0, 0], [1, 0], [1, 1]] as Array<[number, number]>, reason: ' gas leak ', startsAt: '', endsAt: '' };
    expect(closureRequest({ ...draft, vertices: [[0, 0]] }, T)).toEqual({ error: 'Place at least three points for an area' });
    expect(closureRequest({ ...draft, reason: '  ' }, T)).toEqual({ error: 'Say why the road is closed' });
    expect(closureRequest(draft, T)).toEqual({ body: { reason: 'gas leak', geometry: draftGeometry('area', draft.vertices) } });
    const until = closureRequest({ ...draft, startsAt: '2026-11-22T12:00', endsAt: '2026-11-22T14:30' }, T);
    expect('body' in until && until.body).toMatchObject({ startsAt: new Date('2026-11-22T12:00').toISOString(), endsAt: new Date('2026-11-22T14:30').toISOString() });
    expect(closureRequest({ ...draft, startsAt: '2026-11-22T12:00', endsAt: '2026-11-22T11:00' }, T)).toEqual({ error: 'The end must come after the start' });
    expect(closureRequest({ ...draft, endsAt: iso(T - 60_000) }, T)).toEqual({ error: 'The end must come after the start' });
    expect(closureRequest({ ...draft, endsAt: 'soon' }, T)).toEqual({ error: 'The end time is not a date' });
  });
});

describe('isochrones and the dispatch panel', () => {
  it('orders isochrones so the shortest time draws on top, each with its colour', () => {
    const poly = { type: 'MultiPolygon' as const, coordinates: [] };
    const answer: IsochroneAnswer = {
      type: 'FeatureCollection',
      features: [6, 3, 9].map((minutes) => ({ type: 'Feature' as const, properties: { minutes, areaKm2: minutes }, geometry: poly })),
      profile: 'emergency',
      origin: { lon: 7.41, lat: 43.73, roadName: 'Avenue' },
      closuresHonoured: 0,
    };
    const features = isochroneFeatures(answer);
    expect(features.map((f) => f.properties!.minutes)).toEqual([9, 6, 3]);
    expect(new Set(features.map((f) => f.properties!.colour)).size).toBe(3);
    expect(features[2]!.properties!.label).toBe('3 min');
    expect(isochroneFeatures(null)).toEqual([]);
  });

  it('reads minutes as the API takes them', () => {
    expect(parseMinutes('3,6,9')).toEqual([3, 6, 9]);
    expect(parseMinutes(' 9 3; 6 3')).toEqual([3, 6, 9]);
    expect(parseMinutes('')).toBeNull();
    expect(parseMinutes('0,5')).toBeNull();
    expect(parseMinutes('181')).toBeNull();
    expect(parseMinutes('1,2,3,4,5,6,7,8,9')).toBeNull();
    expect(parseMinutes('three')).toBeNull();
  });

  it('formats ETAs and distances, and lists recommendations fastest first', () => {
    expect([formatEta(45), formatEta(116), formatEta(120), formatEta(3780), formatEta(null)]).toEqual(['45 s', '1 min 56 s', '2 min', '1 h 3 min', '—']);
    expect([formatDistance(850.4), formatDistance(2049), formatDistance(undefined)]).toEqual(['850 m', '2.0 km', '—']);
    const eta = (unitId: string, etaS: number): UnitEta => ({ unitId, name: unitId, type: 'ambulance', status: 'available', ownerOrgId: 'h', profile: 'emergency', etaS, distanceM: etaS * 10, position: unit('x').position!, positionAgeS: 30, offRoadM: 2 });
    const rows = recommendationRows([{ type: 'ambulance', units: [eta('slow', 300), eta('fast', 60)] }, { type: 'hazmat', units: [] }]);
    expect(rows.map((g) => [g.label, g.rows.map((r) => r.name)])).toEqual([
      ['Ambulance', ['fast', 'slow']],
      ['Hazmat', []],
    ]);
    expect(rows[0]!.rows[0]).toMatchObject({ eta: '1 min', distance: '600 m', age: '30 s ago' });
  });
});
