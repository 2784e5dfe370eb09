import { useState } from 'react';
import type { Alert } from '../api/types';
import { SEVERITY_COLOURS, ago } from '../format';
import { can, setAlertStatus } from '../state/actions';
import { store } from '../state/store';
import { AddToIncidentDialog, EscalateDialog } from './AlertDialogs';
import { TlpBadge } from './badges';
import { ErrorMessage } from './Modal';

const PAGE = 150;

/** The alerts matching the filters, newest first, with actions on one or many. */
export function AlertQueue({ alerts, selectedId, onOpen }: { alerts: Alert[]; selectedId: string | null; onOpen: (alert: Alert) => void }) {
  const me = store.me;
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [shown, setShown] = useState(PAGE);
  const [dialog, setDialog] = useState<'escalate' | 'add' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const picked = alerts.filter((a) => checked.has(a.id));
  const own = picked.filter((a) => a.ownerOrgId === me?.organisation.id);
  const allChecked = alerts.length > 0 && alerts.slice(0, shown).every((a) => checked.has(a.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(checked);
    if (on) next.add(id);
    else next.delete(id);
    setChecked(next);
  };
  const bulk = async (status: 'acknowledged' | 'dismissed') => {
    setBusy(true);
    setError(null);
    const failures = await setAlertStatus(own, status);
    const skipped = picked.length - own.length;
    setError(
      [...failures, ...(skipped ? [`${skipped} alert(s) of other organisations were left as they are: only their owner may change them`] : [])].join('\n') || null,
    );
    setChecked(new Set());
    setBusy(false);
  };
  const newCount = alerts.filter((a) => a.status === 'new').length;
  return (
    <section className="alert-queue" aria-labelledby="queue-title">
      <header className="queue-head">
        <h2 id="queue-title">
          Alerts <span className="count">{alerts.length}</span> {newCount > 0 && <span className="muted small-text">{newCount} new</span>}
        </h2>
        {store.loadingMore && <span className="muted small-text">loading older alerts…</span>}
      </header>
      <div className="queue-actions" role="toolbar" aria-label="Actions on the selected alerts">
        <label className="toggle">
          <input
            type="checkbox"
            aria-label="Select every alert shown"
            checked={allChecked}
            onChange={(e) => setChecked(e.target.checked ? new Set(alerts.slice(0, shown).map((a) => a.id)) : new Set())}
          />
          {picked.length ? `${picked.length} selected` : 'Select'}
        </label>
        <button type="button" className="small" disabled={!own.length || busy || !can.write(me)} onClick={() => bulk('acknowledged')}>
          Acknowledge
        </button>
        <button type="button" className="small" disabled={!own.length || busy || !can.write(me)} onClick={() => bulk('dismissed')}>
          Dismiss
        </button>
        <button type="button" className="small" disabled={!picked.length || !can.write(me)} onClick={() => setDialog('escalate')}>
          Escalate…
        </button>
        <button type="button" className="small" disabled={!picked.length || !can.write(me)} onClick={() => setDialog('add')}>
          Add to incident…
        </button>
      </div>
      <ErrorMessage error={error} />
      {!store.ready ? (
        <p className="muted pad">Loading alerts…</p>
      ) : alerts.length === 0 ? (
        <p className="muted pad">No alert matches the filters.</p>
      ) : (
        <ol className="queue-list" aria-label="Alerts, newest first">
          {alerts.slice(0, shown).map((a) => {
            const fresh = Date.now() - (store.arrivedAt.get(a.id) ?? 0) < 60_000;
            return (
              <li key={a.id} className={`queue-row${a.id === selectedId ? ' selected' : ''}${fresh ? ' fresh' : ''}`} data-alert-id={a.id}>
                <input type="checkbox" aria-label={`Select ${a.title}`} checked={checked.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} />
                <button type="button" className="row-main" onClick={() => onOpen(a)} aria-current={a.id === selectedId ? 'true' : undefined}>
                  <span className="sev-bar" style={{ background: SEVERITY_COLOURS[a.severity] }} aria-hidden="true" />
                  <span className="row-title">{a.title}</span>
                  <span className="row-meta">
                    <span className="severity-text" style={{ color: SEVERITY_COLOURS[a.severity] }}>
                      {a.severity}
                    </span>{' '}
                    · {a.status} · {store.orgName(a.ownerOrgId)} · {ago(a.time)}
                  </span>
                </button>
                <TlpBadge tlp={a.tlp} />
              </li>
            );
          })}
        </ol>
      )}
      {alerts.length > shown && (
        <button type="button" className="show-more" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, alerts.length - shown)} more of {alerts.length - shown}
        </button>
      )}
      {dialog === 'escalate' && picked.length > 0 && (
        <EscalateDialog
          alerts={picked}
          onClose={() => {
            setDialog(null);
            setChecked(new Set());
          }}
        />
      )}
      {dialog === 'add' && picked.length > 0 && (
        <AddToIncidentDialog
          alerts={picked}
          onClose={() => {
            setDialog(null);
            setChecked(new Set());
          }}
        />
      )}
    </section>
  );
}
