/**
 * The ingestion pipeline: every path (MQTT, HTTP, replay) hands it batches of readings of one
 * organisation; it validates them, stores them in group-committed transactions and only then resolves the
 * caller's promise, so an acknowledgement (an MQTT PUBACK, an HTTP 200) always means "stored". Accepted
 * readings then go, in arrival order, to the listeners (the detection runtime).
 *
 * Back-pressure: when more than `queueLimit` readings wait for storage, `submit` waits for room (MQTT
 * connections stop being read, HTTP requests are held, then answered 503) instead of dropping anything.
 */
import type { Logger } from 'pino';
import type { IngestConfig } from '../kernel/config.js';
import type { Actor, Kernel } from '../kernel/kernel.js';
import { type Reading, type Rejection, type RejectionReason, checkReading, isRejection } from './model.js';
import { type StoredReading, type StreamRef, assetForTag, findStreams, insertDatastream, recordRejections, refOf, storeReadings, touchStreams } from './queries.js';
import type { IngestStats } from './stats.js';

export interface IngestBatch {
  orgId: string;
  /** Who sent it (recorded when a datastream is created on first sight). */
  actor: Actor;
  /** mqtt, mqtt-external, http, replay: for the health counters. */
  source: string;
  /** Readings with their datastream key (from the MQTT topic, or the item's `stream`). */
  items: Array<{ stream: unknown; item: unknown }>;
  /** Problems found before the readings could even be listed (a message that is not JSON, …). */
  rejects?: Rejection[];
}

export interface IngestOutcome {
  accepted: number;
  /** Refused readings by their index in `items` (index -1: the message as a whole). */
  rejected: Array<{ index: number; reason: RejectionReason; detail: string }>;
}

export interface AcceptedObservation {
  stream: StreamRef;
  t: number;
  v: number;
  q: number;
}

export type AcceptedListener = (orgId: string, observations: AcceptedObservation[]) => void;

export class IngestBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`storage is behind: ${waitedMs} ms without room in the ingestion queue`);
  }
}
export class IngestClosedError extends Error {
  constructor() {
    super('ingestion is shutting down');
  }
}

interface Pending {
  batch: IngestBatch;
  size: number;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: Error) => void;
}

/** Common SCADA naming (L_ level, F_ flow, P_ pressure, S_ status) gives a datastream created on first sight its kind. */
export function kindFromKey(key: string): string {
  const prefix = /^([A-Za-z]+)_/.exec(key)?.[1]?.toUpperCase();
  return ({ L: 'level', F: 'flow', P: 'pressure', S: 'status', T: 'temperature' } as Record<string, string>)[prefix ?? ''] ?? 'other';
}

const NEGATIVE_TTL = 5_000;
const SETTINGS_TTL = 5_000;
const QUARANTINE_PER_REASON = 20;

export class IngestPipeline {
  private readonly queue: Pending[] = [];
  private queuedReadings = 0;
  private running = false;
  private closed = false;
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private readonly streams = new Map<string, StreamRef>();
  private readonly missing = new Map<string, number>();
  private readonly autoCreate = new Map<string, { on: boolean; at: number }>();
  private readonly listeners = new Set<AcceptedListener>();
  private readonly log: Logger;

  constructor(
    private readonly kernel: Kernel,
    private readonly config: IngestConfig,
    readonly stats: IngestStats,
  ) {
    this.log = kernel.log.child({ component: 'ingest' });
  }

  onAccepted(listener: AcceptedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Readings waiting to be stored. */
  get depth(): number {
    return this.queuedReadings;
  }

  /** Resolves once the batch is committed (or refused); waits first while the queue is full. */
  async submit(batch: IngestBatch, options: { maxWaitMs?: number } = {}): Promise<IngestOutcome> {
    if (this.closed) throw new IngestClosedError();
    const started = this.kernel.clock();
    while (this.queuedReadings >= this.config.queueLimit) {
      const waited = this.kernel.clock() - started;
      if (options.maxWaitMs !== undefined && waited >= options.maxWaitMs) throw new IngestBusyError(waited);
      await this.room(options.maxWaitMs === undefined ? undefined : options.maxWaitMs - waited);
      if (this.closed) throw new IngestClosedError();
    }
    const size = Math.max(1, batch.items.length);
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.queue.push({ batch, size, resolve, reject });
      this.queuedReadings += size;
      if (!this.running) {
        this.running = true;
        // Let the readings that arrive in the same turn of the event loop join this transaction.
        setImmediate(() => void this.run());
      }
    });
  }

  /** A datastream created or changed through the API: forget what the pipeline knew of that key. */
  forget(orgId: string, key: string): void {
    this.streams.delete(`${orgId}\u0000${key}`);
    this.missing.delete(`${orgId}\u0000${key}`);
  }

  forgetOrganisation(orgId: string): void {
    this.autoCreate.delete(orgId);
  }

  /** Stops taking batches and resolves once everything queued is stored. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.roomWaiters.splice(0)) wake();
    if (!this.running && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private room(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.roomWaiters.push(wake);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.roomWaiters = this.roomWaiters.filter((w) => w !== wake);
          resolve();
        }, Math.max(1, timeoutMs));
      }
    });
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const taken: Pending[] = [];
        let n = 0;
        while (this.queue.length > 0 && (taken.length === 0 || n + this.queue[0]!.size <= this.config.batchMax)) {
          const p = this.queue.shift()!;
          taken.push(p);
          n += p.size;
        }
        try {
          await this.process(taken);
        } catch (error) {
          this.log.error({ err: error }, 'storing a batch of observations failed; its senders were not acknowledged');
          for (const p of taken) p.reject(error instanceof Error ? error : new Error(String(error)));
        }
        this.queuedReadings -= n;
        for (const wake of this.roomWaiters.splice(0)) wake();
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0 && !this.closed) {
        this.running = true;
        setImmediate(() => void this.run());
      } else {
        for (const done of this.idleWaiters.splice(0)) done();
      }
    }
  }

  private async autoCreates(orgId: string): Promise<boolean> {
    const now = this.kernel.clock();
    const cached = this.autoCreate.get(orgId);
    if (cached && now - cached.at < SETTINGS_TTL) return cached.on;
    const row = await this.kernel.store.db.selectFrom('organisations').select('settings').where('id', '=', orgId).executeTakeFirst();
    const on = row ? (JSON.parse(row.settings) as { autoCreateDatastreams?: boolean }).autoCreateDatastreams === true : false;
    this.autoCreate.set(orgId, { on, at: now });
    return on;
  }

  private async process(taken: Pending[]): Promise<void> {
    const now = this.kernel.clock();
    const maxFuture = this.config.maxFutureSeconds * 1000;
    // 1. Each reading on its own (pure).
    const checked = taken.map((p) => p.batch.items.map(({ stream, item }) => checkReading(stream, item, now, maxFuture)));

    // 2. Which datastreams are these? From memory, else the database, else created on first sight.
    const wanted = new Map<string, Set<string>>();
    taken.forEach((p, i) => {
      for (const c of checked[i]!) {
        if (isRejection(c) || this.streams.has(`${p.batch.orgId}\u0000${c.stream}`)) continue;
        const until = this.missing.get(`${p.batch.orgId}\u0000${c.stream}`);
        if (until !== undefined && until > now) continue;
        let set = wanted.get(p.batch.orgId);
        if (!set) wanted.set(p.batch.orgId, (set = new Set()));
        set.add(c.stream);
      }
    });
    const toCreate = new Map<string, { orgId: string; key: string; actor: Actor }>();
    for (const [orgId, keys] of wanted) {
      for (const ref of await findStreams(this.kernel.store.db, orgId, [...keys])) {
        this.streams.set(`${orgId}\u0000${ref.key}`, ref);
        keys.delete(ref.key);
      }
      if (keys.size === 0) continue;
      if (await this.autoCreates(orgId)) {
        const actor = taken.find((p) => p.batch.orgId === orgId)!.batch.actor;
        for (const key of keys) toCreate.set(`${orgId}\u0000${key}`, { orgId, key, actor });
      } else {
        for (const key of keys) this.missing.set(`${orgId}\u0000${key}`, now + NEGATIVE_TTL);
      }
    }

    // 3. One transaction: new datastreams, readings, aggregates, rejection counts.
    const outcomes: IngestOutcome[] = taken.map(() => ({ accepted: 0, rejected: [] }));
    const accepted = new Map<string, AcceptedObservation[]>();
    const created = new Map<string, StreamRef>();
    const latest = new Map<number, { ref: StreamRef; t: number }>();
    await this.kernel.write({ orgId: null, userId: null, tokenId: null, address: null }, async (w) => {
      for (const [k, c] of toCreate) {
        const assetId = await assetForTag(w.tx, c.orgId, c.key);
        const row = await insertDatastream(w.as(c.actor), { orgId: c.orgId, key: c.key, kind: kindFromKey(c.key), unit: '', assetId, expectedRange: null });
        created.set(k, refOf(row));
      }
      const rows: StoredReading[] = [];
      const rejectionCounts = new Map<string, { orgId: string; reason: string; count: number; lastDetail: string }>();
      const quarantine: Array<{ orgId: string; reason: string; stream: string | null; detail: string; payload: string }> = [];
      const refuse = (orgId: string, outcome: IngestOutcome, index: number, r: Rejection) => {
        outcome.rejected.push({ index, reason: r.reason, detail: r.detail });
        const key = `${orgId}\u0000${r.reason}`;
        const c = rejectionCounts.get(key);
        if (c) {
          c.count += 1;
          c.lastDetail = r.detail;
          if (c.count > QUARANTINE_PER_REASON) return;
        } else rejectionCounts.set(key, { orgId, reason: r.reason, count: 1, lastDetail: r.detail });
        quarantine.push({ orgId, reason: r.reason, stream: r.stream ?? null, detail: r.detail, payload: r.payload ?? '' });
      };
      taken.forEach((p, i) => {
        const orgId = p.batch.orgId;
        const outcome = outcomes[i]!;
        for (const r of p.batch.rejects ?? []) refuse(orgId, outcome, -1, r);
        checked[i]!.forEach((c, index) => {
          if (isRejection(c)) return refuse(orgId, outcome, index, c);
          const k = `${orgId}\u0000${c.stream}`;
          const ref = this.streams.get(k) ?? created.get(k);
          if (!ref) {
            return refuse(orgId, outcome, index, {
              reason: 'unknown-datastream',
              detail: `no datastream "${c.stream}" (create it first, or let the organisation create datastreams on first sight)`,
              stream: c.stream,
            });
          }
          const last = latest.get(ref.sid)?.t ?? ref.lastT;
          if (last !== null && c.t <= last) {
            const reason = c.t === last ? 'duplicate' : 'out-of-order';
            return refuse(orgId, outcome, index, {
              reason,
              detail: `${c.stream} at ${new Date(c.t).toISOString()}: ${reason === 'duplicate' ? 'a reading with this time is already stored' : `older than its newest reading (${new Date(last).toISOString()})`}`,
              stream: c.stream,
              payload: JSON.stringify({ t: c.t, v: c.v }),
            });
          }
          latest.set(ref.sid, { ref, t: c.t });
          rows.push({ sid: ref.sid, t: c.t, v: c.v, q: c.q });
          outcome.accepted += 1;
          let list = accepted.get(orgId);
          if (!list) accepted.set(orgId, (list = []));
          list.push({ stream: ref, t: c.t, v: c.v, q: c.q });
        });
      });
      if (rows.length > 0) await storeReadings(w.tx, this.kernel.engine, rows, this.kernel.store.sqlite);
      if (latest.size > 0) await touchStreams(w.tx, new Map([...latest].map(([sid, l]) => [sid, l.t])), now);
      if (rejectionCounts.size > 0) await recordRejections(w.tx, [...rejectionCounts.values()], quarantine, now);
    });

    // 4. Committed: remember, count, acknowledge, then detect.
    for (const [k, ref] of created) {
      this.streams.set(k, ref);
      this.missing.delete(k);
    }
    for (const { ref, t } of latest.values()) ref.lastT = t;
    taken.forEach((p, i) => {
      const o = outcomes[i]!;
      this.stats.accepted(p.batch.orgId, p.batch.source, o.accepted);
      for (const r of o.rejected) this.stats.rejected(p.batch.orgId, r.reason);
      p.resolve(o);
    });
    for (const [orgId, list] of accepted) {
      for (const listener of this.listeners) {
        try {
          listener(orgId, list);
        } catch (error) {
          this.log.error({ err: error, orgId }, 'an ingestion listener failed');
        }
      }
    }
  }
}

export type { Reading };
