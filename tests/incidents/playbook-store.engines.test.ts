import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type SseClient, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { MATRIX_ORGS, type MatrixOrg, type World, seedWorld } from '../helpers/world.js';

/**
 * Playbooks in storage and their tasks on a shared incident: YAML in and out, versions, the 422 listing
 * every problem, starting a run, complete / answer / skip, a partner that sees and completes its own
 * tasks only, 409 on a task done twice, and the overdue and skipped notices raised once. Both engines.
 */
const PROCEDURE = `
id: drill
title: Drill
incident-types: [drill]
steps:
  - id: assess
    title: Assess the situation
    mandatory: true
    assign: { role: analyst }
    due: 10m
  - id: cordon
    title: Put up a cordon
    mandatory: true
    assign: { sector: police }
  - id: confirmed
    title: Is it confirmed?
    question: Is it confirmed?
    answers: { yes: notify, no: stand-down }
    assign: { lead: true }
  - id: notify
    title: Notify the customers
    mandatory: true
    assign: { sector: water }
    due: 1h
    next: end
  - id: stand-down
    title: Stand down
    assign: { role: analyst }
`;

const BROKEN = `
id: broken
title: Broken
steps:
  - id: one
    title: One
    assign: { role: chief }
    next: two
  - id: two
    title: Two
    assign: { role: analyst }
    next: [one, nowhere]
`;

for (const engine of engines()) {
  describe(`playbooks and tasks on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: World;
    let streams: Record<MatrixOrg, SseClient>;
    let now = Date.parse('2026-11-22T08:00:00Z');
    let playbookId = '';
    let incidentId = '';

    const yaml = async (method: string, url: string, token: string, body: string) => {
      const res = await api.app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, payload: body });
      return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
    };
    const taskOf = async (org: MatrixOrg, stepId: string) => {
      const res = await api.call('GET', `/api/v1/incidents/${incidentId}/tasks`, world.token[org]);
      return (res.body.items as Array<{ id: string; stepId: string; status: string }>).find((x) => x.stepId === stepId)!;
    };

    beforeAll(async () => {
      t = await openTestKernel(engine, {}, { clock: () => now });
      api = await startApi(t.kernel);
      world = await seedWorld(t.kernel);
      const base = await listen(api.app);
      streams = Object.fromEntries(MATRIX_ORGS.map((o) => [o, openStream(base, world.token[o])])) as Record<MatrixOrg, SseClient>;
      await Promise.all(Object.values(streams).map((s) => s.opened));
    });
    afterAll(async () => {
      for (const s of Object.values(streams ?? {})) s.close();
      await api?.close();
      await t?.cleanup();
    });

    it('documents its paths in OpenAPI', async () => {
      const doc = await api.call('GET', '/api/v1/openapi.json', null);
      for (const path of ['/api/v1/playbooks', '/api/v1/playbooks/{id}', '/api/v1/incidents/{id}/playbooks', '/api/v1/incidents/{id}/tasks', '/api/v1/incidents/{id}/tasks/{taskId}/skip', '/api/v1/correlation/settings']) {
        expect(Object.keys(doc.body.paths)).toContain(path);
      }
    });

    it('refuses a broken playbook with every problem and its line, and stores nothing', async () => {
      const res = await yaml('POST', '/api/v1/playbooks', world.token.owner, BROKEN);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const messages = (res.body.problems as Array<{ path: string; line: number; message: string }>).map((p) => `${p.line} ${p.path}: ${p.message}`).join('\n');
      expect(messages).toMatch(/chief/);
      expect(messages).toMatch(/nowhere/);
      expect(res.body.problems.every((p: { line: number | null }) => typeof p.line === 'number')).toBe(true);
      const cycle = await yaml('POST', '/api/v1/playbooks', world.token.owner, BROKEN.replace('[one, nowhere]', 'one').replace('chief', 'analyst'));
      expect(cycle.status).toBe(422);
      expect(cycle.body.problems[0]).toMatchObject({ path: 'steps[1].next', line: 12 });
      expect(cycle.body.problems[0].message).toMatch(/cycle one → two → one/);
      const list = await api.call('GET', '/api/v1/playbooks', world.token.owner);
      expect(list.body.items).toEqual([]);
    });

    it('stores a playbook from YAML, gives it back as YAML, and versions a replacement', async () => {
      const created = await yaml('POST', '/api/v1/playbooks', world.token.owner, PROCEDURE);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ slug: 'drill', version: 1, ownerOrgId: world.org.owner });
      playbookId = created.body.id;
      expect((await yaml('POST', '/api/v1/playbooks', world.token.owner, PROCEDURE)).status).toBe(409);
      const out = await api.app.inject({ method: 'GET', url: `/api/v1/playbooks/${playbookId}`, headers: { authorization: `Bearer ${world.token.owner}`, accept: 'application/yaml' } });
      expect(out.headers['content-type']).toContain('application/yaml');
      const doc = parse(out.body);
      expect(doc.id).toBe('drill');
      expect(doc.steps.map((s: { id: string }) => s.id)).toEqual(['assess', 'cordon', 'confirmed', 'notify', 'stand-down']);
      const replaced = await yaml('PUT', `/api/v1/playbooks/${playbookId}`, world.token.owner, PROCEDURE.replace('title: Drill', 'title: Drill (revised)'));
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ version: 2, title: 'Drill (revised)' });
      // Not shared: another organisation neither lists nor reads it.
      expect((await api.call('GET', '/api/v1/playbooks', world.token.listed)).body.items).toEqual([]);
      expect((await api.call('GET', `/api/v1/playbooks/${playbookId}`, world.token.listed)).status).toBe(404);
      expect((await api.call('DELETE', `/api/v1/playbooks/${playbookId}`, world.token.listed)).status).toBe(404);
    });

    it('starts the playbook on an incident shared with the police: tasks created and assigned by organisation', async () => {
      const incident = await api.call('POST', '/api/v1/incidents', world.token.owner, {
        title: 'Drill incident',
        severity: 'high',
        type: 'drill',
        tlp: 'amber',
        distribution: { scope: 'orgs', orgIds: [world.org.listed] },
      });
      incidentId = incident.body.id;
      const started = await api.call('POST', `/api/v1/incidents/${incidentId}/playbooks`, world.token.owner, { playbookId: 'drill' });
      expect(started.status).toBe(201);
      expect(started.body.playbookVersion).toBe(2);
      const byStep = Object.fromEntries(started.body.tasks.map((x: { stepId: string }) => [x.stepId, x]));
      expect(byStep.assess).toMatchObject({ status: 'open', assignedOrgId: world.org.owner, dueAt: '2026-11-22T08:10:00.000Z' });
      expect(byStep.cordon).toMatchObject({ status: 'pending', assignedOrgId: world.org.listed });
      expect(byStep.notify.assignedOrgId).toBe(world.org.owner);
      expect((await api.call('POST', `/api/v1/incidents/${incidentId}/playbooks`, world.token.owner, { playbookId })).status).toBe(409);
      // Only the owner starts playbooks.
      expect((await api.call('POST', `/api/v1/incidents/${incidentId}/playbooks`, world.token.listed, { playbookId })).status).toBe(403);
    });

    it('shows each organisation exactly the tasks the policy and the assignment allow', async () => {
      const seen: Record<MatrixOrg, number | string[]> = {} as never;
      for (const org of MATRIX_ORGS) {
        const res = await api.call('GET', `/api/v1/incidents/${incidentId}/tasks`, world.token[org]);
        seen[org] = res.status === 200 ? res.body.items.map((x: { stepId: string }) => x.stepId) : res.status;
      }
      expect(seen).toEqual({ owner: ['assess', 'cordon', 'confirmed', 'notify', 'stand-down'], listed: ['cordon'], member: 404, community: 404, outsider: 404 });
    });

    it('works the tasks: complete, a partner completes its own, 409 when done twice, 422 on a wrong answer', async () => {
      const assess = await taskOf('owner', 'assess');
      const cordon = await taskOf('owner', 'cordon');
      expect((await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${cordon.id}/complete`, world.token.listed, {})).status).toBe(409); // not reached yet
      now += 60_000;
      const done = await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${assess.id}/complete`, world.token.owner, { note: 'looked at it' });
      expect(done.status).toBe(200);
      expect(done.body.tasks.find((x: { stepId: string }) => x.stepId === 'cordon').status).toBe('open');
      // The partner may not touch (nor see) the owner's tasks.
      const confirmed = await taskOf('owner', 'confirmed');
      expect((await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${confirmed.id}/answer`, world.token.listed, { answer: 'yes' })).status).toBe(404);
      // Two people complete the police step at once: one wins, the other hears 409.
      const both = await Promise.all([
        api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${cordon.id}/complete`, world.token.listed, {}),
        api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${cordon.id}/complete`, world.token.listed, {}),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(both.find((r) => r.status === 200)!.body.tasks.map((x: { stepId: string }) => x.stepId)).toEqual(['cordon']);
      const wrong = await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${confirmed.id}/answer`, world.token.owner, { answer: 'maybe' });
      expect(wrong.status).toBe(422);
      expect(wrong.body.detail).toMatch(/yes, no/);
      const answered = await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${confirmed.id}/answer`, world.token.owner, { answer: 'yes' });
      const status = Object.fromEntries(answered.body.tasks.map((x: { stepId: string; status: string }) => [x.stepId, x.status]));
      expect(status).toEqual({ assess: 'done', cordon: 'done', confirmed: 'done', notify: 'open', 'stand-down': 'not-applicable' });
    });

    it('the partner heard of its own task on the live stream, and nothing of the others', async () => {
      await streams.owner.waitFor((e) => e.type === 'incident.tasks' && e.data.events.some((x: { kind: string; stepId?: string }) => x.kind === 'task-answered'));
      const partner = streams.listed.events.filter((e) => e.type === 'incident.tasks');
      expect(partner.length).toBeGreaterThan(0);
      for (const e of partner) for (const task of e.data.tasks) expect(task.stepId).toBe('cordon');
      for (const org of ['member', 'community', 'outsider'] as const) expect(streams[org].events.filter((e) => e.recordId === incidentId)).toEqual([]);
    });

    it('tells the owner once when a mandatory step is overdue, and at once when one is skipped', async () => {
      const watch = api.app.playbookWatch;
      expect(await watch.check(now)).toEqual([]);
      const overdue = await watch.check(now + 2 * 3_600_000);
      expect(overdue.map((n) => n.kind)).toEqual(['overdue']);
      expect(await watch.check(now + 3 * 3_600_000)).toEqual([]);
      const tasks = await api.call('GET', `/api/v1/incidents/${incidentId}/tasks`, world.token.owner);
      expect(tasks.body.items.find((x: { stepId: string }) => x.stepId === 'notify').overdue).toBe(false); // the clock of the server is still `now`
      const notify = await taskOf('owner', 'notify');
      expect((await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${notify.id}/skip`, world.token.owner, { reason: '  ' })).status).toBe(422);
      const skipped = await api.call('POST', `/api/v1/incidents/${incidentId}/tasks/${notify.id}/skip`, world.token.owner, { reason: 'customers already told by radio' });
      expect(skipped.status).toBe(200);
      expect(skipped.body.finishedAt).not.toBeNull();
      await streams.owner.waitFor((e) => e.type === 'incident.notice' && e.data.notice.kind === 'mandatory-skipped');
      expect(streams.listed.events.some((e) => e.type === 'incident.notice')).toBe(false);
      const timeline = await api.call('GET', `/api/v1/incidents/${incidentId}/timeline`, world.token.owner);
      const kinds = timeline.body.items.map((e: { kind: string }) => e.kind);
      for (const k of ['playbook-started', 'task-done', 'task-answered', 'task-not-applicable', 'task-skipped', 'playbook-notice', 'playbook-finished']) expect(kinds).toContain(k);
      expect(kinds.filter((k: string) => k === 'playbook-notice')).toHaveLength(2);
      const audit = await t.kernel.store.db.selectFrom('audit_log').select('action').where('target_id', '=', incidentId).execute();
      const actions = audit.map((a) => a.action);
      for (const a of ['incident.playbook.start', 'incident.task.complete', 'incident.task.answer', 'incident.task.skip', 'incident.playbook.notice']) expect(actions).toContain(a);
    });

    it('a deleted playbook is gone from the catalogue; its run keeps its version', async () => {
      expect((await api.call('DELETE', `/api/v1/playbooks/${playbookId}`, world.token.owner)).status).toBe(204);
      expect((await api.call('GET', `/api/v1/playbooks/${playbookId}`, world.token.owner)).status).toBe(404);
      const runs = await api.call('GET', `/api/v1/incidents/${incidentId}/playbooks`, world.token.owner);
      expect(runs.body.items).toHaveLength(1);
      expect(runs.body.items[0].tasks).toHaveLength(5);
    });
  });
}
