// A what-if scenario: what it plays out, in words; its versions; its runs, live; run it, edit it (a new
// version), share it. And the page that creates one on a network.
import { useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';
import { formatTime } from '../format';
import { Link, navigate, useLocation } from '../router';
import { can, owns } from '../state/actions';
import { store, useStoreVersion } from '../state/store';
import { loadNetworkMap, loadNetworks, useApi, useWaterVersion, water } from './data';
import { eventSentence } from './describe';
import { RUN_STATUS_TEXT } from './format';
import { ScenarioEditor } from './ScenarioEditor';
import { emptyForm, formOf } from './scenarioForm';
import { ACTIVE, type NetworkMap, type ScenarioDefinition, type ScenarioVersion, type WaterNetwork, type WaterRun, type WaterScenario } from './types';
import { WaterSharing } from './WaterShareButton';

/** A network and its map, for the form's choices. */
function useNetwork(id: string | null): { network: WaterNetwork | null; map: NetworkMap | null; error: string | null } {
  const [state, setState] = useState<{ network: WaterNetwork | null; map: NetworkMap | null; error: string | null }>({ network: null, map: null, error: null });
  useEffect(() => {
    if (!id) return;
    let live = true;
    api<WaterNetwork>('GET', `/water/networks/${id}`)
      .then((network) => {
        if (!live) return;
        setState({ network, map: null, error: null });
        return loadNetworkMap(id).then((map) => live && setState({ network, map, error: null }));
      })
      .catch((e) => live && setState((s) => ({ ...s, error: errorText(e) })));
    return () => {
      live = false;
    };
  }, [id]);
  return state;
}

/** Starts a run of a scenario version and opens its page. */
export async function startRun(scenarioId: string, version?: number): Promise<void> {
  const run = await api<WaterRun>('POST', `/water/scenarios/${scenarioId}/run`, version ? { version } : null);
  water.putRun(run);
  navigate(`/water/runs/${run.id}`);
}

export function NewScenarioPage() {
  const { search } = useLocation();
  const [networkId, setNetworkId] = useState<string | null>(search.get('network'));
  const [networks, setNetworks] = useState<WaterNetwork[] | null>(null);
  useEffect(() => {
    loadNetworks()
      .then((list) => {
        setNetworks(list);
        if (!networkId && list.length === 1) setNetworkId(list[0]!.id);
      })
      .catch(() => setNetworks([]));
  }, []);
  const { network, map, error } = useNetwork(networkId);
  const initial = () => {
    const form = emptyForm();
    form.consumers = (network?.consumers ?? []).map((c) => ({ node: c.node, name: c.name, assetId: c.assetId ?? '', minPressure: c.minPressure === undefined ? '' : String(c.minPressure) }));
    return form;
  };
  async function create(definition: ScenarioDefinition) {
    const scenario = await api<WaterScenario>('POST', '/water/scenarios', { networkId, definition });
    navigate(`/water/scenarios/${scenario.id}`);
  }
  return (
    <main className="page narrow-wide water-page" aria-labelledby="new-scenario">
      <p className="muted">
        <Link to="/water">Water</Link> / new scenario
      </p>
      <h1 id="new-scenario">New what-if scenario</h1>
      {!can.write(store.me) && <p className="error">Your role may not create scenarios.</p>}
      {networks && networks.length > 1 && (
        <label className="field inline">
          Network
          <select value={networkId ?? ''} onChange={(e) => setNetworkId(e.target.value || null)}>
            <option value="">Choose a network…</option>
            {networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.title || n.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {networks?.length === 0 && <p className="muted">No water network is shared with your organisation.</p>}
      {error && <p className="error">{error}</p>}
      {network && <ScenarioEditor key={network.id} network={network} map={map} initial={initial()} submitLabel="Create scenario" onSubmit={create} onCancel={() => navigate('/water')} />}
    </main>
  );
}

export function ScenarioPage({ id }: { id: string }) {
  useStoreVersion();
  useWaterVersion();
  const { search } = useLocation();
  const version = search.get('version');
  const scenario = useApi<WaterScenario>(`/water/scenarios/${id}${version ? `?version=${version}` : ''}`, [water.recordsVersion]);
  const [editing, setEditing] = useState(false);
  if (scenario.status === 'loading') return <main className="page"><p className="muted">Loading…</p></main>;
  if (scenario.status === 'error') return <main className="page narrow"><h1>Scenario</h1><p className="error">{scenario.httpStatus === 404 ? 'This scenario does not exist or is not shared with your organisation.' : scenario.error}</p></main>;
  const s = scenario.value;
  return editing ? <EditScenario scenario={s} onDone={() => { setEditing(false); scenario.reload(); }} /> : <ScenarioView scenario={s} onEdit={() => setEditing(true)} onShared={() => scenario.reload()} />;
}

function EditScenario({ scenario, onDone }: { scenario: WaterScenario; onDone: () => void }) {
  const { network, map, error } = useNetwork(scenario.networkId);
  async function save(definition: ScenarioDefinition) {
    try {
      await api<WaterScenario>('PUT', `/water/scenarios/${scenario.id}`, { definition, version: scenario.version });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) throw new Error(`${e.problem.detail}. Your changes are still in the form: copy what you need, then reload.`);
      throw e;
    }
    navigate(`/water/scenarios/${scenario.id}`, { replace: true });
    onDone();
  }
  return (
    <main className="page narrow-wide water-page" aria-labelledby="edit-scenario">
      <p className="muted">
        <Link to="/water">Water</Link> / <Link to={`/water/scenarios/${scenario.id}`}>{scenario.name}</Link> / edit
      </p>
      <h1 id="edit-scenario">Edit “{scenario.name}”</h1>
      <p className="muted">Saving adds version {scenario.version + 1}; earlier versions and their runs stay as they are. It is checked against the network's newest version.</p>
      {error && <p className="error">{error}</p>}
      {network && <ScenarioEditor network={network} map={map} initial={formOf(scenario.definition)} submitLabel={`Save as version ${scenario.version + 1}`} onSubmit={save} onCancel={onDone} />}
    </main>
  );
}

function ScenarioView({ scenario: s, onEdit, onShared }: { scenario: WaterScenario; onEdit: () => void; onShared: () => void }) {
  const me = store.me;
  const d = s.definition;
  const versions = useApi<{ items: ScenarioVersion[] }>(`/water/scenarios/${s.id}/versions`, [s.version]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const incident = s.sourceIncidentId ? store.incidents.get(s.sourceIncidentId) : undefined;
  const mayEdit = can.write(me) && owns(me, s);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      await startRun(s.id, s.shownVersion);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return (
    <main className="page water-page" aria-labelledby="scenario-title">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to="/water">Water</Link> / scenario
          </p>
          <h1 id="scenario-title">{s.name}</h1>
          <WaterSharing kind="water-scenario" record={s} onShared={onShared} />
        </div>
        <div className="controls">
          {can.write(me) && (
            <button type="button" className="primary" onClick={run} disabled={busy}>
              {busy ? 'Starting…' : `Run version ${s.shownVersion}`}
            </button>
          )}
          {mayEdit && s.shownVersion === s.version && (
            <button type="button" onClick={onEdit}>
              Edit
            </button>
          )}
        </div>
      </header>
      <ErrorMessage error={error} />
      {!mayEdit && <p className="muted small-text">{!can.write(me) ? `Your role (${me?.role}) may read scenarios only.` : `Only ${store.orgName(s.ownerOrgId)} (the owner) may edit it; you may run it.`}</p>}
      <div className="columns">
        <div>
          <section className="panel" aria-labelledby="what">
            <h2 id="what">What it plays out</h2>
            {d.description && <p>{d.description}</p>}
            <ol className="event-sentences" data-testid="events">
              {d.events.map((e, i) => (
                <li key={i}>
                  <strong>{e.id ?? `e${i + 1}`}</strong>: {eventSentence(e)}
                </li>
              ))}
            </ol>
            <p className="meta">
              {d.hours ?? 24} h · {d.demandModel ?? 'PDA'} demand · service pressure {d.servicePressure ?? d.pressure?.required ?? 20} m
              {d.quality && ` · water quality: ${d.quality.kind === 'age' ? 'water age' : 'contaminant'}`}
            </p>
            {incident && (
              <p>
                Drafted from the incident <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>.
              </p>
            )}
          </section>
          <section className="panel" aria-labelledby="consumers">
            <h2 id="consumers">Critical consumers</h2>
            {(d.criticalConsumers ?? []).length === 0 ? (
              <p className="muted">None: add one (a hospital's junction) to see its time to impact.</p>
            ) : (
              <ul className="plain">
                {d.criticalConsumers!.map((c) => (
                  <li key={c.node}>
                    {c.assetId && store.assets.get(c.assetId) ? <Link to={`/assets/${c.assetId}`}>{c.name}</Link> : c.name} <span className="muted">at junction {c.node}, below {c.minPressure ?? d.servicePressure ?? 20} m counts as out of service</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <details className="panel">
            <summary>The definition as JSON</summary>
            <pre className="json">{JSON.stringify(d, null, 2)}</pre>
          </details>
        </div>
        <div>
          <ScenarioRuns scenario={s} />
          <section className="panel" aria-labelledby="versions">
            <h2 id="versions">Versions</h2>
            {versions.status === 'ok' ? (
              <ul className="plain">
                {versions.value.items.map((v) => (
                  <li key={v.version} className={v.version === s.shownVersion ? 'current' : ''}>
                    <Link to={`/water/scenarios/${s.id}${v.version === s.version ? '' : `?version=${v.version}`}`}>Version {v.version}</Link> <span className="muted">{formatTime(v.createdAt)} · {store.orgName(v.createdByOrgId)} · network version {v.networkVersion}</span>
                    {v.version === s.shownVersion && <span className="pill">shown</span>}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{versions.status === 'error' ? versions.error : 'Loading…'}</p>
            )}
          </section>
          <p className="muted small-text">Conditions read the real network (an attacker may know it; the PLCs may not). An event without a start condition starts at time 0, without an end it lasts to the end of the horizon.</p>
        </div>
      </div>
    </main>
  );
}

function ScenarioRuns({ scenario }: { scenario: WaterScenario }) {
  useWaterVersion();
  const runs = useApi<{ items: WaterRun[] }>(`/water/runs?scenario=${scenario.id}&limit=20`, [water.recordsVersion]);
  // Runs started meanwhile arrive on the stream.
  const listed = runs.status === 'ok' ? runs.value.items : [];
  const live = [...water.runs.values()].filter((r) => r.scenarioId === scenario.id && !listed.some((l) => l.id === r.id));
  const all = [...live, ...listed.map((r) => water.runs.get(r.id) ?? r)].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="panel" aria-labelledby="runs">
      <h2 id="runs">Runs</h2>
      {runs.status === 'error' && <p className="error">{runs.error}</p>}
      {all.length === 0 && runs.status === 'ok' && <p className="muted">Not run yet.</p>}
      <RunList runs={all} />
    </section>
  );
}

/** Runs, newest first; `scenarioName` names the scenario of each (the overview lists runs of many). */
export function RunList({ runs, scenarioName }: { runs: WaterRun[]; scenarioName?: (run: WaterRun) => string | undefined }) {
  return (
    <ul className="run-list">
      {runs.map((r) => {
        const hospital = r.summary?.criticalConsumers.find((c) => c.timeToImpact !== null) ?? r.summary?.criticalConsumers[0];
        return (
          <li key={r.id} data-run={r.id} data-status={r.status}>
            <Link to={`/water/runs/${r.id}`}>
              {scenarioName ? `${scenarioName(r) ?? 'A scenario'} (version ${r.scenarioVersion})` : `Version ${r.scenarioVersion}`} · {formatTime(r.createdAt)}
            </Link>{' '}
            <span className={`run-status ${r.status}`}>
              {RUN_STATUS_TEXT[r.status]}
              {ACTIVE.includes(r.status) && ` ${Math.round(r.progress * 100)} %`}
            </span>
            {hospital && <p className="small-text">{hospital.text.replace(/ \([^)]*\) (drops|keeps)/, ' $1')}</p>}
            {r.failure && <p className="small-text error-text">{r.failure.message}</p>}
          </li>
        );
      })}
    </ul>
  );
}
