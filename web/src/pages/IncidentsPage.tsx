import { useMemo, useState } from 'react';
import { INCIDENT_STATUSES } from '../api/types';
import { SeverityBadge, TlpBadge } from '../components/badges';
import { ago } from '../format';
import { Link } from '../router';
import { store, useStoreVersion } from '../state/store';

export function IncidentsPage() {
  const version = useStoreVersion();
  const [status, setStatus] = useState<string>('open-any');
  const incidents = useMemo(
    () =>
      [...store.incidents.values()]
        .filter((i) => (status === 'open-any' ? i.status !== 'closed' : status === '' || i.status === status))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [version, status],
  );
  return (
    <main className="page">
      <header className="page-head">
        <h1>Incidents</h1>
        <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open-any">Not closed</option>
          <option value="">Every status</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </header>
      {incidents.length === 0 ? (
        <p className="muted">{store.ready ? 'No incident matches.' : 'Loading…'}</p>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Incident</th>
              <th scope="col">Status</th>
              <th scope="col">Owner</th>
              <th scope="col">Label</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr key={i.id}>
                <td>
                  <SeverityBadge severity={i.severity} />
                </td>
                <td>
                  <Link to={`/incidents/${i.id}`}>{i.title}</Link>
                  <div className="muted small-text">
                    {i.type} · {i.alertIds.length} alert(s)
                  </div>
                </td>
                <td>{i.status}</td>
                <td>{store.orgName(i.ownerOrgId)}</td>
                <td>
                  <TlpBadge tlp={i.tlp} />
                </td>
                <td>{ago(i.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
