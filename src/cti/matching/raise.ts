import { raiseAlert } from '../../alerts/index.js';
import type { Kernel, Write } from '../../kernel/kernel.js';
import type { Viewer } from '../../kernel/sharing/policy.js';
import { strictestTlp } from '../stix/markings.js';
import { insertOwnObjects } from '../store/commit.js';
import { sightingToStix, type VigilAlertRecord, type VigilOrganisationRecord } from '../vigil-stix.js';
import type { OrgMatch } from './live.js';

/**
 * What a match becomes: an alert of the organisation whose event matched (category cyber, the indicator and
 * the matched values in its evidence; repeats fold into the open alert), a new version of that organisation's
 * STIX sighting of the indicator (count, last seen), and one more on the indicator's sighting count. The alert
 * and the sighting are the organisation's own, TLP:AMBER or stricter (the indicator's label if stricter), shared
 * with nobody until it chooses to.
 */
export const MATCH_ALERT_SOURCE = 'cti:indicator-match';
const EVENT_EVIDENCE_FIELDS = 100;

export interface MatchOrigin {
  kind: 'security-event' | 'alert' | 'retro';
  /** The stored security event or the alert that matched. */
  id?: string | number;
}

export interface RaiseOutcome {
  alertIds: string[];
  sightings: number;
  capped: number;
}

export async function raiseMatches(
  kernel: Kernel,
  viewer: Viewer & { orgId: string },
  event: Record<string, unknown>,
  timeMs: number,
  matches: readonly OrgMatch[],
  origin: MatchOrigin,
): Promise<RaiseOutcome> {
  const outcome: RaiseOutcome = { alertIds: [], sightings: 0, capped: 0 };
  if (matches.length === 0) return outcome;
  const actor = { orgId: viewer.orgId, userId: null, tokenId: null, address: null };
  await kernel.write(actor, async (w) => {
    const org = await organisationRecord(w, viewer.orgId);
    for (const m of matches) {
      const { indicator } = m;
      const count = await countSighting(w, indicator.stixId, viewer.orgId, timeMs);
      if (m.capped) {
        outcome.capped++;
        continue;
      }
      const tlp = strictestTlp([indicator.tlp, 'amber'])!;
      const values = m.match.matched.map((h) => h.value);
      const { alert } = await raiseAlert(
        w,
        viewer,
        {
          source: MATCH_ALERT_SOURCE,
          category: 'cyber',
          severity: 'high',
          title: `Indicator matched: ${indicator.name}`.slice(0, 500),
          description: `${m.match.matched.map((h) => `${h.field ?? `${h.type}:${h.path}`} = ${h.value}`).join(', ')} matches ${indicator.pattern}`.slice(0, 20_000),
          time: timeMs,
          evidence: {
            indicator: { id: indicator.stixId, name: indicator.name, pattern: indicator.pattern, tlp: indicator.tlp },
            matched: m.match.matched.map((h) => ({ field: h.field ?? null, value: h.value, stixType: h.type, stixPath: h.path })),
            origin,
            event: trimmed(event),
          },
          dedupKey: `cti:${indicator.stixId}:${values.join('|')}`.slice(0, 500),
        },
        { ownerOrgId: viewer.orgId, tlp, distribution: { scope: 'owner' } },
      );
      outcome.alertIds.push(alert.id);
      const sighting = sightingToStix({
        indicatorId: indicator.stixId,
        seenBy: org,
        firstSeen: new Date(count.firstSeen).toISOString(),
        lastSeen: new Date(count.lastSeen).toISOString(),
        count: count.count,
        alert: { evidence: event } as unknown as VigilAlertRecord,
        tlp,
        created: new Date(count.firstSeen).toISOString(),
        modified: new Date(count.modified).toISOString(),
      });
      await insertOwnObjects(w, kernel.engine, { ownerOrgId: viewer.orgId, objects: sighting, tlp, distribution: { scope: 'owner' }, source: MATCH_ALERT_SOURCE });
      const sightingId = sighting.find((o) => o.type === 'sighting')!.id;
      await w.tx
        .updateTable('indicator_sightings')
        .set({ alert_id: alert.id, sighting_stix_id: sightingId })
        .where('indicator_stix_id', '=', indicator.stixId)
        .where('org_id', '=', viewer.orgId)
        .execute();
      outcome.sightings++;
    }
  });
  return outcome;
}

/** One more sighting of an indicator by an organisation; the times its STIX sighting needs. */
async function countSighting(w: Write, indicatorStixId: string, orgId: string, timeMs: number): Promise<{ count: number; firstSeen: number; lastSeen: number; modified: number }> {
  const row = await w.tx.selectFrom('indicator_sightings').selectAll().where('indicator_stix_id', '=', indicatorStixId).where('org_id', '=', orgId).executeTakeFirst();
  if (!row) {
    // A sighting is created when first seen, but never in the future.
    const first = Math.min(timeMs, w.now);
    await w.tx
      .insertInto('indicator_sightings')
      .values({ indicator_stix_id: indicatorStixId, org_id: orgId, count: 1, first_seen: first, last_seen: timeMs, alert_id: null, sighting_stix_id: '', sighting_modified: Math.max(w.now, first) })
      .execute();
    return { count: 1, firstSeen: first, lastSeen: Math.max(first, timeMs), modified: Math.max(w.now, first) };
  }
  const count = row.count + 1;
  const lastSeen = Math.max(Number(row.last_seen), timeMs, Number(row.first_seen));
  const modified = Math.max(w.now, Number(row.sighting_modified) + 1);
  await w.tx
    .updateTable('indicator_sightings')
    .set({ count, last_seen: lastSeen, sighting_modified: modified })
    .where('indicator_stix_id', '=', indicatorStixId)
    .where('org_id', '=', orgId)
    .execute();
  return { count, firstSeen: Number(row.first_seen), lastSeen, modified };
}

async function organisationRecord(w: Write, orgId: string): Promise<VigilOrganisationRecord> {
  const org = await w.tx.selectFrom('organisations').select(['id', 'name', 'sector', 'kind', 'created_at']).where('id', '=', orgId).executeTakeFirstOrThrow();
  const created = new Date(Number(org.created_at)).toISOString();
  return { id: org.id, name: org.name, sector: org.sector, kind: org.kind as VigilOrganisationRecord['kind'], created, modified: created };
}

/** The event as evidence: its first fields, long values cut. */
function trimmed(event: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(event)) {
    if (n++ >= EVENT_EVIDENCE_FIELDS) break;
    out[k] = typeof v === 'string' && v.length > 2000 ? `${v.slice(0, 2000)}…` : v;
  }
  return out;
}
