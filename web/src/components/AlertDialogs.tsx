import { type FormEvent, useState } from 'react';
import { errorText } from '../api/client';
import { type Alert, type Incident, SEVERITIES, type Severity } from '../api/types';
import { navigate } from '../router';
import { addToIncident, escalate, highestSeverity } from '../state/actions';
import { store } from '../state/store';
import { ErrorMessage, Modal } from './Modal';

export function EscalateDialog({ alerts, onClose }: { alerts: Alert[]; onClose: () => void }) {
  const [title, setTitle] = useState(alerts.length === 1 ? alerts[0]!.title : `${alerts[0]!.title} (+${alerts.length - 1} related alerts)`);
  const [severity, setSeverity] = useState<Severity>(highestSeverity(alerts));
  const [type, setType] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return setError('Give the incident a title');
    if (type && !/^[a-z][a-z0-9-]{1,59}$/.test(type)) return setError('The type is lower-case words joined by dashes, e.g. scada-intrusion');
    setBusy(true);
    setError(null);
    try {
      const incident = await escalate({ title: title.trim(), severity, ...(type ? { type } : {}) }, alerts);
      onClose();
      navigate(`/incidents/${incident.id}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  return (
    <Modal title={`Escalate ${alerts.length === 1 ? 'the alert' : `${alerts.length} alerts`} to a new incident`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <label className="field">
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} required />
        </label>
        <label className="field">
          Severity
          <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          Type <span className="muted">(optional, e.g. scada-intrusion, water-contamination)</span>
          <input value={type} onChange={(e) => setType(e.target.value)} maxLength={60} />
        </label>
        <p className="muted">The incident starts with your organisation's default label and is shared from its workspace.</p>
        <ErrorMessage error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Opening…' : 'Open incident'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function AddToIncidentDialog({ alerts, onClose }: { alerts: Alert[]; onClose: () => void }) {
  const me = store.me;
  const candidates: Incident[] = [...store.incidents.values()]
    .filter((i) => i.ownerOrgId === me?.organisation.id && i.status !== 'closed')
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const [incidentId, setIncidentId] = useState(candidates[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!incidentId) return setError('Choose an incident');
    setBusy(true);
    setError(null);
    try {
      await addToIncident(incidentId, alerts);
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  return (
    <Modal title={`Add ${alerts.length === 1 ? 'the alert' : `${alerts.length} alerts`} to an incident`} onClose={onClose}>
      <form onSubmit={submit}>
        {candidates.length === 0 ? (
          <p>Your organisation has no open incident. Escalate the alerts to open one.</p>
        ) : (
          <label className="field">
            Incident of {me?.organisation.name}
            <select value={incidentId} onChange={(e) => setIncidentId(e.target.value)}>
              {candidates.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.title} ({i.status}, {i.severity})
                </option>
              ))}
            </select>
          </label>
        )}
        <ErrorMessage error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || candidates.length === 0}>
            Add
          </button>
        </div>
      </form>
    </Modal>
  );
}
