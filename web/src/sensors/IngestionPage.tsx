import { useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Me } from '../api/types';
import { ErrorMessage } from '../components/Modal';
import { ago, formatTime } from '../format';
import { HEALTH_REFRESH_MS, type IngestHealth, pathRows, pressureOf, rateText, reasonRows } from './health';
import { SensorTabs } from './SensorTabs';
import { Sparkline } from './Sparkline';

/** An organisation admin's view of its readings coming in: per path, the queue, and what was refused and why. */
export function IngestionPage({ me }: { me: Me }) {
  const [health, setHealth] = useState<IngestHealth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [at, setAt] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      // Not while the tab is hidden: nobody is looking.
      if (document.visibilityState === 'hidden') return void (timer = setTimeout(load, HEALTH_REFRESH_MS));
      api<IngestHealth>('GET', '/ingest/health')
        .then((h) => {
          if (stopped) return;
          setHealth(h);
          setError(null);
          setAt(Date.now());
        })
        .catch((e) => !stopped && setError(errorText(e)))
        .finally(() => {
          if (!stopped) timer = setTimeout(load, HEALTH_REFRESH_MS);
        });
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  const paths = useMemo(() => (health ? pathRows(health) : []), [health]);
  const reasons = useMemo(() => (health ? reasonRows(health) : []), [health]);
  const pressure = health ? pressureOf(health.queue) : null;
  return (
    <main className="page ingestion">
      <header className="page-head">
        <div>
          <h1>Sensors</h1>
          <p className="muted">
            Readings of {me.organisation.name} coming in{at && ` · updated every ${HEALTH_REFRESH_MS / 1000} s`}
          </p>
        </div>
      </header>
      <SensorTabs me={me} current="/ingestion" />
      <ErrorMessage error={error} />
      {!health ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <section className="headline" aria-label="Readings accepted">
            <div className="figure">
              <span className="value" data-testid="rate-now">{rateText(health.acceptedPerSecond.last10s)}</span>
              <span className="unit">readings/s now</span>
              <span className="muted small-text">last 10 s</span>
            </div>
            <div className="figure">
              <span className="value">{rateText(health.acceptedPerSecond.last60s)}</span>
              <span className="unit">readings/s</span>
              <span className="muted small-text">last minute</span>
            </div>
            <div className="figure">
              <span className="value">{health.acceptedSinceStart.toLocaleString('en-GB')}</span>
              <span className="unit">accepted</span>
              <span className="muted small-text">since the server started</span>
            </div>
            <div className="figure">
              <span className="value">{health.lastAcceptedAt ? ago(health.lastAcceptedAt) : '—'}</span>
              <span className="unit">last reading</span>
              <span className="muted small-text">{health.datastreams} datastreams</span>
            </div>
          </section>

          <section aria-labelledby="paths">
            <h2 id="paths">Paths</h2>
            <div className="path-grid">
              {paths.map((p) => (
                <article key={p.id} className={`path-card state-${p.state.replace(' ', '-')}`} data-path={p.id}>
                  <header>
                    <h3>{p.label}</h3>
                    <span className={`state state-${p.state.replace(' ', '-')}`}>{p.state}</span>
                  </header>
                  <p className="rate">
                    <strong>{rateText(p.perSecond)}</strong> /s <span className="muted small-text">({rateText(p.perSecondMinute)}/s over the minute; {p.total.toLocaleString('en-GB')} since start)</span>
                  </p>
                  <Sparkline values={p.lastMinute} label={`${p.label}, readings per second over the last minute`} width={260} />
                  <p className="muted small-text">
                    {p.detail}
                    {p.clients !== null && ` · ${p.clients} connected client${p.clients === 1 ? '' : 's'}`}
                  </p>
                </article>
              ))}
            </div>
            <p className="muted small-text">
              MQTT topic of your devices: <code>{health.topic}</code>. The sparklines show each second of the last minute.
            </p>
          </section>

          <section aria-labelledby="queue">
            <h2 id="queue">Queue and back-pressure</h2>
            <div className={`gauge pressure-${pressure!.state.replace(' ', '-')}`} role="meter" aria-valuemin={0} aria-valuemax={health.queue.limit} aria-valuenow={health.queue.waiting} aria-label="Readings waiting to be stored">
              <div className="gauge-fill" style={{ width: `${Math.max(pressure!.share * 100, health.queue.waiting > 0 ? 1 : 0)}%` }} />
            </div>
            <p>
              <strong className="pressure-state">{pressure!.state}</strong> · {health.queue.waiting.toLocaleString('en-GB')} of {health.queue.limit.toLocaleString('en-GB')} · {pressure!.text}
            </p>
          </section>

          <section aria-labelledby="refusals">
            <h2 id="refusals">Refused readings</h2>
            {reasons.length === 0 ? (
              <p className="muted">Nothing refused: every reading sent was valid.</p>
            ) : (
              <table className="list reasons">
                <thead>
                  <tr>
                    <th scope="col">Reason</th>
                    <th scope="col">All time</th>
                    <th scope="col">Last minute</th>
                    <th scope="col">Each second of the last minute</th>
                  </tr>
                </thead>
                <tbody>
                  {reasons.map((r) => (
                    <tr key={r.reason} data-reason={r.reason}>
                      <td>
                        <code>{r.reason}</code>
                        <div className="muted small-text">{r.meaning}</div>
                      </td>
                      <td className="bar-cell">
                        <span className="bar" style={{ width: `${Math.max(2, r.share * 100)}%` }} aria-hidden="true" />
                        <span className="bar-value">{r.total.toLocaleString('en-GB')}</span>
                      </td>
                      <td>{r.lastMinute > 0 ? <strong className="refusing">{r.lastMinute.toLocaleString('en-GB')}</strong> : <span className="muted">0</span>}</td>
                      <td>
                        <Sparkline values={r.perSecond} label={`${r.reason} refusals per second over the last minute`} tone="refused" width={160} height={24} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {health.recentRejections.length > 0 && (
              <>
                <h3>Recent examples</h3>
                <table className="list examples">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Datastream</th>
                      <th scope="col">What was wrong</th>
                      <th scope="col">As sent</th>
                    </tr>
                  </thead>
                  <tbody>
                    {health.recentRejections.map((r, i) => (
                      <tr key={`${r.at}-${i}`}>
                        <td title={formatTime(r.at)}>{ago(r.at)}</td>
                        <td>
                          <code>{r.reason}</code>
                        </td>
                        <td>{r.stream ?? <span className="muted">—</span>}</td>
                        <td>{r.detail}</td>
                        <td>
                          <code className="payload">{r.payload}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        </>
      )}
    </main>
  );
}
