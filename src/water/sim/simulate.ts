import { defaultLayout, validateLayout, type PlcLayout } from '../cyber/layout.js';
import type { WaterNetwork } from '../network/model.js';
import type { Scenario } from '../scenario/model.js';
import { validateScenario } from '../scenario/validate.js';
import { runHydraulics, type HydraulicRun } from './hydraulics.js';
import { assessImpact, round, type ImpactReport } from './impact.js';
import { packResults, type PackedResults } from '../results/pack.js';

export interface SimulationRequest {
  network: WaterNetwork;
  /** Default: one PLC per group of controls (defaultLayout). */
  layout?: PlcLayout;
  /** Checked with validateScenario. */
  scenario: unknown;
  /** Keep time series per element (pressure, delivered demand, flow, quality) for maps and charts. */
  keepSeries?: boolean;
  /** Pack the results for storage (series per element, animation frames, impact per junction): what the API keeps. */
  pack?: boolean;
  /** A name that changes whenever the network does (a stored model's id and version): workers key their baselines on it instead of hashing the network. */
  networkKey?: string;
}

export interface SimulationControl {
  /** Fraction done (0..1) and a short note. */
  onProgress?: (fraction: number, note: string) => void;
  isCancelled?: () => boolean;
  /** A baseline run of the same network, layout and scenario settings, to reuse (sweeps). */
  baseline?: HydraulicRun;
  /** false: `baseline` was computed for this very request (its time then counts in the report). */
  baselineIsCached?: boolean;
}

/** Time series at report times, per element, for maps, animation and charts. */
export interface SimulationSeries {
  times: number[];
  nodes: Record<string, { pressure: number[]; delivered?: number[]; expected?: number[]; quality?: number[] }>;
  links: Record<string, { flow: number[] }>;
  tanks: Record<string, { level: number[] }>;
  actuators: Record<string, { status: number[] }>;
  /** Attacked signals: what the SCADA server showed against the real reading. */
  scada: Record<string, { seen: number[]; real: number[] }>;
}

export interface SimulationOutcome {
  report: ImpactReport;
  series?: SimulationSeries;
  packed?: PackedResults;
  /** Milliseconds spent packing the results (not in report.timing). */
  packMs?: number;
}

export function resolveInputs(request: SimulationRequest): { layout: PlcLayout; scenario: Scenario } {
  const layout = request.layout ? validateLayout(request.layout, request.network) : defaultLayout(request.network);
  const scenario = validateScenario(request.scenario, request.network, layout);
  return { layout, scenario };
}

/** The baseline: the same horizon and settings, no events. */
export function runBaseline(network: WaterNetwork, layout: PlcLayout, scenario: Scenario, control: SimulationControl = {}): Promise<HydraulicRun> {
  return runHydraulics({
    network, layout, scenario, withEvents: false,
    ...(control.isCancelled ? { isCancelled: control.isCancelled } : {}),
    onProgress: (t, h) => control.onProgress?.((0.5 * t) / h, `baseline ${round(t / 3600, 1)} h`),
  });
}

/** Runs the baseline (unless given) and the scenario, and assesses the impact. */
export async function simulateScenario(request: SimulationRequest, control: SimulationControl = {}): Promise<SimulationOutcome> {
  const { layout, scenario } = resolveInputs(request);
  const baseline = control.baseline ?? (await runBaseline(request.network, layout, scenario, control));
  const offset = control.baseline ? 0 : 0.5;
  const run = await runHydraulics({
    network: request.network, layout, scenario, withEvents: true,
    keepSeries: (request.keepSeries ?? false) || (request.pack ?? false),
    ...(control.isCancelled ? { isCancelled: control.isCancelled } : {}),
    onProgress: (t, h) => control.onProgress?.(offset + ((1 - offset) * t) / h, `scenario ${round(t / 3600, 1)} h`),
  });
  const report = assessImpact(request.network, scenario, baseline, run, control.baseline !== undefined && control.baselineIsCached !== false);
  const outcome: SimulationOutcome = { report };
  if (request.keepSeries) outcome.series = seriesOf(run);
  if (request.pack && run.status !== 'cancelled') {
    const t0 = performance.now();
    outcome.packed = packResults(run, baseline, scenario);
    outcome.packMs = round(performance.now() - t0);
  }
  control.onProgress?.(1, 'done');
  return outcome;
}

function seriesOf(run: HydraulicRun): SimulationSeries {
  const net = run.network;
  const r = run.recorder;
  const nodeIds = [...net.junctions.map((j) => j.id), ...net.reservoirs.map((x) => x.id), ...net.tanks.map((t) => t.id)];
  const linkIds = [...net.pipes.map((l) => l.id), ...net.pumps.map((l) => l.id), ...net.valves.map((l) => l.id)];
  const column = (rows: Float32Array[], k: number): number[] => rows.map((row) => round(row[k]!, 3));
  const nodes: SimulationSeries['nodes'] = {};
  nodeIds.forEach((id, k) => {
    const entry: SimulationSeries['nodes'][string] = { pressure: column(r.series.nodePressure, k) };
    if (k < net.junctions.length) {
      entry.delivered = column(r.series.delivered, k);
      entry.expected = column(r.series.expected, k);
    }
    if (run.quality) entry.quality = column(run.quality.series, k);
    nodes[id] = entry;
  });
  const links: SimulationSeries['links'] = {};
  linkIds.forEach((id, k) => (links[id] = { flow: column(r.series.linkFlow, k) }));
  const tanks: SimulationSeries['tanks'] = {};
  net.tanks.forEach((t, k) => (tanks[t.id] = { level: r.tankLevels[k]!.map((x) => round(x, 3)) }));
  const actuators: SimulationSeries['actuators'] = {};
  [...net.pumps, ...net.valves].forEach((l, k) => (actuators[l.id] = { status: r.actuatorStatus[k]! }));
  const scada: SimulationSeries['scada'] = {};
  for (const [signal, v] of run.scadaView) scada[signal] = { seen: v.seen.map((x) => round(x, 3)), real: v.real.map((x) => round(x, 3)) };
  return { times: r.reportTimes, nodes, links, tanks, actuators, scada };
}
