import type { FastifyPluginAsync } from 'fastify';
import { roleAllows } from '../../kernel/auth/roles.js';
import type { Queryable } from '../../kernel/db/connection.js';
import { type VigilApp, Problem, actorFor, conflict, forbidden, notFound, principalOf, requirePermission } from '../../kernel/http/index.js';
import { IdParams } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Viewer } from '../../kernel/sharing/index.js';
import type { Incident } from '../model.js';
import { getIncident } from '../queries.js';
import type { Playbook } from './model.js';
import { type RunView, publishRunChange, raiseNotices, runViewOf, saveRun, startRun } from './runs.js';
import * as S from './schemas.js';
import { findPlaybookBySlug, getPlaybook, playbookVersion } from './store.js';
import { type PlaybookRun, type TaskOutcome, answerTask, completeTask, skipTask } from './tasks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The runs of an incident as `viewer` may see them (a partner sees its own tasks only). */
export async function runsOf(db: Queryable, viewer: Viewer, incident: Pick<Incident, 'id' | 'ownerOrgId'>, now: number): Promise<RunView[]> {
  const runs = await db.selectFrom('playbook_runs').selectAll().where('incident_id', '=', incident.id).orderBy('started_at').orderBy('id').execute();
  if (runs.length === 0) return [];
  const tasks = await db.selectFrom('playbook_tasks').select(['id', 'run_id', 'assigned_org_id', 'position']).where('incident_id', '=', incident.id).orderBy('position').execute();
  const views: RunView[] = [];
  for (const run of runs) {
    const playbook = await playbookVersion(db, run.playbook_id, run.playbook_version);
    if (!playbook) continue;
    views.push(runViewOf(run, tasks.filter((t) => t.run_id === run.id), playbook, viewer.orgId, incident.ownerOrgId, now));
  }
  // A partner with no task on a run does not learn that the run exists.
  return incident.ownerOrgId === viewer.orgId ? views : views.filter((r) => r.tasks.length > 0);
}

type Action = { kind: 'complete'; note?: string } | { kind: 'answer'; answer: string } | { kind: 'skip'; reason: string };

/** Starting playbooks on incidents and working their tasks: `/api/v1/incidents/{id}/playbooks|tasks`. */
export function taskRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;

    async function visibleIncident(q: Queryable, viewer: Viewer, id: string): Promise<Incident> {
      const incident = await getIncident(q, viewer, id);
      if (!incident) throw notFound('incident', id);
      return incident;
    }

    app.get('/incidents/:id/playbooks', { schema: { tags: ['incidents', 'playbooks'], summary: 'The playbooks started on an incident, with the tasks you may see', params: IdParams, response: { 200: S.RunList } } }, async (request) => {
      const viewer = principalOf(request);
      const incident = await visibleIncident(db, viewer, request.params.id);
      return { items: await runsOf(db, viewer, incident, kernel.clock()) };
    });

    app.get('/incidents/:id/tasks', { schema: { tags: ['incidents', 'playbooks'], summary: "An incident's tasks you may see: all for the owner organisation, a partner's own", params: IdParams, response: { 200: S.TaskList } } }, async (request) => {
      const viewer = principalOf(request);
      const incident = await visibleIncident(db, viewer, request.params.id);
      return { items: (await runsOf(db, viewer, incident, kernel.clock())).flatMap((r) => r.tasks) };
    });

    app.post(
      '/incidents/:id/playbooks',
      { schema: { tags: ['incidents', 'playbooks'], summary: 'Start a playbook on an incident of your organisation: its tasks are created and assigned', params: IdParams, body: S.StartPlaybook, response: { 201: S.Run } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const ref = request.body.playbookId;
        const view = await kernel.write(actorFor(request), async (w) => {
          const incident = await visibleIncident(w.tx, principal, request.params.id);
          if (incident.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may start a playbook on this incident');
          const stored = UUID.test(ref) ? await getPlaybook(w.tx, principal, ref) : await findPlaybookBySlug(w.tx, principal, ref);
          if (!stored) throw notFound('playbook', ref);
          if (incident.status === 'closed') throw conflict('The incident is closed: reopen it to start a playbook');
          const running = await w.tx.selectFrom('playbook_runs').select('id').where('incident_id', '=', incident.id).where('playbook_id', '=', stored.id).where('finished_at', 'is', null).executeTakeFirst();
          if (running) throw conflict(`Playbook "${stored.title}" is already running on this incident`, { runId: running.id });
          const playbook = await playbookVersion(w.tx, stored.id, stored.version);
          const runId = await startRun(w, incident, stored.id, playbook!, principal.label);
          return (await runsOf(w.tx, principal, incident, w.now)).find((r) => r.id === runId)!;
        });
        return reply.code(201).send(view);
      },
    );

    const act = (action: (body: any) => Action) => async (request: { params: { id: string; taskId: string }; body: unknown }, principal: ReturnType<typeof principalOf>, actor: ReturnType<typeof actorFor>) => {
      const wanted = action(request.body);
      return kernel.write(actor, async (w) => {
        const incident = await visibleIncident(w.tx, principal, request.params.id);
        const taskRow = await w.tx.selectFrom('playbook_tasks').selectAll().where('id', '=', request.params.taskId).where('incident_id', '=', incident.id).executeTakeFirst();
        const isOwner = principal.orgId === incident.ownerOrgId;
        if (!taskRow || (!isOwner && taskRow.assigned_org_id !== principal.orgId)) throw notFound('task', request.params.taskId);
        if (incident.status === 'closed') throw conflict('The incident is closed: reopen it to work its tasks');
        const runRow = await w.tx.selectFrom('playbook_runs').selectAll().where('id', '=', taskRow.run_id).executeTakeFirstOrThrow();
        const run = JSON.parse(runRow.state) as PlaybookRun;
        const task = run.tasks[taskRow.position]!;
        // The owner's coordinators may record any step; the organisation a step is assigned to, its own steps
        // (by the role the step names, when it names one).
        const mayAct = (isOwner && roleAllows(principal.role, 'records:write')) || (taskRow.assigned_org_id === principal.orgId && (!task.assignee.role || task.assignee.role === principal.role || principal.role === 'admin'));
        if (!mayAct) throw forbidden(`This step is for ${task.assignee.role ? `the role ${task.assignee.role}` : 'its assigned organisation'}`);
        if (task.status !== 'open') {
          const why = task.status === 'pending' ? 'is not reached yet' : `is already ${task.status}${task.closedBy ? ` (by ${task.closedBy} at ${task.closedAt})` : ''}`;
          throw conflict(`Step "${task.title}" ${why}`, { status: task.status });
        }
        const playbook = (await playbookVersion(w.tx, runRow.playbook_id, runRow.playbook_version)) as Playbook;
        const base = { by: principal.label, now: new Date(w.now).toISOString() };
        let outcome: TaskOutcome;
        if (wanted.kind === 'complete') outcome = completeTask(run, playbook, task.stepId, { ...base, ...(wanted.note ? { note: wanted.note } : {}) });
        else if (wanted.kind === 'answer') outcome = answerTask(run, playbook, task.stepId, { ...base, answer: wanted.answer });
        else outcome = skipTask(run, playbook, task.stepId, { ...base, reason: wanted.reason });
        if (!outcome.ok) throw new Problem(422, outcome.problem);
        if (!(await saveRun(w, runRow.id, runRow.version, outcome.run))) throw conflict('Someone changed these tasks at the same moment; reload and try again');
        const assigned = new Map((await w.tx.selectFrom('playbook_tasks').select(['step_id', 'assigned_org_id']).where('run_id', '=', runRow.id).execute()).map((t) => [t.step_id, t.assigned_org_id]));
        await publishRunChange(w, incident, runRow.id, run, outcome.run, playbook, outcome.events, (s) => assigned.get(s)!, {
          action: `incident.task.${wanted.kind}`,
          details: { stepId: task.stepId, ...wanted },
        });
        await w.tx.updateTable('incidents').set({ updated_at: w.now }).where('id', '=', incident.id).execute();
        // A skipped mandatory step is told to the lead at once, not at the next check.
        await raiseNotices(w, incident, outcome.run, w.now);
        return (await runsOf(w.tx, principal, incident, w.now)).find((r) => r.id === runRow.id)!;
      });
    };

    const routes: Array<[string, string, unknown, (body: any) => Action]> = [
      ['complete', 'Mark an open task done (a note is optional)', S.Complete, (b: { note?: string }) => ({ kind: 'complete', ...(b.note ? { note: b.note } : {}) })],
      ['answer', "Answer a branching task's question: the answer decides which steps open next", S.AnswerBody, (b: { answer: string }) => ({ kind: 'answer', answer: b.answer })],
      ['skip', 'Skip an open task, with a reason (a skipped mandatory step alerts the incident lead)', S.SkipBody, (b: { reason: string }) => ({ kind: 'skip', reason: b.reason })],
    ];
    for (const [name, summary, body, parse] of routes) {
      app.post(
        `/incidents/:id/tasks/:taskId/${name}`,
        { schema: { tags: ['incidents', 'playbooks'], summary, params: S.TaskParams, body: body as typeof S.Complete, response: { 200: S.Run } } },
        async (request) => {
          const principal = requirePermission(request, 'records:contribute');
          return act(parse)(request as never, principal, actorFor(request));
        },
      );
    }
  };
}
