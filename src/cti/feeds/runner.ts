import type { Kernel } from '../../kernel/kernel.js';
import type { CtiService } from '../service.js';
import { pullMispFeed } from './misp-pull.js';
import { DEFAULT_PULL_LIMITS, type PullLimits, type PullOutcome, retryDelaySeconds } from './model.js';
import { dueFeeds, getFeedRow } from './queries.js';
import { pullTaxiiFeed } from './taxii-pull.js';

/**
 * Pulls feeds when they are due, one at a time. A failed pull is logged, written on the feed (last error,
 * failures in a row) and retried later with a growing delay; the position it reached is kept.
 */
const TICK_MS = 10_000;

export class FeedRunner {
  private timer: NodeJS.Timeout | undefined;
  private running = new Map<string, Promise<PullOutcome>>();
  private ticking: Promise<void> | undefined;
  limits: PullLimits;

  constructor(
    private readonly kernel: Kernel,
    private readonly cti: CtiService,
    limits: Partial<PullLimits> = {},
  ) {
    this.limits = { ...DEFAULT_PULL_LIMITS, ...limits };
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS).unref();
    void this.tick();
  }

  /** A feed was added or changed: pull what is due now, if the scheduler runs. */
  nudge(): void {
    if (this.timer) void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Pulls the due feeds (the scheduler calls this; so can a test). */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      try {
        for (const id of await dueFeeds(this.kernel.store.db, this.kernel.clock())) await this.pull(id);
      } catch (error) {
        this.kernel.log.error({ err: error }, 'feed scheduler failed');
      } finally {
        this.ticking = undefined;
      }
    })();
    return this.ticking;
  }

  /** Pulls one feed now; a pull already running for it is waited for first (pulls of one feed never overlap). */
  async pull(feedId: string): Promise<PullOutcome> {
    const before = this.running.get(feedId);
    const run = (async () => {
      await before?.catch(() => undefined);
      return this.pullOnce(feedId);
    })();
    this.running.set(feedId, run);
    try {
      return await run;
    } finally {
      if (this.running.get(feedId) === run) this.running.delete(feedId);
    }
  }

  private async pullOnce(feedId: string): Promise<PullOutcome> {
    const db = this.kernel.store.db;
    const row = await getFeedRow(db, feedId);
    if (!row) return { feedId, pages: 0, objects: 0, stored: 0, duplicates: 0, invalid: 0, caughtUp: false, error: 'no such feed' };
    const started = this.kernel.clock();
    let outcome: PullOutcome;
    let failed = false;
    try {
      outcome = row.kind === 'misp' ? await pullMispFeed(this.kernel, this.cti, row, this.limits) : await pullTaxiiFeed(this.kernel, this.cti, row, this.limits);
    } catch (error) {
      failed = true;
      outcome = { feedId, pages: 0, objects: 0, stored: 0, duplicates: 0, invalid: 0, caughtUp: false, error: (error as Error).message };
      this.kernel.log.warn({ feed: feedId, url: row.url, err: (error as Error).message }, 'feed pull failed');
    }
    const now = this.kernel.clock();
    const failures = failed ? row.failures + 1 : 0;
    // Caught up: wait for the schedule; cut off by a limit: carry on soon; failed: back off.
    const delay = failed ? retryDelaySeconds(failures, row.every_seconds) : outcome.caughtUp ? row.every_seconds : 1;
    await db
      .updateTable('cti_feeds')
      .set({
        last_pull_at: started,
        ...(failed ? {} : { last_success_at: now }),
        last_error: outcome.error ?? null,
        failures,
        next_pull_at: now + delay * 1000,
      })
      .where('id', '=', feedId)
      .execute();
    if (outcome.stored > 0) this.kernel.log.info({ feed: feedId, stored: outcome.stored, pages: outcome.pages }, 'feed pulled');
    return outcome;
  }
}
