import { describe, expect, it } from 'vitest';
import { parseUnitPositionTopic } from '../../src/units/avl.js';
import { describeDuration, type Unit } from '../../src/units/model.js';
import { checkPosition, MAX_CLOCK_AHEAD_MS } from '../../src/units/positions.js';
import { recommend, routePicker } from '../../src/units/recommend.js';
import { changeStatus, dispatchRefusal } from '../../src/units/status.js';

const now = Date.parse('2026-06-01T10:00:00Z');

describe('position reports', () => {
  it('accepts a position, with the server time when the vehicle gives none', () => {
    expect(checkPosition({ lon: 7.42, lat: 43.73 }, now, null)).toEqual({ ok: true, report: { lon: 7.42, lat: 43.73, at: now, headingDeg: null, speedKmh: null, accuracyM: null } });
    const dated = checkPosition({ lon: 7.42, lat: 43.73, at: '2026-06-01T09:59:00Z', headingDeg: 90, speedKmh: 42, accuracyM: 5 }, now, null);
    expect(dated.ok && dated.report).toMatchObject({ at: now - 60_000, headingDeg: 90, speedKmh: 42, accuracyM: 5 });
  });

  it('ignores a report older than the one on record, refuses one from the future and garbage', () => {
    expect(checkPosition({ lon: 7.42, lat: 43.73, at: now - 1000 }, now, now - 1000)).toMatchObject({ ok: false, reason: 'stale' });
    expect(checkPosition({ lon: 7.42, lat: 43.73, at: now + MAX_CLOCK_AHEAD_MS + 1 }, now, null)).toMatchObject({ ok: false, reason: 'future' });
    expect(checkPosition({ lon: 7.42, lat: 43.73, at: now + MAX_CLOCK_AHEAD_MS }, now, null).ok).toBe(true);
    for (const bad of [null, [], 'x', { lon: '7', lat: 43 }, { lon: 181, lat: 0 }, { lon: 7, lat: 91 }, { lon: 7, lat: 43, at: 'yesterday' }, { lon: 7, lat: 43, colour: 'red' }, { lon: 7, lat: 43, speedKmh: -1 }, { lon: Number.NaN, lat: 1 }]) {
      expect(checkPosition(bad, now, null), JSON.stringify(bad)).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });

  it('reads MQTT unit topics of the form vigil/<org>/units/<unit>/position only', () => {
    expect(parseUnitPositionTopic('vigil/police/units/abc/position')).toEqual({ orgSlug: 'police', unitId: 'abc' });
    for (const t of ['vigil/police/units/abc', 'vigil/police/abc/position', 'vigil//units/abc/position', 'x/police/units/abc/position', 'vigil/police/units/abc/position/extra']) {
      expect(parseUnitPositionTopic(t), t).toBeNull();
    }
  });
});

describe('unit status', () => {
  it('lets a dispatched unit arrive on scene, and any unit become available or out of service', () => {
    expect(changeStatus('dispatched', 'on-scene', true)).toEqual({ ok: true, to: 'on-scene', timeline: 'unit-on-scene', clearsAssignment: false });
    expect(changeStatus('on-scene', 'available', true)).toEqual({ ok: true, to: 'available', timeline: 'unit-released', clearsAssignment: true });
    expect(changeStatus('available', 'out-of-service', false)).toEqual({ ok: true, to: 'out-of-service', timeline: null, clearsAssignment: true });
  });

  it('never dispatches by a status report, and needs a dispatch before on-scene', () => {
    expect(changeStatus('available', 'dispatched', false).ok).toBe(false);
    expect(changeStatus('available', 'on-scene', false).ok).toBe(false);
    expect(changeStatus('on-scene', 'on-scene', true).ok).toBe(false);
  });

  it('sends only units in service, and takes a busy one only when asked to', () => {
    expect(dispatchRefusal('available', false, false)).toBeNull();
    expect(dispatchRefusal('out-of-service', false, true)).toMatch(/out of service/);
    expect(dispatchRefusal('dispatched', true, true)).toMatch(/already dispatched to this incident/);
    expect(dispatchRefusal('on-scene', false, false)).toMatch(/reassign/);
    expect(dispatchRefusal('on-scene', false, true)).toBeNull();
  });

  it('writes durations as people say them', () => {
    expect([describeDuration(42.4), describeDuration(120), describeDuration(200.2)]).toEqual(['42 s', '2 min', '3 min 20 s']);
  });
});

describe('the recommendation', () => {
  const unit = (id: string, type: string, profile: 'car' | 'emergency' = 'emergency'): Unit => ({
    id,
    name: id.toUpperCase(),
    type,
    status: 'available',
    profile,
    homeStationId: null,
    position: { lon: 7.42, lat: 43.73, at: new Date(now - 30_000).toISOString(), headingDeg: null, speedKmh: null, accuracyM: null },
    assignment: null,
    dispatcherOrgIds: [],
    attributes: {},
    ownerOrgId: 'org',
    tlp: 'amber',
    distribution: { scope: 'owner' },
    createdAt: '',
    updatedAt: '',
    version: 1,
  });
  const units = new Map([unit('e1', 'fire-engine'), unit('e2', 'fire-engine'), unit('e3', 'fire-engine'), unit('a1', 'ambulance'), unit('c1', 'repair-crew', 'car'), unit('x', 'police-car')].map((u) => [u.id, u]));
  const snapped = { lon: 0, lat: 0, distanceM: 2, roadName: '', segment: 0 };
  const line = { type: 'LineString' as const, coordinates: [[0, 0] as [number, number], [1, 1] as [number, number]] };

  it('groups by type, fastest first across profiles, at most perType each, with geometry only there', () => {
    const emergency = {
      status: 'ranked' as const,
      profile: 'emergency' as const,
      incident: snapped,
      ranked: [
        { id: 'e2', etaS: 50, distanceM: 500, snapped, geometry: line },
        { id: 'a1', etaS: 60, distanceM: 600, snapped, geometry: line },
        { id: 'e1', etaS: 70, distanceM: 700, snapped, geometry: line },
        { id: 'e3', etaS: 90, distanceM: 900, snapped },
      ],
      unranked: [{ id: 'x', reason: 'no-position' as const }],
      engine: 'hierarchy' as const,
    };
    const car = { status: 'ranked' as const, profile: 'car' as const, incident: snapped, ranked: [{ id: 'c1', etaS: 55, distanceM: 550, snapped, geometry: line }], unranked: [], engine: 'dijkstra' as const };
    const r = recommend(units, [emergency, car], { perType: 2, types: ['ambulance', 'fire-engine', 'hazmat'], now });
    expect(r.byType.map((g) => [g.type, g.units.map((u) => u.unitId)])).toEqual([
      ['ambulance', ['a1']],
      ['fire-engine', ['e2', 'e1']],
      ['hazmat', []],
      ['repair-crew', ['c1']],
    ]);
    expect(r.ranked.map((u) => u.unitId)).toEqual(['e2', 'c1', 'a1', 'e1', 'e3']);
    expect(r.ranked.every((u) => u.geometry === undefined)).toBe(true);
    expect(r.byType[1]!.units.every((u) => u.geometry !== undefined)).toBe(true);
    expect(r.unranked).toEqual([{ unitId: 'x', name: 'X', type: 'police-car', reason: 'no-position' }]);
    expect(r.engine).toBe('dijkstra');
    expect(r.ranked[0]!.positionAgeS).toBe(30);
  });

  it('asks for a route for the first perType units of each type and profile', () => {
    const pick = routePicker(units, 2);
    expect(['e1', 'e2', 'e3', 'a1', 'c1', 'nobody'].map(pick)).toEqual([true, true, false, true, true, false]);
  });
});
