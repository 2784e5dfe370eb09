import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PlaybookRun, PlaybookTask } from '../../web/src/api/playbooks.js';
import type { Incident, Me } from '../../web/src/api/types.js';
import { RunTasks } from '../../web/src/components/PlaybookSection.js';
import { store } from '../../web/src/state/store.js';

const task = (over: Partial<PlaybookTask>): PlaybookTask => ({
  id: over.stepId ?? 't', runId: 'r', incidentId: 'i', stepId: 's', title: 'Step', instructions: '', mandatory: false, assigneeText: 'role analyst', assignedOrgId: 'org-1',
  question: null, answers: [], status: 'open', openedAt: null, dueAt: null, overdue: false, closedAt: null, closedBy: null, answer: null, skipReason: null, note: null, ...over,
});

const run: PlaybookRun = {
  id: 'r', incidentId: 'i', playbookId: 'p', playbookVersion: 2, title: 'Drill', startedAt: '2026-11-22T08:00:00Z', finishedAt: null, version: 3,
  tasks: [
    task({ stepId: 'assess', title: 'Assess', status: 'done', note: 'looked at it' }),
    task({ stepId: 'late', title: 'Notify customers', mandatory: true, dueAt: '2026-11-22T09:00:00Z', overdue: true }),
    task({ stepId: 'confirmed', title: 'Confirmed?', question: 'Is it confirmed?', answers: ['yes', 'no'] }),
    task({ stepId: 'later', title: 'Stand down', status: 'pending' }),
  ],
};

describe('the playbook section of the incident workspace', () => {
  it('shows each task with its status, assignee and due time, highlights the overdue one, and offers what may be done', () => {
    store.me = { user: null, organisation: { id: 'org-1', name: 'Water' }, role: 'analyst', permissions: ['records:write', 'records:contribute'], administersPlatform: false, demo: false } as unknown as Me;
    const html = renderToStaticMarkup(<RunTasks incident={{ id: 'i', status: 'response' } as Incident} run={run} onChanged={() => {}} onError={() => {}} />);
    const row = (step: string) => html.slice(html.indexOf(`data-task="${step}"`), html.indexOf('</tr>', html.indexOf(`data-task="${step}"`)));
    expect(row('assess')).toContain('looked at it');
    expect(row('assess')).not.toContain('<button');
    expect(row('late')).toContain('class="overdue"');
    expect(row('late')).toContain('overdue');
    expect(row('late')).toContain('(mandatory)');
    expect(row('late')).toMatch(/>Complete<.*>Skip…</);
    expect(row('confirmed')).toContain('Is it confirmed?');
    expect(row('confirmed')).toMatch(/>yes<\/button>.*>no<\/button>/);
    expect(row('confirmed')).not.toContain('Complete');
    expect(row('later')).toContain('not reached');
    expect(row('later')).not.toContain('<button');
  });

  it('offers nothing to a viewer', () => {
    store.me = { user: null, organisation: { id: 'org-1', name: 'Water' }, role: 'viewer', permissions: [], administersPlatform: false, demo: false } as unknown as Me;
    const html = renderToStaticMarkup(<RunTasks incident={{ id: 'i', status: 'response' } as Incident} run={run} onChanged={() => {}} onError={() => {}} />);
    expect(html).not.toContain('<button');
  });
});
