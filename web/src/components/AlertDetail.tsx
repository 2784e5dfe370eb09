import { useState } from 'react';
import type { Alert } from '../api/types';
import { ago, formatTime } from '../format';
import { Link } from '../router';
import { can, setAlertStatus, whyNotChange } from '../state/actions';
import { store } from '../state/store';
import { AddToIncidentDialog, EscalateDialog } from './AlertDialogs';
import { SeverityBadge, SharingLine } from './badges';
import { Evidence } from './Evidence';
import { ErrorMessage } from './Modal';
import { ShareButton } from './ShareButton';

export function AlertDetail({ alert }: { alert: Alert; compact?: boolean }) {
  const me = store.me;
  const [dialog, setDialog] = useState<'escalate' | 'add' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const why = whyNotChange(me, alert);
  const open = alert.status === 'new' || alert.status === 'acknowledged';
  const incidents = [...store.incidents.values()].filter((i) => i.alertIds.includes(alert.id));
  const act = async (status: 'acknowledged' | 'dismissed') => {
    setError(null);
    const failures = await setAlertStatus([alert], status);
    if (failures.length) setError(failures.join('\n'));
  };
  return (
    <article className="record-card" aria-labelledby={`alert-${alert.id}`} data-alert-id={alert.id}>
      <header>
        <SeverityBadge severity={alert.severity} />
        <h2 id={`alert-${alert.id}`}>{alert.title}</h2>
      </header>
      <p className="meta">
        {alert.category} · <span className={`status status-${alert.status}`}>{alert.status}</span> · {store.orgName(alert.ownerOrgId)} ·{' '}
        <time dateTime={alert.time} title={formatTime(alert.time)}>
          {ago(alert.time)}
        </time>
        {alert.count > 1 && ` · seen ${alert.count}×, last ${ago(alert.lastSeen)}`} · source {alert.source}
      </p>
      <p className="sharing">
        <SharingLine record={alert} /> <ShareButton kind="alert" record={alert} />
      </p>
      {alert.description && <p>{alert.description}</p>}
      {alert.assetIds.length > 0 && (
        <p>
          Assets:{' '}
          {alert.assetIds.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              {store.assets.has(id) ? <Link to={`/assets/${id}`}>{store.assets.get(id)!.name}</Link> : <span className="muted">an asset you may not see</span>}
            </span>
          ))}
        </p>
      )}
      {incidents.length > 0 && (
        <p>
          In incident{incidents.length > 1 ? 's' : ''}:{' '}
          {incidents.map((i, n) => (
            <span key={i.id}>
              {n > 0 && ', '}
              <Link to={`/incidents/${i.id}`}>{i.title}</Link>
            </span>
          ))}
        </p>
      )}
      <div className="actions" role="group" aria-label="Alert actions">
        <button type="button" disabled={!!why || alert.status === 'acknowledged' || !open} title={why ?? undefined} onClick={() => act('acknowledged')}>
          Acknowledge
        </button>
        <button type="button" disabled={!!why || !open} title={why ?? undefined} onClick={() => act('dismissed')}>
          Dismiss
        </button>
        <button type="button" disabled={!can.write(me)} onClick={() => setDialog('escalate')}>
          Escalate to incident…
        </button>
        <button type="button" disabled={!can.write(me)} onClick={() => setDialog('add')}>
          Add to incident…
        </button>
      </div>
      {why && <p className="muted small-text">{why}.</p>}
      <ErrorMessage error={error} />
      <Evidence alert={alert} />
      {dialog === 'escalate' && <EscalateDialog alerts={[alert]} onClose={() => setDialog(null)} />}
      {dialog === 'add' && <AddToIncidentDialog alerts={[alert]} onClose={() => setDialog(null)} />}
    </article>
  );
}
