import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/kernel/config.js';
import {
  areasFromSpecs,
  circleRing,
  composeContent,
  hazardOf,
  inboxActionOf,
  locationOf,
  parseCap,
  parsePolygon,
  referencedMessages,
  warningSettingsFrom,
  type Alert,
} from '../../src/warnings/index.js';
import { CONDAMINE_JUNCTIONS, contentFrom } from './fixtures.js';
import { distanceMeters } from '../../src/warnings/geometry.js';

const MONACO = readFileSync(new URL('./data/monaco-boil-water.cap', import.meta.url), 'utf8');

describe('warning areas from shapes', () => {
  const junctions = CONDAMINE_JUNCTIONS.map((j) => [j.lon, j.lat]);

  it('makes a circle in kilometres, a GeoJSON polygon in CAP order, and a hull that covers every point by the buffer', () => {
    const result = areasFromSpecs(
      [
        { kind: 'circle', areaDesc: 'Casino', center: [7.4283, 43.7396], radiusMeters: 250 },
        { kind: 'polygon', areaDesc: 'Port', geometry: { type: 'Polygon', coordinates: [[[7.42, 43.73], [7.43, 43.73], [7.43, 43.74], [7.42, 43.73]]] } },
        { kind: 'hull', points: junctions, bufferMeters: 150, source: 'water run 1' },
      ],
      { fr: 'La Condamine', en: 'La Condamine district' },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.areas[0]).toMatchObject({ areaDesc: 'Casino', circle: ['43.7396,7.4283 0.25'] });
    expect(result.areas[1]!.polygon).toEqual(['43.73,7.42 43.73,7.43 43.74,7.43 43.73,7.42']);
    expect(result.areas[2]!.areaDesc).toEqual({ fr: 'La Condamine', en: 'La Condamine district' });
    const hull = parsePolygon(result.areas[2]!.polygon![0]!)!;
    for (const j of CONDAMINE_JUNCTIONS) {
      const nearest = Math.min(...hull.map((p) => distanceMeters(j, p)));
      expect(nearest).toBeGreaterThanOrEqual(150);
    }
  });

  it('derives the area from an incident: its polygon, a circle around one place, a hull around several', () => {
    const polygon = { type: 'Polygon' as const, coordinates: [[[7.42, 43.73], [7.43, 43.73], [7.43, 43.74], [7.42, 43.73]]] as [number, number][][] };
    const fromPolygon = areasFromSpecs([{ kind: 'incident' }], 'Port', { location: polygon, assetGeometries: [] });
    expect(fromPolygon.ok && fromPolygon.areas[0]!.polygon).toEqual(['43.73,7.42 43.73,7.43 43.74,7.43 43.73,7.42']);
    const onePlace = areasFromSpecs([{ kind: 'incident', bufferMeters: 800 }], 'Port', { location: { type: 'Point', coordinates: [7.42, 43.73] }, assetGeometries: [{ type: 'Point', coordinates: [7.42, 43.73] }] });
    expect(onePlace.ok && onePlace.areas[0]!.circle).toEqual(['43.73,7.42 0.8']);
    const several = areasFromSpecs([{ kind: 'incident' }], 'Port', { location: null, assetGeometries: [{ type: 'Point', coordinates: [7.42, 43.73] }, { type: 'Point', coordinates: [7.43, 43.74] }] });
    expect(several.ok && several.areas[0]!.polygon).toHaveLength(1);
  });

  it('says what is missing instead of guessing', () => {
    const r = areasFromSpecs([{ kind: 'incident' }, { kind: 'circle', center: [7.42, 43.73], radiusMeters: 100 }, { kind: 'hull', areaDesc: 'x', points: [[200, 43]], bufferMeters: 10 }], undefined, { location: null, assetGeometries: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons).toEqual([
      'areas[0]: say what the area is called (areaDesc), e.g. "La Condamine"',
      'areas[1]: say what the area is called (areaDesc), e.g. "La Condamine"',
      'areas[2]: (43, 200) is not a WGS 84 latitude,longitude',
    ]);
    expect(areasFromSpecs([{ kind: 'incident', areaDesc: 'x' }], undefined).ok).toBe(false);
  });
});

describe('composing follow-up messages', () => {
  const now = new Date('2026-07-14T09:30:00Z');
  const previous: Alert = {
    identifier: 'MC.w.1',
    sender: 's@example.mc',
    sent: '2026-07-14T11:30:00+02:00',
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    code: [],
    info: contentFrom('avoid-area', now).info,
  };

  it('cancels a warning written without a template with the shared cancel text, in its languages and areas', () => {
    const r = composeContent({ kind: 'cancel', values: { issuer: 'CERT', contact: '112', reason: 'fausse alerte' }, now, timeZone: 'Europe/Monaco', previous, defaultLanguage: 'fr' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.content.info.map((i) => [i.language, i.responseType, i.urgency, i.event])).toEqual(previous.info.map((i) => [i.language, ['None'], 'Past', i.event]));
    expect(r.content.info[0]!.description).toContain('fausse alerte');
    expect(r.content.info.map((i) => i.area)).toEqual(previous.info.map((i) => i.area));
  });

  it('asks for a template or content where it cannot write one', () => {
    const r = composeContent({ kind: 'all-clear', values: {}, now, timeZone: 'UTC', previous, defaultLanguage: 'fr' });
    expect(r).toEqual({ ok: false, reasons: ['give a template or the content of the all-clear'] });
  });
});

describe('received CAP as hazard alerts', () => {
  const { alert } = parseCap(MONACO);

  it('maps severity, title, and every polygon and circle once into GeoJSON', () => {
    const translated: Alert = { ...alert, info: [alert.info[0]!, { ...alert.info[0]!, language: 'en', severity: 'Extreme', headline: 'Boil water' }] };
    const hazard = hazardOf(translated, '1.2', MONACO, 'en');
    expect(hazard).toMatchObject({ severity: 'critical', title: '[Exercise] Boil water' });
    expect(hazard.location?.type).toBe('MultiPolygon');
    expect((hazard.location as { coordinates: unknown[] }).coordinates).toHaveLength(2);
  });

  it('draws a circle as a ring that contains it', () => {
    const centre = { lat: 43.7347, lon: 7.4196 };
    const ring = circleRing(centre, 0.3);
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const [lon, lat] of ring) expect(distanceMeters(centre, { lat: lat!, lon: lon! })).toBeGreaterThanOrEqual(300);
    expect(locationOf({ ...alert, info: [] })).toBeNull();
  });

  it('decides what a message does: raise, update, close or nothing', () => {
    expect(inboxActionOf(alert)).toBe('raise');
    expect(inboxActionOf({ ...alert, msgType: 'Update' })).toBe('update');
    expect(inboxActionOf({ ...alert, msgType: 'Update', info: alert.info.map((i) => ({ ...i, responseType: ['AllClear'] })) })).toBe('close');
    expect(inboxActionOf({ ...alert, msgType: 'Cancel' })).toBe('close');
    expect(inboxActionOf({ ...alert, msgType: 'Ack' })).toBe('ignore');
    expect(inboxActionOf({ ...alert, status: 'Test' })).toBe('ignore');
    expect(referencedMessages({ ...alert, references: 'a@x,ID-1,2026-01-01T00:00:00-00:00  b@y,ID-2,2026-01-01T01:00:00-00:00' })).toEqual([
      { sender: 'a@x', identifier: 'ID-1' },
      { sender: 'b@y', identifier: 'ID-2' },
    ]);
  });
});

describe('warning settings from the environment', () => {
  const config = { host: '127.0.0.1', port: 8080 };

  it('defaults to the authorities’ admins and analysts, and names the sender after the public host', () => {
    const s = warningSettingsFrom({}, config);
    expect(s).toMatchObject({ approverOrgs: null, approverRoles: ['admin', 'analyst'], authorRoles: ['admin', 'analyst', 'operator'], sender: 'vigil@127.0.0.1', publicBaseUrl: 'http://127.0.0.1:8080', timeZone: 'Europe/Monaco' });
    const city = warningSettingsFrom({ VIGIL_PUBLIC_URL: 'https://alertes.gouv.mc/', VIGIL_WARNING_APPROVER_ORGS: 'civil-protection, cert', VIGIL_WARNING_APPROVER_ROLES: 'admin' }, config);
    expect(city).toMatchObject({ publicBaseUrl: 'https://alertes.gouv.mc', sender: 'vigil@alertes.gouv.mc', approverOrgs: ['civil-protection', 'cert'], approverRoles: ['admin'] });
  });

  it('stops the start with a sentence on a wrong value', () => {
    for (const env of [
      { VIGIL_WARNING_APPROVER_ROLES: 'viewer' },
      { VIGIL_WARNING_AUTHOR_ROLES: 'mayor' },
      { VIGIL_CAP_SENDER: 'civil protection' },
      { VIGIL_CAP_IDENTIFIER_PREFIX: 'a,b' },
      { VIGIL_CAP_TIME_ZONE: 'Mars/Olympus' },
      { VIGIL_PUBLIC_URL: 'alertes.gouv.mc' },
      { VIGIL_WEBHOOK_MAX_ATTEMPTS: '0' },
    ]) {
      expect(() => warningSettingsFrom(env, config), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});
