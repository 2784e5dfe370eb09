import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Incident, IncidentAlertReason } from '../../api/types';
import { navigate } from '../../router';
import { store } from '../../state/store';
import { AlertDetail } from '../AlertDetail';
import { SeverityBadge, TlpBadge } from '../badges';
import { ErrorMessage, Modal } from '../Modal';
import { changeErrorText, incidentCall } from './change';
import { reasonText } from './reasons';

/**
 * The incident's alerts with why each is here, and the two ways to regroup them: split chosen alerts out to a
 * new incident, or merge this whole incident into another of the organisation.
 */
export function IncidentAlerts({ incident, why }: { incident: Incident; why: string | null }) {
  const alerts = incident.alertIds.map((a) => store.alerts.get(a)).filter((a) => a !== undefined);
  const hidden = incident.alertIds.length - alerts.length;
  const [reasons, setReasons] = useState<Map<string, IncidentAlertReason>>(new Map());
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<'split' | 'merge' | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api<{ items: IncidentAlertReason[] }>('GET', `/incidents/${incident.id}/alerts`, undefined, { signal: controller.signal })
      .then((p) => setReasons(new Map(p.items.map((r) => [r.alertId, r]))))
      .catch(() => {});
    return () => controller.abort();
  }, [incident.id, incident.version]);

  const toggle = (id: string) => setChosen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const active = incident.status !== 'closed';

  return (
    <section aria-labelledby="alerts">
      <h2 id="alerts">Alerts ({incident.alertIds.length})</h2>
      {alerts.length === 0 && <p className="muted">No alerts you may see.</p>}
      {alerts.map((a) => (
        <div key={a.id} className="alert-row">
          {!why && active && <input type="checkbox" aria-label={`Choose ${a.title}`} checked={chosen.has(a.id)} onChange={() => toggle(a.id)} />}
          <details className="alert-in-incident">
            <summary>
              <SeverityBadge severity={a.severity} /> {a.title} <TlpBadge tlp={a.tlp} />
            </summary>
            <p className="why" data-testid="alert-reason">
              <span className="muted">Why this alert is here: </span>
              {reasonText(reasons.get(a.id)?.reason) || <span className="muted">not recorded</span>}
            </p>
            <AlertDetail alert={a} />
          </details>
        </div>
      ))}
      {hidden > 0 && <p className="muted">{hidden} more alert(s) are not shared with your organisation.</p>}
      {!why && active && (
        <p>
          <button type="button" disabled={chosen.size === 0} onClick={() => setDialog('split')}>
            Split {chosen.size || ''} chosen alert(s) into a new incident…
          </button>{' '}
          <button type="button" onClick={() => setDialog('merge')}>
            Merge this incident into another…
          </button>
        </p>
      )}
      {dialog === 'split' && <SplitDialog incident={incident} alertIds={[...chosen]} onDone={() => { setChosen(new Set()); setDialog(null); }} onClose={() => setDialog(null)} />}
      {dialog === 'merge' && <MergeDialog incident={incident} onClose={() => setDialog(null)} />}
    </section>
  );
}

function SplitDialog({ incident, alertIds, onDone, onClose }: { incident: Incident; alertIds: string[]; onDone: () => void; onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return setError('Give the new incident a title');
    try {
      const r = await incidentCall<{ source: Incident; created: Incident }>('POST', `/incidents/${incident.id}/split`, { alertIds, title: title.trim(), version: incident.version }, (x) => [x.source, x.created]);
      onDone();
      navigate(`/incidents/${r.created.id}`);
    } catch (e) {
      setError(changeErrorText(e));
    }
  }
  return (
    <Modal title="Split into a new incident" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>{alertIds.length} alert(s) move to the new incident; it is shared like this one and linked to it.</p>
        <label className="field">
          Title of the new incident
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={500} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary">
          Split
        </button>
      </form>
    </Modal>
  );
}

function MergeDialog({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const targets = [...store.incidents.values()].filter((i) => i.id !== incident.id && i.ownerOrgId === incident.ownerOrgId && i.status !== 'closed');
  const [into, setInto] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const target = store.incidents.get(into);
    if (!target) return setError('Choose the incident to merge into');
    try {
      await incidentCall<{ source: Incident; target: Incident }>('POST', `/incidents/${incident.id}/merge`, { intoIncidentId: target.id, version: incident.version, intoVersion: target.version }, (x) => [x.source, x.target]);
      onClose();
      navigate(`/incidents/${target.id}`);
    } catch (e) {
      setError(changeErrorText(e));
    }
  }
  return (
    <Modal title="Merge into another incident" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>Every alert of this incident moves to the one you choose; this incident closes as "merged" and stays linked to it.</p>
        <label className="field">
          Merge into
          <select value={into} onChange={(e) => setInto(e.target.value)}>
            <option value="">choose an incident…</option>
            {targets.map((i) => (
              <option key={i.id} value={i.id}>
                {i.title} ({i.status})
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary">
          Merge
        </button>
      </form>
    </Modal>
  );
}
