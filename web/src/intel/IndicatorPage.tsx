import { useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Alert, Me } from '../api/types';
import { SharingLine } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { ago, formatTime } from '../format';
import { Link } from '../router';
import { AlarmDialog } from '../sensors/AlarmDialog';
import { store } from '../state/store';
import { IntelHead } from './IntelTabs';
import { latestVersions, observableTypes, sightingBars, validityOf } from './indicators';
import type { IndicatorSightings, StoredObject } from './types';

const CHART_WIDTH = 640;

/** One indicator: what it says (each holder's latest version), and what the user's organisation saw of it. */
export function IndicatorPage({ stixId, me }: { stixId: string; me: Me }) {
  const [versions, setVersions] = useState<StoredObject[] | null>(null);
  const [sightings, setSightings] = useState<IndicatorSightings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Alert | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    Promise.all([
      api<{ items: StoredObject[] }>('GET', `/stix/objects/${encodeURIComponent(stixId)}`, undefined, { signal }),
      api<IndicatorSightings>('GET', `/cti/indicators/${encodeURIComponent(stixId)}/sightings`, undefined, { signal }),
    ])
      .then(([v, s]) => {
        setVersions(v.items);
        setSightings(s);
      })
      .catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    return () => controller.abort();
  }, [stixId]);
  const held = useMemo(() => latestVersions(versions ?? []), [versions]);
  const chart = useMemo(() => (sightings ? sightingBars(sightings, CHART_WIDTH) : null), [sightings]);

  async function openAlert(id: string) {
    try {
      setOpen(store.alerts.get(id) ?? (await api<Alert>('GET', `/alerts/${id}`)));
    } catch (e) {
      setError(errorText(e));
    }
  }

  const main = held[0];
  const o = (main?.object ?? {}) as Record<string, any>;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return (
    <main className="page intel indicator-page">
      <IntelHead me={me} current="/intel/indicators" subtitle="Indicator">
        <Link to="/intel/indicators">← All indicators</Link>
      </IntelHead>
      <ErrorMessage error={error} />
      {!main ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="indicator-name">
            <h2 id="indicator-name">{o.name ?? stixId}</h2>
            <p>
              <SharingLine record={main} /> <span className={`validity validity-${validityOf({ revoked: main.revoked, validFrom: o.valid_from ?? null, validUntil: o.valid_until ?? null }).replace(/ /g, '-')}`}>{validityOf({ revoked: main.revoked, validFrom: o.valid_from ?? null, validUntil: o.valid_until ?? null })}</span>
            </p>
            {o.description && <p>{String(o.description)}</p>}
            <dl className="facts">
              <dt>Pattern ({String(o.pattern_type ?? 'stix')})</dt>
              <dd>
                <code className="pattern" data-testid="pattern">{String(o.pattern)}</code>
              </dd>
              <dt>Observes</dt>
              <dd>{observableTypes(String(o.pattern ?? '')).join(', ') || '—'}</dd>
              <dt>Valid</dt>
              <dd>
                from {formatTime(o.valid_from)} {o.valid_until ? `until ${formatTime(o.valid_until)}` : '(no end)'}
              </dd>
              {strings(o.indicator_types).length > 0 && (
                <>
                  <dt>Types</dt>
                  <dd>{strings(o.indicator_types).join(', ')}</dd>
                </>
              )}
              <dt>Labels</dt>
              <dd>
                {strings(o.labels).length ? (
                  strings(o.labels).map((l) => (
                    <span key={l} className="chip">
                      {l}
                    </span>
                  ))
                ) : (
                  <span className="muted">none</span>
                )}
              </dd>
              {Array.isArray(o.kill_chain_phases) && o.kill_chain_phases.length > 0 && (
                <>
                  <dt>Kill chain</dt>
                  <dd>{(o.kill_chain_phases as Array<{ kill_chain_name: string; phase_name: string }>).map((k) => `${k.kill_chain_name}: ${k.phase_name}`).join(', ')}</dd>
                </>
              )}
              <dt>STIX id</dt>
              <dd>
                <code>{stixId}</code> · version {main.version} · {versions!.length} stored version{versions!.length === 1 ? '' : 's'}
              </dd>
              <dt>Held by</dt>
              <dd>{held.map((h) => `${store.orgName(h.ownerOrgId)} (received ${formatTime(h.dateAdded)})`).join('; ')}</dd>
            </dl>
          </section>

          <section className="panel" aria-labelledby="sightings-head">
            <h2 id="sightings-head">Sightings by {me.organisation.name}</h2>
            {!sightings || sightings.count === 0 ? (
              <p className="muted" data-testid="no-sightings">
                Not sighted: no security event or alert of {me.organisation.name} has matched this indicator.
              </p>
            ) : (
              <>
                <p data-testid="sighting-summary">
                  <strong>{sightings.count.toLocaleString('en-GB')}</strong> match{sightings.count === 1 ? '' : 'es'}, first {formatTime(sightings.firstSeen)}, last {formatTime(sightings.lastSeen)} ({ago(sightings.lastSeen!)})
                </p>
                {chart && chart.bars.length > 0 && (
                  <figure className="sighting-chart">
                    <svg width={CHART_WIDTH} height={chart.bars.length * 18 + 6} role="img" aria-label={`Matches per value from ${formatTime(chart.from)} to ${formatTime(chart.to)}`}>
                      {chart.bars.map((b, i) => (
                        <g key={b.alertId}>
                          <rect x={b.x} y={i * 18 + 3} width={b.width} height={12} rx={2} className="sighting-bar">
                            <title>{`${b.label}: ${b.count} match${b.count === 1 ? '' : 'es'}`}</title>
                          </rect>
                        </g>
                      ))}
                    </svg>
                    <figcaption className="muted small-text">
                      Each bar is one value matched, from its first to its last match · {formatTime(chart.from)} → {formatTime(chart.to)}
                    </figcaption>
                  </figure>
                )}
                <table className="list sightings">
                  <thead>
                    <tr>
                      <th scope="col">What matched</th>
                      <th scope="col">First</th>
                      <th scope="col">Last</th>
                      <th scope="col">Matches</th>
                      <th scope="col">Alert</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sightings.alerts.map((a) => (
                      <tr key={a.alertId} data-alert={a.alertId}>
                        <td>
                          {a.matched.map((m, i) => (
                            <div key={i}>
                              <code>{m.field ?? `${m.stixType}:${m.stixPath ?? 'value'}`}</code> = <code>{m.value}</code>
                            </div>
                          ))}
                          {a.origin && <div className="muted small-text">{a.origin === 'retro' ? 'found in the recent past' : a.origin === 'alert' ? 'in an alert’s evidence' : 'in a security event'}</div>}
                        </td>
                        <td>{formatTime(a.time)}</td>
                        <td>{formatTime(a.lastSeen)}</td>
                        <td>{a.count.toLocaleString('en-GB')}</td>
                        <td>
                          <button type="button" className="link-button" onClick={() => void openAlert(a.alertId)}>
                            {a.title}
                          </button>
                          <div className="muted small-text">{a.status}</div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {sightings.alerts.length === 0 && <p className="muted">The alerts these matches raised are not visible to you.</p>}
              </>
            )}
          </section>
        </>
      )}
      {open && <AlarmDialog alerts={[open]} title="Alert raised by this indicator" onClose={() => setOpen(null)} />}
    </main>
  );
}
