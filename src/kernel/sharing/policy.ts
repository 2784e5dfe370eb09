/**
 * The sharing policy: who may see a record, and who may share it further under which label.
 *
 * This module is the one place where the rules live. It is pure (no database): the SQL form of
 * `canSee` is in ./visibility.ts and is tested against this one record by record.
 *
 * Vocabulary (FIRST TLP 2.0 and MISP-style distributions):
 * - every shared record has an owner organisation, a TLP label and a distribution;
 * - the *audience* of a record is the set of organisations its distribution reaches
 *   (the owner is always in it);
 * - the owner may widen or narrow the distribution and change the label either way;
 * - a recipient who may share may narrow the distribution or raise the label, never widen or lower;
 * - the label bounds the distribution: RED only to listed organisations, AMBER+STRICT never beyond the
 *   organisation, AMBER only to named organisations or a sharing group, GREEN to the community,
 *   CLEAR also to the public.
 */

export const TLP_LABELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LABELS)[number];

export const DISTRIBUTION_SCOPES = ['owner', 'orgs', 'group', 'community', 'public'] as const;
export type DistributionScope = (typeof DISTRIBUTION_SCOPES)[number];

export type Distribution =
  | { scope: 'owner' }
  | { scope: 'orgs'; orgIds: string[] }
  | { scope: 'group'; groupId: string }
  | { scope: 'community' }
  | { scope: 'public' };

/** The sharing fields every shared record carries. */
export interface Sharing {
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
}

/** Who is looking: an organisation's user or machine, or the anonymous public (orgId null). */
export interface Viewer {
  orgId: string | null;
  /** The sharing groups the viewer's organisation belongs to. */
  groupIds: ReadonlySet<string>;
}

export const ANONYMOUS: Viewer = { orgId: null, groupIds: new Set() };

/** What the policy needs to know about the world to compare audiences. */
export interface SharingWorld {
  /** Every organisation on this Vigil. */
  orgIds: ReadonlySet<string>;
  /** Member organisations of each sharing group (the owning organisation is always a member). */
  groupMembers(groupId: string): ReadonlySet<string> | undefined;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

export function tlpRank(tlp: Tlp): number {
  return TLP_LABELS.indexOf(tlp);
}

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LABELS as readonly string[]).includes(value);
}

export function canSee(viewer: Viewer, record: Sharing): boolean {
  const d = record.distribution;
  if (d.scope === 'public') return true;
  if (viewer.orgId === null) return false;
  if (viewer.orgId === record.ownerOrgId) return true;
  switch (d.scope) {
    case 'community':
      return true;
    case 'orgs':
      return d.orgIds.includes(viewer.orgId);
    case 'group':
      return viewer.groupIds.has(d.groupId);
    case 'owner':
      return false;
  }
}

/** The scopes a label allows, widest last. */
export function scopesAllowedFor(tlp: Tlp): readonly DistributionScope[] {
  switch (tlp) {
    case 'clear':
      return DISTRIBUTION_SCOPES;
    case 'green':
      return ['owner', 'orgs', 'group', 'community'];
    case 'amber':
      return ['owner', 'orgs', 'group'];
    case 'amber+strict':
      return ['owner'];
    case 'red':
      return ['owner', 'orgs'];
  }
}

const TLP_TEXT: Record<Tlp, string> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

/** Why a label forbids a scope, in words an operator understands. */
export function labelAllows(tlp: Tlp, distribution: Distribution): Decision {
  if (scopesAllowedFor(tlp).includes(distribution.scope)) return ALLOW;
  switch (tlp) {
    case 'amber+strict':
      return deny('AMBER+STRICT cannot leave your organisation: keep the distribution to the owner organisation');
    case 'red':
      return deny('RED may only go to organisations listed by name, never to a group, the community or the public');
    case 'amber':
      return deny(
        'AMBER is need-to-know: share it with listed organisations or a sharing group, not the whole community or the public',
      );
    case 'green':
      return deny('Only TLP:CLEAR may be public; GREEN stays within the community');
    case 'clear':
      return ALLOW;
  }
}

/** The organisations a distribution reaches ('everyone' for public, which also reaches people without an account). */
export function audience(record: Sharing, world: SharingWorld): ReadonlySet<string> | 'everyone' {
  const d = record.distribution;
  switch (d.scope) {
    case 'public':
      return 'everyone';
    case 'community':
      return world.orgIds;
    case 'owner':
      return new Set([record.ownerOrgId]);
    case 'orgs':
      return new Set([record.ownerOrgId, ...d.orgIds]);
    case 'group':
      return new Set([record.ownerOrgId, ...(world.groupMembers(d.groupId) ?? [])]);
  }
}

function isSubset(inner: ReadonlySet<string> | 'everyone', outer: ReadonlySet<string> | 'everyone'): boolean {
  if (outer === 'everyone') return true;
  if (inner === 'everyone') return false;
  for (const org of inner) if (!outer.has(org)) return false;
  return true;
}

/** Structural checks on a distribution before any rights are considered. */
export function checkDistribution(ownerOrgId: string, distribution: Distribution, world: SharingWorld): Decision {
  if (distribution.scope === 'orgs') {
    if (distribution.orgIds.length === 0) return deny('A distribution to listed organisations needs at least one organisation');
    for (const org of distribution.orgIds) {
      if (!world.orgIds.has(org)) return deny(`Organisation ${org} does not exist on this Vigil`);
    }
    if (distribution.orgIds.includes(ownerOrgId)) {
      return deny('The owner organisation always sees its own record; list only the other organisations');
    }
    if (new Set(distribution.orgIds).size !== distribution.orgIds.length) return deny('An organisation is listed twice');
  }
  if (distribution.scope === 'group' && !world.groupMembers(distribution.groupId)) {
    return deny(`Sharing group ${distribution.groupId} does not exist`);
  }
  return ALLOW;
}

/** The label and distribution a new record may start with: any the label allows. */
export function checkInitialSharing(record: Sharing, creatorOrgId: string, world: SharingWorld): Decision {
  if (record.ownerOrgId !== creatorOrgId) return deny('A record can only be created for your own organisation');
  const structure = checkDistribution(record.ownerOrgId, record.distribution, world);
  if (!structure.allowed) return structure;
  const group = groupMembership(creatorOrgId, record.distribution, world);
  if (!group.allowed) return group;
  return labelAllows(record.tlp, record.distribution);
}

function groupMembership(actorOrgId: string, distribution: Distribution, world: SharingWorld): Decision {
  if (distribution.scope !== 'group') return ALLOW;
  const members = world.groupMembers(distribution.groupId);
  if (!members?.has(actorOrgId)) return deny('You can only share with a sharing group your organisation belongs to');
  return ALLOW;
}

export interface ShareRequest {
  tlp?: Tlp;
  distribution: Distribution;
}

/**
 * May `actorOrgId` (already known to be allowed to share by role) re-share `record` as requested?
 * The caller has checked that the actor sees the record.
 */
export function checkShare(actorOrgId: string, record: Sharing, request: ShareRequest, world: SharingWorld): Decision {
  if (!canSee({ orgId: actorOrgId, groupIds: groupsOf(actorOrgId, world, record.distribution) }, record)) {
    return deny('You cannot share a record you cannot see');
  }
  const isOwner = actorOrgId === record.ownerOrgId;
  const tlp = request.tlp ?? record.tlp;
  if (tlpRank(tlp) < tlpRank(record.tlp) && !isOwner) {
    return deny(`Only the owner organisation may lower the label from ${TLP_TEXT[record.tlp]} to ${TLP_TEXT[tlp]}`);
  }
  const structure = checkDistribution(record.ownerOrgId, request.distribution, world);
  if (!structure.allowed) return structure;
  const label = labelAllows(tlp, request.distribution);
  if (!label.allowed) return label;
  const group = groupMembership(actorOrgId, request.distribution, world);
  if (!group.allowed) return group;
  if (!isOwner) {
    const proposed = audience({ ...record, distribution: request.distribution }, world);
    if (!isSubset(proposed, audience(record, world))) {
      return deny('A recipient may not widen what it was given: share only with organisations that already see it');
    }
  }
  return ALLOW;
}

/** The organisations that see `before` but not `after`: they are told the record is gone. */
export function lostSight(before: Sharing, after: Sharing, world: SharingWorld): string[] {
  const was = audience(before, world);
  const now = audience(after, world);
  if (now === 'everyone') return [];
  const orgs = was === 'everyone' ? world.orgIds : was;
  return [...orgs].filter((org) => !now.has(org) && org !== after.ownerOrgId);
}

function groupsOf(orgId: string, world: SharingWorld, distribution: Distribution): ReadonlySet<string> {
  if (distribution.scope !== 'group') return new Set();
  return world.groupMembers(distribution.groupId)?.has(orgId) ? new Set([distribution.groupId]) : new Set();
}
