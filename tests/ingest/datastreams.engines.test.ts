import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';
import { type Live, buildServer, startLive, stopLive } from '../../src/server.js';
import { T0, apiToken } from './helpers.js';

/**
 * Datastreams follow their asset's sharing, in the query; readings are stored with per-minute and per-hour
 * aggregates, age out by retention, and come back downsampled for charts. On every engine.
 */
for (const engine of engines()) {
  describe(`datastreams and observations on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: World;
    let live: Live;
    let now = T0;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await openTestKernel(engine, {}, { clock: () => now });
      live = startLive(t.kernel);
      const app = await buildServer(t.kernel, live);
      await app.ready();
      api = { app, call: makeCall(app), close: () => app.close() };
      world = await seedWorld(t.kernel);
      // The clock moves by days below: API tokens do not expire like sessions.
      for (const org of ['owner', 'listed', 'community'] as const) world.token[org] = await apiToken(t.kernel, world.org[org], 'admin');
      const asset = async (name: string, distribution: object) => {
        const res = await api.call('POST', '/api/v1/assets', world.token.owner, { name, type: 'tank', tlp: 'amber', distribution });
        expect(res.status, res.text).toBe(201);
        return res.body.id as string;
      };
      ids.sharedAsset = await asset('Tank shared with listed', { scope: 'orgs', orgIds: [world.org.listed] });
      ids.privateAsset = await asset('Tank kept to the owner', { scope: 'owner' });
      const stream = async (key: string, assetId: string | null, unit = 'm') => {
        const res = await api.call('POST', '/api/v1/datastreams', world.token.owner, { key, kind: 'level', unit, assetId, expectedRange: { min: 0, max: 6 } });
        expect(res.status, res.text).toBe(201);
        return res.body.id as string;
      };
      ids.shared = await stream('L_SHARED', ids.sharedAsset);
      ids.private = await stream('L_PRIVATE', ids.privateAsset);
      ids.loose = await stream('L_LOOSE', null);
    });

    afterAll(async () => {
      await api?.close();
      if (live) await stopLive(live);
      await t?.cleanup();
    });

    it('shows a datastream exactly to those who see its asset', async () => {
      const seen = async (org: keyof World['token']) => {
        const res = await api.call('GET', '/api/v1/datastreams', world.token[org]);
        expect(res.status).toBe(200);
        return (res.body.items as Array<{ key: string }>).map((d) => d.key).sort();
      };
      expect(await seen('owner')).toEqual(['L_LOOSE', 'L_PRIVATE', 'L_SHARED']);
      expect(await seen('listed')).toEqual(['L_SHARED']);
      expect(await seen('community')).toEqual([]);
      expect((await api.call('GET', `/api/v1/datastreams/${ids.private}`, world.token.listed)).status).toBe(404);
      expect((await api.call('GET', `/api/v1/datastreams/${ids.private}/observations`, world.token.listed)).status).toBe(404);
      expect((await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations`, world.token.community)).status).toBe(404);
      const byAsset = await api.call('GET', `/api/v1/datastreams?asset=${ids.sharedAsset}`, world.token.listed);
      expect(byAsset.body.items).toHaveLength(1);
      expect(byAsset.body.items[0]).toMatchObject({ id: ids.shared, key: 'L_SHARED', kind: 'level', unit: 'm', assetId: ids.sharedAsset, ownerOrgId: world.org.owner, expectedRange: { min: 0, max: 6 }, lastObservationAt: null });
    });

    it('follows a change of the asset’s sharing at once', async () => {
      const share = await api.call('POST', `/api/v1/assets/${ids.privateAsset}/share`, world.token.owner, { tlp: 'green', distribution: { scope: 'community' } });
      expect(share.status, share.text).toBe(200);
      expect((await api.call('GET', `/api/v1/datastreams/${ids.private}`, world.token.community)).status).toBe(200);
      await api.call('POST', `/api/v1/assets/${ids.privateAsset}/share`, world.token.owner, { distribution: { scope: 'owner' } });
      expect((await api.call('GET', `/api/v1/datastreams/${ids.private}`, world.token.community)).status).toBe(404);
    });

    it('creates datastreams only on the organisation’s own assets, with keys unique in it', async () => {
      expect((await api.call('POST', '/api/v1/datastreams', world.token.listed, { key: 'X1', kind: 'flow', assetId: ids.sharedAsset })).status).toBe(403);
      expect((await api.call('POST', '/api/v1/datastreams', world.token.listed, { key: 'X1', kind: 'flow', assetId: ids.privateAsset })).status).toBe(422);
      expect((await api.call('POST', '/api/v1/datastreams', world.token.owner, { key: 'L_SHARED', kind: 'level' })).status).toBe(409);
      expect((await api.call('POST', '/api/v1/datastreams', world.token.owner, { key: 'bad/key', kind: 'level' })).status).toBe(400);
    });

    it('stores readings with minute and hour aggregates, and serves them for charts', async () => {
      // 3 hours of one reading every 10 s: value = minute index within the hour.
      const lines: string[] = [];
      for (let s = 0; s < 3 * 3600; s += 10) lines.push(JSON.stringify({ stream: 'L_SHARED', t: T0 + s * 1000, v: Math.floor((s % 3600) / 60) }));
      now = T0 + 3 * 3600_000;
      const res = await api.app.inject({ method: 'POST', url: '/api/v1/observations', headers: { authorization: `Bearer ${world.token.owner}`, 'content-type': 'application/x-ndjson' }, payload: lines.join('\n') });
      expect(res.statusCode, res.body).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ accepted: 1080, rejected: [] });

      const from = new Date(T0).toISOString();
      const to = new Date(T0 + 3 * 3600_000).toISOString();
      const hour = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${to}&resolution=hour`, world.token.listed);
      expect(hour.status).toBe(200);
      expect(hour.body.resolution).toBe('hour');
      expect(hour.body.points).toHaveLength(3);
      expect(hour.body.points[0]).toEqual({ t: from, v: 29.5, min: 0, max: 59, count: 360 });

      const minute = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${new Date(T0 + 600_000).toISOString()}&resolution=minute`, world.token.owner);
      expect(minute.body.points).toHaveLength(10);
      expect(minute.body.points[3]).toEqual({ t: new Date(T0 + 180_000).toISOString(), v: 3, min: 3, max: 3, count: 6 });

      const auto = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${to}`, world.token.owner);
      expect(auto.body.resolution).toBe('minute'); // 1,080 readings: more than a chart draws raw
      expect(auto.body.points).toHaveLength(180);
      const twoHours = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${new Date(T0 + 2 * 3600_000).toISOString()}`, world.token.owner);
      expect(twoHours.body.resolution).toBe('raw'); // 720 readings: drawn as they are
      expect(twoHours.body.points).toHaveLength(720);
      const shortRaw = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${new Date(T0 + 60_000).toISOString()}&resolution=raw`, world.token.owner);
      expect(shortRaw.body.points.map((p: { v: number }) => p.v)).toEqual([0, 0, 0, 0, 0, 0]);

      const ds = await api.call('GET', `/api/v1/datastreams/${ids.shared}`, world.token.owner);
      expect(ds.body.lastObservationAt).toBe(new Date(T0 + (3 * 3600 - 10) * 1000).toISOString());
    });

    it('picks minute buckets for a dense day and hours for a long range', async () => {
      const lines: string[] = [];
      const day0 = T0 + 4 * 3600_000;
      for (let s = 0; s < 86_400; s += 5) lines.push(JSON.stringify({ stream: 'L_LOOSE', t: day0 + s * 1000, v: s % 7 }));
      now = day0 + 86_400_000;
      for (let i = 0; i < lines.length; i += 5000) {
        const res = await api.app.inject({ method: 'POST', url: '/api/v1/observations', headers: { authorization: `Bearer ${world.token.owner}`, 'content-type': 'application/x-ndjson' }, payload: lines.slice(i, i + 5000).join('\n') });
        expect(res.statusCode).toBe(200);
      }
      const day = await api.call('GET', `/api/v1/datastreams/${ids.loose}/observations?from=${new Date(day0).toISOString()}&to=${new Date(now).toISOString()}`, world.token.owner);
      expect(day.body.resolution).toBe('minute');
      expect(day.body.bucketSeconds).toBe(180);
      expect(day.body.points).toHaveLength(480);
      expect(day.body.points.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(17_280);
      const month = await api.call('GET', `/api/v1/datastreams/${ids.loose}/observations?from=${new Date(day0 - 30 * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`, world.token.owner);
      expect(month.body.resolution).toBe('hour');
      expect(month.body.points.length).toBeLessThanOrEqual(500);
    });

    it('forgets raw readings after the retention period and keeps the aggregates', async () => {
      now = T0 + 9 * 86_400_000; // the default raw retention is 7 days
      const removed = await live.ingestion.retainNow();
      expect(removed.raw).toBe(1080 + 17_280);
      expect(removed.minute).toBe(0);
      const from = new Date(T0).toISOString();
      const to = new Date(T0 + 3 * 3600_000).toISOString();
      const raw = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${to}&resolution=raw`, world.token.owner);
      expect(raw.body.points).toHaveLength(0);
      const auto = await api.call('GET', `/api/v1/datastreams/${ids.shared}/observations?from=${from}&to=${to}`, world.token.owner);
      expect(auto.body.resolution).toBe('minute');
      expect(auto.body.points.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(1080);
    });
  });
}

function makeCall(app: Api['app']): Api['call'] {
  return async (method, url, token, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
    let parsed: unknown = null;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      parsed = null;
    }
    return { status: res.statusCode, body: parsed, headers: res.headers as Record<string, unknown>, text: res.body };
  };
}
