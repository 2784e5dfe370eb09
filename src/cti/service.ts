import { randomBytes } from 'node:crypto';
import type { Alert } from '../alerts/index.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Viewer } from '../kernel/sharing/policy.js';
import { groupsOfOrganisation } from '../kernel/sharing/store.js';
import { FeedRunner } from './feeds/runner.js';
import { type IndicatorInfo, LiveIndex, RetroIndex } from './matching/live.js';
import { MATCH_ALERT_SOURCE, type RaiseOutcome, raiseMatches } from './matching/raise.js';
import { MAX_EVENT_BYTES, eventTime, flattenEvent } from './matching/security-events.js';
import { type ImportRequest, type ImportResult, importStix, sweepStaging } from './store/import.js';

/**
 * The threat-intelligence service of a running Vigil: the live indicator index, matching of security events and
 * alert evidence, matching of new indicators against the recent past, retention of stored events, and the feed
 * scheduler. Work that changes the index runs one piece at a time (`enqueue`), so it never races itself.
 */
export const EVENT_RETENTION_DAYS = 7;
/** Stored security events kept at most (the oldest go first). */
export const MAX_STORED_EVENTS = 2_000_000;
/** New indicators are matched against at most this many of the most recent stored events and alerts. */
export const RETRO_MAX_EVENTS = 1_000_000;
const REFRESH_MS = 5000;
const PRUNE_MS = 3600_000;
const DAY_MS = 24 * 3600_000;

export interface CtiOptions {
  /** Run the feed scheduler (the server does; CLI commands and some tests do not). */
  feeds?: boolean;
  /** Read the store for indicators added by other processes this often (default 5 s; 0: never). */
  refreshMs?: number;
  /** Keep the matching index (off for CLI commands, which only import and export). */
  matching?: boolean;
}

export interface IngestResult {
  received: number;
  stored: number;
  matched: number;
  alertIds: string[];
  capped: number;
}

export class CtiService {
  readonly index: LiveIndex;
  readonly feeds: FeedRunner;
  private work: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private secretValue: string | undefined;
  private stopped = false;

  constructor(
    readonly kernel: Kernel,
    private readonly options: CtiOptions = {},
  ) {
    this.index = new LiveIndex(kernel);
    this.feeds = new FeedRunner(kernel, this);
  }

  async start(): Promise<void> {
    if (this.options.matching !== false) await this.index.refresh();
    this.unsubscribe = this.kernel.bus.subscribe((event) => {
      if (event.type === 'alert.created') {
        const alert = event.data as Alert;
        if (alert.source !== MATCH_ALERT_SOURCE) this.enqueue(() => this.matchAlert(alert));
      } else if (event.type === 'stix-object.shared' && event.recordId) {
        const rowId = event.recordId;
        this.enqueue(() => this.index.reshare(rowId));
      }
    });
    const refreshMs = this.options.refreshMs ?? REFRESH_MS;
    if (refreshMs > 0) this.timers.push(setInterval(() => this.enqueue(() => this.learn()), refreshMs).unref());
    this.timers.push(setInterval(() => this.enqueue(() => this.prune()), PRUNE_MS).unref());
    this.enqueue(() => this.prune());
    if (this.options.feeds) this.feeds.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.feeds.stop();
    await this.idle();
  }

  /** Resolves when the work queued so far is done. */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.work;
      await current;
      if (current === this.work) return;
    }
  }

  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(() => (this.stopped ? (undefined as T) : task()));
    this.work = run.catch((error: unknown) => this.kernel.log.error({ err: error }, 'threat-intelligence work failed'));
    return run;
  }

  /** The server's secret for TAXII `next` tokens, made once and kept in the database (shared by every node). */
  async secret(): Promise<string> {
    if (this.secretValue) return this.secretValue;
    const db = this.kernel.store.db;
    await db
      .insertInto('cti_settings')
      .values({ key: 'taxii_next_secret', value: randomBytes(32).toString('base64url') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await db.selectFrom('cti_settings').select('value').where('key', '=', 'taxii_next_secret').executeTakeFirstOrThrow();
    this.secretValue = row.value;
    return row.value;
  }

  /** Imports, then brings the index up to date and matches the new indicators against the recent past. */
  async importStix(source: Parameters<typeof importStix>[1], request: ImportRequest): Promise<ImportResult> {
    const result = await importStix(this.kernel, source, request);
    if (result.status === 'complete' && result.stored > 0) await this.enqueue(() => this.learn());
    return result;
  }

  /** New indicators into the index, then against stored events and alerts of the last days. */
  async learn(): Promise<void> {
    if (this.options.matching === false) return;
    const added = await this.index.refresh();
    if (added.length > 0) await this.retro(added);
  }

  afterDelete(rowIds: readonly string[]): void {
    if (rowIds.length > 0) void this.enqueue(() => this.index.forget(rowIds));
  }

  async viewerOf(orgId: string): Promise<Viewer & { orgId: string }> {
    return { orgId, groupIds: await groupsOfOrganisation(this.kernel.store.db, orgId) };
  }

  /** Security events of one organisation: stored for the recent-past matching, matched now, matches raised. */
  async ingestEvents(orgId: string, events: ReadonlyArray<Record<string, unknown>>): Promise<IngestResult> {
    const now = this.kernel.clock();
    const viewer = await this.viewerOf(orgId);
    const flat = events.map((e) => flattenEvent(e));
    const rows = flat.map((event) => ({ org_id: orgId, time: eventTime(event, now), received_at: now, data: JSON.stringify(event) }));
    const ids: number[] = [];
    await this.kernel.store.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 500) {
        const inserted = await tx.insertInto('security_events').values(rows.slice(i, i + 500)).returning('id').execute();
        ids.push(...inserted.map((r) => Number(r.id)));
      }
    });
    const result: IngestResult = { received: events.length, stored: rows.length, matched: 0, alertIds: [], capped: 0 };
    for (let i = 0; i < flat.length; i++) {
      const matches = this.index.match(viewer, flat[i]!, rows[i]!.time);
      if (matches.length === 0) continue;
      result.matched++;
      add(result, await raiseMatches(this.kernel, viewer, flat[i]!, rows[i]!.time, matches, { kind: 'security-event', id: ids[i] }));
    }
    return result;
  }

  private async matchAlert(alert: Alert): Promise<RaiseOutcome | undefined> {
    const viewer = await this.viewerOf(alert.ownerOrgId);
    const event = flattenEvent(alert.evidence ?? {});
    const time = Date.parse(alert.time);
    const matches = this.index.match(viewer, event, time);
    if (matches.length === 0) return undefined;
    return raiseMatches(this.kernel, viewer, event, time, matches, { kind: 'alert', id: alert.id });
  }

  /** New indicators against the security events and alerts of the last EVENT_RETENTION_DAYS days. */
  private async retro(indicators: readonly IndicatorInfo[]): Promise<void> {
    const retro = new RetroIndex(indicators);
    if (retro.size === 0) return;
    const db = this.kernel.store.db;
    const since = this.kernel.clock() - EVENT_RETENTION_DAYS * DAY_MS;
    const viewers = new Map<string, Viewer & { orgId: string }>();
    const viewer = async (orgId: string) => viewers.get(orgId) ?? viewers.set(orgId, await this.viewerOf(orgId)).get(orgId)!;
    let scanned = 0;
    let afterId = 0;
    while (scanned < RETRO_MAX_EVENTS) {
      const rows = await db.selectFrom('security_events').select(['id', 'org_id', 'time', 'data']).where('received_at', '>=', since).where('id', '>', afterId).orderBy('id').limit(5000).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const event = JSON.parse(row.data) as Record<string, unknown>;
        const v = await viewer(row.org_id);
        const matches = retro.match(v, event, Number(row.time));
        if (matches.length > 0) await raiseMatches(this.kernel, v, event, Number(row.time), matches, { kind: 'retro', id: Number(row.id) });
      }
      scanned += rows.length;
      afterId = Number(rows[rows.length - 1]!.id);
    }
    let afterAlert = '';
    while (scanned < RETRO_MAX_EVENTS) {
      const rows = await db
        .selectFrom('alerts')
        .select(['id', 'owner_org_id', 'time', 'evidence'])
        .where('created_at', '>=', since)
        .where('source', '!=', MATCH_ALERT_SOURCE)
        .where('id', '>', afterAlert)
        .orderBy('id')
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const event = flattenEvent(JSON.parse(row.evidence) as Record<string, unknown>);
        const v = await viewer(row.owner_org_id);
        const matches = retro.match(v, event, Number(row.time));
        if (matches.length > 0) await raiseMatches(this.kernel, v, event, Number(row.time), matches, { kind: 'alert', id: row.id });
      }
      scanned += rows.length;
      afterAlert = rows[rows.length - 1]!.id;
    }
  }

  /** Stored events older than the retention period go, and the oldest beyond MAX_STORED_EVENTS; dead imports' staging too. */
  async prune(): Promise<number> {
    const db = this.kernel.store.db;
    await sweepStaging(this.kernel);
    const cutoff = this.kernel.clock() - EVENT_RETENTION_DAYS * DAY_MS;
    const old = await db.deleteFrom('security_events').where('received_at', '<', cutoff).executeTakeFirst();
    let removed = Number(old.numDeletedRows ?? 0);
    const newest = await db.selectFrom('security_events').select('id').orderBy('id', 'desc').offset(MAX_STORED_EVENTS).limit(1).executeTakeFirst();
    if (newest) {
      const extra = await db.deleteFrom('security_events').where('id', '<=', Number(newest.id)).executeTakeFirst();
      removed += Number(extra.numDeletedRows ?? 0);
    }
    return removed;
  }
}

function add(total: IngestResult, one: RaiseOutcome): void {
  total.alertIds.push(...one.alertIds);
  total.capped += one.capped;
}

export { MAX_EVENT_BYTES };
