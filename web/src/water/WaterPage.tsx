// The water overview: the networks the user may see, the what-if scenarios, the latest runs (live), and
// sweeps with the form that starts one.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client';
import { TlpBadge } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { formatTime } from '../format';
import { Link, navigate } from '../router';
import { can } from '../state/actions';
import { store, useStoreVersion } from '../state/store';
import { loadNetworks, useApi, useWaterVersion, water } from './data';
import { problemsOf } from './ScenarioEditor';
import { RunList } from './ScenarioPage';
import { SWEEP_KINDS, SweepList } from './SweepPage';
import { ACTIVE, type SweepKind, type WaterNetwork, type WaterRun, type WaterScenario, type WaterSweep } from './types';
import { WaterSharing } from './WaterShareButton';

export function WaterPage() {
  useStoreVersion();
  useWaterVersion();
  const [networks, setNetworks] = useState<WaterNetwork[] | null>(null);
  const [networksError, setNetworksError] = useState<string | null>(null);
  useEffect(() => {
    loadNetworks().then(setNetworks, (e: Error) => setNetworksError(e.message));
  }, [water.recordsVersion]);
  const scenarios = useApi<{ items: WaterScenario[] }>('/water/scenarios?limit=200', [water.recordsVersion]);
  const runs = useApi<{ items: WaterRun[] }>('/water/runs?limit=8', [water.recordsVersion]);
  const sweeps = useApi<{ items: WaterSweep[] }>('/water/sweeps?limit=20', [water.recordsVersion]);
  const networkName = (id: string) => networks?.find((n) => n.id === id)?.name ?? 'a network';
  const listedRuns = runs.status === 'ok' ? runs.value.items : [];
  const recent = [...[...water.runs.values()].filter((r) => !listedRuns.some((l) => l.id === r.id)), ...listedRuns.map((r) => water.runs.get(r.id) ?? r)].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 8);
  const listedSweeps = sweeps.status === 'ok' ? sweeps.value.items : [];
  const allSweeps = [...[...water.sweeps.values()].filter((s) => !listedSweeps.some((l) => l.id === s.id)), ...listedSweeps.map((s) => water.sweeps.get(s.id) ?? s)];

  return (
    <main className="page water-page" aria-labelledby="water-title">
      <header className="page-head">
        <div>
          <h1 id="water-title">Water networks</h1>
          <p className="muted">What if the network is attacked or fails? Simulate it (EPANET with the control system in the loop) and see who loses water, when and for how long.</p>
        </div>
        {can.write(store.me) && networks && networks.length > 0 && (
          <button type="button" className="primary" onClick={() => navigate('/water/scenarios/new')}>
            New scenario
          </button>
        )}
      </header>
      {networksError && <p className="error">{networksError}</p>}
      {networks?.length === 0 && <p className="muted">No water network is shared with your organisation.</p>}
      <div className="network-cards">
        {networks?.map((n) => (
          <section key={n.id} className="panel network-card" aria-label={`Network ${n.title}`}>
            <h2>{n.title || n.name}</h2>
            <p className="meta">
              {n.name} · version {n.version} · {store.orgName(n.ownerOrgId)}
            </p>
            <WaterSharing kind="water-network" record={n} onShared={() => water.changed()} />
            <p className="small-text">
              {n.stats.junctions} junctions · {n.stats.pipes} pipes · {n.stats.tanks} tanks · {n.stats.pumps} pumps · {n.stats.valves} valves · {n.stats.plcs} PLCs
            </p>
            {n.consumers.length > 0 && <p className="small-text">Critical consumers: {n.consumers.map((c) => c.name).join(', ')}</p>}
            <p className="small-text muted">Switch on “Water network” on the operations map to see it over the streets.</p>
          </section>
        ))}
      </div>
      <div className="columns">
        <section className="panel" aria-labelledby="scenarios">
          <h2 id="scenarios">Scenarios</h2>
          {scenarios.status === 'error' && <p className="error">{scenarios.error}</p>}
          {scenarios.status === 'ok' && scenarios.value.items.length === 0 && <p className="muted">No scenario yet.</p>}
          {scenarios.status === 'ok' && scenarios.value.items.length > 0 && (
            <table className="list" data-testid="scenario-list">
              <thead>
                <tr>
                  <th scope="col">Scenario</th>
                  <th scope="col">Network</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Label</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {scenarios.value.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/water/scenarios/${s.id}`}>{s.name}</Link>
                      {s.sourceIncidentId && <span className="pill">from an incident</span>}
                    </td>
                    <td>{networkName(s.networkId)}</td>
                    <td>{store.orgName(s.ownerOrgId)}</td>
                    <td>
                      <TlpBadge tlp={s.tlp} />
                    </td>
                    <td>
                      {s.version} <span className="muted small-text">{formatTime(s.updatedAt)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="recent-runs">
          <h2 id="recent-runs">Latest runs</h2>
          {recent.length === 0 && runs.status === 'ok' && <p className="muted">No run yet.</p>}
          <RunList runs={recent} scenarioName={(r) => r.summary?.scenarioName ?? (scenarios.status === 'ok' ? scenarios.value.items.find((s) => s.id === r.scenarioId)?.name : undefined)} />
          {recent.some((r) => ACTIVE.includes(r.status)) && <p className="muted small-text">Progress arrives live.</p>}
        </section>
      </div>
      <section className="panel" aria-labelledby="sweeps">
        <h2 id="sweeps">Sweeps: which assets to protect first</h2>
        <p className="muted small-text">A sweep simulates one failure at a time (every pump off, every PLC's tank readings spoofed, every pipe closed) and ranks them by impact.</p>
        {networks && networks.length > 0 && can.write(store.me) && <NewSweep networks={networks} />}
        {sweeps.status === 'error' && <p className="error">{sweeps.error}</p>}
        <SweepList sweeps={allSweeps} networkName={networkName} />
      </section>
    </main>
  );
}

function NewSweep({ networks }: { networks: WaterNetwork[] }) {
  const [networkId, setNetworkId] = useState(networks[0]!.id);
  const [kind, setKind] = useState<SweepKind>('pump-off');
  const [hours, setHours] = useState('24');
  const [limit, setLimit] = useState('');
  const [minDiameter, setMinDiameter] = useState('300');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function start(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const h = Number(hours);
    if (!(h > 0 && h <= 336)) return setError('The horizon is between 0 and 336 hours');
    const network = networks.find((n) => n.id === networkId)!;
    setBusy(true);
    try {
      const sweep = await api<WaterSweep>('POST', '/water/sweeps', {
        networkId,
        kind,
        hours: h,
        // The network's critical consumers are watched in every scenario of the sweep.
        ...(network.consumers.length ? { settings: { criticalConsumers: network.consumers } } : {}),
        ...(limit.trim() ? { limit: Number(limit) } : {}),
        ...(kind === 'n-1' && minDiameter.trim() ? { minDiameter: Number(minDiameter) } : {}),
      });
      water.putSweep(sweep);
      navigate(`/water/sweeps/${sweep.id}`);
    } catch (e) {
      const problems = problemsOf(e);
      setError(problems ? problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n') : (e as Error).message);
      setBusy(false);
    }
  }
  return (
    <form className="inline-form wide sweep-form" onSubmit={start} noValidate>
      <div className="form-row">
        <label className="field">
          Network
          <select value={networkId} onChange={(e) => setNetworkId(e.target.value)}>
            {networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.title || n.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Sweep
          <select value={kind} onChange={(e) => setKind(e.target.value as SweepKind)}>
            {SWEEP_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Horizon (h)
          <input inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />
        </label>
        {kind === 'n-1' && (
          <label className="field">
            Pipes at least (mm)
            <input inputMode="decimal" value={minDiameter} onChange={(e) => setMinDiameter(e.target.value)} />
          </label>
        )}
        <label className="field">
          At most (scenarios)
          <input inputMode="numeric" value={limit} placeholder="all" onChange={(e) => setLimit(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Starting…' : 'Start sweep'}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
