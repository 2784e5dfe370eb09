// The operations map's routing tools: isochrones from a station or a point picked on the map, and drawing a
// road closure (an area or a line along/across streets) with its start and end. Every map action has a
// keyboard way too: "Use the map centre" places the point under the centre of the map (pan with the arrows).
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import { can } from '../state/actions';
import { pointOf } from '../state/filters';
import { store, useStoreVersion } from '../state/store';
import { roads } from './data';
import { ISOCHRONE_COLOURS, closureRequest, parseMinutes } from './shape';
import type { Closure } from './types';

const STATION_TYPES = new Set(['fire-station', 'police-station', 'hospital']);

function mapCentre(): [number, number] | null {
  const map = (window as unknown as { __vigilMap?: { getCenter(): { lng: number; lat: number } } }).__vigilMap;
  if (!map) return null;
  const c = map.getCenter();
  return [c.lng, c.lat];
}

export function RoadTools() {
  useStoreVersion();
  // Escape leaves a tool (picking a point, drawing) and gives clicks back to selecting.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && roads.tool !== 'select' && !document.querySelector('[role=dialog]')) roads.setTool('select');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <section className="road-tools" aria-label="Routing tools">
      <IsochroneTool />
      <ClosureTool />
    </section>
  );
}

function IsochroneTool() {
  const [station, setStation] = useState('');
  const [minutesError, setMinutesError] = useState<string | null>(null);
  const stations = [...store.assets.values()].filter((a) => STATION_TYPES.has(a.type) && pointOf(a.geometry)).sort((a, b) => a.name.localeCompare(b.name));
  const picking = roads.tool === 'isochrone';
  const minutesOk = () => {
    const ok = parseMinutes(roads.isochroneMinutes) !== null;
    setMinutesError(ok ? null : 'One to eight durations between 1 and 180 minutes, e.g. 3, 6, 9');
    return ok;
  };
  function fromStation(id: string) {
    setStation(id);
    const asset = store.assets.get(id);
    const p = pointOf(asset?.geometry);
    if (asset && p && minutesOk()) void roads.showIsochrones(p, asset.name);
  }
  return (
    <details open className="tool">
      <summary>Reach in minutes (isochrones)</summary>
      <label className="field inline">
        Minutes
        <input value={roads.isochroneMinutes} size={10} onChange={(e) => ((roads.isochroneMinutes = e.target.value), roads.changed())} aria-describedby="iso-minutes-error" />
      </label>
      <label className="field inline">
        From a station
        <select value={station} onChange={(e) => fromStation(e.target.value)}>
          <option value="">choose…</option>
          {stations.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <div className="tool-buttons">
        <button type="button" aria-pressed={picking} onClick={() => minutesOk() && roads.setTool(picking ? 'select' : 'isochrone')}>
          {picking ? 'Click a point on the map…' : 'Pick a point on the map'}
        </button>
        <button
          type="button"
          onClick={() => {
            const c = mapCentre();
            if (c && minutesOk()) void roads.showIsochrones(c, 'the map centre');
          }}
        >
          Use the map centre
        </button>
        {roads.isochrones && (
          <button type="button" onClick={() => roads.clearIsochrones()}>
            Clear
          </button>
        )}
      </div>
      {minutesError && (
        <p className="error" id="iso-minutes-error">
          {minutesError}
        </p>
      )}
      {roads.loadError && <p className="error">Units and closures could not be loaded: {roads.loadError}</p>}
      {roads.isochroneError && (
        <p className="error" role="alert">
          {roads.isochroneError}
        </p>
      )}
      {roads.isochrones && (
        <ul className="plain iso-legend" aria-label="Isochrones shown">
          <li className="muted">From {roads.isochroneLabel} ({roads.isochrones.origin.roadName || 'nearest road'}), emergency vehicle:</li>
          {[...roads.isochrones.features]
            .sort((a, b) => a.properties.minutes - b.properties.minutes)
            .map((f, i) => (
              <li key={f.properties.minutes}>
                <span className="swatch" style={{ background: ISOCHRONE_COLOURS[Math.min(i, ISOCHRONE_COLOURS.length - 1)] }} /> {f.properties.minutes} min: {f.properties.areaKm2.toFixed(2)} km²
              </li>
            ))}
        </ul>
      )}
    </details>
  );
}

function ClosureTool() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (!can.write(store.me)) return null;
  const drawing = roads.tool === 'closure';
  const d = roads.draft;
  async function save(event: FormEvent) {
    event.preventDefault();
    const request = closureRequest(roads.draft, Date.now());
    if ('error' in request) return setError(request.error);
    setBusy(true);
    setError(null);
    try {
      const closure = await api<Closure>('POST', '/closures', request.body);
      roads.putClosure(closure);
      roads.setDraft({ vertices: [], reason: '', startsAt: '', endsAt: '' });
      roads.setTool('select');
      setDone(`Closed ${closure.roadsClosed ?? 0} road segment(s): ${closure.reason}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details open className="tool">
      <summary>Close roads</summary>
      {!drawing ? (
        <div className="tool-buttons">
          <button type="button" onClick={() => (setDone(null), roads.startDrawing('area'))}>
            Draw a closed area
          </button>
          <button type="button" onClick={() => (setDone(null), roads.startDrawing('line'))}>
            Draw a closed street (line)
          </button>
          {done && <p className="muted">{done}</p>}
        </div>
      ) : (
        <form onSubmit={save} noValidate aria-label="New road closure">
          <p className="muted">
            Click the map to place the {d.mode === 'area' ? 'corners of the area' : 'points of the line along or across the street'} ({d.vertices.length} placed).
          </p>
          <div className="tool-buttons">
            <button type="button" onClick={() => (setDone(null), roads.startDrawing(d.mode === 'area' ? 'line' : 'area'))}>
              Switch to {d.mode === 'area' ? 'a line' : 'an area'}
            </button>
            <button type="button" onClick={() => { const c = mapCentre(); if (c) roads.setDraft({ vertices: [...d.vertices, c] }); }}>
              Add the map centre
            </button>
            <button type="button" disabled={d.vertices.length === 0} onClick={() => roads.setDraft({ vertices: d.vertices.slice(0, -1) })}>
              Undo last point
            </button>
          </div>
          <label className="field">
            Reason
            <input value={d.reason} maxLength={500} onChange={(e) => roads.setDraft({ reason: e.target.value })} />
          </label>
          <label className="field inline">
            From (empty: now)
            <input type="datetime-local" value={d.startsAt} onChange={(e) => roads.setDraft({ startsAt: e.target.value })} />
          </label>
          <label className="field inline">
            Until (empty: until lifted)
            <input type="datetime-local" value={d.endsAt} onChange={(e) => roads.setDraft({ endsAt: e.target.value })} />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="tool-buttons">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Closing…' : 'Close these roads'}
            </button>
            <button type="button" onClick={() => (setError(null), roads.setDraft({ vertices: [] }), roads.setTool('select'))}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </details>
  );
}
