import { type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  type Distribution,
  type Sharing,
  type SharingWorld,
  type Tlp,
  type Viewer,
  audience,
  canSee,
  checkDistribution,
  distributionOf,
  labelAllows,
  tlpRank,
  visibleTo,
} from '../kernel/sharing/index.js';

/**
 * Notes and attachments of an incident may be shared more narrowly than the incident itself (a partner's
 * note meant only for the owner; a photo kept at RED while the incident is AMBER), never more widely.
 *
 * An item is seen by a viewer who sees the incident AND (the item follows the incident, or the viewer's
 * organisation wrote it, or the item's own sharing reaches the viewer). Its own sharing is stored with the
 * incident's owner as owner, so the owner always sees what partners add. Pure: the SQL form is
 * `evidenceVisibleTo`, checked against `canSeeEvidence` in tests/incidents/shared-response.engines.test.ts.
 */
export interface EvidenceLabel {
  tlp: Tlp;
  distribution: Distribution;
}

export interface Evidence {
  authorOrgId: string | null;
  /** Null when the item follows its incident. */
  label: EvidenceLabel | null;
}

/** Why `label` may not be put on an item added to `incident`, or null when it may (the caller has checked the author sees the incident). */
export function evidenceLabelProblem(incident: Sharing, label: EvidenceLabel, world: SharingWorld): string | null {
  if (tlpRank(label.tlp) < tlpRank(incident.tlp)) {
    return `Evidence may be labelled more strictly than its incident (${incident.tlp}), never less: ${label.tlp} is looser`;
  }
  const structure = checkDistribution(incident.ownerOrgId, label.distribution, world);
  if (!structure.allowed) return structure.reason;
  const allowed = labelAllows(label.tlp, label.distribution);
  if (!allowed.allowed) return allowed.reason;
  const within = audience({ ...incident, distribution: label.distribution }, world);
  const reach = audience(incident, world);
  if (reach !== 'everyone') {
    if (within === 'everyone') return 'Evidence may not reach further than its incident: the incident is not public';
    for (const org of within) {
      if (!reach.has(org)) return 'Evidence may not reach organisations that do not see its incident';
    }
  }
  return null;
}

/** The policy in one function: may `viewer` see `item` of `incident`? */
export function canSeeEvidence(viewer: Viewer, incident: Sharing, item: Evidence): boolean {
  if (!canSee(viewer, incident)) return false;
  if (!item.label) return true;
  if (viewer.orgId !== null && viewer.orgId === item.authorOrgId) return true;
  return canSee(viewer, { ownerOrgId: incident.ownerOrgId, ...item.label });
}

/** `canSeeEvidence`'s item part as SQL over a table with author_org_id and nullable sharing columns. The caller has checked the incident is visible. */
export function evidenceVisibleTo(viewer: Viewer, table: string): RawBuilder<SqlBool> {
  const own = viewer.orgId === null ? sql`1 = 0` : sql`${sql.ref(`${table}.author_org_id`)} = ${viewer.orgId}`;
  return sql<SqlBool>`(${sql.ref(`${table}.tlp`)} is null or ${own} or ${visibleTo(viewer, table)})`;
}

/** The label of a stored item, or null when it follows its incident. */
export function evidenceLabelOf(row: { tlp: string | null; dist_scope: string | null; dist_group_id: string | null; dist_orgs: string | null }): EvidenceLabel | null {
  if (row.tlp === null || row.dist_scope === null) return null;
  return { tlp: row.tlp as Tlp, distribution: distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs) };
}

/** Who an item's live event goes to: its label's audience, plus the organisation that wrote it. */
export function evidenceAudience(incident: Sharing, item: Evidence): { ownerOrgId: string; distribution: Distribution } {
  if (!item.label) return { ownerOrgId: incident.ownerOrgId, distribution: incident.distribution };
  const d = item.label.distribution;
  const author = item.authorOrgId;
  if (!author || author === incident.ownerOrgId) return { ownerOrgId: incident.ownerOrgId, distribution: d };
  if (d.scope === 'owner') return { ownerOrgId: incident.ownerOrgId, distribution: { scope: 'orgs', orgIds: [author] } };
  if (d.scope === 'orgs' && !d.orgIds.includes(author)) return { ownerOrgId: incident.ownerOrgId, distribution: { scope: 'orgs', orgIds: [...d.orgIds, author] } };
  return { ownerOrgId: incident.ownerOrgId, distribution: d };
}

/**
 * The label asked for: missing parts come from the incident; a stricter TLP alone that forbids the incident's
 * distribution (AMBER+STRICT on a listed incident, RED on a community one) narrows it to the owner.
 */
export function requestedLabel(incident: Sharing, tlp: Tlp | undefined, distribution: Distribution | undefined): EvidenceLabel | null {
  if (!tlp && !distribution) return null;
  const label = tlp ?? incident.tlp;
  if (distribution) return { tlp: label, distribution };
  return { tlp: label, distribution: labelAllows(label, incident.distribution).allowed ? incident.distribution : { scope: 'owner' } };
}
