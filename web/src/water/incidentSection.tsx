// The incident workspace's water section: the what-if scenarios drafted from this incident, and the button
// that drafts one (its water assets become events; the network's critical consumers are watched).
import { useState } from 'react';
import { api, errorText } from '../api/client';
import type { Incident } from '../api/types';
import type { IncidentSection } from '../pages/incidentSections';
import { Link, navigate } from '../router';
import { can } from '../state/actions';
import { store } from '../state/store';
import type { WaterScenario } from './types';

function DraftButton({ incident }: { incident: Incident }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [hours, setHours] = useState('24');
  if (!can.write(store.me)) return null;
  async function draft() {
    setBusy(true);
    setError(null);
    try {
      const h = Number(hours);
      const scenario = await api<WaterScenario>('POST', '/water/scenarios/from-incident', { incidentId: incident.id, ...(h > 0 ? { hours: h } : {}) });
      navigate(`/water/scenarios/${scenario.id}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return (
    <div className="draft-scenario">
      <button type="button" onClick={draft} disabled={busy}>
        {busy ? 'Drafting…' : 'Create a what-if scenario from this incident'}
      </button>{' '}
      <label className="field inline">
        <span className="visually-hidden">Horizon in hours</span>
        <select value={hours} onChange={(e) => setHours(e.target.value)} aria-label="Horizon of the scenario">
          <option value="24">24 h</option>
          <option value="48">48 h</option>
          <option value="72">72 h</option>
        </select>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export const waterIncidentSection: IncidentSection = {
  id: 'water-scenarios',
  title: 'Water what-if',
  path: (i) => `/water/scenarios?incident=${i.id}`,
  empty: 'No scenario drafted from this incident yet.',
  render: (items) => (
    <ul className="plain">
      {(items as unknown as WaterScenario[]).map((s) => (
        <li key={s.id}>
          <Link to={`/water/scenarios/${s.id}`}>{s.name}</Link> <span className="muted">version {s.version}</span>
        </li>
      ))}
    </ul>
  ),
  actions: (incident) => <DraftButton incident={incident} />,
};
