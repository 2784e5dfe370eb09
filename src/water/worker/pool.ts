import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LayoutError } from '../cyber/layout.js';
import { ScenarioError } from '../scenario/validate.js';
import type { WaterNetwork } from '../network/model.js';
import type { SimulationOutcome, SimulationRequest } from '../sim/simulate.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface JobControl {
  onProgress?: (fraction: number, note: string) => void;
  /** Aborting cancels the simulation between two time steps; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

interface Job {
  id: number;
  /** A simulation, or only a check that EPANET accepts a network. */
  request: SimulationRequest | { check: WaterNetwork };
  control: JobControl;
  cancel: SharedArrayBuffer;
  resolve: (outcome: SimulationOutcome | string | null) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

let nextId = 1;

/**
 * Worker threads that run simulations, so a simulation never blocks the thread serving requests.
 * Jobs queue when every worker is busy. Call `close()` when done: idle workers are not left behind.
 */
export class SimulationPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

  run(request: SimulationRequest, control: JobControl = {}): Promise<SimulationOutcome> {
    return this.submit(request, control) as Promise<SimulationOutcome>;
  }

  /** Whether EPANET accepts the network (null) or what it refuses, checked in a worker. */
  check(network: WaterNetwork): Promise<string | null> {
    return this.submit({ check: network }, {}) as Promise<string | null>;
  }

  /** Simulations waiting for a worker, and running. */
  get load(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.slots.filter((s) => s.job).length };
  }

  private submit(request: Job['request'], control: JobControl): Promise<SimulationOutcome | string | null> {
    if (this.closed) return Promise.reject(new Error('simulation pool is closed'));
    if (control.signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      // The listener goes when the job ends: a long-lived signal (a sweep's) must not collect one per job.
      const onAbort = (): void => this.cancel(job);
      const settled = (): void => control.signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        id: nextId++, request, control, cancel: new SharedArrayBuffer(4),
        resolve: (value) => (settled(), resolve(value)),
        reject: (error) => (settled(), reject(error)),
      };
      control.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('simulation pool closed'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(abortError());
      return;
    }
    Atomics.store(new Int32Array(job.cancel), 0, 1);
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      const r = job.request;
      const message: ToWorker = 'check' in r
        ? { type: 'check', id: job.id, network: r.check }
        : {
            type: 'simulate', id: job.id, network: r.network, scenario: r.scenario, cancel: job.cancel,
            ...(r.layout ? { layout: r.layout } : {}), ...(r.keepSeries ? { keepSeries: true } : {}), ...(r.pack ? { pack: true } : {}), ...(r.networkKey ? { networkKey: r.networkKey } : {}),
          };
      slot.worker.postMessage(message);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./entry.mjs', import.meta.url));
    const slot: Slot = { worker };
    worker.on('message', (m: FromWorker) => {
      const job = slot.job;
      if (!job || m.id !== job.id) return;
      if (m.type === 'progress') {
        job.control.onProgress?.(m.fraction, m.note);
        return;
      }
      slot.job = undefined;
      if (m.type === 'result') {
        if (m.outcome.report.status === 'cancelled' && Atomics.load(new Int32Array(job.cancel), 0) === 1) job.reject(abortError());
        else job.resolve(m.outcome);
      } else if (m.type === 'checked') {
        job.resolve(m.problem);
      } else {
        job.reject(rebuild(m.error));
      }
      this.dispatch();
    });
    const lost = (error: Error): void => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.job?.reject(error);
      slot.job = undefined;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`simulation worker stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }
}

function rebuild(e: { name: string; message: string; problems?: string[] }): Error {
  if (e.name === 'ScenarioError') return new ScenarioError(e.problems ?? [e.message]);
  if (e.name === 'LayoutError') return new LayoutError(e.problems ?? [e.message]);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

function abortError(): Error {
  const error = new Error('simulation cancelled');
  error.name = 'AbortError';
  return error;
}

/** Runs one simulation in a worker thread of its own and stops the thread afterwards. */
export async function simulateInWorker(request: SimulationRequest, control: JobControl = {}): Promise<SimulationOutcome> {
  const pool = new SimulationPool(1);
  try {
    return await pool.run(request, control);
  } finally {
    await pool.close();
  }
}
