import { flowUnitInVolumePerSecond, unitLabels, type WaterNetwork } from '../network/model.js';
import type { Scenario } from '../scenario/model.js';
import type { EngineIssue, HydraulicRun } from './hydraulics.js';

export interface CriticalImpact {
  node: string;
  name: string;
  assetId?: string;
  minPressure: number;
  /** Seconds from the first event's start to the first time pressure is below minPressure; null: never. */
  timeToImpact: number | null;
  firstBelowAt: number | null;
  baselineFirstBelowAt: number | null;
  /** With a contaminant (or water age) run: seconds from the first event until it exceeds the threshold there. */
  contaminantArrival?: number | null;
  text: string;
}

export interface TankImpact {
  tank: string;
  emptiedAt: number | null;
  hoursEmpty: number;
  fullAt: number | null;
  hoursFull: number;
  minLevel: number;
  maxLevel: number;
  baseline: { emptiedAt: number | null; hoursEmpty: number; fullAt: number | null; hoursFull: number };
}

export interface ImpactReport {
  scenario: { name: string; hours: number; demandModel: string; servicePressure: number; units: ReturnType<typeof unitLabels> };
  status: HydraulicRun['status'];
  failure?: EngineIssue & { run: 'baseline' | 'scenario' };
  summary: {
    population: number;
    /** Junctions and people without adequate pressure at some time, not so in the baseline at that time. */
    junctionsAffected: number;
    populationAffected: number;
    peakPopulationWithoutService: { scenario: number; baseline: number; at: number | null };
    personHoursWithoutService: { scenario: number; baseline: number; added: number };
    /** Delivered over expected demand volume over the horizon (WNTR's water service availability). */
    waterServiceAvailability: { scenario: number; baseline: number };
    unservedDemand: { scenario: number; baseline: number; added: number; units: string };
    impactScore: number;
  };
  criticalConsumers: CriticalImpact[];
  tanks: TankImpact[];
  contamination?: {
    kind: 'chemical' | 'age';
    units: string;
    threshold: number;
    junctionsExposed: number;
    populationExposed: number;
    peakPopulationExposed: number;
    firstArrival: Array<{ node: string; at: number; peak: number }>;
  };
  events: HydraulicRun['eventChanges'];
  timeline: {
    times: number[];
    populationWithoutService: { scenario: number[]; baseline: number[] };
    junctionsWithoutService: { scenario: number[]; baseline: number[] };
    demandSatisfaction: { scenario: number[]; baseline: number[] };
    populationExposed?: number[];
  };
  worstJunctions: Array<{ node: string; population: number; hoursWithoutService: number; unserved: number; minPressure: number; firstBelowAt: number | null }>;
  warnings: { count: number; first: EngineIssue[] };
  /** Time spent on this report: the scenario, and the baseline unless a cached one was reused. */
  timing: { wallMs: number; engineMs: number; vigilMs: number; simulatedHours: number; steps: number; baselineReused: boolean };
}

/** Compares a scenario run with its baseline and condenses WNTR-style resilience metrics. */
export function assessImpact(network: WaterNetwork, scenario: Scenario, baseline: HydraulicRun, run: HydraulicRun, baselineReused = false): ImpactReport {
  const units = unitLabels(network);
  const volume = flowUnitInVolumePerSecond(network.options.flowUnits);
  const s = run.recorder;
  const b = baseline.recorder;
  const pop = run.population;
  const nj = network.junctions.length;
  const firstEvent = run.eventChanges.find((c) => c.change === 'started')?.time ?? 0;

  let junctionsAffected = 0;
  let populationAffected = 0;
  for (let j = 0; j < nj; j++) {
    const affected = s.belowAt.some((row, i) => row[j] === 1 && b.belowAt[i]?.[j] !== 1);
    if (affected) {
      junctionsAffected++;
      populationAffected += pop[j] ?? 0;
    }
  }
  const personHours = (secondsBelow: Float64Array): number => secondsBelow.reduce((sum, sec, j) => sum + (sec * (pop[j] ?? 0)) / 3600, 0);
  let added = 0;
  for (let j = 0; j < nj; j++) added += (Math.max(0, s.secondsBelow[j]! - (b.secondsBelow[j] ?? 0)) * (pop[j] ?? 0)) / 3600;
  const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
  const wsa = (r: HydraulicRun): number => {
    const e = sum(r.recorder.expectedVolume);
    return e > 0 ? 1 - sum(r.recorder.unservedVolume) / e : 1;
  };
  const unservedScenario = sum(s.unservedVolume) * volume;
  const unservedBaseline = sum(b.unservedVolume) * volume;
  const peak = s.populationBelow.reduce((m, v, i) => (v > m.v ? { v, i } : m), { v: 0, i: -1 });

  const criticalConsumers: CriticalImpact[] = (scenario.criticalConsumers ?? []).map((c) => {
    const minPressure = c.minPressure ?? run.servicePressure;
    const first = s.criticalFirstBelow.get(c.node);
    const base = b.criticalFirstBelow.get(c.node);
    const timeToImpact = first === undefined ? null : Math.max(0, first - firstEvent);
    const text = first === undefined
      ? `${c.name} (${c.node}) keeps at least ${minPressure} ${units.pressure} over ${scenario.hours} h`
      : `${c.name} (${c.node}) drops below ${minPressure} ${units.pressure} in ${formatDuration(timeToImpact!)}${base !== undefined && base <= first ? ' (as in normal operation)' : ''}`;
    const j = network.junctions.findIndex((x) => x.id === c.node);
    const arrival = run.quality && j >= 0 && run.quality.firstAbove[j]! >= 0 ? Math.max(0, run.quality.firstAbove[j]! - firstEvent) : null;
    const reached = arrival === null ? '' : `; ${run.quality!.kind === 'age' ? `water older than ${run.quality!.threshold} h` : 'the contaminant'} reaches it in ${formatDuration(arrival)}`;
    return {
      node: c.node, name: c.name, ...(c.assetId ? { assetId: c.assetId } : {}), minPressure, timeToImpact,
      firstBelowAt: first ?? null, baselineFirstBelowAt: base ?? null,
      ...(run.quality ? { contaminantArrival: arrival } : {}),
      text: text + reached,
    };
  });

  const tanks: TankImpact[] = network.tanks.map((t, k) => {
    const st = s.tankStats[k]!;
    const bt = b.tankStats[k]!;
    return {
      tank: t.id,
      emptiedAt: st.firstEmpty >= 0 ? st.firstEmpty : null,
      hoursEmpty: st.emptySeconds / 3600,
      fullAt: st.firstFull >= 0 ? st.firstFull : null,
      hoursFull: st.fullSeconds / 3600,
      minLevel: st.min,
      maxLevel: st.max,
      baseline: { emptiedAt: bt.firstEmpty >= 0 ? bt.firstEmpty : null, hoursEmpty: bt.emptySeconds / 3600, fullAt: bt.firstFull >= 0 ? bt.firstFull : null, hoursFull: bt.fullSeconds / 3600 },
    };
  });

  const q = run.quality;
  const contamination = q && {
    kind: q.kind,
    units: q.units,
    threshold: q.threshold,
    junctionsExposed: [...q.firstAbove].filter((t) => t >= 0).length,
    populationExposed: [...q.firstAbove].reduce((p, t, j) => p + (t >= 0 ? (pop[j] ?? 0) : 0), 0),
    peakPopulationExposed: Math.max(0, ...q.populationAbove),
    firstArrival: network.junctions
      .map((jn, j) => ({ node: jn.id, at: q.firstAbove[j]!, peak: q.peak[j]! }))
      .filter((x) => x.at >= 0)
      .sort((x, y) => x.at - y.at),
  };

  const worstJunctions = network.junctions
    .map((jn, j) => ({
      node: jn.id,
      population: round(pop[j] ?? 0),
      hoursWithoutService: round(s.secondsBelow[j]! / 3600),
      unserved: round(s.unservedVolume[j]! * volume),
      minPressure: round(s.minPressure[j]!),
      firstBelowAt: s.firstBelow[j]! >= 0 ? s.firstBelow[j]! : null,
    }))
    .filter((x) => x.hoursWithoutService > 0 || x.unserved > 0)
    .sort((x, y) => y.population * y.hoursWithoutService - x.population * x.hoursWithoutService || y.unserved - x.unserved)
    .slice(0, 25);

  const failure = baseline.failure ? { ...baseline.failure, run: 'baseline' as const } : run.failure ? { ...run.failure, run: 'scenario' as const } : undefined;
  return {
    scenario: { name: scenario.name, hours: scenario.hours ?? 24, demandModel: scenario.demandModel ?? 'PDA', servicePressure: run.servicePressure, units },
    status: baseline.status !== 'completed' ? baseline.status : run.status,
    ...(failure ? { failure } : {}),
    summary: {
      population: round(pop.reduce((a, x) => a + x, 0)),
      junctionsAffected,
      populationAffected: round(populationAffected),
      peakPopulationWithoutService: { scenario: round(peak.v), baseline: round(Math.max(0, ...b.populationBelow)), at: peak.i >= 0 ? s.reportTimes[peak.i]! : null },
      personHoursWithoutService: { scenario: round(personHours(s.secondsBelow)), baseline: round(personHours(b.secondsBelow)), added: round(added) },
      waterServiceAvailability: { scenario: round(wsa(run), 4), baseline: round(wsa(baseline), 4) },
      unservedDemand: { scenario: round(unservedScenario), baseline: round(unservedBaseline), added: round(Math.max(0, unservedScenario - unservedBaseline)), units: units.volume },
      impactScore: round(added + Math.max(0, unservedScenario - unservedBaseline) / 1000, 3),
    },
    criticalConsumers,
    tanks,
    ...(contamination ? { contamination } : {}),
    events: run.eventChanges,
    timeline: {
      times: s.reportTimes,
      populationWithoutService: { scenario: s.populationBelow.map((x) => round(x)), baseline: b.populationBelow.map((x) => round(x)) },
      junctionsWithoutService: { scenario: s.junctionsBelow, baseline: b.junctionsBelow },
      demandSatisfaction: { scenario: s.satisfaction.map((x) => round(x, 4)), baseline: b.satisfaction.map((x) => round(x, 4)) },
      ...(q ? { populationExposed: q.populationAbove.map((x) => round(x)) } : {}),
    },
    worstJunctions,
    warnings: { count: run.warningCount, first: run.warnings.slice(0, 20) },
    timing: timingOf(baselineReused ? [run] : [baseline, run], run, baselineReused),
  };
}

function timingOf(runs: HydraulicRun[], run: HydraulicRun, baselineReused: boolean): ImpactReport['timing'] {
  const wall = runs.reduce((s, r) => s + r.timing.totalMs, 0);
  const engine = runs.reduce((s, r) => s + r.timing.engineMs, 0);
  return { wallMs: round(wall), engineMs: round(engine), vigilMs: round(wall - engine), simulatedHours: run.simulated / 3600, steps: run.steps, baselineReused };
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "3 h 10 min", "45 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}
