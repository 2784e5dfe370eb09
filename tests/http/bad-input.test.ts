import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

describe('bad input gets a clear 4xx problem and leaves nothing half-written', () => {
  let t: TestKernel;
  let api: Api;
  let w: World;

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_BODY_LIMIT: '4096' });
    api = await startApi(t.kernel);
    w = await seedWorld(t.kernel);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  const counts = async () => {
    const db = t.kernel.store.db;
    const n = async (table: 'alerts' | 'events' | 'audit_log' | 'assets' | 'incidents') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { alerts: await n('alerts'), assets: await n('assets'), incidents: await n('incidents'), events: await n('events'), audit: await n('audit_log') };
  };

  const raw = (url: string, payload: string, contentType = 'application/json') =>
    api.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${w.token.owner}`, 'content-type': contentType } });

  const cases: Array<{ name: string; send: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>; status: number; detail: RegExp }> = [
    { name: 'malformed JSON', send: () => raw('/api/v1/alerts', '{"title": "x",'), status: 400, detail: /not valid JSON/ },
    { name: 'a wrong type', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 5, category: 'cyber', severity: 'low' })), status: 400, detail: /title/ },
    { name: 'a number sent as text', send: () => raw('/api/v1/assets', JSON.stringify({ name: 'p', type: 'pump', criticality: '3' })), status: 400, detail: /criticality/ },
    { name: 'an unknown field', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', colour: 'red' })), status: 400, detail: /unknown field "colour"/ },
    { name: 'a missing field', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber' })), status: 400, detail: /severity/ },
    { name: 'an invalid enum', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'weather', severity: 'low' })), status: 400, detail: /category/ },
    { name: 'an oversize body', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x'.repeat(5000), category: 'cyber', severity: 'low' })), status: 413, detail: /VIGIL_BODY_LIMIT/ },
    { name: 'another content type', send: () => raw('/api/v1/alerts', 'title=x', 'application/x-www-form-urlencoded'), status: 415, detail: /content type/ },
    {
      name: 'an unclosed polygon',
      send: () => raw('/api/v1/assets', JSON.stringify({ name: 'p', type: 'venue', geometry: { type: 'Polygon', coordinates: [[[7.4, 43.7], [7.41, 43.7], [7.41, 43.71], [7.4, 43.72]]] } })),
      status: 400,
      detail: /not closed/,
    },
    { name: 'a latitude out of range', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', location: { type: 'Point', coordinates: [7.4, 95] } })), status: 400, detail: /latitude 95/ },
    { name: 'an invalid TLP', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', tlp: 'white' })), status: 400, detail: /tlp/ },
    { name: 'an invalid distribution', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', distribution: { scope: 'everyone' } })), status: 400, detail: /distribution/ },
    { name: 'a label that forbids the distribution', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', tlp: 'red', distribution: { scope: 'community' } })), status: 422, detail: /RED may only go/ },
    { name: 'an unknown organisation in the distribution', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', tlp: 'amber', distribution: { scope: 'orgs', orgIds: ['0190a1b2-0000-7000-8000-000000000000'] } })), status: 422, detail: /does not exist/ },
    { name: 'an asset the caller may not see', send: () => raw('/api/v1/alerts', JSON.stringify({ title: 'x', category: 'cyber', severity: 'low', assetIds: ['0190a1b2-0000-7000-8000-000000000000'] })), status: 422, detail: /do not exist/ },
    { name: 'an id that is not an id', send: () => api.app.inject({ method: 'GET', url: '/api/v1/alerts/42', headers: { authorization: `Bearer ${w.token.owner}` } }), status: 400, detail: /params/ },
    { name: 'a bbox upside down', send: () => api.app.inject({ method: 'GET', url: '/api/v1/alerts?bbox=8,44,7,43', headers: { authorization: `Bearer ${w.token.owner}` } }), status: 400, detail: /bbox/ },
    { name: 'an unknown query parameter', send: () => api.app.inject({ method: 'GET', url: '/api/v1/alerts?colour=red', headers: { authorization: `Bearer ${w.token.owner}` } }), status: 400, detail: /unknown field "colour"/ },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} problem+json and writes nothing`, async () => {
      const before = await counts();
      const res = await c.send();
      expect(res.statusCode).toBe(c.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ status: c.status, title: expect.any(String), type: 'about:blank' });
      expect(body.detail).toMatch(c.detail);
      expect(await counts()).toEqual(before);
    });
  }

  it('answers an unknown route with a 404 problem', async () => {
    const res = await api.call('GET', '/api/v1/nothing-here', w.token.owner);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('requires authentication on every API route but the public ones', async () => {
    for (const url of ['/api/v1/alerts', '/api/v1/assets', '/api/v1/incidents', '/api/v1/organisations', '/api/v1/me', '/api/v1/sharing-groups']) {
      const res = await api.call('GET', url, null);
      expect(res.status, url).toBe(401);
      expect(res.body.detail).toMatch(/Bearer/);
    }
    expect((await api.call('GET', '/healthz', null)).body).toEqual({ status: 'ok' });
    expect((await api.call('GET', '/api/v1/openapi.json', null)).status).toBe(200);
  });

  it('sets security headers', async () => {
    const res = await api.call('GET', '/api/v1/me', w.token.owner);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('answers a stale version with 409 and keeps the record as it was', async () => {
    const created = await api.call('POST', '/api/v1/alerts', w.token.owner, { title: 'versioned', category: 'cyber', severity: 'low' });
    const ok = await api.call('PATCH', `/api/v1/alerts/${created.body.id}`, w.token.owner, { status: 'acknowledged', version: 1 });
    expect(ok.status).toBe(200);
    const stale = await api.call('PATCH', `/api/v1/alerts/${created.body.id}`, w.token.owner, { status: 'dismissed', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(2);
    expect((await api.call('GET', `/api/v1/alerts/${created.body.id}`, w.token.owner)).body.status).toBe('acknowledged');
  });

  it('describes the API in OpenAPI 3 with a browsable page', async () => {
    const doc = await api.call('GET', '/api/v1/openapi.json', null);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/auth/login', '/api/v1/alerts', '/api/v1/alerts/{id}', '/api/v1/incidents/{id}/notes', '/api/v1/assets/{id}/share', '/api/v1/stream']) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    const page = await api.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
  });
});
