// The card of a clicked pipe, junction, tank, pump, valve or source: what it is, its properties, and the
// Vigil asset that stands for it (alerts and incidents point at assets).
import { type ReactNode, useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { Link } from '../router';
import { store, useStoreVersion } from '../state/store';
import { loadNetworkMap, loadNetworks } from './data';
import { parseElementKey } from './networkFeatures';
import { elementRows } from './describe';
import type { NetworkMap } from './types';

const KIND_TEXT: Record<string, string> = { junction: 'Junction', reservoir: 'Source (reservoir)', tank: 'Tank', pipe: 'Pipe', pump: 'Pump', valve: 'Valve' };
export function WaterElementCard({ elementKey, actions }: { elementKey: string; actions?: ReactNode }) {
  useStoreVersion();
  const parsed = parseElementKey(elementKey);
  const [map, setMap] = useState<NetworkMap | null>(null);
  const [si, setSi] = useState(true);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!parsed) return;
    let live = true;
    loadNetworkMap(parsed.networkId)
      .then((m) => live && setMap(m))
      .catch((e) => live && setError(errorText(e)));
    // US customary networks (flow in CFS, GPM, MGD, IMGD, AFD) give lengths in feet.
    loadNetworks()
      .then((list) => {
        const units = list.find((n) => n.id === parsed.networkId)?.stats.flowUnits;
        if (live && units) setSi(!['CFS', 'GPM', 'MGD', 'IMGD', 'AFD'].includes(units));
      })
      .catch(() => undefined);
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
          {elementRows(feature.properties, si).map(([k, v]) => (
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
