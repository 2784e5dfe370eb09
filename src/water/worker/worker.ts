import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { engineRefusal } from '../engine/check.js';
import { writeInp } from '../network/write.js';
import type { HydraulicRun } from '../sim/hydraulics.js';
import { resolveInputs, runBaseline, simulateScenario } from '../sim/simulate.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * A simulation worker: runs one scenario at a time off the main thread. Keeps the baselines it computed
 * (a sweep runs many scenarios on one network with the same settings) and checks a shared cancel flag
 * between time steps, since a simulation never yields to the event loop.
 */
const port = parentPort!;
const baselines = new Map<string, HydraulicRun>();

port.on('message', (message: ToWorker) => void (message.type === 'check' ? check(message) : simulate(message)));

async function check(m: Extract<ToWorker, { type: 'check' }>): Promise<void> {
  try {
    port.postMessage({ type: 'checked', id: m.id, problem: await engineRefusal(m.network) } satisfies FromWorker);
  } catch (error) {
    const e = error as Error;
    port.postMessage({ type: 'error', id: m.id, error: { name: e.name ?? 'Error', message: e.message ?? String(error) } } satisfies FromWorker);
  }
}

async function simulate(m: Extract<ToWorker, { type: 'simulate' }>): Promise<void> {
  const flag = new Int32Array(m.cancel);
  const post = (msg: FromWorker): void => port.postMessage(msg);
  try {
    const request = { network: m.network, scenario: m.scenario, keepSeries: m.keepSeries ?? false, pack: m.pack ?? false, ...(m.layout ? { layout: m.layout } : {}) };
    const { layout, scenario } = resolveInputs(request);
    const isCancelled = (): boolean => Atomics.load(flag, 0) === 1;
    const onProgress = (fraction: number, note: string): void => post({ type: 'progress', id: m.id, fraction, note });
    const key = baselineKey(m.networkKey ?? createHash('sha256').update(writeInp(m.network)).digest('hex'), layout, scenario);
    let baseline = baselines.get(key);
    const baselineIsCached = baseline !== undefined;
    let scenarioProgress = onProgress;
    if (!baseline) {
      // The baseline's progress runs 0 → 0.5 and the scenario's 0.5 → 1.
      baseline = await runBaseline(m.network, layout, scenario, { isCancelled, onProgress });
      if (baseline.status === 'completed') baselines.set(key, baseline);
      if (baselines.size > 8) baselines.delete(baselines.keys().next().value!);
      scenarioProgress = (fraction, note) => onProgress(0.5 + fraction / 2, note);
    }
    const outcome = await simulateScenario({ ...request, layout }, { isCancelled, onProgress: scenarioProgress, baseline, baselineIsCached });
    post({ type: 'result', id: m.id, outcome });
  } catch (error) {
    const e = error as Error & { problems?: string[] };
    post({ type: 'error', id: m.id, error: { name: e.name ?? 'Error', message: e.message ?? String(error), ...(e.problems ? { problems: e.problems } : {}) } });
  }
}

function baselineKey(networkHash: string, layout: unknown, scenario: { hours?: number; demandModel?: string; pressure?: unknown; servicePressure?: number; quality?: unknown; criticalConsumers?: unknown; litresPerPersonPerDay?: number }): string {
  const { hours, demandModel, pressure, servicePressure, quality, criticalConsumers, litresPerPersonPerDay } = scenario;
  return JSON.stringify([networkHash, layout, hours, demandModel, pressure, servicePressure, quality, criticalConsumers, litresPerPersonPerDay]);
}
