import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type SseClient, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

/**
 * The incident lifecycle through the API, on every engine: status changes only as lifecycle.ts allows, a stale
 * version is a 409 that writes nothing, every change reaches the timeline, the audit log and the stream, and
 * merge and split keep each alert in exactly one of the organisation's incidents, also when two people try at once.
 */
for (const engine of engines()) {
  describe(`incident lifecycle through the API (${engine})`, () => {
    let t: TestKernel;
    let api: Api;
    let world: World;
    let stream: SseClient;
    const call = (method: string, url: string, body?: unknown, org: keyof World['token'] = 'owner') => api.call(method, url, world.token[org], body);

    async function alert(title: string, evidence: Record<string, unknown> = {}, sharing: object = {}, org: keyof World['token'] = 'owner') {
      const res = await call('POST', '/api/v1/alerts', { category: 'cyber', severity: 'medium', title, evidence, ...sharing }, org);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    }
    async function incident(title: string, alertIds: string[] = [], sharing: object = {}, org: keyof World['token'] = 'owner') {
      const res = await call('POST', '/api/v1/incidents', { title, severity: 'high', alertIds, ...sharing }, org);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; version: number; alertIds: string[] };
    }
    const get = async (id: string, org: keyof World['token'] = 'owner') => (await call('GET', `/api/v1/incidents/${id}`, undefined, org)).body;
    const timeline = async (id: string) => ((await call('GET', `/api/v1/incidents/${id}/timeline`)).body.items as Array<{ kind: string; text: string; data: any }>);
    /** Every incident of the owner organisation holding the alert. */
    const homes = async (alertId: string) =>
      (await t.kernel.store.db.selectFrom('incident_alerts').innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id').select('incident_id').where('alert_id', '=', alertId).where('incidents.owner_org_id', '=', world.org.owner).execute()).map((r) => r.incident_id);
    const audits = async (id: string) => (await t.kernel.store.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('seq').execute()).map((r) => r.action);

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startApi(t.kernel);
      world = await seedWorld(t.kernel);
      stream = openStream(await listen(api.app), world.token.owner);
      await stream.opened;
    });
    afterAll(async () => {
      stream?.close();
      await api?.close();
      await t?.cleanup();
    });

    it('moves an incident through its lifecycle, asking for a reason and a resolution where needed', async () => {
      const i = await incident('Pump station door forced');
      const patch = (body: object) => call('PATCH', `/api/v1/incidents/${i.id}`, body);
      expect((await patch({ status: 'response', version: 1 })).body.status).toBe('response');
      // Back to open is never allowed; back one step needs a reason.
      const illegal = await patch({ status: 'open', version: 2 });
      expect(illegal.status).toBe(422);
      expect(illegal.body.detail).toMatch(/cannot go from response to open/);
      expect((await patch({ status: 'triage', version: 2 })).body.detail).toMatch(/needs a reason/);
      expect((await patch({ status: 'triage', reason: 'the door alarm was a test', version: 2 })).status).toBe(200);
      expect((await patch({ status: 'closed', reason: 'a drill', version: 3 })).body.detail).toMatch(/needs a resolution/);
      const closed = await patch({ status: 'closed', reason: 'a drill', resolution: 'false-positive', version: 3 });
      expect(closed.body).toMatchObject({ status: 'closed', resolution: 'false-positive', version: 4 });
      expect(closed.body.closedAt).not.toBeNull();
      expect((await call('POST', `/api/v1/incidents/${i.id}/reopen`, { version: 4 })).status).toBe(400);
      const reopened = await call('POST', `/api/v1/incidents/${i.id}/reopen`, { reason: 'the door was forced again', version: 4 });
      expect(reopened.body).toMatchObject({ status: 'triage', resolution: null, closedAt: null, reopenCount: 1, version: 5 });
      const statuses = (await timeline(i.id)).filter((e) => e.kind === 'status').map((e) => `${e.data.from}>${e.data.to}`);
      expect(statuses).toEqual(['open>response', 'response>triage', 'triage>closed', 'closed>triage']);
      expect((await audits(i.id)).filter((a) => a === 'incident.update')).toHaveLength(4);
      await stream.waitFor((e) => e.type === 'incident.updated' && e.recordId === i.id && e.data.version === 5);
    });

    it('refuses a stale or missing version with nothing written', async () => {
      const i = await incident('SCADA login from unknown address');
      expect((await call('PATCH', `/api/v1/incidents/${i.id}`, { severity: 'critical', version: 1 })).status).toBe(200);
      const before = (await timeline(i.id)).length;
      const stale = await call('PATCH', `/api/v1/incidents/${i.id}`, { severity: 'low', tags: ['scada'], version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(stale.body).toMatchObject({ currentVersion: 2 });
      expect((await call('PATCH', `/api/v1/incidents/${i.id}`, { severity: 'low' })).status).toBe(428);
      const ifMatch = await api.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${i.id}`, headers: { authorization: `Bearer ${world.token.owner}`, 'content-type': 'application/json', 'if-match': '"1"' }, payload: { severity: 'low' } });
      expect(ifMatch.statusCode).toBe(409);
      const now = await get(i.id);
      expect(now).toMatchObject({ severity: 'critical', tags: [], version: 2 });
      expect((await timeline(i.id)).length).toBe(before);
    });

    it('lets one of two people changing the same version win, and tells the other', async () => {
      const i = await incident('Tank level anomaly');
      const results = await Promise.all(['critical', 'low'].map((severity) => call('PATCH', `/api/v1/incidents/${i.id}`, { severity, version: 1 })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body.severity;
      expect(await get(i.id)).toMatchObject({ severity: winner, version: 2 });
      expect((await timeline(i.id)).filter((e) => e.kind === 'severity')).toHaveLength(1);
    });

    it('keeps a lead, assignees and tags of people who may see the incident', async () => {
      const i = await incident('Crowd at the stadium gate');
      const lead = (await t.kernel.store.db.selectFrom('users').select('id').where('org_id', '=', world.org.owner).executeTakeFirstOrThrow()).id;
      const stranger = (await t.kernel.store.db.selectFrom('users').select('id').where('org_id', '=', world.org.community).executeTakeFirstOrThrow()).id;
      const set = await call('PATCH', `/api/v1/incidents/${i.id}`, { leadUserId: lead, assigneeIds: [lead], tags: ['crowd', 'stadium'], version: 1 });
      expect(set.body).toMatchObject({ leadUserId: lead, assigneeIds: [lead], tags: ['crowd', 'stadium'], version: 2 });
      // The community organisation does not see an owner-only incident: its people cannot be assigned.
      const refused = await call('PATCH', `/api/v1/incidents/${i.id}`, { assigneeIds: [lead, stranger], version: 2 });
      expect(refused.status).toBe(422);
      expect((await get(i.id)).assigneeIds).toEqual([lead]);
      expect((await timeline(i.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(['lead', 'tags', 'assignees']));
    });

    it('shows a link only to those who see both incidents', async () => {
      const shared = await incident('Shared with the community', [], { tlp: 'green', distribution: { scope: 'community' } });
      const secret = await incident('Owner only');
      expect((await call('POST', `/api/v1/incidents/${shared.id}/links`, { incidentId: secret.id, version: 1 })).body.linkedIncidentIds).toEqual([secret.id]);
      expect((await get(secret.id)).linkedIncidentIds).toEqual([shared.id]);
      expect((await get(shared.id, 'community')).linkedIncidentIds).toEqual([]);
      // Nobody links to what they cannot see, and it answers as if it did not exist.
      const other = await incident('Community incident', [], {}, 'community');
      expect((await call('POST', `/api/v1/incidents/${shared.id}/links`, { incidentId: other.id, version: 2 })).status).toBe(404);
      expect((await call('DELETE', `/api/v1/incidents/${shared.id}/links/${secret.id}?version=2`)).body.linkedIncidentIds).toEqual([]);
      expect((await get(secret.id)).linkedIncidentIds).toEqual([]);
    });

    it('merges alerts into an incident, importing only the chosen evidence and indicators', async () => {
      const a1 = await alert('Login from 203.0.113.9', { src_ip: '203.0.113.9', user: 'operator', raw: 'x' });
      const a2 = await alert('PLC write', { host: 'plc-7' });
      const elsewhere = await incident('First guess', [a2]);
      const target = await incident('SCADA intrusion');
      const merged = await call('POST', `/api/v1/incidents/${target.id}/merge-alerts`, {
        alertIds: [a1, a2],
        import: [{ alertId: a1, evidence: ['user'], indicators: ['ip:203.0.113.9'] }],
        version: 1,
      });
      expect(merged.status, JSON.stringify(merged.body)).toBe(200);
      expect(merged.body.added).toEqual([a1]);
      expect(merged.body.moved).toEqual([{ alertId: a2, fromIncidentId: elsewhere.id }]);
      expect(merged.body.incident.alertIds.sort()).toEqual([a1, a2].sort());
      expect((await get(elsewhere.id)).alertIds).toEqual([]);
      for (const a of [a1, a2]) expect(await homes(a)).toEqual([target.id]);
      const evidence = (await call('GET', `/api/v1/incidents/${target.id}/evidence`)).body.items.map((e: any) => `${e.kind}:${e.name}=${JSON.stringify(e.value)}`);
      expect(evidence.sort()).toEqual(['evidence:user="operator"', 'indicator:ip:203.0.113.9="203.0.113.9"']);
      // Asking for evidence the alert does not carry changes nothing.
      const a3 = await alert('Another login', { src_ip: '198.51.100.1' });
      const bad = await call('POST', `/api/v1/incidents/${target.id}/merge-alerts`, { alertIds: [a3], import: [{ alertId: a3, indicators: ['ip:10.9.9.9'] }], version: merged.body.incident.version });
      expect(bad.status).toBe(422);
      expect(await homes(a3)).toEqual([]);
    });

    it('adds alerts (POST …/alerts) by moving them from another incident of the organisation', async () => {
      const a = await alert('Seen twice');
      const first = await incident('First', [a]);
      const second = await incident('Second');
      const res = await call('POST', `/api/v1/incidents/${second.id}/alerts`, { alertIds: [a] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.alertIds).toEqual([a]);
      expect(await homes(a)).toEqual([second.id]);
      expect((await get(first.id)).alertIds).toEqual([]);
    });

    it('opens an incident from alerts (POST /incidents) by moving them from another incident of the organisation', async () => {
      const a = await alert('Opened twice');
      const b = await alert('Opened once');
      const first = await incident('First home', [a]);
      const second = await incident('Second home', [a, b]);
      expect(second.alertIds.sort()).toEqual([a, b].sort());
      expect(await homes(a)).toEqual([second.id]);
      expect(await homes(b)).toEqual([second.id]);
      expect((await get(first.id)).alertIds).toEqual([]);
    });

    it('tells why each alert is here without naming alerts the reader may not see', async () => {
      const hidden = await alert('Community-only alert', {}, {}, 'community');
      const visible = await alert('Owner alert seen first');
      const a = await alert('Joined by a shared address');
      const i = await incident('Correlated', [a]);
      const reason = { rule: 'indicator', value: 'ip:203.0.113.9', detail: 'shares 203.0.113.9', sharedWithAlertId: hidden, reasons: [{ rule: 'indicator', value: 'ip:203.0.113.9', detail: 'shares 203.0.113.9', alertId: hidden }, { rule: 'asset', value: 'x', detail: 'same asset', alertId: visible }] };
      await t.kernel.store.db.updateTable('incident_alerts').set({ reason: JSON.stringify(reason) }).where('incident_id', '=', i.id).execute();
      const items = (await call('GET', `/api/v1/incidents/${i.id}/alerts`)).body.items;
      expect(items).toHaveLength(1);
      expect(items[0].alertId).toBe(a);
      expect(items[0].reason.detail).toBe('shares 203.0.113.9');
      expect(JSON.stringify(items[0].reason)).not.toContain(hidden);
      expect(items[0].reason.reasons[1].alertId).toBe(visible);
    });

    it('refuses merges across organisations the caller may not see, without telling what exists', async () => {
      const hidden = await alert('Community-only alert', {}, {}, 'community');
      const target = await incident('Owner incident');
      const res = await call('POST', `/api/v1/incidents/${target.id}/merge-alerts`, { alertIds: [hidden], version: 1 });
      const none = await call('POST', `/api/v1/incidents/${target.id}/merge-alerts`, { alertIds: ['01a00000-0000-7000-8000-000000000000'], version: 1 });
      expect(res.status).toBe(404);
      expect(res.body.detail.replace(hidden, 'X')).toBe(none.body.detail.replace('01a00000-0000-7000-8000-000000000000', 'X'));
      // Seeing an incident is not owning it.
      const theirs = await incident('Community incident shared to all', [], { tlp: 'green', distribution: { scope: 'community' } }, 'community');
      const mine = await alert('Mine');
      expect((await call('POST', `/api/v1/incidents/${theirs.id}/merge-alerts`, { alertIds: [mine], version: 1 })).status).toBe(403);
      const secret = await incident('Community secret', [], {}, 'community');
      expect((await call('POST', `/api/v1/incidents/${target.id}/merge`, { intoIncidentId: secret.id, version: 1, intoVersion: 1 })).status).toBe(404);
      expect((await get(target.id)).status).toBe('open');
    });

    it('merges an incident into another: its alerts move, it closes as merged', async () => {
      const [x, y, z] = [await alert('x'), await alert('y'), await alert('z')];
      const source = await incident('Duplicate report', [x, y]);
      const target = await incident('Main incident', [z]);
      const res = await call('POST', `/api/v1/incidents/${source.id}/merge`, { intoIncidentId: target.id, version: 1, intoVersion: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.source).toMatchObject({ status: 'closed', resolution: 'merged', alertIds: [], linkedIncidentIds: [target.id] });
      expect(res.body.target.alertIds.sort()).toEqual([x, y, z].sort());
      for (const a of [x, y, z]) expect(await homes(a)).toEqual([target.id]);
      expect((await timeline(target.id)).some((e) => e.kind === 'merged')).toBe(true);
      expect(await audits(target.id)).toContain('incident.merge');
      // A closed incident is not merged again.
      expect((await call('POST', `/api/v1/incidents/${source.id}/merge`, { intoIncidentId: target.id, version: res.body.source.version, intoVersion: res.body.target.version })).status).toBe(422);
    });

    it('splits chosen alerts out to a new incident', async () => {
      const [p, q, r] = [await alert('p'), await alert('q'), await alert('r')];
      const source = await incident('Two things at once', [p, q, r]);
      const res = await call('POST', `/api/v1/incidents/${source.id}/split`, { alertIds: [q, r], title: 'The second thing', version: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.source.alertIds).toEqual([p]);
      expect(res.body.created.alertIds.sort()).toEqual([q, r].sort());
      expect(res.body.created).toMatchObject({ ownerOrgId: world.org.owner, tlp: res.body.source.tlp, linkedIncidentIds: [source.id] });
      expect(await homes(q)).toEqual([res.body.created.id]);
      expect((await call('POST', `/api/v1/incidents/${source.id}/split`, { alertIds: [q], title: 'Again', version: res.body.source.version })).status).toBe(422);
    });

    it('keeps every alert in exactly one incident when merges and splits race', async () => {
      const [a, b] = [await alert('race a'), await alert('race b')];
      const source = await incident('Raced over', [a, b]);
      const splits = await Promise.all([1, 2, 3].map((n) => call('POST', `/api/v1/incidents/${source.id}/split`, { alertIds: [a], title: `split ${n}`, version: 1 })));
      expect(splits.map((s) => s.status).sort()).toEqual([201, 409, 409]);
      expect(await homes(a)).toHaveLength(1);
      // The same free alert merged into two incidents at once lands in one of them.
      const free = await alert('free');
      const [t1, t2] = [await incident('target 1'), await incident('target 2')];
      const merges = await Promise.all([t1, t2].map((i) => call('POST', `/api/v1/incidents/${i.id}/merge-alerts`, { alertIds: [free], version: 1 })));
      expect(merges.every((m) => m.status === 200)).toBe(true);
      expect(await homes(free)).toHaveLength(1);
      // Merging each into the other at once: one wins, nothing is lost or doubled.
      const c = await alert('c');
      const d = await alert('d');
      const [m1, m2] = [await incident('m1', [c]), await incident('m2', [d])];
      const both = await Promise.all([
        call('POST', `/api/v1/incidents/${m1.id}/merge`, { intoIncidentId: m2.id, version: 1, intoVersion: 1 }),
        call('POST', `/api/v1/incidents/${m2.id}/merge`, { intoIncidentId: m1.id, version: 1, intoVersion: 1 }),
      ]);
      expect(both.map((x) => x.status).sort()).toEqual([200, 409]);
      expect(await homes(c)).toEqual(await homes(d));
      expect(await homes(c)).toHaveLength(1);
    });
  });
}
