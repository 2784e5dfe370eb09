import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlpMarkingId } from '../../src/cti/index.js';
import { type Api } from '../helpers/http.js';
import { openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { importBundle, raw, startCtiApi } from './api.js';

/** Bad input through POST /api/v1/stix/bundles: each rejected with the right reason, nothing half-imported. */
type Json = Record<string, any>;
const identity = { type: 'identity', spec_version: '2.1', id: 'identity--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'ACME', identity_class: 'organization' };
const good = {
  type: 'indicator', spec_version: '2.1', id: 'indicator--5c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
  pattern: "[url:value = 'http://bad.example/']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', x_acme_score: 7,
};
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: 'bundle--0b7e1f4e-9b1e-4d2b-8d7e-6f0a1b2c3d4e', objects });

describe('STIX bundle import through the API: bad input', () => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  const count = async () => (await api.call('GET', '/api/v1/stix/objects?limit=1000&versions=all', world.token.owner)).body.items.length as number;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    api = await startCtiApi(t.kernel);
    world = await seedWorld(t.kernel);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it.each([
    ['a missing required property', { ...good, id: 'indicator--9c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', pattern_type: undefined }, 'schema', '$.objects[1]'],
    ['modified before created', { ...good, id: 'indicator--8c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', modified: '2025-01-01T00:00:00.000Z' }, 'timestamp-order', '$.objects[1].modified'],
    ['a reference to the wrong type', { ...good, id: 'indicator--7c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', created_by_ref: good.id }, 'reference-type', '$.objects[1].created_by_ref'],
    ['an unknown custom property without x_', { ...good, id: 'indicator--6c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', score: 7 }, 'custom-property', '$.objects[1].score'],
    ['a marking that exists nowhere', { ...good, id: 'indicator--4c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', object_marking_refs: ['marking-definition--00000000-0000-4000-8000-000000000000'] }, 'marking-unknown', '$.objects[1].object_marking_refs[0]'],
    ['an invalid pattern (with its position)', { ...good, id: 'indicator--3c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', pattern: "[url:value = 'x' AND]" }, 'pattern', '$.objects[1].pattern'],
  ])('rejects %s: 422 with the reason, nothing stored', async (_what, bad, code, path) => {
    const before = await count();
    const res = await importBundle(api, world.token.owner, bundle([identity, bad]));
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/1 of 2 objects are not valid/);
    expect(res.body.report.objects).toEqual([expect.objectContaining({ index: 1, valid: false, reasons: [expect.objectContaining({ code, path: expect.stringContaining(path) })] })]);
    if (code === 'pattern') expect(res.body.report.objects[0].reasons[0].message).toMatch(/column/);
    expect(await count()).toBe(before);
  });

  it('keeps the valid objects with partial=true, x_ custom properties included, and reports the rest', async () => {
    const bad = { ...good, id: 'indicator--2c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', modified: '2025-01-01T00:00:00.000Z' };
    const res = await importBundle(api, world.token.owner, bundle([identity, good, bad]), 'partial=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'complete', total: 3, stored: 2, invalid: 1 });
    const stored = await api.call('GET', `/api/v1/stix/objects/${good.id}`, world.token.owner);
    expect(stored.body.items[0].object.x_acme_score).toBe(7);
    const report = await api.call('GET', `/api/v1/stix/imports/${res.body.importId}`, world.token.owner);
    expect(report.body).toMatchObject({ status: 'complete', stored: 2, invalid: 1 });
  });

  it('rejects what is not JSON, or not a bundle, with where it broke', async () => {
    const broken = await raw(api, 'POST', '/api/v1/stix/bundles', { token: world.token.owner, body: '{"type":"bundle","id":"bundle--0b7e1f4e-9b1e-4d2b-8d7e-6f0a1b2c3d4e","objects":[{"type":', contentType: 'application/json' });
    expect(broken.status).toBe(422);
    expect(broken.body.report.syntaxError).toMatchObject({ offset: expect.any(Number) });
    const notJson = await raw(api, 'POST', '/api/v1/stix/bundles', { token: world.token.owner, body: 'hello', contentType: 'application/stix+json' });
    expect(notJson.status).toBe(422);
  });

  it('refuses bodies over the limit without reading them, roles that may not import, and sharing it cannot give', async () => {
    const big = await raw(api, 'POST', '/api/v1/stix/bundles', { token: world.token.owner, body: '{}', contentType: 'application/json', headers: { 'content-length': String(2 ** 40) } });
    expect([413, 400]).toContain(big.status);
    const viewer = await world.tokenFor('owner', 'viewer');
    expect((await importBundle(api, viewer, bundle([identity]))).status).toBe(403);
    expect((await importBundle(api, world.token.owner, bundle([identity]), `scope=group&group=${world.groupH}`)).status).toBe(422);
    expect((await importBundle(api, world.token.owner, bundle([identity]), 'scope=orgs')).status).toBe(400);
  });

  it('narrows what a label forbids: RED to the community stays with the owner', async () => {
    const red = { ...good, id: 'indicator--1c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', object_marking_refs: [tlpMarkingId('red')] };
    const res = await importBundle(api, world.token.owner, bundle([red]), 'scope=community');
    expect(res.body).toMatchObject({ stored: 1, narrowed: 1 });
    expect((await api.call('GET', `/api/v1/stix/objects/${red.id}`, world.token.community)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/stix/objects/${red.id}`, world.token.owner)).body.items[0]).toMatchObject({ tlp: 'red', distribution: { scope: 'owner' } });
  });

  it('re-shares a stored object: others see it, and TAXII offers it again as newly added', async () => {
    const mine = { ...good, id: 'indicator--dc1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', object_marking_refs: [tlpMarkingId('green')] };
    await importBundle(api, world.token.owner, bundle([mine]), 'scope=owner');
    const collections = (await raw(api, 'GET', '/taxii2/api/collections/', { token: world.token.community, accept: 'application/taxii+json' })).body.collections as Json[];
    const community = collections.find((c) => c.alias === 'community')!.id;
    const before = await raw(api, 'GET', `/taxii2/api/collections/${community}/objects/`, { token: world.token.community, accept: 'application/taxii+json' });
    const last = before.headers['x-taxii-date-added-last'] ?? '2000-01-01T00:00:00.000000Z';
    const row = (await api.call('GET', `/api/v1/stix/objects/${mine.id}`, world.token.owner)).body.items[0];
    expect((await api.call('POST', `/api/v1/stix/objects/${row.rowId}/share`, world.token.community, { distribution: { scope: 'community' } })).status).toBe(404);
    expect((await api.call('POST', `/api/v1/stix/objects/${row.rowId}/share`, world.token.owner, { distribution: { scope: 'public' } })).status).toBe(422);
    const shared = await api.call('POST', `/api/v1/stix/objects/${row.rowId}/share`, world.token.owner, { distribution: { scope: 'community' } });
    expect(shared.body).toMatchObject({ tlp: 'green', distribution: { scope: 'community' } });
    const after = await raw(api, 'GET', `/taxii2/api/collections/${community}/objects/?added_after=${last}`, { token: world.token.community, accept: 'application/taxii+json' });
    expect(after.body.objects.map((o: Json) => o.id)).toContain(mine.id);
  });

  it('audits an export of AMBER or stricter data', async () => {
    const amber = { ...good, id: 'indicator--0c1a1f2e-0d6e-4c1b-9f0a-2d3e4f5a6b7c', object_marking_refs: [tlpMarkingId('amber')] };
    await importBundle(api, world.token.owner, bundle([amber]));
    const res = await raw(api, 'GET', `/api/v1/stix/export?id=${amber.id}`, { token: world.token.owner });
    expect(res.body.objects).toHaveLength(1);
    const audit = await t.kernel.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'stix.export').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ objects: { amber: 1 } });
  });
});
