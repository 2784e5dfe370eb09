// The incident's playbooks: start one, and work its tasks (complete, answer a branching step, skip with a
// reason). The owner organisation sees every task; a partner sees the tasks assigned to it.
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import type { PlaybookRun, PlaybookSummary, PlaybookTask } from '../api/playbooks';
import type { Incident } from '../api/types';
import { formatTime } from '../format';
import { can, owns } from '../state/actions';
import { registerStreamEventType } from '../state/live';
import { store } from '../state/store';

registerStreamEventType('incident.tasks');
registerStreamEventType('incident.notice');

const STATUS_TEXT: Record<PlaybookTask['status'], string> = { pending: 'not reached', open: 'open', done: 'done', skipped: 'skipped', 'not-applicable': 'not applicable' };

export function PlaybookSection({ incident }: { incident: Incident }) {
  const [runs, setRuns] = useState<PlaybookRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const me = store.me;
  const owner = owns(me, incident);

  useEffect(() => {
    const controller = new AbortController();
    api<{ items: PlaybookRun[] }>('GET', `/incidents/${incident.id}/playbooks`, undefined, { signal: controller.signal })
      .then((page) => setRuns(page.items))
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setError(errorText(e));
      });
    return () => controller.abort();
  }, [incident.id, incident.version, reload]);

  // An outcome wrote to the incident's timeline: read the incident again, so the workspace (its timeline)
  // shows the new entries.
  const refreshIncident = () => {
    api<Incident>('GET', `/incidents/${incident.id}`)
      .then((fresh) => store.upsert('incident', fresh))
      .catch(() => {});
  };

  // Someone else's outcome (or a notice) arrives on the live stream: read the tasks again.
  useEffect(() => store.onEvent((event) => {
    if ((event.type === 'incident.tasks' || event.type === 'incident.notice') && event.recordId === incident.id) {
      setReload((n) => n + 1);
      refreshIncident();
    }
  }), [incident.id]);

  const done = (run: PlaybookRun) => {
    setRuns((current) => (current ?? []).map((r) => (r.id === run.id ? run : r)));
    setError(null);
    refreshIncident();
  };

  return (
    <section aria-labelledby="section-playbooks" data-section="playbooks">
      <h2 id="section-playbooks">Playbook</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {runs === null ? <p className="muted">Loading…</p> : runs.length === 0 ? <p className="muted">No playbook started.</p> : null}
      {runs?.map((run) => <RunTasks key={run.id} incident={incident} run={run} onChanged={done} onError={setError} />)}
      {owner && can.write(me) && incident.status !== 'closed' && <StartPlaybook incident={incident} running={runs ?? []} onStarted={(run) => {
            setRuns((c) => [...(c ?? []), run]);
            refreshIncident();
          }} onError={setError} />}
    </section>
  );
}

function StartPlaybook({ incident, running, onStarted, onError }: { incident: Incident; running: PlaybookRun[]; onStarted: (run: PlaybookRun) => void; onError: (e: string) => void }) {
  const [playbooks, setPlaybooks] = useState<PlaybookSummary[]>([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    api<{ items: PlaybookSummary[] }>('GET', '/playbooks')
      .then((page) => {
        // The playbooks meant for this type of incident first.
        const sorted = [...page.items].sort((a, b) => Number(b.incidentTypes.includes(incident.type)) - Number(a.incidentTypes.includes(incident.type)));
        setPlaybooks(sorted);
        setChosen((c) => c || sorted[0]?.id || '');
      })
      .catch((e) => onError(errorText(e)));
  }, [incident.type]);
  const busy = new Set(running.filter((r) => !r.finishedAt).map((r) => r.playbookId));
  async function start(event: FormEvent) {
    event.preventDefault();
    try {
      onStarted(await api<PlaybookRun>('POST', `/incidents/${incident.id}/playbooks`, { playbookId: chosen }));
    } catch (e) {
      onError(errorText(e));
    }
  }
  if (playbooks.length === 0) return null;
  return (
    <form className="inline" onSubmit={start} aria-label="Start a playbook">
      <label>
        Start a playbook{' '}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {playbooks.map((p) => (
            <option key={p.id} value={p.id} disabled={busy.has(p.id)}>
              {p.title} (v{p.version}){p.incidentTypes.includes(incident.type) ? ' — for this type' : ''}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" disabled={!chosen || busy.has(chosen)}>Start</button>
    </form>
  );
}

export function RunTasks({ incident, run, onChanged, onError }: { incident: Incident; run: PlaybookRun; onChanged: (run: PlaybookRun) => void; onError: (e: string) => void }) {
  const visible = run.tasks;
  return (
    <div className="playbook-run">
      <h3>
        {run.title} <span className="muted">v{run.playbookVersion}, started {formatTime(run.startedAt)}{run.finishedAt ? `, finished ${formatTime(run.finishedAt)}` : ''}</span>
      </h3>
      <table className="tasks">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col">Assigned to</th>
            <th scope="col">Due</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((task) => (
            <TaskRow key={task.id} incident={incident} task={task} onChanged={onChanged} onError={onError} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TaskRow({ incident, task, onChanged, onError }: { incident: Incident; task: PlaybookTask; onChanged: (run: PlaybookRun) => void; onError: (e: string) => void }) {
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const me = store.me;
  const mayAct = task.status === 'open' && incident.status !== 'closed' && can.contribute(me);
  async function act(action: 'complete' | 'answer' | 'skip', body: Record<string, string>) {
    try {
      onChanged(await api<PlaybookRun>('POST', `/incidents/${incident.id}/tasks/${task.id}/${action}`, body));
      setSkipping(false);
    } catch (e) {
      onError(errorText(e));
    }
  }
  const outcome = task.answer ? `answered “${task.answer}”` : task.skipReason ? `skipped: ${task.skipReason}` : task.note ? task.note : '';
  return (
    <tr data-task={task.stepId} data-status={task.status} className={task.overdue ? 'overdue' : undefined}>
      <td>
        <strong>{task.title}</strong>
        {task.mandatory && <span className="muted"> (mandatory)</span>}
        {task.question && task.status === 'open' && <div>{task.question}</div>}
        {outcome && <div className="muted">{outcome}</div>}
      </td>
      <td>{STATUS_TEXT[task.status]}</td>
      <td>
        {store.orgName(task.assignedOrgId)} <span className="muted">({task.assigneeText})</span>
      </td>
      <td style={task.overdue ? { color: '#ffb3b3', fontWeight: 600 } : undefined}>{task.dueAt ? `${formatTime(task.dueAt)}${task.overdue ? ' — overdue' : ''}` : '—'}</td>
      <td>
        {mayAct && task.question === null && !skipping && (
          <>
            <button type="button" className="small" onClick={() => act('complete', {})}>Complete</button>{' '}
            <button type="button" className="small" onClick={() => setSkipping(true)}>Skip…</button>
          </>
        )}
        {mayAct && task.question !== null &&
          task.answers.map((answer) => (
            <button key={answer} type="button" className="small" onClick={() => act('answer', { answer })}>
              {answer}
            </button>
          ))}
        {skipping && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act('skip', { reason });
            }}
          >
            <label>
              Reason <input value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
            </label>{' '}
            <button type="submit" className="small" disabled={reason.trim() === ''}>Skip</button>{' '}
            <button type="button" className="small" onClick={() => setSkipping(false)}>Cancel</button>
          </form>
        )}
      </td>
    </tr>
  );
}
