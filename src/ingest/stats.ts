/**
 * Ingestion health in memory: per organisation, what was accepted and refused (by reason and by path) in
 * each of the last 60 seconds and since start. Counts since the beginning of time are in the database
 * (ingest_rejections); these are for rates. The clock is passed in.
 */
const WINDOW = 60;

interface Ring {
  seconds: Float64Array;
  stamps: Float64Array;
}

function ring(): Ring {
  return { seconds: new Float64Array(WINDOW), stamps: new Float64Array(WINDOW).fill(-1) };
}

function add(r: Ring, nowSec: number, n: number): void {
  const i = nowSec % WINDOW;
  if (r.stamps[i] !== nowSec) {
    r.stamps[i] = nowSec;
    r.seconds[i] = 0;
  }
  r.seconds[i]! += n;
}

/** Sum over the last `span` whole seconds before `nowSec` (the current, partial second is left out). */
function sum(r: Ring, nowSec: number, span: number): number {
  let total = 0;
  for (let s = nowSec - span; s < nowSec; s++) {
    const i = ((s % WINDOW) + WINDOW) % WINDOW;
    if (r.stamps[i] === s) total += r.seconds[i]!;
  }
  return total;
}

/** The last `span` whole seconds before `nowSec`, oldest first (for a picture of the last minute). */
function series(r: Ring, nowSec: number, span: number): number[] {
  const out: number[] = [];
  for (let s = nowSec - span; s < nowSec; s++) {
    const i = ((s % WINDOW) + WINDOW) % WINDOW;
    out.push(r.stamps[i] === s ? r.seconds[i]! : 0);
  }
  return out;
}

interface OrgStats {
  accepted: Ring;
  acceptedTotal: number;
  bySource: Map<string, { ring: Ring; total: number }>;
  rejected: Map<string, { ring: Ring; total: number }>;
  lastAcceptedAt: number | null;
}

export interface OrgHealth {
  acceptedPerSecond: { last10s: number; last60s: number };
  acceptedSinceStart: number;
  acceptedBySource: Record<string, number>;
  /** Per path (`http`, `replay`, `mqtt`, `mqtt-external`): readings per second over the last 10 s and 60 s. */
  acceptedPerSecondBySource: Record<string, { last10s: number; last60s: number }>;
  lastAcceptedAt: string | null;
  rejectedPerMinute: Record<string, number>;
  rejectedSinceStart: Record<string, number>;
  /** Each of the last 60 whole seconds, oldest first, ending at `until`: accepted per path, refused per reason. */
  lastMinute: { until: string; accepted: Record<string, number[]>; rejected: Record<string, number[]> };
}

export class IngestStats {
  private readonly orgs = new Map<string, OrgStats>();

  constructor(private readonly clock: () => number) {}

  private of(orgId: string): OrgStats {
    let s = this.orgs.get(orgId);
    if (!s) {
      s = { accepted: ring(), acceptedTotal: 0, bySource: new Map(), rejected: new Map(), lastAcceptedAt: null };
      this.orgs.set(orgId, s);
    }
    return s;
  }

  accepted(orgId: string, source: string, n: number): void {
    if (n === 0) return;
    const now = this.clock();
    const s = this.of(orgId);
    add(s.accepted, Math.floor(now / 1000), n);
    s.acceptedTotal += n;
    let path = s.bySource.get(source);
    if (!path) {
      path = { ring: ring(), total: 0 };
      s.bySource.set(source, path);
    }
    add(path.ring, Math.floor(now / 1000), n);
    path.total += n;
    s.lastAcceptedAt = now;
  }

  rejected(orgId: string, reason: string, n = 1): void {
    const s = this.of(orgId);
    let r = s.rejected.get(reason);
    if (!r) {
      r = { ring: ring(), total: 0 };
      s.rejected.set(reason, r);
    }
    add(r.ring, Math.floor(this.clock() / 1000), n);
    r.total += n;
  }

  health(orgId: string): OrgHealth {
    const nowSec = Math.floor(this.clock() / 1000);
    const s = this.of(orgId);
    const rejectedPerMinute: Record<string, number> = {};
    const rejectedSinceStart: Record<string, number> = {};
    const rejectedSeries: Record<string, number[]> = {};
    for (const [reason, r] of s.rejected) {
      rejectedPerMinute[reason] = sum(r.ring, nowSec, 60);
      rejectedSinceStart[reason] = r.total;
      rejectedSeries[reason] = series(r.ring, nowSec, WINDOW);
    }
    const acceptedBySource: Record<string, number> = {};
    const acceptedPerSecondBySource: Record<string, { last10s: number; last60s: number }> = {};
    const acceptedSeries: Record<string, number[]> = {};
    for (const [source, p] of s.bySource) {
      acceptedBySource[source] = p.total;
      acceptedPerSecondBySource[source] = { last10s: sum(p.ring, nowSec, 10) / 10, last60s: sum(p.ring, nowSec, 60) / 60 };
      acceptedSeries[source] = series(p.ring, nowSec, WINDOW);
    }
    return {
      acceptedPerSecond: { last10s: sum(s.accepted, nowSec, 10) / 10, last60s: sum(s.accepted, nowSec, 60) / 60 },
      acceptedSinceStart: s.acceptedTotal,
      acceptedBySource,
      acceptedPerSecondBySource,
      lastAcceptedAt: s.lastAcceptedAt === null ? null : new Date(s.lastAcceptedAt).toISOString(),
      rejectedPerMinute,
      rejectedSinceStart,
      lastMinute: { until: new Date(nowSec * 1000).toISOString(), accepted: acceptedSeries, rejected: rejectedSeries },
    };
  }

  /** Observations accepted across every organisation since start (benchmarks read it). */
  totalAccepted(): number {
    let n = 0;
    for (const s of this.orgs.values()) n += s.acceptedTotal;
    return n;
  }
}
