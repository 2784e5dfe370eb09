import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestStats } from '../../src/ingest/stats.js';
import { alertNamesDatastream, alertOverlaps } from '../../src/ingest/alarm-match.js';
import { type Live, buildServer, startLive, stopLive } from '../../src/server.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { apiToken } from './helpers.js';

/**
 * What the web pages for datastreams, detectors and ingestion health read: a datastream's alarms in a time
 * range (under the sharing policy), replayed readings counted as their own path, the last minute second by
 * second, and detector status for analysts.
 */
describe('a datastream’s alarms', () => {
  const stream = { id: 'ds1', key: 'L_T1', ownerOrgId: 'water' };
  it('are the alerts whose evidence names its id, or its key when they are its own organisation’s', () => {
    expect(alertNamesDatastream({ ownerOrgId: 'cert', evidence: { datastreamIds: ['ds1'] } }, stream)).toBe(true);
    expect(alertNamesDatastream({ ownerOrgId: 'cert', evidence: { datastreams: { X: { datastreamId: 'ds1' } } } }, stream)).toBe(true);
    expect(alertNamesDatastream({ ownerOrgId: 'water', evidence: { datastreams: { L_T1: { observed: 1 } } } }, stream)).toBe(true);
    // Another organisation's L_T1 is another sensor.
    expect(alertNamesDatastream({ ownerOrgId: 'energy', evidence: { datastreams: { L_T1: { observed: 1 } } } }, stream)).toBe(false);
    expect(alertNamesDatastream({ ownerOrgId: 'water', evidence: { datastreams: ['L_T1'], summary: 'L_T1' } }, stream)).toBe(false);
    expect(alertNamesDatastream({ ownerOrgId: 'water', evidence: null }, stream)).toBe(false);
  });

  it('last from their first occurrence to their last repeat', () => {
    const a = { time: '2026-11-20T10:00:00Z', lastSeen: '2026-11-20T12:00:00Z' };
    const at = (h: number) => Date.UTC(2026, 10, 20, h);
    expect(alertOverlaps(a, at(11), at(13))).toBe(true);
    expect(alertOverlaps(a, at(12), at(13))).toBe(true);
    expect(alertOverlaps(a, at(13), at(14))).toBe(false);
    expect(alertOverlaps(a, at(8), at(9))).toBe(false);
  });
});

describe('ingestion stats per path', () => {
  it('give each path its rate and the last minute second by second', () => {
    let now = 1_000_000_000_000;
    const stats = new IngestStats(() => now);
    stats.accepted('o', 'http', 10);
    stats.accepted('o', 'replay', 600);
    now += 1000;
    stats.accepted('o', 'replay', 400);
    stats.rejected('o', 'duplicate', 2);
    now += 1000;
    const h = stats.health('o');
    expect(h.acceptedBySource).toEqual({ http: 10, replay: 1000 });
    expect(h.acceptedPerSecondBySource.replay).toEqual({ last10s: 100, last60s: 1000 / 60 });
    expect(h.lastMinute.accepted.replay!.length).toBe(60);
    expect(h.lastMinute.accepted.replay!.slice(-3)).toEqual([0, 600, 400]);
    expect(h.lastMinute.accepted.http!.slice(-2)).toEqual([10, 0]);
    expect(h.lastMinute.rejected.duplicate!.slice(-2)).toEqual([0, 2]);
    expect(h.lastMinute.until).toBe(new Date(now).toISOString());
    // A minute later the picture is empty again; the totals stay.
    now += 61_000;
    const later = stats.health('o');
    expect(later.lastMinute.accepted.replay!.every((n) => n === 0)).toBe(true);
    expect(later.acceptedBySource.replay).toBe(1000);
  });
});

describe('the API the sensor pages read', () => {
  let t: TestKernel;
  let live: Live;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let world: World;
  let admin: string;
  let device: string;
  let assetId: string;
  let streamId: string;
  const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  };
  const T = Date.UTC(2026, 10, 20, 10);
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    live = startLive(t.kernel);
    app = await buildServer(t.kernel, live);
    world = await seedWorld(t.kernel);
    admin = await apiToken(t.kernel, world.org.owner, 'admin');
    device = await apiToken(t.kernel, world.org.owner, 'operator');
    // The tank is shared with the listed organisation only (AMBER); its sensor follows.
    assetId = (await call(admin, 'POST', '/assets', { name: 'Tank T1', type: 'tank', tlp: 'amber', distribution: { scope: 'orgs', orgIds: [world.org.listed] } })).body.id;
    streamId = (await call(admin, 'POST', '/datastreams', { key: 'L_T1', kind: 'level', unit: 'm', assetId })).body.id;
    const alert = (title: string, time: number, evidence: object, token = admin, extra: object = {}) =>
      call(token, 'POST', '/alerts', { category: 'physical', severity: 'high', title, time: iso(time), assetIds: [assetId], evidence, tlp: 'amber', distribution: { scope: 'orgs', orgIds: [world.org.listed] }, ...extra });
    await alert('by id', T, { datastreamIds: [streamId] });
    await alert('by key', T + 3600_000, { datastreams: { L_T1: { observed: 7, expected: 4 } } });
    await alert('other sensor', T + 3600_000, { datastreams: { F_PU1: { observed: 7 } } });
    await alert('long ago', T - 10 * 86_400_000, { datastreamIds: [streamId] });
    await alert('only ours', T + 7200_000, { datastreamIds: [streamId] }, admin, { tlp: 'amber+strict', distribution: { scope: 'owner' } });
    // Another organisation's alert about its own L_T1 is not about ours.
    await call(world.token.community, 'POST', '/alerts', { category: 'physical', severity: 'low', title: 'their L_T1', time: iso(T), evidence: { datastreams: { L_T1: { observed: 1 } } }, tlp: 'clear', distribution: { scope: 'public' } });
  });

  afterAll(async () => {
    await app?.close();
    if (live) await stopLive(live);
    await t?.cleanup();
  });

  it('answers a datastream’s alarms in a range, newest first, each as the viewer may see it', async () => {
    const range = `from=${encodeURIComponent(iso(T - 3600_000))}&to=${encodeURIComponent(iso(T + 86_400_000))}`;
    const mine = await call(world.token.owner, 'GET', `/datastreams/${streamId}/alerts?${range}`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a: { title: string }) => a.title)).toEqual(['only ours', 'by key', 'by id']);
    expect(mine.body.truncated).toBe(false);
    const limited = await call(world.token.owner, 'GET', `/datastreams/${streamId}/alerts?${range}&limit=2`);
    expect(limited.body).toMatchObject({ truncated: true });
    expect(limited.body.items.length).toBe(2);
    // The listed organisation sees the sensor and the alerts shared with it, not the AMBER+STRICT one.
    const listed = await call(world.token.listed, 'GET', `/datastreams/${streamId}/alerts?${range}`);
    expect(listed.body.items.map((a: { title: string }) => a.title)).toEqual(['by key', 'by id']);
    // Others do not see the sensor at all.
    expect((await call(world.token.community, 'GET', `/datastreams/${streamId}/alerts?${range}`)).status).toBe(404);
    expect((await call(world.token.owner, 'GET', `/datastreams/${streamId}/alerts?from=${encodeURIComponent(iso(T))}&to=${encodeURIComponent(iso(T - 1))}`)).status).toBe(400);
  });

  it('counts readings sent by replay as their own path in ingestion health, with the last minute', async () => {
    const now = Date.now();
    const send = (url: string, v: number, dt: number) =>
      app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' }, payload: JSON.stringify([{ stream: 'L_T1', t: now - 5000 + dt, v }]) });
    expect((await send('/api/v1/observations?source=replay', 1, 0)).statusCode).toBe(200);
    expect((await send('/api/v1/observations', 2, 1)).statusCode).toBe(200);
    expect((await send('/api/v1/observations?source=mqtt', 3, 2)).statusCode).toBe(400);
    const health = await call(admin, 'GET', '/ingest/health');
    expect(health.body.acceptedBySource).toEqual({ replay: 1, http: 1 });
    expect(Object.keys(health.body.acceptedPerSecondBySource).sort()).toEqual(['http', 'replay']);
    expect(health.body.lastMinute.accepted.replay).toHaveLength(60);
  });

  it('shows analysts the detectors’ status; only admins resume', async () => {
    expect((await call(world.token.owner, 'GET', '/detectors/status')).status).toBe(200);
    expect((await call(world.token.owner, 'POST', '/detectors/x/resume')).status).toBe(403);
    expect((await call(await world.tokenFor('owner', 'viewer'), 'GET', '/detectors/status')).status).toBe(403);
  });
});
