import { type FormEvent, useState } from 'react';
import { RESOLUTIONS, allowedTransitions, transitionWay, type IncidentStatus } from '../../../../src/incidents/lifecycle.js';
import { SEVERITIES, type Incident } from '../../api/types';
import { ErrorMessage, Modal } from '../Modal';
import { changeErrorText, reviseIncident } from './change';

/**
 * Status and severity. The status offers only the moves the lifecycle allows from here; moves that need a
 * reason (back a step, closing before recovery, reopening) or a resolution (closing) ask for it first.
 */
export function LifecycleControls({ incident, why }: { incident: Incident; why: string | null }) {
  const [asking, setAsking] = useState<IncidentStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const status = incident.status as IncidentStatus;

  async function send(change: Record<string, unknown>) {
    setError(null);
    try {
      await reviseIncident(incident, change);
      return true;
    } catch (e) {
      setError(changeErrorText(e));
      return false;
    }
  }

  function choose(to: IncidentStatus) {
    const way = transitionWay(status, to);
    const needsMore = way === 'step-back' || way === 'reopen' || way === 'close';
    if (needsMore) setAsking(to);
    else void send({ status: to });
  }

  return (
    <div className="controls" role="group" aria-label="Status and severity">
      <span className="field inline">
        Status <strong data-testid="incident-status">{incident.status}</strong>
        {incident.resolution && <span className="muted"> ({incident.resolution})</span>}
      </span>
      {allowedTransitions(status).map((to) => (
        <button key={to} type="button" disabled={!!why} title={why ?? undefined} onClick={() => choose(to)}>
          {status === 'closed' ? 'Reopen' : to === 'closed' ? 'Close…' : `→ ${to}`}
        </button>
      ))}
      <label className="field inline">
        Severity
        <select value={incident.severity} disabled={!!why} title={why ?? undefined} onChange={(e) => void send({ severity: e.target.value })}>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <ErrorMessage error={error} />
      {asking && <ReasonDialog from={status} to={asking} error={error} onClose={() => setAsking(null)} onSend={async (c) => (await send({ status: asking, ...c })) && setAsking(null)} />}
    </div>
  );
}

function ReasonDialog({ from, to, error, onClose, onSend }: { from: IncidentStatus; to: IncidentStatus; error: string | null; onClose: () => void; onSend: (change: { reason?: string; resolution?: string }) => Promise<unknown> }) {
  const way = transitionWay(from, to);
  const needsReason = way === 'step-back' || way === 'reopen' || (way === 'close' && from !== 'recovery');
  const [reason, setReason] = useState('');
  const [resolution, setResolution] = useState<string>('resolved');
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (needsReason && !reason.trim()) return setProblem('Say why');
    await onSend({ ...(reason.trim() ? { reason: reason.trim() } : {}), ...(way === 'close' ? { resolution } : {}) });
  }
  const title = way === 'reopen' ? 'Reopen the incident' : way === 'close' ? 'Close the incident' : `Back to ${to}`;
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {way === 'close' && (
          <label className="field">
            Resolution
            <select value={resolution} onChange={(e) => setResolution(e.target.value)}>
              {RESOLUTIONS.filter((r) => r !== 'merged').map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          Reason{needsReason ? '' : ' (optional)'}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} />
        </label>
        <ErrorMessage error={problem ?? error} />
        <button type="submit" className="primary">
          {title}
        </button>
      </form>
    </Modal>
  );
}
