import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCity } from '../../src/demo/load.js';
import { openSession } from '../../src/kernel/auth/index.js';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { installGraph } from './helpers.js';

/** The demo city's units and road closure, as the organisations see them, and a dispatch at the casino. */
describe('the demo city’s units', () => {
  let t: TestKernel;
  let api: Api;
  const tokens = new Map<string, string>();
  const as = (email: string) => tokens.get(email)!;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    installGraph(t.config.dataDir);
    expect(await loadDemoCity(t.kernel)).toBe(true);
    api = await startApi(t.kernel);
    for (const u of await t.kernel.store.db.selectFrom('users').select(['id', 'email']).execute()) {
      tokens.set(u.email, (await openSession(t.kernel.store.db, u.id, Date.now(), 3600)).token);
    }
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('shows police cars to the emergency services only, fire engines to everyone', async () => {
    const names = async (email: string) => (await api.call('GET', '/api/v1/units?limit=100', as(email))).body.items.map((u: { name: string }) => u.name).sort();
    const fire = await names('analyst@fire.demo');
    expect(fire).toEqual(expect.arrayContaining(['Engine 1', 'Engine 2', 'Ambulance 1', 'Police 1', 'Patrol 9']));
    expect(fire).not.toContain('Water repair crew 1');
    const water = await names('analyst@water.demo');
    expect(water).toEqual(expect.arrayContaining(['Engine 1', 'Ladder 1', 'Water repair crew 1']));
    expect(water.some((n: string) => n.startsWith('Police') || n.startsWith('Patrol') || n.startsWith('Ambulance'))).toBe(false);
  });

  it('closes the roads around Place du Casino for everyone but the incident’s responders', async () => {
    const closures = (await api.call('GET', '/api/v1/closures?status=active', as('analyst@energy.demo'))).body.items;
    expect(closures).toHaveLength(1);
    expect(closures[0].roadsClosed).toBeGreaterThan(3);
    const incidents = (await api.call('GET', '/api/v1/incidents?q=casino', as('analyst@police.demo'))).body.items;
    const dispatch = await api.call('GET', `/api/v1/incidents/${incidents[0].id}/dispatch?types=fire-engine,police-car,ambulance&perType=1`, as('analyst@police.demo'));
    expect(dispatch.status).toBe(200);
    expect(dispatch.body.closuresHonoured).toBe(0);
    // Engine 2 is staged next to the casino; the police may dispatch it (mutual aid), not the out-of-service rescue.
    expect(dispatch.body.byType.map((g: { type: string; units: Array<{ name: string }> }) => [g.type, g.units[0]?.name])).toEqual([
      ['fire-engine', 'Engine 2'],
      ['police-car', 'Police 1'],
      ['ambulance', 'Ambulance 2'],
    ]);
    expect(dispatch.body.unranked.map((u: { name: string; reason: string }) => [u.name, u.reason])).toEqual([['Patrol 9', 'no-position']]);
  });
});
