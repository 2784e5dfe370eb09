import { parseSignal, type PlcLayout } from './cyber/layout.js';
import type { WaterNetwork } from './network/model.js';
import type { Scenario, ScenarioEvent } from './scenario/model.js';
import type { ImpactReport } from './sim/impact.js';
import { SimulationPool, type JobControl } from './worker/pool.js';

export type SweepKind = 'pump-off' | 'plc-spoof' | 'n-1';

/** Settings every scenario of a sweep shares (horizon, demand model, critical consumers, ...). */
export type SweepSettings = Omit<Scenario, 'name' | 'events'>;

export interface SweepOptions {
  /** n-1: only pipes at least this wide (network units). */
  minDiameter?: number;
  /** At most this many scenarios (the first ones in network order). */
  limit?: number;
}

/**
 * The scenarios of a sweep:
 * - pump-off: each pump out of service for the whole horizon, one at a time;
 * - plc-spoof: for each PLC, every tank level it reads shows the tank full (its pumps stop, the tank drains);
 * - n-1: each pipe closed, one at a time.
 */
export function planSweep(kind: SweepKind, network: WaterNetwork, layout: PlcLayout, settings: SweepSettings, options: SweepOptions = {}): Scenario[] {
  const scenario = (name: string, events: ScenarioEvent[]): Scenario => ({ ...settings, name, events });
  let list: Scenario[];
  if (kind === 'pump-off') {
    list = network.pumps.map((p) => scenario(`pump ${p.id} out of service`, [{ type: 'pump-failure', pumps: [p.id], cause: 'mechanical' }]));
  } else if (kind === 'plc-spoof') {
    list = layout.plcs.flatMap((plc) => {
      const events: ScenarioEvent[] = plc.sensors.flatMap((s) => {
        const ref = parseSignal(s);
        const tank = ref?.kind === 'level' ? network.tanks.find((t) => t.id === ref.element) : undefined;
        return tank ? [{ type: 'sensor-spoof' as const, signal: s, mode: 'constant' as const, value: tank.maxLevel }] : [];
      });
      return events.length ? [scenario(`${plc.id} tank levels spoofed full`, events)] : [];
    });
  } else {
    list = network.pipes
      .filter((p) => p.status !== 'CLOSED' && p.diameter >= (options.minDiameter ?? 0))
      .map((p) => scenario(`pipe ${p.id} closed`, [{ type: 'pipe-closure', pipe: p.id }]));
  }
  return options.limit !== undefined ? list.slice(0, options.limit) : list;
}

export interface SweepEntry {
  rank: number;
  name: string;
  status: ImpactReport['status'] | 'error';
  error?: string;
  impactScore: number;
  populationAffected: number;
  personHoursAdded: number;
  unservedAdded: number;
  waterServiceAvailability: number;
  tanksEmptied: string[];
  criticalConsumers: string[];
  wallMs: number;
  /** The events of this scenario, so it can be simulated again in full as a scenario of its own. */
  events: ScenarioEvent[];
}

export interface SweepResult {
  kind: SweepKind | 'custom';
  scenarios: number;
  workers: number;
  wallMs: number;
  ranking: SweepEntry[];
}

/**
 * Runs a batch of scenarios on a pool of worker threads (both cores by default) and ranks them by impact
 * score (added person-hours without adequate pressure, then unserved water).
 */
export async function runSweep(
  network: WaterNetwork,
  layout: PlcLayout | undefined,
  scenarios: Scenario[],
  control: JobControl & { workers?: number; kind?: SweepKind; pool?: SimulationPool } = {},
): Promise<SweepResult> {
  const started = performance.now();
  // A long-lived pool (the server's) is used as it is; otherwise one is started for this sweep and stopped after.
  const pool = control.pool ?? new SimulationPool(control.workers);
  let done = 0;
  try {
    const entries = await Promise.all(
      scenarios.map(async (scenario): Promise<SweepEntry> => {
        try {
          const { report } = await pool.run({ network, scenario, ...(layout ? { layout } : {}) }, control.signal ? { signal: control.signal } : {});
          return entryOf(scenario, report);
        } catch (error) {
          if ((error as Error).name === 'AbortError') throw error;
          return { ...emptyEntry(scenario), status: 'error', error: (error as Error).message };
        } finally {
          done++;
          control.onProgress?.(done / scenarios.length, scenario.name);
        }
      }),
    );
    entries.sort((a, b) => b.impactScore - a.impactScore || b.unservedAdded - a.unservedAdded);
    entries.forEach((e, i) => (e.rank = i + 1));
    return { kind: control.kind ?? 'custom', scenarios: scenarios.length, workers: pool.size, wallMs: Math.round(performance.now() - started), ranking: entries };
  } finally {
    if (!control.pool) await pool.close();
  }
}

function emptyEntry(scenario: Scenario): SweepEntry {
  return { rank: 0, name: scenario.name, status: 'error', impactScore: 0, populationAffected: 0, personHoursAdded: 0, unservedAdded: 0, waterServiceAvailability: 0, tanksEmptied: [], criticalConsumers: [], wallMs: 0, events: scenario.events };
}

function entryOf(scenario: Scenario, r: ImpactReport): SweepEntry {
  return {
    rank: 0,
    name: scenario.name,
    events: scenario.events,
    status: r.status,
    impactScore: r.summary.impactScore,
    populationAffected: r.summary.populationAffected,
    personHoursAdded: r.summary.personHoursWithoutService.added,
    unservedAdded: r.summary.unservedDemand.added,
    waterServiceAvailability: r.summary.waterServiceAvailability.scenario,
    tanksEmptied: r.tanks.filter((t) => t.emptiedAt !== null && t.baseline.emptiedAt === null).map((t) => t.tank),
    criticalConsumers: r.criticalConsumers.filter((c) => c.timeToImpact !== null).map((c) => c.text),
    wallMs: r.timing.wallMs,
  };
}
