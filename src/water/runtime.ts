import { setMaxListeners } from 'node:events';
import type { Actor, Kernel, Write } from '../kernel/kernel.js';
import type { PlcLayout } from './cyber/layout.js';
import type { WaterNetwork } from './network/model.js';
import type { Scenario } from './scenario/model.js';
import { loadNetworkVersion } from './store/networks.js';
import { completeRun, endRun, activeRunIds, markProgress, markRunning, purgeOldSeries, type RunFailure, type WaterRunRecord } from './store/runs.js';
import { activeSweepIds, updateSweep, type WaterSweepRecord } from './store/sweeps.js';
import { runSweep } from './sweep.js';
import { SimulationPool } from './worker/pool.js';

export interface WaterRuntimeOptions {
  workers: number;
  /** Runs of a scenario that keep their series and frames (older ones keep their report only). */
  keepSeries: number;
  /** Least milliseconds between two progress events of one run or sweep. */
  progressMs: number;
  /** Every progress report of a run, unthrottled (the CLI draws its progress line from it). */
  onProgress?: (runId: string, fraction: number, note: string) => void;
}

interface Active {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The long-lived side of water simulations in the server: one pool of worker threads (so a simulation
 * never runs on the thread serving requests, and workers stay warm with their baselines), the runs and
 * sweeps in progress, and the writes that record their progress and results through the kernel's write
 * path (so they reach the live stream, to the scenario's or sweep's audience).
 */
export class WaterRuntime {
  readonly pool: SimulationPool;
  private readonly active = new Map<string, Active>();
  private closing = false;

  constructor(
    private readonly kernel: Kernel,
    private readonly options: WaterRuntimeOptions,
  ) {
    this.pool = new SimulationPool(options.workers);
  }

  /** Runs and sweeps a stopped server left waiting or running will never finish: they are failed. */
  async recover(): Promise<number> {
    const db = this.kernel.store.db;
    const runs = await activeRunIds(db);
    const sweeps = await activeSweepIds(db);
    if (runs.length + sweeps.length === 0) return 0;
    const failure = { message: 'interrupted: the server stopped before the simulation finished; start it again' };
    await this.kernel.write(SYSTEM, async (w) => {
      for (const id of runs) await endRun(w, id, 'failed', failure, 'interrupted');
      for (const id of sweeps) await updateSweep(w, id, { status: 'failed', failure, note: 'interrupted' }, 'water-sweep.failed');
    });
    return runs.length + sweeps.length;
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** Starts a stored (queued) run in the background; returns at once. */
  startRun(run: WaterRunRecord): void {
    this.launch(run.id, (signal) => this.executeRun(run, signal));
  }

  startSweep(sweep: WaterSweepRecord, network: WaterNetwork, layout: PlcLayout, scenarios: Scenario[]): void {
    this.launch(sweep.id, (signal) => this.executeSweep(sweep, network, layout, scenarios, signal));
  }

  /** Cancels a run or sweep of this process; false if it is not running here. The task records the outcome. */
  cancel(id: string): boolean {
    const a = this.active.get(id);
    if (!a) return false;
    a.controller.abort();
    return true;
  }

  /** Waits until a run or sweep has recorded its outcome (tests, benchmarks). */
  async settled(id: string): Promise<void> {
    await this.active.get(id)?.done;
  }

  check(network: WaterNetwork): Promise<string | null> {
    return this.pool.check(network);
  }

  /** Cancels everything in progress (each records "cancelled"), then stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.active.values()];
    for (const a of all) a.controller.abort();
    await Promise.allSettled(all.map((a) => a.done));
    await this.pool.close();
  }

  private launch(id: string, task: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    // A sweep's jobs all listen to its one signal while they wait for a worker.
    setMaxListeners(0, controller.signal);
    const done = task(controller.signal)
      .catch((error: unknown) => this.kernel.log.error({ err: error, id }, 'water simulation task failed'))
      .finally(() => this.active.delete(id));
    this.active.set(id, { controller, done });
  }

  private async executeRun(run: WaterRunRecord, signal: AbortSignal): Promise<void> {
    const actor: Actor = { orgId: run.requestedByOrgId, userId: null, tokenId: null, address: null };
    const write = <T>(fn: (w: Write) => Promise<T>): Promise<T> => this.kernel.write(actor, fn);
    // Progress writes are chained so none lands after the run's final state.
    let chain: Promise<unknown> = Promise.resolve();
    const queue = (fn: (w: Write) => Promise<unknown>): void => {
      chain = chain.then(() => write(fn)).catch((error: unknown) => this.kernel.log.warn({ err: error, run: run.id }, 'water run progress not recorded'));
    };
    let started = false;
    let lastAt = -Infinity;
    let lastFraction = 0;
    const onProgress = (fraction: number, note: string): void => {
      this.options.onProgress?.(run.id, fraction, note);
      if (!started) {
        started = true;
        queue((w) => markRunning(w, run.id));
      }
      const now = Date.now();
      if (fraction >= 1 || fraction - lastFraction < 0.1 || now - lastAt < this.options.progressMs) return;
      lastAt = now;
      lastFraction = fraction;
      const rounded = Math.round(fraction * 1000) / 1000;
      queue((w) => markProgress(w, run.id, rounded, note));
    };
    try {
      const loaded = await loadNetworkVersion(this.kernel.store.db, run.networkId, run.networkVersion);
      const version = await this.kernel.store.db
        .selectFrom('water_scenario_versions')
        .select('definition')
        .where('scenario_id', '=', run.scenarioId)
        .where('version', '=', run.scenarioVersion)
        .executeTakeFirst();
      if (!loaded || !version) throw new Error('the scenario or its network version no longer exists');
      const outcome = await this.pool.run({ network: loaded.network, layout: loaded.layout, scenario: JSON.parse(version.definition), pack: true, networkKey: `${run.networkId}@${run.networkVersion}` }, { signal, onProgress });
      await chain;
      await write(async (w) => {
        if (!started) await markRunning(w, run.id);
        const done = await completeRun(w, run.id, outcome.report, outcome.packed, outcome.packMs);
        if (done?.results.series === 'stored') await purgeOldSeries(w, run.scenarioId, this.options.keepSeries);
      });
    } catch (error) {
      await chain;
      const e = error as Error & { problems?: string[] };
      if (e.name === 'AbortError') {
        await write((w) => endRun(w, run.id, 'cancelled', null, this.closing ? 'cancelled: the server stopped' : 'cancelled'));
        return;
      }
      const failure: RunFailure = { message: e.message, ...(e.problems ? { problems: e.problems } : {}) };
      await write((w) => endRun(w, run.id, 'failed', failure, `failed: ${e.message}`));
    }
  }

  private async executeSweep(sweep: WaterSweepRecord, network: WaterNetwork, layout: PlcLayout, scenarios: Scenario[], signal: AbortSignal): Promise<void> {
    const actor: Actor = { orgId: sweep.ownerOrgId, userId: null, tokenId: null, address: null };
    let chain: Promise<unknown> = this.kernel.write(actor, (w) => updateSweep(w, sweep.id, { status: 'running', note: 'simulating' }, 'water-sweep.started'));
    let lastAt = -Infinity;
    const onProgress = (fraction: number, name: string): void => {
      const now = Date.now();
      if (fraction >= 1 || now - lastAt < this.options.progressMs) return;
      lastAt = now;
      chain = chain.then(() => this.kernel.write(actor, (w) => updateSweep(w, sweep.id, { progress: Math.round(fraction * 1000) / 1000, note: name }, 'water-sweep.progress')));
    };
    try {
      const result = await runSweep(network, layout, scenarios, { kind: sweep.kind, pool: this.pool, signal, onProgress });
      await chain.catch(() => {});
      await this.kernel.write(actor, (w) => updateSweep(w, sweep.id, { status: 'completed', progress: 1, note: `${result.scenarios} scenarios ranked`, result }, 'water-sweep.completed'));
    } catch (error) {
      await chain.catch(() => {});
      const e = error as Error;
      const cancelled = e.name === 'AbortError';
      await this.kernel.write(actor, (w) =>
        updateSweep(
          w,
          sweep.id,
          cancelled ? { status: 'cancelled', note: this.closing ? 'cancelled: the server stopped' : 'cancelled' } : { status: 'failed', failure: { message: e.message }, note: `failed: ${e.message}` },
          cancelled ? 'water-sweep.cancelled' : 'water-sweep.failed',
        ),
      );
    }
  }
}

const SYSTEM: Actor = { orgId: null, userId: null, tokenId: null, address: null };
