import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

/**
 * Live correlation through the API, on constructed alert sets: each rule groups what it should (asset,
 * dependency, place-time, indicator), the cap and the exclusion list stop values from grouping, and each
 * alert's reason (rule and shared value) is stored and shown on the timeline. Waiting is on the engine's
 * `idle()`, never a sleep.
 */
describe('live correlation', () => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  let admin = '';
  let n = 0;
  const assets: Record<string, string> = {};

  const alert = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', '/api/v1/alerts', world.token.owner, { category: 'cyber', severity: 'low', title: `alert ${++n}`, ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** The incident each alert was put in (null: none), with the stored reasons. */
  const placed = async (alertIds: string[]) => {
    await api.app.correlation.idle();
    const rows = await t.kernel.store.db.selectFrom('incident_alerts').selectAll().where('alert_id', 'in', alertIds).execute();
    return alertIds.map((id) => {
      const row = rows.find((r) => r.alert_id === id);
      return row ? { incident: row.incident_id, reason: JSON.parse(row.reason) as { rule: string; value?: string } } : null;
    });
  };

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    api = await startApi(t.kernel);
    world = await seedWorld(t.kernel);
    admin = await world.tokenFor('owner', 'admin');
    const asset = async (name: string, attributes: Record<string, unknown> = {}, dependencies: Array<{ kind: string; assetId: string }> = []) => {
      const res = await api.call('POST', '/api/v1/assets', world.token.owner, { name, type: 'pump', criticality: 3, attributes, dependencies });
      expect(res.status).toBe(201);
      assets[name] = res.body.id;
    };
    await asset('pump-a');
    await asset('tank-b');
    await asset('plc-b', { ip: '10.0.0.5' }, [{ kind: 'controls', assetId: assets['tank-b']! }]);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it('is off until an organisation admin turns it on, with checked settings', async () => {
    const before = await alert({ assetIds: [assets['pump-a']], severity: 'critical' });
    expect(await placed([before])).toEqual([null]);
    expect((await api.call('GET', '/api/v1/correlation/settings', world.token.owner)).body).toMatchObject({ enabled: false, cap: 100, version: 0 });
    expect((await api.call('PUT', '/api/v1/correlation/settings', world.token.owner, { enabled: true })).status).toBe(403);
    const bad = await api.call('PUT', '/api/v1/correlation/settings', admin, { cap: 1, exclusions: ['ip:300.1.1.1/8'], settings: { placeTime: { radiusMetres: -5 } } });
    expect(bad.status).toBe(422);
    expect(bad.body.problems).toHaveLength(3);
    const on = await api.call('PUT', '/api/v1/correlation/settings', admin, { enabled: true, cap: 3, openAlone: 'critical', exclusions: ['ip:198.51.100.9'], settings: { placeTime: { radiusMetres: 200 } } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, cap: 3, version: 1, settings: { placeTime: { radiusMetres: 200 } } });
    expect((await api.call('PUT', '/api/v1/correlation/settings', admin, { cap: 4, version: 0 })).status).toBe(409);
  });

  it('groups by the same asset; a lone low alert opens no incident until a second one joins it', async () => {
    const first = await alert({ assetIds: [assets['pump-a']], title: 'pressure drop' });
    expect(await placed([first])).toEqual([null]);
    const second = await alert({ assetIds: [assets['pump-a']], title: 'pressure drop' });
    const [a, b] = await placed([first, second]);
    expect(a!.incident).toBe(b!.incident);
    expect(a!.reason.rule).toBe('first-alert');
    expect(b!.reason).toMatchObject({ rule: 'same-asset', value: assets['pump-a'] });
    const timeline = await api.call('GET', `/api/v1/incidents/${b!.incident}/timeline`, world.token.owner);
    expect(timeline.body.items.find((e: { kind: string; data: { alertId: string } }) => e.kind === 'alert-added' && e.data.alertId === second).data).toMatchObject({ rule: 'same-asset', value: assets['pump-a'] });
  });

  it('groups a SCADA login on a PLC with a tank alarm on the tank it controls (cyber-physical)', async () => {
    const login = await alert({ assetIds: [assets['plc-b']], title: 'SCADA login from unknown address', evidence: { srcip: '203.0.113.7' } });
    const tank = await alert({ assetIds: [assets['tank-b']], category: 'physical', title: 'tank level anomaly' });
    const [a, b] = await placed([login, tank]);
    expect(b!.incident).toBe(a!.incident);
    expect(b!.reason.rule).toBe('asset-dependency');
    const incident = await api.call('GET', `/api/v1/incidents/${b!.incident}`, world.token.owner);
    expect(incident.body.type).toBe('cyber-physical');
  });

  it('groups by place and time, and by a shared indicator', async () => {
    const near1 = await alert({ category: 'physical', title: 'unattended bag', location: { type: 'Point', coordinates: [7.4200, 43.7300] } });
    const near2 = await alert({ category: 'physical', title: 'crowd gathering', location: { type: 'Point', coordinates: [7.4205, 43.7302] } });
    const far = await alert({ category: 'physical', title: 'graffiti', location: { type: 'Point', coordinates: [7.44, 43.75] } });
    const ip1 = await alert({ title: 'port scan', evidence: { srcip: '203.0.113.50' } });
    const ip2 = await alert({ title: 'brute force', evidence: { srcip: '203.0.113.50' } });
    const [p1, p2, p3, i1, i2] = await placed([near1, near2, far, ip1, ip2]);
    expect(p2!.incident).toBe(p1!.incident);
    expect(p2!.reason.rule).toBe('place-time');
    expect(p3).toBeNull();
    expect(i2!.incident).toBe(i1!.incident);
    expect(i2!.reason).toMatchObject({ rule: 'shared-indicator', value: 'ip:203.0.113.50' });
  });

  it('an excluded value never groups, and a value past the cap stops grouping', async () => {
    const ex = [await alert({ title: 'dns query', evidence: { srcip: '198.51.100.9' } }), await alert({ title: 'dns query 2', evidence: { srcip: '198.51.100.9' } })];
    expect(await placed(ex)).toEqual([null, null]);
    const capped: string[] = [];
    for (let i = 0; i < 5; i++) capped.push(await alert({ title: `beacon ${i}`, evidence: { dstip: '192.0.2.77' } }));
    const where = await placed(capped);
    const grouped = where.filter((w) => w !== null);
    expect(grouped).toHaveLength(3);
    expect(new Set(grouped.map((w) => w!.incident)).size).toBe(1);
    expect(where.slice(3)).toEqual([null, null]);
  });

  it('a critical alert alone opens an incident; a restarted engine resumes from the stored incidents', async () => {
    const critical = await alert({ title: 'chlorine dosing failure', severity: 'critical', evidence: { device: 'dosing-7' } });
    const [c] = await placed([critical]);
    expect(c!.reason.rule).toBe('first-alert');
    // A fresh engine (a restarted server) warms up from the database and keeps grouping into the same incident.
    await api.close();
    api = await startApi(t.kernel);
    const again = await alert({ title: 'chlorine dosing failure', evidence: { device: 'dosing-7' } });
    const [d] = await placed([again]);
    expect(d!.incident).toBe(c!.incident);
  });
});
