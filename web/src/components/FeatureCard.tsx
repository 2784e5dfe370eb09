// The card of whatever was clicked on the map. Later layers register their record kinds in CARDS.
import type { ReactNode } from 'react';
import { formatTime } from '../format';
import type { Selection } from '../map/MapView';
import { Link } from '../router';
import { store } from '../state/store';
import { ClosureCard, UnitCard } from '../units/cards';
import { WaterElementCard } from '../water/ElementCard';
import { AlertDetail } from './AlertDetail';
import { SeverityBadge, SharingLine } from './badges';
import { ShareButton } from './ShareButton';

export const CARDS: Record<string, (id: string) => ReactNode> = {
  'water-element': (key) => <WaterElementCard elementKey={key} />,
  unit: (id) => <UnitCard id={id} />,
  closure: (id) => <ClosureCard id={id} />,
  alert: (id) => {
    const alert = store.alerts.get(id);
    return alert ? <AlertDetail alert={alert} compact /> : null;
  },
  incident: (id) => {
    const incident = store.incidents.get(id);
    if (!incident) return null;
    return (
      <article className="record-card" aria-label={`Incident ${incident.title}`}>
        <header>
          <SeverityBadge severity={incident.severity} />
          <h2>{incident.title}</h2>
        </header>
        <p className="meta">
          Incident · {incident.status} · {incident.type} · {store.orgName(incident.ownerOrgId)} · opened {formatTime(incident.openedAt)}
        </p>
        <p className="sharing">
          <SharingLine record={incident} /> <ShareButton kind="incident" record={incident} />
        </p>
        {incident.description && <p>{incident.description}</p>}
        <p>
          {incident.alertIds.length} alert(s), {incident.assetIds.length} asset(s). <Link to={`/incidents/${incident.id}`}>Open the workspace →</Link>
        </p>
      </article>
    );
  },
  asset: (id) => {
    const asset = store.assets.get(id);
    if (!asset) return null;
    const open = [...store.alerts.values()].filter((a) => a.assetIds.includes(id) && (a.status === 'new' || a.status === 'acknowledged'));
    return (
      <article className="record-card" aria-label={`Asset ${asset.name}`}>
        <header>
          <span className="pill">{asset.type}</span>
          <h2>{asset.name}</h2>
        </header>
        <p className="meta">
          Criticality {asset.criticality}/5 · {store.orgName(asset.ownerOrgId)}
        </p>
        <p className="sharing">
          <SharingLine record={asset} /> <ShareButton kind="asset" record={asset} />
        </p>
        <p>
          {open.length} open alert(s). <Link to={`/assets/${asset.id}`}>Details, datastreams and dependencies →</Link>
        </p>
      </article>
    );
  },
};

export function FeatureCard({ selection, onClose }: { selection: Selection; onClose: () => void }) {
  const render = CARDS[selection.kind];
  const body = render?.(selection.id) ?? <p className="muted">This record is no longer visible to you.</p>;
  return (
    <div className="feature-card">
      <button type="button" className="icon-button close" aria-label="Close the card" onClick={onClose}>
        ×
      </button>
      {body}
    </div>
  );
}
