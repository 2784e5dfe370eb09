/**
 * The detection engine for one organisation: hands each observation to the detectors that watch its
 * datastream and collects their alert drafts. A detector that throws is isolated: its failure is reported
 * and the others go on; after `maxConsecutiveFailures` failures in a row it is suspended (no longer called)
 * until `resume`, so a broken detector cannot slow or flood the pipeline.
 */
import type { AlertDraft, Detector, Observation } from './model.js';

export interface DetectorFailure {
  detector: string;
  kind: string;
  phase: 'observe' | 'tick';
  message: string;
  /** Observation time or `now` at which it failed. */
  time: number;
  /** True when this failure suspended the detector. */
  suspended: boolean;
}

export interface DetectionResult {
  alerts: AlertDraft[];
  failures: DetectorFailure[];
}

export interface DetectorStatus {
  id: string;
  kind: string;
  suspended: boolean;
  consecutiveFailures: number;
  totalFailures: number;
  lastError?: string;
}

interface Slot {
  detector: Detector;
  consecutive: number;
  total: number;
  suspended: boolean;
  lastError?: string;
}

export class DetectionEngine {
  private readonly slots: Slot[];
  private readonly maxConsecutiveFailures: number;

  constructor(detectors: Detector[], options: { maxConsecutiveFailures?: number } = {}) {
    this.slots = detectors.map((detector) => ({ detector, consecutive: 0, total: 0, suspended: false }));
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? 5;
  }

  observe(observation: Observation): DetectionResult {
    const result: DetectionResult = { alerts: [], failures: [] };
    for (const slot of this.slots) {
      const watched = slot.detector.datastreams;
      if (watched !== 'all' && !watched.has(observation.datastream)) continue;
      this.call(slot, 'observe', observation.time, result, () => slot.detector.observe(observation));
    }
    return result;
  }

  observeAll(observations: Iterable<Observation>): DetectionResult {
    const result: DetectionResult = { alerts: [], failures: [] };
    for (const observation of observations) {
      const one = this.observe(observation);
      result.alerts.push(...one.alerts);
      result.failures.push(...one.failures);
    }
    return result;
  }

  /** Time-based checks (stale sensors). Call it periodically with the current time. */
  tick(now: number): DetectionResult {
    const result: DetectionResult = { alerts: [], failures: [] };
    for (const slot of this.slots) {
      const tick = slot.detector.tick?.bind(slot.detector);
      if (tick) this.call(slot, 'tick', now, result, () => tick(now));
    }
    return result;
  }

  status(): DetectorStatus[] {
    return this.slots.map((s) => ({
      id: s.detector.id,
      kind: s.detector.kind,
      suspended: s.suspended,
      consecutiveFailures: s.consecutive,
      totalFailures: s.total,
      ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
    }));
  }

  /** Call a suspended detector again (after its settings or model were fixed). */
  resume(id: string): boolean {
    const slot = this.slots.find((s) => s.detector.id === id);
    if (!slot) return false;
    slot.suspended = false;
    slot.consecutive = 0;
    return true;
  }

  private call(slot: Slot, phase: 'observe' | 'tick', time: number, result: DetectionResult, run: () => AlertDraft[]): void {
    if (slot.suspended) return;
    try {
      const alerts = run();
      slot.consecutive = 0;
      result.alerts.push(...alerts);
    } catch (error) {
      slot.consecutive += 1;
      slot.total += 1;
      slot.lastError = error instanceof Error ? error.message : String(error);
      if (slot.consecutive >= this.maxConsecutiveFailures) slot.suspended = true;
      result.failures.push({
        detector: slot.detector.id,
        kind: slot.detector.kind,
        phase,
        message: slot.lastError,
        time,
        suspended: slot.suspended,
      });
    }
  }
}
