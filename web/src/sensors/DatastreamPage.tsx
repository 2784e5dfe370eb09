import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Alert, Datastream, Me } from '../api/types';
import { DatastreamChart } from '../charts/DatastreamChart';
import { SharingLine } from '../components/badges';
import { ago, formatTime } from '../format';
import { Link } from '../router';
import { store, useStoreVersion } from '../state/store';
import { AlarmDialog } from './AlarmDialog';
import { summaryOf } from './detectorForm';

/** One datastream: its chart over a zoomable window with its alarms, what it is on, and which detectors watch it. */
export function DatastreamPage({ id, me }: { id: string; me: Me }) {
  useStoreVersion();
  const [stream, setStream] = useState<Datastream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Alert[] | null>(null);
  const [watching, setWatching] = useState<unknown[] | null>(null);
  const closeAlarm = useCallback(() => setOpen(null), []);
  useEffect(() => {
    const controller = new AbortController();
    setStream(null);
    setError(null);
    api<Datastream>('GET', `/datastreams/${encodeURIComponent(id)}`, undefined, { signal: controller.signal })
      .then(setStream)
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setError(e instanceof ApiError && e.status === 404 ? 'This datastream does not exist or its asset is not shared with your organisation.' : errorText(e));
      });
    return () => controller.abort();
  }, [id]);
  const own = stream !== null && stream.ownerOrgId === me.organisation.id;
  useEffect(() => {
    if (!own) return;
    // Detector settings are the organisation's own: shown for its own datastreams only.
    api<{ detectors: unknown[] }>('GET', '/detectors')
      .then((s) => setWatching(s.detectors.filter((d) => watches(d, stream!.key))))
      .catch(() => setWatching(null));
  }, [own, stream?.key]);

  if (error) {
    return (
      <main className="page narrow">
        <h1>Datastream</h1>
        <p>{error}</p>
        <p>
          <Link to="/datastreams">All datastreams</Link>
        </p>
      </main>
    );
  }
  if (!stream) return <main className="page"><p className="muted">Loading…</p></main>;
  const asset = stream.assetId ? store.assets.get(stream.assetId) : undefined;
  return (
    <main className="page">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to="/datastreams">Sensors</Link> / {asset ? <Link to={`/assets/${asset.id}`}>{asset.name}</Link> : 'no asset'}
          </p>
          <h1>
            <code>{stream.key}</code> <span className="muted">{stream.kind}{stream.unit && `, ${stream.unit}`}</span>
          </h1>
          <p className="sharing">
            {asset ? (
              <>
                <SharingLine record={asset} /> <span className="muted small-text">(a datastream is shared exactly as its asset)</span>
              </>
            ) : (
              <span className="muted">On no asset: visible to {store.orgName(stream.ownerOrgId)} only.</span>
            )}
          </p>
        </div>
      </header>
      <section aria-labelledby="chart-title" className="datastream-main">
        <h2 id="chart-title" className="visually-hidden">
          Readings and alarms
        </h2>
        <DatastreamChart datastream={stream} height={260} onOpenAlarm={setOpen} listAlarms />
      </section>
      <div className="columns">
        <section aria-labelledby="about">
          <h2 id="about">About</h2>
          <table className="kv">
            <tbody>
              <tr>
                <th scope="row">Owner</th>
                <td>{store.orgName(stream.ownerOrgId)}</td>
              </tr>
              <tr>
                <th scope="row">Expected range</th>
                <td>{stream.expectedRange ? `${stream.expectedRange.min} – ${stream.expectedRange.max} ${stream.unit}` : '—'}</td>
              </tr>
              <tr>
                <th scope="row">Last reading</th>
                <td>{stream.lastObservationAt ? `${formatTime(stream.lastObservationAt)} (${ago(stream.lastObservationAt)})` : 'never'}</td>
              </tr>
              {own && (
                <tr>
                  <th scope="row">MQTT topic</th>
                  <td>
                    <code>vigil/{me.organisation.slug}/{stream.key}</code>
                  </td>
                </tr>
              )}
              {stream.createdAt && (
                <tr>
                  <th scope="row">Created</th>
                  <td>{formatTime(stream.createdAt)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
        {own && (
          <section aria-labelledby="watched">
            <h2 id="watched">Detectors watching it</h2>
            {watching === null ? (
              <p className="muted">—</p>
            ) : watching.length === 0 ? (
              <p className="muted">None: no detector of your organisation names {stream.key}.</p>
            ) : (
              <ul className="plain">
                {watching.map((d) => {
                  const s = d as { id: string; kind: string; enabled?: boolean };
                  return (
                    <li key={s.id}>
                      <strong>{s.id}</strong> <span className="muted">({s.kind}{s.enabled === false ? ', disabled' : ''})</span>: {summaryOf(d)}
                    </li>
                  );
                })}
              </ul>
            )}
            {me.permissions.includes('records:write') && <Link to="/detectors">Detector settings</Link>}
          </section>
        )}
      </div>
      {open && <AlarmDialog alerts={open} onClose={closeAlarm} />}
    </main>
  );
}

function watches(settings: unknown, key: string): boolean {
  const streams = (settings as { datastreams?: unknown }).datastreams;
  return Array.isArray(streams) && (streams.includes('*') || streams.includes(key));
}
