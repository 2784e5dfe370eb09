// The card of a clicked pipe, junction, tank, pump, valve or source: what it is, its properties, and the
// Vigil asset that stands for it (alerts and incidents point at assets).
import { type ReactNode, useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { Link } from '../router';
import { store, useStoreVersion } from '../state/store';
import { loadNetworkMap } from './data';
import { parseElementKey } from './networkFeatures';
import type { NetworkFeature, NetworkMap } from './types';

const KIND_TEXT: Record<string, string> = { junction: 'Junction', reservoir: 'Source (reservoir)', tank: 'Tank', pipe: 'Pipe', pump: 'Pump', valve: 'Valve' };
const VALVE_TYPES: Record<string, string> = { PRV: 'pressure reducing', PSV: 'pressure sustaining', PBV: 'pressure breaker', FCV: 'flow control', TCV: 'throttle control', GPV: 'general purpose', PCV: 'positional control' };

/** The rows of an element's card, in the network's units (SI unless it uses US flow units). */
export function elementRows(p: NetworkFeature['properties'], si = true): Array<[string, string]> {
  const length = si ? 'm' : 'ft';
  const diameter = si ? 'mm' : 'in';
  const n = (v: unknown, unit: string) => (typeof v === 'number' ? `${Math.round(v * 100) / 100} ${unit}` : '—');
  switch (p.kind) {
    case 'junction':
      return [['Elevation', n(p.elevation, length)], ['Base demand', n(p.baseDemand, si ? 'L/s' : 'gpm')]];
    case 'reservoir':
      return [['Head', n(p.head, length)]];
    case 'tank':
      return [['Elevation', n(p.elevation, length)], ['Level range', `${n(p.minLevel, length)} – ${n(p.maxLevel, length)}`], ['Diameter', n(p.diameter, length)]];
    case 'pipe':
      return [['From → to', `${p.from} → ${p.to}`], ['Diameter', n(p.diameter, diameter)], ['Length', n(p.length, length)], ['Status', String(p.status ?? 'OPEN').toLowerCase()]];
    case 'pump':
      return [['From → to', `${p.from} → ${p.to}`], ['Head curve', String(p.headCurve ?? '—')]];
    case 'valve':
      return [['From → to', `${p.from} → ${p.to}`], ['Type', `${p.valveType} (${VALVE_TYPES[String(p.valveType)] ?? 'valve'})`], ['Setting', String(p.setting ?? '—')]];
  }
}

export function WaterElementCard({ elementKey, actions }: { elementKey: string; actions?: ReactNode }) {
  useStoreVersion();
  const parsed = parseElementKey(elementKey);
  const [map, setMap] = useState<NetworkMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!parsed) return;
    let live = true;
    loadNetworkMap(parsed.networkId)
      .then((m) => live && setMap(m))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [parsed?.networkId]);
  if (!parsed) return <p className="muted">Not an element of a water network.</p>;
  if (error) return <p className="error">{error}</p>;
  if (!map) return <p className="muted">Loading…</p>;
  const feature = map.features.find((f) => f.properties.kind === parsed.kind && f.properties.id === parsed.id);
  if (!feature) return <p className="muted">{KIND_TEXT[parsed.kind]} {parsed.id} is not in this version of the network.</p>;
  const asset = feature.properties.assetId ? store.assets.get(feature.properties.assetId) : undefined;
  return (
    <article className="record-card water-card" aria-label={`${KIND_TEXT[parsed.kind]} ${parsed.id}`}>
      <header>
        <span className="pill">water {parsed.kind}</span>
        <h2>
          {KIND_TEXT[parsed.kind]} {parsed.id}
        </h2>
      </header>
      <p className="meta">
        Network {map.network.name} · version {map.network.version}
      </p>
      <table className="kv">
        <tbody>
          {elementRows(feature.properties).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {asset ? (
        <p>
          Asset: <Link to={`/assets/${asset.id}`}>{asset.name} →</Link>
        </p>
      ) : feature.properties.assetId ? (
        <p className="muted">Its asset is not loaded yet.</p>
      ) : (
        parsed.kind !== 'junction' && parsed.kind !== 'pipe' && <p className="muted">No asset of yours or shared with you stands for it.</p>
      )}
      {actions}
    </article>
  );
}
