import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  answerTask,
  completeTask,
  isAssignee,
  noticesFor,
  readPlaybookYaml,
  skipTask,
  startPlaybook,
  type PlaybookRun,
  type TaskOutcome,
} from '../../src/incidents/playbooks/index.js';

const playbook = readPlaybookYaml(`
id: contamination-drill
title: Contamination drill
steps:
  - id: record
    title: Record the trigger
    mandatory: true
    assign: { lead: true }
    due: 15m
  - id: confirmed
    title: Is the contaminant confirmed?
    question: Is the contaminant confirmed?
    answers:
      yes: [isolate, warn]
      no: monitor
    assign: { sector: water, kind: operator }
  - id: isolate
    title: Isolate the zone
    mandatory: true
    assign: { sector: water, kind: operator }
    due: 30m
    next: review
  - id: warn
    title: Warn the public
    assign: { sector: city }
    due: 1h
    next: end
  - id: monitor
    title: Keep monitoring
    assign: { sector: water }
    next: review
  - id: review
    title: Review
    assign: { lead: true }
`);

const t = (minutes: number): string => new Date(Date.parse('2025-03-01T10:00:00Z') + minutes * 60_000).toISOString();
const by = 'u-anna';

function ok(outcome: TaskOutcome): { run: PlaybookRun; events: Extract<TaskOutcome, { ok: true }>['events'] } {
  if (!outcome.ok) throw new Error(outcome.problem);
  return outcome;
}
const statuses = (run: PlaybookRun): Record<string, string> => Object.fromEntries(run.tasks.map((task) => [task.stepId, task.status]));

describe('playbook task engine', () => {
  it('creates one task per step and opens the first with its due time', () => {
    const { run, events } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    expect(statuses(run)).toEqual({ record: 'open', confirmed: 'pending', isolate: 'pending', warn: 'pending', monitor: 'pending', review: 'pending' });
    expect(run.tasks[0]).toMatchObject({ openedAt: t(0), dueAt: t(15) });
    expect(events).toEqual([
      { kind: 'playbook-started', at: t(0), by, playbookId: 'contamination-drill', version: 1 },
      { kind: 'task-opened', at: t(0), stepId: 'record', dueAt: t(15) },
    ]);
  });

  it('branches on the answer: yes opens two steps in parallel, the other branch is not applicable', () => {
    let { run } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    run = ok(completeTask(run, playbook, 'record', { by, now: t(5), note: 'chlorine 0.05 mg/l at DMA-12' })).run;
    expect(statuses(run).confirmed).toBe('open');
    const answered = ok(answerTask(run, playbook, 'confirmed', { by, now: t(20), answer: 'YES' }));
    expect(statuses(answered.run)).toEqual({ record: 'done', confirmed: 'done', isolate: 'open', warn: 'open', monitor: 'not-applicable', review: 'pending' });
    expect(answered.run.tasks[1]!.answer).toBe('yes');
    expect(answered.run.tasks.find((x) => x.stepId === 'isolate')!.dueAt).toBe(t(50));
    expect(answered.events.map((e) => e.kind)).toEqual(['task-answered', 'task-opened', 'task-opened', 'task-not-applicable']);
  });

  it('the no branch skips straight to monitoring and then finishes', () => {
    let { run } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    run = ok(completeTask(run, playbook, 'record', { by, now: t(1) })).run;
    run = ok(answerTask(run, playbook, 'confirmed', { by, now: t(2), answer: 'no' })).run;
    expect(statuses(run)).toMatchObject({ isolate: 'not-applicable', warn: 'not-applicable', monitor: 'open' });
    run = ok(completeTask(run, playbook, 'monitor', { by, now: t(3) })).run;
    const last = ok(completeTask(run, playbook, 'review', { by, now: t(4) }));
    expect(last.run.finishedAt).toBe(t(4));
    expect(last.events.at(-1)).toEqual({ kind: 'playbook-finished', at: t(4) });
    expect(completeTask(last.run, playbook, 'review', { by, now: t(5) })).toMatchObject({ ok: false, problem: expect.stringContaining('finished') });
  });

  it('waits for the parallel steps before finishing', () => {
    let { run } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    run = ok(completeTask(run, playbook, 'record', { by, now: t(1) })).run;
    run = ok(answerTask(run, playbook, 'confirmed', { by, now: t(2), answer: 'yes' })).run;
    run = ok(completeTask(run, playbook, 'isolate', { by, now: t(3) })).run;
    run = ok(completeTask(run, playbook, 'review', { by, now: t(4) })).run;
    expect(run.finishedAt).toBeNull();
    run = ok(completeTask(run, playbook, 'warn', { by, now: t(5) })).run;
    expect(run.finishedAt).toBe(t(5));
  });

  it('tells the lead about overdue mandatory steps, evaluated against now', () => {
    let { run } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    expect(noticesFor(run, t(14))).toEqual([]);
    expect(noticesFor(run, t(15))).toEqual([
      expect.objectContaining({ key: 'INC-7/contamination-drill/record/overdue', kind: 'overdue', stepId: 'record', at: t(15) }),
    ]);
    run = ok(completeTask(run, playbook, 'record', { by, now: t(16) })).run;
    run = ok(answerTask(run, playbook, 'confirmed', { by, now: t(17), answer: 'yes' })).run;
    // warn (not mandatory) is overdue after an hour too, but only mandatory steps raise notices.
    expect(noticesFor(run, t(200)).map((x) => x.stepId)).toEqual(['isolate']);
  });

  it('needs a reason to skip, and a skipped mandatory step alerts the lead', () => {
    const { run } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    expect(skipTask(run, playbook, 'record', { by, now: t(1), reason: '  ' })).toEqual({ ok: false, problem: 'skipping step "record" needs a reason' });
    const skipped = ok(skipTask(run, playbook, 'record', { by, now: t(1), reason: 'recorded by the utility already' }));
    expect(skipped.events[0]).toMatchObject({ kind: 'task-skipped', mandatory: true, reason: 'recorded by the utility already' });
    expect(statuses(skipped.run).confirmed).toBe('open');
    expect(noticesFor(skipped.run, t(2))).toEqual([
      expect.objectContaining({ kind: 'mandatory-skipped', stepId: 'record', message: expect.stringContaining('recorded by the utility already') }),
    ]);
  });

  it('refuses what does not fit the procedure', () => {
    const { run } = startPlaybook(playbook, { incidentId: 'INC-7', by, now: t(0) });
    expect(completeTask(run, playbook, 'isolate', { by, now: t(1) })).toMatchObject({ ok: false, problem: expect.stringContaining('not reached yet') });
    expect(completeTask(run, playbook, 'nope', { by, now: t(1) })).toMatchObject({ ok: false, problem: 'the playbook has no step "nope"' });
    const at = ok(completeTask(run, playbook, 'record', { by, now: t(1) })).run;
    expect(completeTask(at, playbook, 'confirmed', { by, now: t(2) })).toMatchObject({ ok: false, problem: expect.stringContaining('answer it (answers: yes, no)') });
    expect(skipTask(at, playbook, 'confirmed', { by, now: t(2), reason: 'x' })).toMatchObject({ ok: false, problem: expect.stringContaining('decides where the procedure goes') });
    expect(answerTask(at, playbook, 'confirmed', { by, now: t(2), answer: 'maybe' })).toMatchObject({ ok: false, problem: expect.stringContaining('"maybe" is not an answer') });
    expect(completeTask(at, playbook, 'record', { by, now: t(2) })).toMatchObject({ ok: false, problem: expect.stringContaining('already done by u-anna') });
    expect(completeTask(at, { ...playbook, version: 2 }, 'record', { by, now: t(2) })).toMatchObject({ ok: false, problem: expect.stringContaining('version 1') });
    // The original run is never changed in place.
    expect(statuses(run).record).toBe('open');
  });

  it('assigns by role and by organisation sector and kind', () => {
    const utility = { role: 'operator', sector: 'water', organisationKind: 'operator', isLead: false };
    const police = { role: 'responder', sector: 'police', organisationKind: 'practitioner', isLead: false };
    const isolate = playbook.steps.find((s) => s.id === 'isolate')!.assignee;
    expect(isAssignee(isolate, utility)).toBe(true);
    expect(isAssignee(isolate, police)).toBe(false);
    expect(isAssignee({ lead: true }, { ...police, isLead: true })).toBe(true);
    expect(isAssignee({ role: 'analyst' }, utility)).toBe(false);
  });

  it('runs a shipped template end to end along one path', () => {
    const file = join(import.meta.dirname, '../../playbooks/suspected-water-contamination.yaml');
    const p = readPlaybookYaml(readFileSync(file, 'utf8'), file);
    let { run } = startPlaybook(p, { incidentId: 'INC-1', by, now: t(0) });
    const answers: Record<string, string> = { 'contamination-possible': 'no' };
    for (let step = 1; run.finishedAt === null && step < 50; step++) {
      const open = run.tasks.find((x) => x.status === 'open')!;
      const s = p.steps.find((x) => x.id === open.stepId)!;
      run = ok(s.question ? answerTask(run, p, s.id, { by, now: t(step), answer: answers[s.id] ?? 'yes' }) : completeTask(run, p, s.id, { by, now: t(step) })).run;
    }
    expect(run.finishedAt).not.toBeNull();
    expect(run.tasks.filter((x) => x.status === 'done').map((x) => x.stepId)).toEqual(['record-trigger', 'verify-sensor', 'contamination-possible', 'document-false-alarm']);
  });
});
