/**
 * Counts failed logins per account and per address in a sliding window. Once either limit is reached,
 * further attempts are refused until the oldest failure leaves the window, without even checking the
 * password (so a guesser learns nothing and costs us no argon2 time).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: { perAccount: number; perAddress: number; windowMs: number },
    private readonly clock: () => number = Date.now,
  ) {}

  /** Milliseconds until a login may be tried again, or 0 when it may be tried now. */
  retryAfter(account: string, address: string): number {
    const now = this.clock();
    return Math.max(
      this.wait(`a:${account.toLowerCase()}`, this.limits.perAccount, now),
      this.wait(`i:${address}`, this.limits.perAddress, now),
    );
  }

  recordFailure(account: string, address: string): void {
    const now = this.clock();
    for (const key of [`a:${account.toLowerCase()}`, `i:${address}`]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
    if (this.failures.size > 100_000) this.prune(now);
  }

  recordSuccess(account: string): void {
    this.failures.delete(`a:${account.toLowerCase()}`);
  }

  private wait(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    return list[list.length - limit]! + this.limits.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const list = this.failures.get(key) ?? [];
    const fresh = list.filter((t) => now - t < this.limits.windowMs);
    if (fresh.length !== list.length) {
      if (fresh.length === 0) this.failures.delete(key);
      else this.failures.set(key, fresh);
    }
    return fresh;
  }

  private prune(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
  }
}
