import type { Kernel } from '../kernel/kernel.js';
import { applyRetention } from './queries.js';
import { IngestPipeline } from './pipeline.js';
import { IngestStats } from './stats.js';

/** Health of the ingestion paths that are not HTTP, as the broker and the subscriber report it. */
export interface PathStatus {
  name: string;
  state: 'running' | 'disabled' | 'unavailable' | 'connecting';
  detail: string;
  clients?: number;
}

/**
 * Ingestion as the server runs it: one pipeline for every path, its health counters, the retention sweep,
 * and the status of the MQTT paths (set by whoever starts them).
 */
export class Ingestion {
  readonly stats: IngestStats;
  readonly pipeline: IngestPipeline;
  readonly paths = new Map<string, PathStatus>();
  private sweep: NodeJS.Timeout | undefined;

  constructor(readonly kernel: Kernel) {
    this.stats = new IngestStats(kernel.clock);
    this.pipeline = new IngestPipeline(kernel, kernel.config.ingest, this.stats);
  }

  /** Applies retention now and then every `everyMs` (the server calls it; tests call `retainNow`). */
  startRetention(everyMs = 10 * 60_000): void {
    const run = () =>
      this.retainNow().catch((error: unknown) => this.kernel.log.error({ err: error }, 'observation retention failed; it will be tried again'));
    void run();
    this.sweep = setInterval(run, everyMs);
    this.sweep.unref();
  }

  async retainNow() {
    const c = this.kernel.config.ingest;
    return applyRetention(this.kernel.store.db, this.kernel.clock(), { raw: c.rawRetentionDays, minute: c.minuteRetentionDays, hour: c.hourRetentionDays });
  }

  setPath(status: PathStatus): void {
    this.paths.set(status.name, status);
  }

  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.pipeline.close();
  }
}
