// Feature cards of a unit and of a road closure (what a click on the map opens).
import { useState } from 'react';
import { api, errorText } from '../api/client';
import { formatTime } from '../format';
import { Link } from '../router';
import { can, owns } from '../state/actions';
import { store } from '../state/store';
import { roads } from './data';
import { UNIT_STATUS_COLOURS, UNIT_STATUS_LABELS, closureStatus, formatAge, formatDistance, formatEta, unitTypeLabel } from './shape';
import type { Closure } from './types';

export function UnitCard({ id }: { id: string }) {
  const unit = roads.units.get(id);
  if (!unit) return null;
  const a = unit.assignment;
  const incident = a ? store.incidents.get(a.incidentId) : undefined;
  return (
    <article className="record-card" aria-label={`Unit ${unit.name}`}>
      <header>
        <span className="pill" style={{ background: UNIT_STATUS_COLOURS[unit.status], color: '#0b1118' }}>
          {UNIT_STATUS_LABELS[unit.status] ?? unit.status}
        </span>
        <h2>{unit.name}</h2>
      </header>
      <p className="meta">
        {unitTypeLabel(unit.type)} · {store.orgName(unit.ownerOrgId)} · {unit.profile} profile
      </p>
      <p>{unit.position ? `Position reported ${formatAge((Date.now() - Date.parse(unit.position.at)) / 1000)}${unit.position.speedKmh !== null ? ` at ${Math.round(unit.position.speedKmh)} km/h` : ''}.` : 'No position reported yet.'}</p>
      {a && (
        <p>
          Sent to {incident ? <Link to={`/incidents/${incident.id}`}>{incident.title}</Link> : 'an incident'} at {formatTime(a.dispatchedAt)}, planned ETA {formatEta(a.etaS)} ({formatDistance(a.distanceM)})
          {a.onSceneAt ? `, on scene since ${formatTime(a.onSceneAt)}` : ''}.
        </p>
      )}
    </article>
  );
}

export function ClosureCard({ id }: { id: string }) {
  const closure = roads.closures.get(id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!closure) return null;
  const status = closureStatus(closure, Date.now());
  const mayEnd = can.write(store.me) && owns(store.me, closure) && status !== 'ended';
  async function end(c: Closure) {
    setBusy(true);
    setError(null);
    try {
      roads.putClosure(await api<Closure>('POST', `/closures/${c.id}/end`, {}));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <article className="record-card" aria-label={`Road closure ${closure.reason}`}>
      <header>
        <span className="pill closure-pill">{status}</span>
        <h2>{closure.reason}</h2>
      </header>
      <p className="meta">
        Road closure · {store.orgName(closure.ownerOrgId)} · {closure.roadsClosed ?? '?'} road segment(s) closed
      </p>
      <p>
        From {formatTime(closure.startsAt)} {closure.endsAt ? `until ${formatTime(closure.endsAt)}` : 'until lifted'}.
        {closure.incidentId && store.incidents.has(closure.incidentId) && (
          <>
            {' '}
            For <Link to={`/incidents/${closure.incidentId}`}>{store.incidents.get(closure.incidentId)!.title}</Link>.
          </>
        )}
      </p>
      {mayEnd && (
        <button type="button" onClick={() => end(closure)} disabled={busy}>
          {busy ? 'Lifting…' : 'Lift the closure now'}
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
