// The areas of a warning: drawn on the map, or derived by the server from the incident (its polygon, or a
// radius around its place and assets). Each area gets a name people recognise (CAP's areaDesc).
import { useMemo, useRef, useState } from 'react';
import type { Geometry } from '../api/types';
import { AreaMap, type DrawMode } from './AreaMap';
import { draftFeatures } from './geo';
import type { AreaDraft } from './types';

export function AreasEditor({ areas, onChange, incident, problems }: { areas: AreaDraft[]; onChange: (a: AreaDraft[]) => void; incident: { id: string; location: Geometry | null } | null; problems: Record<string, string> }) {
  const [mode, setMode] = useState<DrawMode>('none');
  const centre = useRef<(() => [number, number]) | null>(null);
  const features = useMemo(() => draftFeatures(areas), [areas]);
  const set = (i: number, a: AreaDraft) => onChange(areas.map((x, j) => (j === i ? a : x)));
  const add = (a: AreaDraft) => {
    onChange([...areas, a]);
    setMode('none');
  };
  return (
    <fieldset className="areas-editor">
      <legend>Areas</legend>
      <div className="draw-tools" role="group" aria-label="Draw an area">
        <button type="button" aria-pressed={mode === 'circle'} onClick={() => setMode(mode === 'circle' ? 'none' : 'circle')}>
          ◯ Draw a circle
        </button>
        <button type="button" aria-pressed={mode === 'polygon'} onClick={() => setMode(mode === 'polygon' ? 'none' : 'polygon')}>
          ⬠ Draw a polygon
        </button>
        <button type="button" onClick={() => add({ kind: 'circle', areaDesc: '', center: centre.current?.() ?? [7.4246, 43.7384], radiusMeters: 300 })}>
          Add a circle at the map centre
        </button>
        {incident && (
          <button type="button" disabled={areas.some((a) => a.kind === 'incident')} onClick={() => add({ kind: 'incident', areaDesc: '', bufferMeters: 500 })}>
            Area of the incident
          </button>
        )}
      </div>
      <AreaMap
        label="Map of the warning's areas"
        features={features}
        reference={incident?.location as GeoJSON.Geometry | null | undefined}
        mode={mode}
        centreRef={centre}
        onCircle={(center, radiusMeters) => add({ kind: 'circle', areaDesc: '', center, radiusMeters: Math.max(1, Math.round(radiusMeters)) })}
        onPolygon={(ring) => add({ kind: 'polygon', areaDesc: '', ring })}
      />
      {problems.areas && <p className="error">{problems.areas}</p>}
      {areas.length === 0 ? (
        <p className="muted">No area yet{incident ? ': the server derives one from the incident when you leave it so' : ''}.</p>
      ) : (
        <ol className="area-list" data-testid="area-list">
          {areas.map((a, i) => (
            <li key={i}>
              <span className="area-kind">{a.kind === 'circle' ? 'Circle' : a.kind === 'polygon' ? `Polygon, ${a.ring.length} corners` : 'Around the incident'}</span>
              <label className="field inline">
                Name
                <input value={a.areaDesc} placeholder="e.g. La Condamine" onChange={(e) => set(i, { ...a, areaDesc: e.target.value })} aria-label={`Name of area ${i + 1}`} />
              </label>
              {a.kind === 'circle' && (
                <>
                  <label className="field inline">
                    Radius (m)
                    <input type="number" min={1} value={a.radiusMeters} onChange={(e) => set(i, { ...a, radiusMeters: Number(e.target.value) })} aria-label={`Radius of area ${i + 1} in metres`} />
                  </label>
                  <label className="field inline">
                    Latitude
                    <input type="number" step="0.0001" value={a.center[1].toFixed(5)} onChange={(e) => set(i, { ...a, center: [a.center[0], Number(e.target.value)] })} aria-label={`Latitude of the centre of area ${i + 1}`} />
                  </label>
                  <label className="field inline">
                    Longitude
                    <input type="number" step="0.0001" value={a.center[0].toFixed(5)} onChange={(e) => set(i, { ...a, center: [Number(e.target.value), a.center[1]] })} aria-label={`Longitude of the centre of area ${i + 1}`} />
                  </label>
                </>
              )}
              {a.kind === 'incident' && (
                <label className="field inline">
                  Buffer (m)
                  <input type="number" min={0} value={a.bufferMeters} onChange={(e) => set(i, { ...a, bufferMeters: Number(e.target.value) })} aria-label={`Buffer of area ${i + 1} in metres`} />
                </label>
              )}
              <button type="button" className="link-button" onClick={() => onChange(areas.filter((_, j) => j !== i))} aria-label={`Remove area ${i + 1}`}>
                Remove
              </button>
              {problems[`areas.${i}`] && <p className="error">{problems[`areas.${i}`]}</p>}
            </li>
          ))}
        </ol>
      )}
    </fieldset>
  );
}
