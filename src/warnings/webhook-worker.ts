import type { Kernel } from '../kernel/kernel.js';
import { claimDelivery, dueDeliveries, saveAttempt, type DueDelivery } from './webhook-queries.js';
import { sendWebhook } from './webhook-sender.js';
import { recordAttempt, webhookRequest, type RetryPolicy } from './webhooks.js';

/**
 * The background worker that delivers published messages to webhook channels, started with the server. It
 * polls the database for due deliveries (so deliveries planned before a restart, or by another node, are
 * found), takes each with a lease, POSTs it signed, and records the attempt and the verdict (delivered,
 * retry later with back-off, failed). Publication never waits for it; a publication pokes it to start at once.
 */
export interface WorkerOptions {
  intervalMs: number;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Deliveries attempted at the same time (a slow endpoint must not hold up the others). */
  concurrency?: number;
  clock?: () => number;
  random?: () => number;
  fetch?: typeof globalThis.fetch;
}

const BATCH = 50;

export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private started = false;
  private readonly clock: () => number;

  constructor(
    private readonly kernel: Kernel,
    private readonly options: WorkerOptions,
  ) {
    this.clock = options.clock ?? kernel.clock;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.poke();
  }

  /** Runs a pass now (or right after the current one) instead of waiting for the next tick. */
  poke(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.runOnce()
      .catch((error: unknown) => this.kernel.log.error({ err: error }, 'webhook worker pass failed'))
      .finally(() => this.schedule());
  }

  private schedule(): void {
    if (!this.started) return;
    if (this.again) {
      this.again = false;
      this.poke();
      return;
    }
    this.timer = setTimeout(() => this.poke(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => 0);
  }

  /** One pass: every delivery due now, in batches. Returns the number of attempts made. */
  runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    let attempts = 0;
    const seen = new Set<string>();
    for (;;) {
      const now = this.clock();
      const due = (await dueDeliveries(this.kernel.store.db, now, BATCH)).filter((d) => !seen.has(d.delivery.id));
      if (due.length === 0) return attempts;
      const lease = now + this.options.timeoutMs + 30_000;
      const mine: DueDelivery[] = [];
      for (const d of due) {
        seen.add(d.delivery.id);
        if (await claimDelivery(this.kernel.store.db, d.delivery.id, d.dueAt, lease)) mine.push(d);
      }
      const concurrency = this.options.concurrency ?? 8;
      for (let i = 0; i < mine.length; i += concurrency) {
        await Promise.all(mine.slice(i, i + concurrency).map((d) => this.attempt(d)));
        attempts += Math.min(concurrency, mine.length - i);
      }
    }
  }

  private async attempt({ delivery, channel }: DueDelivery): Promise<void> {
    const request = webhookRequest(delivery, channel, new Date(this.clock()));
    const result = await sendWebhook(request, {
      timeoutMs: this.options.timeoutMs,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      now: () => new Date(this.clock()),
    });
    const now = this.clock();
    const after = recordAttempt(delivery, result, new Date(now), this.options.retry, this.options.random ?? Math.random);
    await this.kernel.write({ orgId: channel.orgId, userId: null, tokenId: null, address: null }, async (w) => {
      await saveAttempt(w.tx, after, now);
      if (after.state === 'pending') return;
      const last = after.attempts[after.attempts.length - 1]!;
      const details = { channelId: channel.id, identifier: delivery.identifier, attempts: after.attempts.length, status: last.status ?? null, error: last.error ?? null };
      await w.audit({ action: `webhook.${after.state}`, targetKind: 'webhook-delivery', targetId: delivery.id, details });
      await w.emit({
        type: `webhook.${after.state}`,
        recordKind: 'webhook-delivery',
        recordId: delivery.id,
        actorOrgId: null,
        audience: { ownerOrgId: channel.orgId, distribution: { scope: 'owner' } },
        data: { id: delivery.id, ...details },
      });
    });
  }
}
