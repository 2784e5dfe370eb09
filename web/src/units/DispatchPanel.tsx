// The incident workspace's dispatch panel: the units that arrive first, by type (one search on the server for
// all of them, honouring the road closures the user may see), a button to send one, and the units sent with
// their routes on a small map of the incident.
import { useEffect, useMemo, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Incident } from '../api/types';
import { formatTime } from '../format';
import { MapView } from '../map/MapView';
import { incidentsOverlay } from '../map/overlays';
import { can } from '../state/actions';
import { DEFAULT_FILTERS, incidentPosition } from '../state/filters';
import { store } from '../state/store';
import { roads } from './data';
import { closuresOverlay, routesOverlay, unitsOverlay } from './overlays';
import { UNIT_STATUS_LABELS, formatDistance, formatEta, recommendationRows, unitTypeLabel, unitsAtIncident } from './shape';
import type { DispatchAnswer, DispatchRecommendation } from './types';

const MAP_OVERLAYS = [closuresOverlay, incidentsOverlay, routesOverlay, unitsOverlay];
const VISIBLE = {};

export function DispatchPanel({ incident }: { incident: Incident }) {
  const [recommendation, setRecommendation] = useState<DispatchRecommendation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [sending, setSending] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const mayDispatch = can.write(store.me);

  useEffect(() => {
    void roads.ensureLoaded();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api<DispatchRecommendation>('GET', `/incidents/${incident.id}/dispatch?perType=3`, undefined, { signal: controller.signal })
      .then((r) => {
        setRecommendation(r);
        setProblem(null);
      })
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setRecommendation(null);
        setProblem(e instanceof ApiError && e.status === 404 ? 'Dispatch is not available on this server.' : errorText(e));
      })
      .finally(() => !controller.signal.aborted && setLoading(false));
    return () => controller.abort();
  }, [incident.id, incident.version, asked]);

  const dispatched = unitsAtIncident(roads.units.values(), incident.id);
  // The units sent, not where they are now: the small map fits itself when a unit is sent, not at every move.
  const dispatchedKey = dispatched.map((u) => u.id).join(',');
  const top = recommendation?.byType.flatMap((g) => g.units.slice(0, 1).map((u) => u.unitId)) ?? [];
  const only = useMemo(() => new Set([incident.id, ...dispatched.map((u) => u.id), ...top]), [incident.id, dispatchedKey, top.join(',')]);
  const focus = useMemo(() => {
    const points: Array<[number, number]> = [];
    const at = incidentPosition(incident, store.assets);
    if (at) points.push(at);
    for (const u of dispatched) if (u.position) points.push([u.position.lon, u.position.lat]);
    return points;
  }, [incident.id, dispatchedKey]);

  async function send(unitId: string, name: string) {
    setSending(unitId);
    setSendError(null);
    setSent(null);
    try {
      const answer = await api<DispatchAnswer>('POST', `/incidents/${incident.id}/dispatch`, { unitId });
      roads.putUnit(answer.unit);
      setSent(answer.timelineEntry.text || `${name} dispatched`);
      setAsked((n) => n + 1);
    } catch (e) {
      setSendError(`${name}: ${errorText(e)}`);
    } finally {
      setSending(null);
    }
  }

  const groups = recommendation ? recommendationRows(recommendation.byType) : [];
  return (
    <section aria-labelledby="dispatch" className="dispatch-panel" data-section="dispatch">
      <h2 id="dispatch">Dispatch</h2>
      {focus.length > 0 && <MapView className="dispatch-map" label={`Map of the units sent to ${incident.title}`} overlays={MAP_OVERLAYS} visible={VISIBLE} filters={DEFAULT_FILTERS} only={only} focus={focus} />}
      <h3>Sent ({dispatched.length})</h3>
      {dispatched.length === 0 ? (
        <p className="muted">No unit sent yet.</p>
      ) : (
        <ul className="plain dispatched-units" aria-label="Units sent">
          {dispatched.map((u) => (
            <li key={u.id} data-unit={u.id}>
              <strong>{u.name}</strong> <span className={`pill unit-status unit-${u.status}`}>{UNIT_STATUS_LABELS[u.status]}</span> <span className="muted">{unitTypeLabel(u.type)}</span>
              <br />
              <span className="muted small-text">
                sent {formatTime(u.assignment?.dispatchedAt ?? null)}, planned ETA {formatEta(u.assignment?.etaS)} ({formatDistance(u.assignment?.distanceM)})
                {u.assignment && u.assignment.routeStatus !== 'found' ? ` · no route: ${u.assignment.routeStatus}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>
        Recommended{' '}
        <button type="button" className="link-button" onClick={() => setAsked((n) => n + 1)} disabled={loading}>
          {loading ? 'asking…' : 'ask again'}
        </button>
      </h3>
      {problem && <p className="muted">{problem}</p>}
      {sent && (
        <p className="ok" role="status">
          {sent}
        </p>
      )}
      {sendError && (
        <p className="error" role="alert">
          {sendError}
        </p>
      )}
      {recommendation && (
        <>
          <p className="muted small-text">
            To {recommendation.target.roadName || 'the nearest road'}, fastest first; {recommendation.closuresHonoured} closure(s) honoured.
          </p>
          {groups.length === 0 && <p className="muted">No available unit you may dispatch has a position.</p>}
          {groups.map((g) => (
            <table key={g.type} className="dispatch-table" aria-label={`Recommended ${g.label}`}>
              <caption>{g.label}</caption>
              <thead>
                <tr>
                  <th scope="col">Unit</th>
                  <th scope="col">ETA</th>
                  <th scope="col">Distance</th>
                  <th scope="col">Position</th>
                  {mayDispatch && <th scope="col"><span className="visually-hidden">Action</span></th>}
                </tr>
              </thead>
              <tbody>
                {g.rows.length === 0 && (
                  <tr>
                    <td colSpan={mayDispatch ? 5 : 4} className="muted">
                      none available
                    </td>
                  </tr>
                )}
                {g.rows.map((r) => (
                  <tr key={r.unitId} data-unit={r.unitId}>
                    <td>{r.name}</td>
                    <td>{r.eta}</td>
                    <td>{r.distance}</td>
                    <td className="muted">{r.age}</td>
                    {mayDispatch && (
                      <td>
                        <button type="button" onClick={() => send(r.unitId, r.name)} disabled={sending !== null} aria-label={`Dispatch ${r.name}`}>
                          {sending === r.unitId ? 'Sending…' : 'Dispatch'}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          {recommendation.unranked.length > 0 && (
            <p className="muted small-text">
              Not ranked: {recommendation.unranked.map((u) => `${u.name} (${u.reason.replace(/-/g, ' ')})`).join(', ')}.
            </p>
          )}
          {recommendation.busy.length > 0 && (
            <p className="muted small-text">
              Busy: {recommendation.busy.map((u) => `${u.name} (${UNIT_STATUS_LABELS[u.status] ?? u.status})`).join(', ')}.
            </p>
          )}
        </>
      )}
      {!mayDispatch && <p className="muted">Your role may not dispatch units.</p>}
    </section>
  );
}
