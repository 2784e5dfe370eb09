import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemoCity } from '../../src/demo/load.js';
import { openSession } from '../../src/kernel/auth/index.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { startWarningsApi } from './api-world.js';

let t: TestKernel;
let api: Awaited<ReturnType<typeof startWarningsApi>>;
const token = new Map<string, string>();

beforeAll(async () => {
  t = await openTestKernel('sqlite', { VIGIL_DEMO: '1' });
  expect(await loadDemoCity(t.kernel)).toBe(true);
  api = await startWarningsApi(t.kernel);
  for (const u of await t.kernel.store.db.selectFrom('users').select(['id', 'email']).execute()) token.set(u.email, (await openSession(t.kernel.store.db, u.id, Date.now(), 3600)).token);
});
afterAll(async () => {
  await api?.close();
  await t?.cleanup();
});

it('has a published warning in the public feed and one waiting for the CERT to approve', async () => {
  const feed = await api.raw('GET', '/public/cap/feed.atom');
  expect(feed.text.match(/<entry/g)).toHaveLength(1);
  expect(feed.text).toContain('Place du Casino');
  const queue = await api.call('GET', '/api/v1/warnings?phase=awaiting-approval', token.get('admin@cert.demo'));
  expect(queue.body.items).toHaveLength(1);
  const pending = queue.body.items[0];
  expect(pending).toMatchObject({ template: 'boil-water', proposal: { state: 'awaiting-approval' } });
  // The T1 incident is shared with the CERT, so the approver sees which incident the warning is about.
  expect(pending.incidentId).not.toBeNull();
  // The energy grid sees neither the draft nor the incident; it sees the published warning.
  const energy = await api.call('GET', '/api/v1/warnings', token.get('analyst@energy.demo'));
  expect(energy.body.items.map((w: any) => w.phase)).toEqual(['published']);
  expect(energy.body.items[0].incidentId).toBeNull();
  // An admin of the CERT approves it.
  const ok = await api.call('POST', `/api/v1/warnings/${pending.id}/approve`, token.get('admin@cert.demo'), {});
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  expect((await api.raw('GET', '/public/cap/feed.atom')).text.match(/<entry/g)).toHaveLength(2);
});
