import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorText } from '../api/client';
import type { Alert, Datastream } from '../api/types';
import { SeverityBadge, SharingLine } from '../components/badges';
import { ShareButton } from '../components/ShareButton';
import { DatastreamChart, datastreamsOf } from '../charts/DatastreamChart';
import { ago, formatTime } from '../format';
import { MapView } from '../map/MapView';
import { assetsOverlay } from '../map/overlays';
import { Link } from '../router';
import { AlarmDialog } from '../sensors/AlarmDialog';
import { DEFAULT_FILTERS, pointOf } from '../state/filters';
import { store, useStoreVersion } from '../state/store';

const OVERLAYS = [assetsOverlay];

/** An asset: details, datastreams with charts, open alerts and incidents, dependencies both ways. */
export function AssetPage({ id }: { id: string }) {
  const version = useStoreVersion();
  const asset = store.assets.get(id);
  const [streams, setStreams] = useState<Datastream[] | null>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  const [alarms, setAlarms] = useState<Alert[] | null>(null);
  const closeAlarms = useCallback(() => setAlarms(null), []);
  useEffect(() => {
    const controller = new AbortController();
    setStreams(null);
    datastreamsOf(id, controller.signal)
      .then(setStreams)
      .catch((e) => (e as Error).name !== 'AbortError' && setStreamError(errorText(e)));
    return () => controller.abort();
  }, [id]);
  const related = useMemo(() => {
    const alerts = [...store.alerts.values()].filter((a) => a.assetIds.includes(id) && (a.status === 'new' || a.status === 'acknowledged')).sort((a, b) => b.time.localeCompare(a.time));
    const incidents = [...store.incidents.values()].filter((i) => i.assetIds.includes(id) && i.status !== 'closed');
    const dependents = [...store.assets.values()].flatMap((a) => a.dependencies.filter((d) => d.assetId === id).map((d) => ({ kind: d.kind, asset: a })));
    return { alerts, incidents, dependents };
  }, [version, id]);
  const only = useMemo(() => new Set([id, ...(asset?.dependencies.map((d) => d.assetId) ?? []), ...related.dependents.map((d) => d.asset.id)]), [id, asset, related]);
  const focus = useMemo(() => [...only].map((x) => pointOf(store.assets.get(x)?.geometry)).filter((p): p is [number, number] => p !== null), [only]);
  if (!asset) return <main className="page narrow">{store.ready ? <p>This asset does not exist or is not shared with your organisation.</p> : <p className="muted">Loading…</p>}</main>;
  const attributes = Object.entries(asset.attributes);
  return (
    <main className="page">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to="/assets">Assets</Link> / {asset.type}
          </p>
          <h1>{asset.name}</h1>
          <p className="sharing">
            <SharingLine record={asset} /> <ShareButton kind="asset" record={asset} />
          </p>
        </div>
      </header>
      <div className="columns">
        <section aria-labelledby="details">
          <h2 id="details">Details</h2>
          <table className="kv">
            <tbody>
              <tr>
                <th scope="row">Owner</th>
                <td>{store.orgName(asset.ownerOrgId)}</td>
              </tr>
              <tr>
                <th scope="row">Criticality</th>
                <td>{asset.criticality} of 5</td>
              </tr>
              {attributes.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Updated</th>
                <td>{formatTime(asset.updatedAt)}</td>
              </tr>
            </tbody>
          </table>
          <h2>Dependencies</h2>
          {asset.dependencies.length === 0 && related.dependents.length === 0 && <p className="muted">None recorded.</p>}
          <ul className="plain">
            {asset.dependencies.map((d) => (
              <li key={`out-${d.kind}-${d.assetId}`}>
                {d.kind} → {store.assets.has(d.assetId) ? <Link to={`/assets/${d.assetId}`}>{store.assets.get(d.assetId)!.name}</Link> : <span className="muted">an asset you may not see</span>}
              </li>
            ))}
            {related.dependents.map((d) => (
              <li key={`in-${d.kind}-${d.asset.id}`}>
                <Link to={`/assets/${d.asset.id}`}>{d.asset.name}</Link> {d.kind} → this asset
              </li>
            ))}
          </ul>
          <MapView className="mini-map" label={`Map of ${asset.name} and its dependencies`} overlays={OVERLAYS} visible={{}} filters={DEFAULT_FILTERS} only={only} focus={focus} />
        </section>
        <section aria-labelledby="streams">
          <h2 id="streams">Datastreams</h2>
          {streamError ? (
            <p className="error">{streamError}</p>
          ) : streams === null ? (
            <p className="muted">Loading…</p>
          ) : streams.length === 0 ? (
            <p className="muted" data-testid="no-datastreams">
              No datastreams.
            </p>
          ) : (
            streams.map((d) => (
              <div key={d.id} className="stream">
                <h3>
                  <Link to={`/datastreams/${d.id}`}>{d.key}</Link> <span className="muted">
                    {d.kind}{d.unit && `, ${d.unit}`}
                    {d.expectedRange && `, expected ${d.expectedRange.min}–${d.expectedRange.max}`}
                    {d.lastObservationAt && `, last ${ago(d.lastObservationAt)}`}
                  </span>
                </h3>
                <DatastreamChart datastream={d} span={6 * 3600_000} onOpenAlarm={setAlarms} />
              </div>
            ))
          )}
          <h2>Open alerts</h2>
          {related.alerts.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="plain">
              {related.alerts.map((a) => (
                <li key={a.id}>
                  <SeverityBadge severity={a.severity} />{' '}
                  <button type="button" className="link-button" onClick={() => setAlarms([a])}>
                    {a.title}
                  </button>{' '}
                  <span className="muted">· {ago(a.time)}</span>
                </li>
              ))}
            </ul>
          )}
          <h2>Incidents</h2>
          {related.incidents.length === 0 ? (
            <p className="muted">None open.</p>
          ) : (
            <ul className="plain">
              {related.incidents.map((i) => (
                <li key={i.id}>
                  <SeverityBadge severity={i.severity} /> <Link to={`/incidents/${i.id}`}>{i.title}</Link> <span className="muted">· {i.status}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {alarms && <AlarmDialog alerts={alarms} onClose={closeAlarms} />}
    </main>
  );
}
