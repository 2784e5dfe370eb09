import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/kernel/auth/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createUser } from '../../src/organisations/queries.js';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { TEST_PASSWORD, type World, seedWorld } from '../helpers/world.js';

describe('sign-in, sessions and API tokens', () => {
  let t: TestKernel;
  let api: Api;
  let w: World;
  let now = Date.parse('2026-11-21T08:00:00Z');

  beforeAll(async () => {
    t = await openTestKernel('sqlite', { VIGIL_SESSION_TTL: '3600', VIGIL_LOGIN_MAX_FAILURES: '3', VIGIL_LOGIN_MAX_FAILURES_PER_ADDRESS: '6', VIGIL_LOGIN_WINDOW: '600' }, { clock: () => now });
    api = await startApi(t.kernel);
    w = await seedWorld(t.kernel);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  const login = (email: string, password: string) => api.call('POST', '/api/v1/auth/login', null, { email, password });

  it('signs in with argon2id, answers /me, and signs out', async () => {
    const res = await login('analyst@owner.test', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^vgl_ses_/);
    expect(res.body.user).toMatchObject({ email: 'analyst@owner.test', role: 'analyst' });
    const me = await api.call('GET', '/api/v1/me', res.body.token);
    expect(me.body).toMatchObject({ role: 'analyst', organisation: { slug: 'owner' }, demo: false });
    expect(me.body.permissions).toContain('records:share');
    expect(me.body.permissions).not.toContain('org:admin');
    expect((await api.call('POST', '/api/v1/auth/logout', res.body.token)).status).toBe(204);
    expect((await api.call('GET', '/api/v1/me', res.body.token)).status).toBe(401);
    const stored = await t.kernel.store.db.selectFrom('users').select('password_hash').where('email', '=', 'analyst@owner.test').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('expires sessions', async () => {
    const res = await login('analyst@listed.test', TEST_PASSWORD);
    expect((await api.call('GET', '/api/v1/me', res.body.token)).status).toBe(200);
    now += 3601_000;
    const expired = await api.call('GET', '/api/v1/me', res.body.token);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/sign in again/);
  });

  it('answers a wrong password and an unknown account alike, and audits both', async () => {
    const wrong = await login('analyst@member.test', 'not the password');
    const unknown = await login('nobody@member.test', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    const failed = await t.kernel.store.db.selectFrom('audit_log').select(['details', 'org_id']).where('action', '=', 'login.failed').execute();
    expect(failed.map((f) => JSON.parse(f.details).email)).toEqual(expect.arrayContaining(['analyst@member.test', 'nobody@member.test']));
    expect(failed.find((f) => JSON.parse(f.details).email === 'analyst@member.test')?.org_id).toBe(w.org.member);
    expect(JSON.stringify(failed)).not.toContain('not the password');
  });

  it('throttles an account after repeated failures, even for the right password, until the window passes', async () => {
    for (let i = 0; i < 3; i++) expect((await login('analyst@community.test', 'wrong password!')).status).toBe(401);
    const locked = await login('analyst@community.test', TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    now += 601_000;
    expect((await login('analyst@community.test', TEST_PASSWORD)).status).toBe(200);
  });

  it('throttles an address that tries many accounts', async () => {
    now += 601_000;
    for (let i = 0; i < 6; i++) expect((await login(`guess${i}@outsider.test`, 'wrong password!')).status).toBe(401);
    expect((await login('analyst@outsider.test', TEST_PASSWORD)).status).toBe(429);
    now += 601_000;
  });

  it('shows an API token once, keeps only its hash, and honours revocation', async () => {
    const admin = await w.tokenFor('owner', 'admin');
    const created = await api.call('POST', '/api/v1/tokens', admin, { name: 'SCADA gateway', role: 'operator' });
    expect(created.status).toBe(201);
    const secret: string = created.body.token;
    expect(secret).toMatch(/^vgl_api_/);
    const list = await api.call('GET', '/api/v1/tokens', admin);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const row = await t.kernel.store.db.selectFrom('api_tokens').selectAll().where('id', '=', created.body.apiToken.id).executeTakeFirstOrThrow();
    expect(Object.values(row).join(' ')).not.toContain(secret);
    const raised = await api.call('POST', '/api/v1/alerts', secret, { title: 'from a machine', category: 'physical', severity: 'low' });
    expect(raised.status).toBe(201);
    expect(raised.body.source).toBe('api:SCADA gateway');
    expect((await api.call('DELETE', `/api/v1/tokens/${created.body.apiToken.id}`, admin)).body.revokedAt).not.toBeNull();
    expect((await api.call('GET', '/api/v1/alerts', secret)).status).toBe(401);
    const audit = await t.kernel.store.db.selectFrom('audit_log').select('action').where('target_id', '=', created.body.apiToken.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
  });

  it("lets an admin manage only its own organisation's users and tokens", async () => {
    const ownerAdmin = await w.tokenFor('owner', 'admin');
    const listedAdmin = await w.tokenFor('listed', 'admin');
    const made = await api.call('POST', '/api/v1/users', ownerAdmin, { email: 'new@owner.test', name: 'New', role: 'viewer', password: 'a long enough password' });
    expect(made.status).toBe(201);
    expect(made.body.orgId).toBe(w.org.owner);
    expect((await api.call('PATCH', `/api/v1/users/${made.body.id}`, listedAdmin, { role: 'admin' })).status).toBe(404);
    const ownerAnalyst = await w.tokenFor('owner', 'analyst');
    expect((await api.call('POST', '/api/v1/users', ownerAnalyst, { email: 'x@owner.test', name: 'X', role: 'admin', password: 'a long enough password' })).status).toBe(403);
    expect((await api.call('POST', '/api/v1/users', ownerAdmin, { email: 'short@owner.test', name: 'S', role: 'viewer', password: 'short' })).status).toBe(400);
    const token = await api.call('POST', '/api/v1/tokens', ownerAdmin, { name: 'sensor', role: 'operator' });
    expect((await api.call('DELETE', `/api/v1/tokens/${token.body.apiToken.id}`, listedAdmin)).status).toBe(404);
    const listed = await api.call('GET', '/api/v1/users', listedAdmin);
    expect(listed.body.items.every((u: { orgId: string }) => u.orgId === w.org.listed)).toBe(true);
    const disabled = await api.call('PATCH', `/api/v1/users/${made.body.id}`, ownerAdmin, { disabled: true });
    expect(disabled.body.disabled).toBe(true);
  });

  it('lets only platform administrators onboard organisations', async () => {
    const authorityAdmin = await w.tokenFor('owner', 'admin');
    const otherAdmin = await w.tokenFor('member', 'admin');
    const body = { slug: 'port', name: 'Port authority', sector: 'transport', kind: 'operator' };
    expect((await api.call('POST', '/api/v1/organisations', otherAdmin, body)).status).toBe(403);
    expect((await api.call('POST', '/api/v1/organisations', authorityAdmin, body)).status).toBe(201);
    expect((await api.call('POST', '/api/v1/organisations', authorityAdmin, body)).status).toBe(409);
  });

  it('manages sharing groups: the owner changes members, members see the group, others do not', async () => {
    const ownerAdmin = await w.tokenFor('owner', 'admin');
    const group = await api.call('POST', '/api/v1/sharing-groups', ownerAdmin, { name: 'Water cell', memberOrgIds: [w.org.listed] });
    expect(group.status).toBe(201);
    expect(group.body.memberOrgIds.sort()).toEqual([w.org.owner, w.org.listed].sort());
    // (The world's first sessions expired when the clock moved on: fresh ones.)
    expect((await api.call('GET', `/api/v1/sharing-groups/${group.body.id}`, await w.tokenFor('listed', 'viewer'))).status).toBe(200);
    expect((await api.call('GET', `/api/v1/sharing-groups/${group.body.id}`, await w.tokenFor('community', 'viewer'))).status).toBe(404);
    const listedAdmin = await w.tokenFor('listed', 'admin');
    expect((await api.call('PUT', `/api/v1/sharing-groups/${group.body.id}`, listedAdmin, { name: 'mine', memberOrgIds: [] })).status).toBe(403);
  });

  it('refuses the demo password outside demo mode', async () => {
    await t.kernel.write(SYSTEM_ACTOR, async (wr) =>
      createUser(wr, { orgId: w.org.owner, email: 'admin@water.demo', name: 'demo', role: 'admin', password: '' }, await hashPassword('vigil-demo')),
    );
    expect((await login('admin@water.demo', 'vigil-demo')).status).toBe(401);
  });
});
