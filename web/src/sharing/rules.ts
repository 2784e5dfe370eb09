// What the share dialog offers, decided by the kernel's own sharing policy (src/kernel/sharing/policy.ts,
// pure TypeScript, imported as is). The server applies the same module and has the final word: a 422
// it answers is shown as it comes.
import {
  type Decision,
  type Distribution,
  type DistributionScope,
  type Sharing,
  type SharingWorld,
  type Tlp,
  TLP_LABELS,
  audience,
  checkShare,
  labelAllows,
  tlpRank,
} from '../../../src/kernel/sharing/policy.js';

export { TLP_LABELS };
export type { Decision, Distribution, DistributionScope, Sharing, SharingWorld, Tlp };

export const SCOPES: ReadonlyArray<{ scope: DistributionScope; label: string }> = [
  { scope: 'owner', label: 'The owner organisation only' },
  { scope: 'orgs', label: 'Listed organisations' },
  { scope: 'group', label: 'A sharing group' },
  { scope: 'community', label: 'Every organisation on this Vigil' },
  { scope: 'public', label: 'Public' },
];

/** The world as this user knows it: every organisation, and the groups its organisation belongs to. */
export function worldOf(orgIds: Iterable<string>, groups: Iterable<{ id: string; memberOrgIds: string[]; ownerOrgId: string }>): SharingWorld {
  const members = new Map<string, Set<string>>();
  for (const g of groups) members.set(g.id, new Set([g.ownerOrgId, ...g.memberOrgIds]));
  return { orgIds: new Set(orgIds), groupMembers: (id) => members.get(id) };
}

export interface ShareContext {
  actorOrgId: string;
  /** Whether the user's role may share at all (admin, analyst, operator). */
  mayShare: boolean;
  record: Sharing;
  world: SharingWorld;
  /** The sharing groups the user's organisation belongs to. */
  groupIds: string[];
}

export interface ShareDraft {
  tlp: Tlp;
  scope: DistributionScope;
  orgIds: string[];
  groupId: string | null;
}

export type Choice<T> = { value: T; allowed: boolean; reason?: string };

const NO_ROLE = { allowed: false, reason: 'Your role may not share records: ask an analyst, operator or admin of your organisation' } as const;

export function reasonOf(decision: Decision): string | undefined {
  return decision.allowed ? undefined : decision.reason;
}

export function draftOf(record: Sharing): ShareDraft {
  const d = record.distribution;
  return {
    tlp: record.tlp,
    scope: d.scope,
    orgIds: d.scope === 'orgs' ? [...d.orgIds] : [],
    groupId: d.scope === 'group' ? d.groupId : null,
  };
}

export function distributionOf(draft: ShareDraft): Distribution | null {
  switch (draft.scope) {
    case 'orgs':
      return draft.orgIds.length ? { scope: 'orgs', orgIds: draft.orgIds } : null;
    case 'group':
      return draft.groupId ? { scope: 'group', groupId: draft.groupId } : null;
    default:
      return { scope: draft.scope };
  }
}

/** The labels: all of them, except that only the owner may lower one. */
export function labelChoices(ctx: ShareContext): Choice<Tlp>[] {
  const isOwner = ctx.actorOrgId === ctx.record.ownerOrgId;
  return TLP_LABELS.map((tlp) => {
    if (!ctx.mayShare) return { value: tlp, allowed: false, reason: NO_ROLE.reason };
    if (!isOwner && tlpRank(tlp) < tlpRank(ctx.record.tlp)) {
      return { value: tlp, allowed: false, reason: `Only the owner organisation may lower the label below ${ctx.record.tlp.toUpperCase()}` };
    }
    return { value: tlp, allowed: true };
  });
}

/** Who else already sees the record (the organisations a recipient may narrow to). */
export function currentAudience(ctx: ShareContext): ReadonlySet<string> | 'everyone' {
  return audience(ctx.record, ctx.world);
}

/** Organisations that may be listed: any other organisation for the owner; those that already see it for a recipient. */
export function orgChoices(ctx: ShareContext, draft: ShareDraft): Choice<string>[] {
  const seen = currentAudience(ctx);
  return [...ctx.world.orgIds]
    .filter((id) => id !== ctx.record.ownerOrgId)
    .map((id) => {
      if (!ctx.mayShare) return { value: id, allowed: false, reason: NO_ROLE.reason };
      const decision = checkShare(ctx.actorOrgId, ctx.record, { tlp: draft.tlp, distribution: { scope: 'orgs', orgIds: [id] } }, ctx.world);
      if (!decision.allowed && seen !== 'everyone' && !seen.has(id)) return { value: id, allowed: false, reason: 'A recipient may not widen what it was given: this organisation does not see the record now' };
      return { value: id, allowed: true };
    });
}

/** Sharing groups the user's organisation belongs to, and whether each may be used. */
export function groupChoices(ctx: ShareContext, draft: ShareDraft): Choice<string>[] {
  return ctx.groupIds.map((groupId) => {
    if (!ctx.mayShare) return { value: groupId, allowed: false, reason: NO_ROLE.reason };
    const decision = checkShare(ctx.actorOrgId, ctx.record, { tlp: draft.tlp, distribution: { scope: 'group', groupId } }, ctx.world);
    return decision.allowed ? { value: groupId, allowed: true } : { value: groupId, allowed: false, reason: reasonOf(decision) };
  });
}

/**
 * Each distribution scope under the chosen label: allowed, or why not. For listed organisations and groups
 * the scope is allowed when at least one concrete choice is.
 */
export function scopeChoices(ctx: ShareContext, draft: ShareDraft): Choice<DistributionScope>[] {
  return SCOPES.map(({ scope }) => {
    if (!ctx.mayShare) return { value: scope, allowed: false, reason: NO_ROLE.reason };
    const label = labelAllows(draft.tlp, scope === 'orgs' ? { scope, orgIds: [] } : scope === 'group' ? { scope, groupId: '' } : { scope });
    if (!label.allowed) return { value: scope, allowed: false, reason: reasonOf(label) };
    if (scope === 'orgs') {
      const any = orgChoices(ctx, draft).some((c) => c.allowed);
      return any ? { value: scope, allowed: true } : { value: scope, allowed: false, reason: 'No other organisation may be listed: a recipient may only narrow to organisations that already see it' };
    }
    if (scope === 'group') {
      if (ctx.groupIds.length === 0) return { value: scope, allowed: false, reason: 'Your organisation belongs to no sharing group' };
      const groups = groupChoices(ctx, draft);
      const firstAllowed = groups.find((c) => c.allowed);
      return firstAllowed ? { value: scope, allowed: true } : { value: scope, allowed: false, reason: groups[0]?.reason ?? 'No sharing group may be used' };
    }
    const decision = checkShare(ctx.actorOrgId, ctx.record, { tlp: draft.tlp, distribution: { scope } as Distribution }, ctx.world);
    return decision.allowed ? { value: scope, allowed: true } : { value: scope, allowed: false, reason: reasonOf(decision) };
  });
}

/** The verdict on the whole draft, as the server will decide it. */
export function judge(ctx: ShareContext, draft: ShareDraft): Decision {
  if (!ctx.mayShare) return NO_ROLE;
  const distribution = distributionOf(draft);
  if (!distribution) {
    return { allowed: false, reason: draft.scope === 'orgs' ? 'Choose at least one organisation' : 'Choose a sharing group' };
  }
  if (draft.tlp === ctx.record.tlp && JSON.stringify(distribution) === JSON.stringify(ctx.record.distribution)) {
    return { allowed: false, reason: 'Nothing changes: choose another label or distribution' };
  }
  return checkShare(ctx.actorOrgId, ctx.record, { tlp: draft.tlp, distribution }, ctx.world);
}
