import { describeAssignee, type Assignee, type Playbook, type PlaybookStep } from './model.js';

/**
 * The task engine: a playbook started on an incident becomes one task per step. Tasks open as the
 * procedure reaches them (the first at once; the others when the step before them is done, skipped or
 * answered), branches not taken become not applicable, and the run finishes when nothing is left open.
 * Pure: every function takes the run and `now` and returns the new run and the timeline events.
 */
export const TASK_STATUSES = ['pending', 'open', 'done', 'skipped', 'not-applicable'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Task {
  stepId: string;
  title: string;
  mandatory: boolean;
  assignee: Assignee;
  question: string | null;
  status: TaskStatus;
  openedAt: string | null;
  dueAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  answer: string | null;
  skipReason: string | null;
  note: string | null;
}

export interface PlaybookRun {
  playbookId: string;
  playbookVersion: number;
  incidentId: string;
  startedAt: string;
  startedBy: string;
  finishedAt: string | null;
  tasks: Task[];
}

export type PlaybookEvent =
  | { kind: 'playbook-started'; at: string; by: string; playbookId: string; version: number }
  | { kind: 'task-opened'; at: string; stepId: string; dueAt: string | null }
  | { kind: 'task-done'; at: string; by: string; stepId: string; note: string | null }
  | { kind: 'task-answered'; at: string; by: string; stepId: string; answer: string }
  | { kind: 'task-skipped'; at: string; by: string; stepId: string; reason: string; mandatory: boolean }
  | { kind: 'task-not-applicable'; at: string; stepId: string }
  | { kind: 'playbook-finished'; at: string };

export type TaskOutcome = { ok: true; run: PlaybookRun; events: PlaybookEvent[] } | { ok: false; problem: string };

/** Something the incident lead must know: a mandatory step overdue or skipped. */
export interface Notice {
  /** Stable, so the platform raises each notice once however often it evaluates. */
  key: string;
  kind: 'overdue' | 'mandatory-skipped';
  stepId: string;
  at: string;
  message: string;
}

interface Act {
  by: string;
  now: string;
}

export function startPlaybook(playbook: Playbook, start: Act & { incidentId: string }): { run: PlaybookRun; events: PlaybookEvent[] } {
  const events: PlaybookEvent[] = [{ kind: 'playbook-started', at: start.now, by: start.by, playbookId: playbook.id, version: playbook.version }];
  const run: PlaybookRun = {
    playbookId: playbook.id,
    playbookVersion: playbook.version,
    incidentId: start.incidentId,
    startedAt: start.now,
    startedBy: start.by,
    finishedAt: null,
    tasks: playbook.steps.map((s) => ({
      stepId: s.id,
      title: s.title,
      mandatory: s.mandatory,
      assignee: s.assignee,
      question: s.question,
      status: 'pending',
      openedAt: null,
      dueAt: null,
      closedAt: null,
      closedBy: null,
      answer: null,
      skipReason: null,
      note: null,
    })),
  };
  openTask(run, playbook.steps[0]!, start.now, events);
  return { run, events };
}

/** Marks an open step done (steps with a question are answered instead). */
export function completeTask(run: PlaybookRun, playbook: Playbook, stepId: string, act: Act & { note?: string }): TaskOutcome {
  const found = actionable(run, playbook, stepId, act);
  if (!found.ok) return found;
  const { next, step, task } = found;
  if (step.question !== null) return { ok: false, problem: `step "${stepId}" asks "${step.question}": answer it (${answerList(step)})` };
  Object.assign(task, { status: 'done', closedAt: act.now, closedBy: act.by, note: act.note?.trim() || null });
  const events: PlaybookEvent[] = [{ kind: 'task-done', at: act.now, by: act.by, stepId, note: task.note }];
  advance(next, playbook, step.next, act.now, events);
  return { ok: true, run: next, events };
}

/** Answers an open step's question; the answer decides which steps open next. */
export function answerTask(run: PlaybookRun, playbook: Playbook, stepId: string, act: Act & { answer: string }): TaskOutcome {
  const found = actionable(run, playbook, stepId, act);
  if (!found.ok) return found;
  const { next, step, task } = found;
  if (step.question === null) return { ok: false, problem: `step "${stepId}" asks no question; mark it done` };
  const given = act.answer.trim().toLowerCase();
  const answer = step.answers.find((a) => a.value.trim().toLowerCase() === given);
  if (!answer) return { ok: false, problem: `"${act.answer}" is not an answer to "${step.question}" (${answerList(step)})` };
  Object.assign(task, { status: 'done', closedAt: act.now, closedBy: act.by, answer: answer.value });
  const events: PlaybookEvent[] = [{ kind: 'task-answered', at: act.now, by: act.by, stepId, answer: answer.value }];
  advance(next, playbook, answer.next, act.now, events);
  return { ok: true, run: next, events };
}

/** Skips an open step, with a reason; the procedure goes on as if it were done. */
export function skipTask(run: PlaybookRun, playbook: Playbook, stepId: string, act: Act & { reason: string }): TaskOutcome {
  const reason = act.reason?.trim() ?? '';
  if (reason === '') return { ok: false, problem: `skipping step "${stepId}" needs a reason` };
  const found = actionable(run, playbook, stepId, act);
  if (!found.ok) return found;
  const { next, step, task } = found;
  if (step.question !== null) {
    return { ok: false, problem: `step "${stepId}" asks "${step.question}" and decides where the procedure goes: answer it (${answerList(step)})` };
  }
  Object.assign(task, { status: 'skipped', closedAt: act.now, closedBy: act.by, skipReason: reason });
  const events: PlaybookEvent[] = [{ kind: 'task-skipped', at: act.now, by: act.by, stepId, reason, mandatory: step.mandatory }];
  advance(next, playbook, step.next, act.now, events);
  return { ok: true, run: next, events };
}

/** What the incident lead must be told at `now`: mandatory steps overdue, mandatory steps skipped. */
export function noticesFor(run: PlaybookRun, now: string): Notice[] {
  const notices: Notice[] = [];
  const base = `${run.incidentId}/${run.playbookId}`;
  for (const t of run.tasks) {
    if (!t.mandatory) continue;
    if (isOverdue(t, now)) {
      notices.push({
        key: `${base}/${t.stepId}/overdue`,
        kind: 'overdue',
        stepId: t.stepId,
        at: t.dueAt!,
        message: `mandatory step "${t.title}" (${describeAssignee(t.assignee)}) was due at ${t.dueAt} and is not done`,
      });
    } else if (t.status === 'skipped') {
      notices.push({
        key: `${base}/${t.stepId}/skipped`,
        kind: 'mandatory-skipped',
        stepId: t.stepId,
        at: t.closedAt!,
        message: `mandatory step "${t.title}" was skipped by ${t.closedBy}: ${t.skipReason}`,
      });
    }
  }
  return notices;
}

export function isOverdue(task: Task, now: string): boolean {
  return task.status === 'open' && task.dueAt !== null && Date.parse(task.dueAt) <= Date.parse(now);
}

type Found = { ok: true; next: PlaybookRun; step: PlaybookStep; task: Task } | { ok: false; problem: string };

/** Checks that the step exists and is open, and returns a copy of the run to change. */
function actionable(run: PlaybookRun, playbook: Playbook, stepId: string, act: Act): Found {
  if (playbook.id !== run.playbookId || playbook.version !== run.playbookVersion) {
    return { ok: false, problem: `this run follows ${run.playbookId} version ${run.playbookVersion}, not ${playbook.id} version ${playbook.version}` };
  }
  if (Number.isNaN(Date.parse(act.now))) return { ok: false, problem: `"${act.now}" is not an ISO 8601 time` };
  if (!act.by) return { ok: false, problem: 'a task is acted on by someone' };
  if (run.finishedAt !== null) return { ok: false, problem: `the playbook finished at ${run.finishedAt}` };
  const step = playbook.steps.find((s) => s.id === stepId);
  const index = run.tasks.findIndex((t) => t.stepId === stepId);
  if (!step || index < 0) return { ok: false, problem: `the playbook has no step "${stepId}"` };
  const current = run.tasks[index]!;
  if (current.status !== 'open') {
    const why: Record<Exclude<TaskStatus, 'open'>, string> = {
      pending: 'not reached yet: the steps before it are not done',
      done: `already done by ${current.closedBy} at ${current.closedAt}`,
      skipped: `already skipped by ${current.closedBy} at ${current.closedAt}`,
      'not-applicable': 'not applicable: the procedure took another branch',
    };
    return { ok: false, problem: `step "${stepId}" is ${why[current.status]}` };
  }
  const next: PlaybookRun = { ...run, tasks: run.tasks.map((t) => ({ ...t })) };
  return { ok: true, next, step, task: next.tasks[index]! };
}

function openTask(run: PlaybookRun, step: PlaybookStep, now: string, events: PlaybookEvent[]): void {
  const task = run.tasks.find((t) => t.stepId === step.id)!;
  if (task.status !== 'pending') return; // reached by another path already
  task.status = 'open';
  task.openedAt = now;
  task.dueAt = step.dueAfterMs !== null ? new Date(Date.parse(now) + step.dueAfterMs).toISOString() : null;
  events.push({ kind: 'task-opened', at: now, stepId: step.id, dueAt: task.dueAt });
}

/** Opens the steps the procedure goes to, retires those it can no longer reach, and finishes the run. */
function advance(run: PlaybookRun, playbook: Playbook, targets: string[], now: string, events: PlaybookEvent[]): void {
  const byId = new Map(playbook.steps.map((s) => [s.id, s]));
  for (const id of targets) openTask(run, byId.get(id)!, now, events);
  const reachable = new Set<string>();
  const walk = run.tasks.filter((t) => t.status === 'open').map((t) => t.stepId);
  while (walk.length > 0) {
    const id = walk.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    const step = byId.get(id)!;
    walk.push(...(step.question === null ? step.next : step.answers.flatMap((a) => a.next)));
  }
  for (const t of run.tasks) {
    if (t.status === 'pending' && !reachable.has(t.stepId)) {
      t.status = 'not-applicable';
      t.closedAt = now;
      events.push({ kind: 'task-not-applicable', at: now, stepId: t.stepId });
    }
  }
  if (!run.tasks.some((t) => t.status === 'open' || t.status === 'pending')) {
    run.finishedAt = now;
    events.push({ kind: 'playbook-finished', at: now });
  }
}

function answerList(step: PlaybookStep): string {
  return `answers: ${step.answers.map((a) => a.value).join(', ')}`;
}
