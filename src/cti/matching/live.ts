import type { Kernel } from '../../kernel/kernel.js';
import { type Distribution, type Tlp, type Viewer, canSee } from '../../kernel/sharing/policy.js';
import { distributionOf } from '../../kernel/sharing/store.js';
import { parsePattern } from '../pattern/parser.js';
import { timestampToMicros } from '../stix/timestamps.js';
import { type PatternShape, PatternCorrelator, patternShape } from './correlate.js';
import { type IndicatorMatch, IndicatorIndex } from './engine.js';
import type { SecurityEvent } from './fields.js';
import { MatchCap } from './security-events.js';

/**
 * The live indicator index: every indicator in the store (its holder's latest version, not revoked, not expired,
 * with a STIX pattern) compiled once, kept current by reading the store forward from the last seq it saw (so it
 * also learns of imports made by other processes). Matching an organisation's event uses only the indicators
 * that organisation may see; patterns of several observations are completed per organisation (one
 * organisation's events never complete a pattern for another), and the cap counts per organisation.
 */
export interface IndicatorInfo {
  rowId: string;
  stixId: string;
  name: string;
  pattern: string;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  versionMicros: number;
  shape?: PatternShape;
}

export interface OrgMatch {
  indicator: IndicatorInfo;
  match: IndicatorMatch;
  /** Over the cap: counted, not raised. */
  capped: boolean;
}

export const MATCH_CAP = { maxPerValue: 50, windowMs: 3600_000 };
const LOAD_BATCH = 5000;

export class LiveIndex {
  private index = new IndicatorIndex();
  private readonly info = new Map<string, IndicatorInfo>();
  /** owner|stixId → that holder's latest version (indexed, or not because revoked, expired or refused). */
  private readonly latest = new Map<string, { rowId: string; versionMicros: number }>();
  private readonly correlator = new PatternCorrelator();
  private readonly cap = new MatchCap(MATCH_CAP.maxPerValue, MATCH_CAP.windowMs);
  private lastSeq = 0;
  /** Indicators the index refused (bad or too costly patterns), with the reason. */
  readonly refused = new Map<string, string>();

  constructor(private readonly kernel: Kernel) {}

  get size(): number {
    return this.index.size;
  }

  get position(): number {
    return this.lastSeq;
  }

  /** Reads indicators committed since the last call; returns those newly indexed (for matching the recent past). */
  async refresh(): Promise<IndicatorInfo[]> {
    const db = this.kernel.store.db;
    const added: IndicatorInfo[] = [];
    for (;;) {
      const rows = await db
        .selectFrom('stix_objects')
        .select(['seq', 'id', 'stix_id', 'owner_org_id', 'tlp', 'dist_scope', 'dist_group_id', 'dist_orgs', 'version_micros', 'revoked', 'object'])
        .where('type', '=', 'indicator')
        .where('seq', '>', this.lastSeq)
        .orderBy('seq')
        .limit(LOAD_BATCH)
        .execute();
      if (rows.length === 0) break;
      const nowMicros = this.kernel.clock() * 1000;
      for (const row of rows) {
        this.lastSeq = Math.max(this.lastSeq, Number(row.seq));
        const object = JSON.parse(row.object) as Record<string, unknown>;
        const holder = `${row.owner_org_id}|${row.stix_id}`;
        const latest = this.latest.get(holder);
        const current = latest?.rowId;
        if (current === row.id) {
          // The same row again (re-shared: it moved in commit order): only its sharing changed.
          const known = this.info.get(row.id);
          if (known) {
            known.tlp = row.tlp as Tlp;
            known.distribution = distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs);
          }
          continue;
        }
        if (latest && latest.versionMicros > Number(row.version_micros)) continue;
        if (current) this.drop(current);
        this.latest.set(holder, { rowId: row.id, versionMicros: Number(row.version_micros) });
        const validUntil = typeof object.valid_until === 'string' ? timestampToMicros(object.valid_until) : undefined;
        if (Number(row.revoked) === 1 || object.pattern_type !== 'stix' || typeof object.pattern !== 'string') continue;
        if (validUntil !== undefined && validUntil <= nowMicros) continue;
        const info: IndicatorInfo = {
          rowId: row.id,
          stixId: row.stix_id,
          name: typeof object.name === 'string' ? object.name : row.stix_id,
          pattern: object.pattern,
          ownerOrgId: row.owner_org_id,
          tlp: row.tlp as Tlp,
          distribution: distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs),
          versionMicros: Number(row.version_micros),
        };
        const result = this.index.add(row.id, object.pattern);
        if (!result.ok) {
          this.refused.set(row.id, result.reason);
          continue;
        }
        this.info.set(row.id, info);
        added.push(info);
      }
    }
    return added;
  }

  /** Forgets deleted rows (and indexes what the holder still has of the object, if anything). */
  async forget(rowIds: readonly string[]): Promise<void> {
    for (const id of rowIds) {
      const info = this.info.get(id);
      this.drop(id);
      if (info) this.latest.delete(`${info.ownerOrgId}|${info.stixId}`);
    }
  }

  /** Re-reads the sharing of one row (after a share). */
  async reshare(rowId: string): Promise<void> {
    const info = this.info.get(rowId);
    if (!info) return;
    const row = await this.kernel.store.db.selectFrom('stix_objects').select(['tlp', 'dist_scope', 'dist_group_id', 'dist_orgs']).where('id', '=', rowId).executeTakeFirst();
    if (!row) return;
    info.tlp = row.tlp as Tlp;
    info.distribution = distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs);
  }

  private drop(rowId: string): void {
    this.index.remove(rowId);
    this.info.delete(rowId);
    this.refused.delete(rowId);
  }

  /** The complete matches of one organisation's event against the indicators it may see. */
  match(viewer: Viewer & { orgId: string }, event: SecurityEvent, timeMs: number): OrgMatch[] {
    return matchWith(this.index, this.info, this.correlator, this.cap, viewer, event, timeMs);
  }

  indicator(rowId: string): IndicatorInfo | undefined {
    return this.info.get(rowId);
  }
}

/** A throw-away index of a few indicators, for matching them against stored events (the recent past). */
export class RetroIndex {
  private readonly index = new IndicatorIndex();
  private readonly info = new Map<string, IndicatorInfo>();
  private readonly correlator = new PatternCorrelator();
  private readonly cap = new MatchCap(MATCH_CAP.maxPerValue, MATCH_CAP.windowMs);

  constructor(indicators: readonly IndicatorInfo[]) {
    for (const i of indicators) {
      if (this.index.add(i.rowId, i.pattern).ok) this.info.set(i.rowId, i);
    }
  }

  get size(): number {
    return this.info.size;
  }

  match(viewer: Viewer & { orgId: string }, event: SecurityEvent, timeMs: number): OrgMatch[] {
    return matchWith(this.index, this.info, this.correlator, this.cap, viewer, event, timeMs);
  }
}

function matchWith(
  index: IndicatorIndex,
  info: ReadonlyMap<string, IndicatorInfo>,
  correlator: PatternCorrelator,
  cap: MatchCap,
  viewer: Viewer & { orgId: string },
  event: SecurityEvent,
  timeMs: number,
): OrgMatch[] {
  const out: OrgMatch[] = [];
  for (const m of index.match(event, timeMs)) {
    const indicator = info.get(m.indicatorId);
    if (!indicator || !canSee(viewer, indicator)) continue;
    // Patterns of several observations are rare: their shape is worked out the first time a part matches.
    if (!m.complete) indicator.shape ??= shapeOf(indicator.pattern);
    const complete = m.complete || (indicator.shape !== undefined && correlator.observe(`${viewer.orgId}|${indicator.rowId}`, indicator.shape, m.observation, timeMs));
    if (!complete) continue;
    const key = `${viewer.orgId}|${indicator.rowId}|${m.matched.map((h) => h.value).join('|')}`;
    out.push({ indicator, match: { ...m, complete: true }, capped: cap.count(key, timeMs) });
  }
  return out;
}

function shapeOf(pattern: string): PatternShape | undefined {
  const parsed = parsePattern(pattern);
  return parsed.ok ? patternShape(parsed.pattern) : undefined;
}
