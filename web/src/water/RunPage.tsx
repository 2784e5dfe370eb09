// One run of a scenario: its progress live from the stream (cancel while it runs), then what it did: the
// critical consumers' time to impact, the figures, the animation on the map, and charts of chosen elements.
import { useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';
import { formatTime } from '../format';
import type { Selection } from '../map/MapView';
import { Link } from '../router';
import { can } from '../state/actions';
import { store } from '../state/store';
import { loadNetworkMap, useApi, useRun, water } from './data';
import { eventSentence } from './describe';
import { WaterElementCard } from './ElementCard';
import { type ChartedElement, ElementCharts } from './ElementCharts';
import { RUN_STATUS_TEXT, simClock } from './format';
import type { FrameView } from './frames';
import { CriticalConsumers, EventList, ImpactFigures, ServiceTimeline, TanksTable, WorstJunctions, eventSpans } from './ImpactSummary';
import { boundsOf, parseElementKey } from './networkFeatures';
import { RunMap, usePlayback } from './RunMap';
import { ACTIVE, type NetworkMap, type RunFrames, type RunImpact, type WaterRun, type WaterScenario } from './types';

export function RunPage({ id }: { id: string }) {
  const run = useRun(id);
  if (run.status === 'loading') return <main className="page"><p className="muted">Loading…</p></main>;
  if (run.status === 'error') return <main className="page narrow"><h1>Run</h1><p className="error">{run.httpStatus === 404 ? 'This run does not exist or its scenario is not shared with your organisation.' : run.error}</p></main>;
  return <RunView run={run.value} />;
}

export function RunProgress({ run }: { run: WaterRun }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const active = ACTIVE.includes(run.status);
  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      water.putRun(await api<WaterRun>('DELETE', `/water/runs/${run.id}`));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  const pct = Math.round(run.progress * 100);
  return (
    <div className={`run-progress status-${run.status}`} data-testid="run-progress" data-status={run.status}>
      <div className="progress-line">
        <span className={`run-status ${run.status}`}>{RUN_STATUS_TEXT[run.status]}</span>
        <div className="progress" role="progressbar" aria-label="Simulated time" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div className="progress-bar" style={{ width: `${pct}%` }} />
        </div>
        <span className="muted">{pct} %</span>
        {active && can.write(store.me) && (
          <button type="button" className="danger small" onClick={cancel} disabled={busy}>
            {busy ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {run.note && run.note !== run.status && run.status !== 'completed' && <p className="muted small-text">{run.note}</p>}
      {run.failure && (
        <p className="error">
          {run.failure.message}
          {run.failure.time !== undefined && ` (at ${simClock(run.failure.time)}`}
          {run.failure.element && `, ${run.failure.element.kind} ${run.failure.element.id}`}
          {run.failure.time !== undefined && ')'}
        </p>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

function RunView({ run }: { run: WaterRun }) {
  const scenario = useApi<WaterScenario>(`/water/scenarios/${run.scenarioId}?version=${run.scenarioVersion}`);
  const finished = !ACTIVE.includes(run.status);
  const name = scenario.status === 'ok' ? scenario.value.name : run.summary?.scenarioName ?? 'Scenario';
  return (
    <main className="page water-page run-page" aria-labelledby="run-title">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to="/water">Water</Link> / <Link to={`/water/scenarios/${run.scenarioId}`}>{name}</Link> / run
          </p>
          <h1 id="run-title">{name}</h1>
          <p className="meta">
            Version {run.scenarioVersion} on network version {run.networkVersion} · started by {store.orgName(run.requestedByOrgId)} {formatTime(run.createdAt)}
            {run.finishedAt && ` · finished ${formatTime(run.finishedAt)}`}
            {run.summary?.timing && ` · ${run.summary.hours} h simulated in ${(run.summary.timing.wallMs / 1000).toFixed(1)} s`}
          </p>
        </div>
      </header>
      <RunProgress run={run} />
      {!finished && scenario.status === 'ok' && (
        <section className="run-section" aria-labelledby="playing">
          <h2 id="playing">What it plays out</h2>
          <ol className="event-sentences">
            {scenario.value.definition.events.map((e, i) => (
              <li key={i}>{eventSentence(e)}</li>
            ))}
          </ol>
          <p className="muted small-text">The results appear here when the run completes; you may leave the page meanwhile.</p>
        </section>
      )}
      {finished && run.results.report && <RunResults run={run} />}
      {finished && !run.results.report && run.status !== 'completed' && <p className="muted">This run left no results.</p>}
    </main>
  );
}

function RunResults({ run }: { run: WaterRun }) {
  const impact = useApi<RunImpact>(`/water/runs/${run.id}/impact`);
  const frames = useApi<RunFrames>(run.results.series === 'stored' ? `/water/runs/${run.id}/frames` : null);
  const [network, setNetwork] = useState<NetworkMap | null>(null);
  const [view, setView] = useState<FrameView>('pressure');
  const [selection, setSelection] = useState<Selection | null>(null);
  const [charts, setCharts] = useState<ChartedElement[] | null>(null);
  const times = frames.status === 'ok' ? frames.value.times : EMPTY;
  const playback = usePlayback(times);

  useEffect(() => {
    let live = true;
    loadNetworkMap(run.networkId, run.networkVersion)
      .then((m) => live && setNetwork(m))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [run.networkId, run.networkVersion]);

  // The charts a person wants first: the critical consumers' pressure, then the tanks that ran dry.
  useEffect(() => {
    if (impact.status !== 'ok' || charts) return;
    const i = impact.value;
    const units = i.scenario.units.pressure;
    setCharts([
      ...i.criticalConsumers.map((c) => ({ kind: 'node' as const, id: c.node, label: `${c.name} (${c.node})`, threshold: { value: c.minPressure ?? i.scenario.servicePressure, label: `${c.minPressure ?? i.scenario.servicePressure} ${units}` } })),
      ...i.tanks
        .filter((t) => t.emptiedAt !== null)
        .sort((a, b) => a.emptiedAt! - b.emptiedAt!)
        .slice(0, 2)
        .map((t) => ({ kind: 'node' as const, id: t.tank, label: `Tank ${t.tank}` })),
    ]);
  }, [impact.status]);

  /** Moves the animation to a moment: the nearest frame, or with `atOrAfter` the first frame showing it. */
  const pick = (seconds: number, atOrAfter = false) => {
    if (!times.length) return;
    let best = 0;
    times.forEach((t, i) => {
      if (Math.abs(t - seconds) < Math.abs(times[best]! - seconds)) best = i;
    });
    if (atOrAfter) {
      const after = times.findIndex((t) => t >= seconds);
      best = after < 0 ? times.length - 1 : after;
    }
    playback.setPlaying(false);
    playback.setIndex(best);
  };
  const resolve = (id: string): ChartedElement | null => {
    const f = network?.features.find((x) => x.properties.id === id);
    if (!f) return null;
    const isLink = f.geometry.type === 'LineString';
    const servicePressure = impact.status === 'ok' ? impact.value.scenario.servicePressure : null;
    return {
      kind: isLink ? 'link' : 'node',
      id,
      label: `${f.properties.kind[0]!.toUpperCase()}${f.properties.kind.slice(1)} ${id}`,
      ...(f.properties.kind === 'junction' && servicePressure !== null ? { threshold: { value: servicePressure, label: `service ${servicePressure} m` } } : {}),
    };
  };
  const addChart = (e: ChartedElement) => setCharts((list) => (list?.some((x) => x.id === e.id) ? list : [e, ...(list ?? [])]));
  const focus = useMemo(() => (network ? boundsOf(network) : null), [network]);

  if (impact.status === 'loading') return <p className="muted">Loading the results…</p>;
  if (impact.status === 'error') return <p className="error">{impact.error}</p>;
  const i = impact.value;
  const cursor = times[playback.index] ?? null;
  const spans = eventSpans(i);
  const selected = selection?.kind === 'water-element' ? parseElementKey(selection.id) : null;
  const suggestions = network ? network.features.filter((f) => f.properties.kind !== 'pipe' && f.properties.kind !== 'junction').map((f) => f.properties.id) : [];
  return (
    <>
      <section className="run-section" aria-labelledby="critical">
        <h2 id="critical">Critical consumers</h2>
        <CriticalConsumers impact={i} onPick={pick} />
      </section>
      <section className="run-section" aria-labelledby="impact">
        <h2 id="impact">Impact over {i.scenario.hours} h</h2>
        <ImpactFigures impact={i} />
      </section>
      <div className="run-columns">
        <section className="run-section map-section" aria-labelledby="animation">
          <h2 id="animation">On the map</h2>
          {frames.status === 'ok' ? (
            <RunMap
              networkId={run.networkId}
              networkVersion={run.networkVersion}
              frames={frames.value}
              playback={playback}
              view={view}
              onView={setView}
              highlights={i.criticalConsumers.map((c) => ({ networkId: run.networkId, node: c.node, label: c.name }))}
              assetIds={i.criticalConsumers.flatMap((c) => (c.assetId ? [c.assetId] : []))}
              marks={spans.map((s) => ({ time: s.from, label: `${s.label} starts` }))}
              focus={focus}
              onSelect={setSelection}
            />
          ) : frames.status === 'error' ? (
            <p className="muted">{frames.error}</p>
          ) : run.results.series !== 'stored' ? (
            <p className="muted">The animation of this run was dropped (only the newest runs of a scenario keep it): run the scenario again.</p>
          ) : (
            <p className="muted">Loading the animation…</p>
          )}
        </section>
        <div>
          {selected && (
            <div className="feature-card inline-card">
              <button type="button" className="icon-button close" aria-label="Close the card" onClick={() => setSelection(null)}>
                ×
              </button>
              <WaterElementCard
                elementKey={selection!.id}
                actions={
                  <button
                    type="button"
                    onClick={() => {
                      const e = resolve(selected.id);
                      if (e) addChart(e);
                    }}
                  >
                    Chart it
                  </button>
                }
              />
            </div>
          )}
          <section className="run-section" aria-labelledby="timeline">
            <h2 id="timeline">People without adequate pressure</h2>
            <ServiceTimeline impact={i} cursor={cursor} onPick={pick} />
            <EventList impact={i} onPick={pick} />
          </section>
          <section className="run-section" aria-labelledby="tanks-title">
            <h2 id="tanks-title">Tanks</h2>
            <TanksTable impact={i} onPick={pick} onChart={(e) => addChart({ kind: 'node', id: e.node, label: e.label })} />
          </section>
        </div>
      </div>
      <section className="run-section" aria-labelledby="charts">
        <h2 id="charts">Charts</h2>
        {run.results.series === 'stored' ? (
          <ElementCharts runId={run.id} elements={charts ?? []} onRemove={(id) => setCharts((l) => (l ?? []).filter((e) => e.id !== id))} onAdd={addChart} cursor={cursor} spans={spans} onPick={pick} suggestions={suggestions} resolve={resolve} />
        ) : (
          <p className="muted">The series of this run were dropped: run the scenario again to chart its elements.</p>
        )}
      </section>
      <section className="run-section" aria-labelledby="junctions">
        <h2 id="junctions">Junctions hit hardest</h2>
        <WorstJunctions impact={i} onChart={(e) => addChart(resolve(e.node) ?? { kind: 'node', id: e.node, label: e.label })} />
      </section>
    </>
  );
}

const EMPTY: number[] = [];
