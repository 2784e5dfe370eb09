import { useEffect, useMemo, useState } from 'react';
import { allPages, errorText } from '../api/client';
import type { Datastream, Me } from '../api/types';
import { ErrorMessage } from '../components/Modal';
import { ago } from '../format';
import { Link } from '../router';
import { registerStreamEventType } from '../state/live';
import { store, useStoreVersion } from '../state/store';
import { alertNamesDatastream } from './alarms';
import { SensorTabs } from './SensorTabs';

registerStreamEventType('datastream.created');

/** Every datastream the user may see (those of assets they see, and their organisation's own without an asset). */
export function DatastreamsPage({ me }: { me: Me }) {
  const version = useStoreVersion();
  const [streams, setStreams] = useState<Datastream[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [reloads, setReloads] = useState(0);
  useEffect(() => store.onEvent((e) => e.type === 'datastream.created' && setReloads((n) => n + 1)), []);
  useEffect(() => {
    const controller = new AbortController();
    allPages<Datastream>('/datastreams', undefined, controller.signal)
      .then((items) => {
        setError(null);
        setStreams(items);
      })
      .catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    return () => controller.abort();
  }, [reloads]);
  const rows = useMemo(() => {
    const open = [...store.alerts.values()].filter((a) => a.status === 'new' || a.status === 'acknowledged');
    const q = text.trim().toLowerCase();
    return (streams ?? [])
      .map((d) => ({ d, asset: d.assetId ? store.assets.get(d.assetId) : undefined, alarms: open.filter((a) => alertNamesDatastream(a, d)).length }))
      .filter(({ d, asset }) => !q || `${d.key} ${d.kind} ${asset?.name ?? ''}`.toLowerCase().includes(q))
      .sort((a, b) => b.alarms - a.alarms || a.d.key.localeCompare(b.d.key));
  }, [streams, text, version]);
  return (
    <main className="page">
      <header className="page-head">
        <h1>Sensors</h1>
        <input type="search" aria-label="Search datastreams" placeholder="Search by key, kind or asset…" value={text} onChange={(e) => setText(e.target.value)} />
      </header>
      <SensorTabs me={me} current="/datastreams" />
      <ErrorMessage error={error} />
      {streams === null && !error ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">{text ? 'No datastream matches.' : 'No datastreams: readings sent by MQTT, HTTP or replay create them (see the ingestion guide).'}</p>
      ) : (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Datastream</th>
              <th scope="col">Kind</th>
              <th scope="col">Asset</th>
              <th scope="col">Owner</th>
              <th scope="col">Expected</th>
              <th scope="col">Last reading</th>
              <th scope="col">Open alarms</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ d, asset, alarms }) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/datastreams/${d.id}`}>
                    <code>{d.key}</code>
                  </Link>
                </td>
                <td>
                  {d.kind}
                  {d.unit && <span className="muted"> ({d.unit})</span>}
                </td>
                <td>{asset ? <Link to={`/assets/${asset.id}`}>{asset.name}</Link> : <span className="muted">{d.assetId ? 'an asset you may not see' : 'none'}</span>}</td>
                <td>{store.orgName(d.ownerOrgId)}</td>
                <td>{d.expectedRange ? `${d.expectedRange.min}–${d.expectedRange.max}` : <span className="muted">—</span>}</td>
                <td>{d.lastObservationAt ? ago(d.lastObservationAt) : <span className="muted">never</span>}</td>
                <td>{alarms > 0 ? <strong className="alarm-count">{alarms}</strong> : <span className="muted">0</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
