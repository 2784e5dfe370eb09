// The incident workspace's warnings section: the public warnings drafted from this incident, and the entry
// that drafts one (the template for the incident's type, the area derived from the incident).
import type { Incident } from '../api/types';
import type { IncidentSection } from '../pages/incidentSections';
import { Link } from '../router';
import { can } from '../state/actions';
import { store } from '../state/store';
import type { Warning } from './types';

export const warningsIncidentSection: IncidentSection = {
  id: 'public-warnings',
  title: 'Public warnings',
  path: (i) => `/warnings?incident=${i.id}`,
  empty: 'No public warning drafted from this incident.',
  render: (items) => (
    <ul className="plain">
      {(items as unknown as Warning[]).map((w) => (
        <li key={w.id}>
          <Link to={`/warnings/${w.id}`}>{w.headline}</Link> <span className="muted">{w.proposal?.state === 'awaiting-approval' ? 'awaiting approval' : w.phase}</span>
        </li>
      ))}
    </ul>
  ),
  actions: (incident: Incident) =>
    can.write(store.me) ? (
      <p>
        <Link to={`/warnings/new?incident=${incident.id}`} className="button">
          Draft a public warning
        </Link>
      </p>
    ) : null,
};
