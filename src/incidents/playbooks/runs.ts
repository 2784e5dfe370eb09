import type { Queryable } from '../../kernel/db/connection.js';
import type { EventAudience } from '../../kernel/events/index.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { audience, loadSharingWorld } from '../../kernel/sharing/index.js';
import type { Incident } from '../model.js';
import { addTimelineEntry } from '../queries.js';
import { type Assignee, type Playbook, describeAssignee } from './model.js';
import type { PlaybookRunTable } from './schema.js';
import { type Notice, type PlaybookEvent, type PlaybookRun, type Task, isOverdue, noticesFor, startPlaybook } from './tasks.js';

/** Who acts on a task: an organisation's member with a role. */
export interface TaskActor {
  orgId: string;
  role: string;
  /** May change the organisation's own records (the owner's coordinators act on any of its incident's tasks). */
  canWrite: boolean;
  label: string;
}

/** A task as the API shows it: the step, its state, who does it, and what it asks. */
export interface TaskView {
  id: string;
  runId: string;
  incidentId: string;
  playbookId: string;
  playbookTitle: string;
  position: number;
  stepId: string;
  title: string;
  instructions: string;
  mandatory: boolean;
  assignee: Assignee;
  assigneeText: string;
  assignedOrgId: string;
  question: string | null;
  answers: string[];
  status: Task['status'];
  openedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  closedAt: string | null;
  closedBy: string | null;
  answer: string | null;
  skipReason: string | null;
  note: string | null;
}

export interface RunView {
  id: string;
  incidentId: string;
  playbookId: string;
  playbookVersion: number;
  title: string;
  startedAt: string;
  finishedAt: string | null;
  version: number;
  tasks: TaskView[];
}

type IncidentRef = Pick<Incident, 'id' | 'ownerOrgId' | 'distribution' | 'tlp'>;

/**
 * Which organisation does each step: one of the organisations that may see the incident (the owner first)
 * whose sector and kind match the step's assignee; steps for a role or the lead, and steps no organisation
 * on the incident matches, fall to the owner, who may hand them on by sharing the incident.
 */
export async function assignOrganisations(db: Queryable, incident: IncidentRef, playbook: Playbook): Promise<Map<string, string>> {
  const reach = audience(incident, await loadSharingWorld(db));
  const orgs = await db.selectFrom('organisations').select(['id', 'sector', 'kind']).orderBy('id').execute();
  const onIncident = orgs.filter((o) => o.id === incident.ownerOrgId || reach === 'everyone' || reach.has(o.id));
  onIncident.sort((a, b) => Number(b.id === incident.ownerOrgId) - Number(a.id === incident.ownerOrgId));
  const out = new Map<string, string>();
  for (const step of playbook.steps) {
    const a = step.assignee;
    const wantsOrg = !a.lead && (a.sector !== undefined || a.organisationKind !== undefined);
    const match = wantsOrg ? onIncident.find((o) => (!a.sector || o.sector === a.sector) && (!a.organisationKind || o.kind === a.organisationKind)) : undefined;
    out.set(step.id, match?.id ?? incident.ownerOrgId);
  }
  return out;
}

export function runViewOf(row: PlaybookRunTable, taskRows: Array<{ id: string; assigned_org_id: string; position: number }>, playbook: Playbook, viewerOrgId: string | null, ownerOrgId: string, now: number): RunView {
  const run = JSON.parse(row.state) as PlaybookRun;
  const nowIso = new Date(now).toISOString();
  const steps = new Map(playbook.steps.map((s) => [s.id, s]));
  const tasks: TaskView[] = [];
  for (const t of taskRows) {
    if (viewerOrgId !== ownerOrgId && t.assigned_org_id !== viewerOrgId) continue;
    const task = run.tasks[t.position]!;
    const step = steps.get(task.stepId)!;
    tasks.push({
      id: t.id,
      runId: row.id,
      incidentId: row.incident_id,
      playbookId: row.playbook_id,
      playbookTitle: playbook.title,
      position: t.position,
      stepId: task.stepId,
      title: task.title,
      instructions: step.instructions,
      mandatory: task.mandatory,
      assignee: task.assignee,
      assigneeText: describeAssignee(task.assignee),
      assignedOrgId: t.assigned_org_id,
      question: task.question,
      answers: step.answers.map((a) => a.value),
      status: task.status,
      openedAt: task.openedAt,
      dueAt: task.dueAt,
      overdue: isOverdue(task, nowIso),
      closedAt: task.closedAt,
      closedBy: task.closedBy,
      answer: task.answer,
      skipReason: task.skipReason,
      note: task.note,
    });
  }
  return {
    id: row.id,
    incidentId: row.incident_id,
    playbookId: row.playbook_id,
    playbookVersion: row.playbook_version,
    title: playbook.title,
    startedAt: new Date(Number(row.started_at)).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
    version: row.version,
    tasks,
  };
}

/** The words a timeline shows for a playbook event (opening a task is not an outcome and is left out). */
function timelineText(e: PlaybookEvent, run: PlaybookRun, playbook: Playbook): string | null {
  const title = (stepId: string): string => run.tasks.find((t) => t.stepId === stepId)?.title ?? stepId;
  switch (e.kind) {
    case 'playbook-started':
      return `Playbook "${playbook.title}" (version ${e.version}) started`;
    case 'task-opened':
      return null;
    case 'task-done':
      return `Done: ${title(e.stepId)}${e.note ? ` (${e.note})` : ''}`;
    case 'task-answered':
      return `${run.tasks.find((t) => t.stepId === e.stepId)?.question ?? title(e.stepId)} → ${e.answer}`;
    case 'task-skipped':
      return `Skipped${e.mandatory ? ' mandatory step' : ''}: ${title(e.stepId)} (${e.reason})`;
    case 'task-not-applicable':
      return `Not applicable: ${title(e.stepId)}`;
    case 'playbook-finished':
      return `Playbook "${playbook.title}" finished`;
  }
}

/** Only the owner, or the owner and one partner: a partner hears of its own tasks and nothing else. */
function audienceFor(incident: IncidentRef, orgId: string): EventAudience {
  return { ownerOrgId: incident.ownerOrgId, distribution: orgId === incident.ownerOrgId ? { scope: 'owner' } : { scope: 'orgs', orgIds: [orgId] } };
}

/**
 * Writes what a change of a run means everywhere it must land, in the caller's transaction: the timeline,
 * the audit log, and the live stream (the owner hears of every task; each partner of its own tasks only).
 */
export async function publishRunChange(
  w: Write,
  incident: IncidentRef,
  runId: string,
  before: PlaybookRun | null,
  after: PlaybookRun,
  playbook: Playbook,
  events: PlaybookEvent[],
  assignedOrg: (stepId: string) => string,
  audit: { action: string; details: Record<string, unknown> },
): Promise<void> {
  for (const e of events) {
    const text = timelineText(e, after, playbook);
    if (text) await addTimelineEntry(w, incident, { kind: e.kind, text, data: { runId, playbookId: playbook.id, ...e } });
  }
  await w.audit({ action: audit.action, targetKind: 'incident', targetId: incident.id, orgId: w.actor.orgId ?? incident.ownerOrgId, details: { runId, ...audit.details } });
  const changed = after.tasks.filter((t, i) => !before || before.tasks[i]!.status !== t.status);
  const byOrg = new Map<string, Task[]>();
  for (const t of changed) {
    const org = assignedOrg(t.stepId);
    if (org !== incident.ownerOrgId) byOrg.set(org, [...(byOrg.get(org) ?? []), t]);
  }
  const base = { incidentId: incident.id, runId, playbookId: playbook.id, finishedAt: after.finishedAt };
  await w.emit({ type: 'incident.tasks', recordKind: 'incident', recordId: incident.id, actorOrgId: w.actor.orgId, audience: audienceFor(incident, incident.ownerOrgId), data: { ...base, events, tasks: changed } });
  for (const [org, tasks] of byOrg) {
    const own = new Set(tasks.map((t) => t.stepId));
    await w.emit({
      type: 'incident.tasks',
      recordKind: 'incident',
      recordId: incident.id,
      actorOrgId: w.actor.orgId,
      audience: audienceFor(incident, org),
      data: { ...base, events: events.filter((e) => 'stepId' in e && own.has(e.stepId)), tasks },
    });
  }
}

/** Starts a playbook on an incident: the run, one task row per step, and the first task open. */
export async function startRun(w: Write, incident: IncidentRef, playbookRowId: string, playbook: Playbook, startedBy: string): Promise<string> {
  const assigned = await assignOrganisations(w.tx, incident, playbook);
  const { run, events } = startPlaybook(playbook, { incidentId: incident.id, by: startedBy, now: new Date(w.now).toISOString() });
  const id = newId(w.now);
  await w.tx
    .insertInto('playbook_runs')
    .values({ id, incident_id: incident.id, playbook_id: playbookRowId, playbook_version: playbook.version, state: JSON.stringify(run), version: 1, started_at: w.now, finished_at: null, updated_at: w.now })
    .execute();
  await w.tx
    .insertInto('playbook_tasks')
    .values(
      run.tasks.map((t, position) => ({
        id: newId(w.now),
        run_id: id,
        incident_id: incident.id,
        position,
        step_id: t.stepId,
        assigned_org_id: assigned.get(t.stepId)!,
        status: t.status,
        due_at: t.dueAt ? Date.parse(t.dueAt) : null,
        data: JSON.stringify(t),
      })),
    )
    .execute();
  await publishRunChange(w, incident, id, null, run, playbook, events, (s) => assigned.get(s)!, {
    action: 'incident.playbook.start',
    details: { playbookId: playbookRowId, slug: playbook.id, version: playbook.version, assignments: Object.fromEntries(assigned) },
  });
  return id;
}

/**
 * Stores the next state of a run if nobody changed it since `expectedVersion` was read; false when someone
 * did (the caller answers 409). Task rows follow the run.
 */
export async function saveRun(w: Write, runId: string, expectedVersion: number, run: PlaybookRun): Promise<boolean> {
  const result = await w.tx
    .updateTable('playbook_runs')
    .set({ state: JSON.stringify(run), version: expectedVersion + 1, finished_at: run.finishedAt ? Date.parse(run.finishedAt) : null, updated_at: w.now })
    .where('id', '=', runId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  for (const [position, t] of run.tasks.entries()) {
    await w.tx
      .updateTable('playbook_tasks')
      .set({ status: t.status, due_at: t.dueAt ? Date.parse(t.dueAt) : null, data: JSON.stringify(t) })
      .where('run_id', '=', runId)
      .where('position', '=', position)
      .execute();
  }
  return true;
}

/**
 * Raises each notice (a mandatory step overdue or skipped) once: a timeline entry and an event for the
 * owner organisation, whose analysts lead the incident. Returns the notices raised now.
 */
export async function raiseNotices(w: Write, incident: IncidentRef, run: PlaybookRun, now: number): Promise<Notice[]> {
  const due = noticesFor(run, new Date(now).toISOString());
  const raised: Notice[] = [];
  for (const notice of due) {
    const known = await w.tx.selectFrom('playbook_notices').select('key').where('key', '=', notice.key).executeTakeFirst();
    if (known) continue;
    await w.tx.insertInto('playbook_notices').values({ key: notice.key, incident_id: incident.id, at: now }).execute();
    const entry = await addTimelineEntry(w, incident, { kind: 'playbook-notice', text: notice.message, data: { ...notice } });
    await w.emit({ type: 'incident.notice', recordKind: 'incident', recordId: incident.id, actorOrgId: w.actor.orgId, audience: audienceFor(incident, incident.ownerOrgId), data: { notice, entry } });
    await w.audit({ action: 'incident.playbook.notice', targetKind: 'incident', targetId: incident.id, orgId: incident.ownerOrgId, details: { key: notice.key, kind: notice.kind } });
    raised.push(notice);
  }
  return raised;
}
