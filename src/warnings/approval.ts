/**
 * Who may write and who may release a public warning: the four-eyes rule as a pure decision. A message is
 * released only by a second person, who wrote none of it, holds an approving role, and belongs to one of the
 * organisations the city made responsible (typically its civil protection). The policy fails closed: with
 * no approving organisation configured, nobody can approve.
 */

export const ROLES = ['admin', 'analyst', 'operator', 'responder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: string;
  organisationId: string;
  roles: readonly Role[];
}

export interface ApprovalPolicy {
  /** Roles that may draft, edit and submit warnings (in the owning organisation or an approving one). */
  authorRoles: readonly Role[];
  /** Roles that may approve (release) or reject a message. */
  approverRoles: readonly Role[];
  /** Organisations whose members may approve. Empty: nobody may. */
  approverOrganisationIds: readonly string[];
}

export interface Reason {
  code:
    | 'author-role'
    | 'author-organisation'
    | 'approver-is-author'
    | 'approver-role'
    | 'approver-organisation'
    | 'no-approver-organisations'
    | 'nothing-to-approve'
    | 'not-awaiting-approval'
    | 'not-a-draft'
    | 'warning-ended'
    | 'proposal-pending'
    | 'not-published'
    | 'invalid-message'
    | 'invalid-content';
  message: string;
}

export const DEFAULT_AUTHOR_ROLES: readonly Role[] = ['admin', 'analyst', 'operator', 'responder'];
export const DEFAULT_APPROVER_ROLES: readonly Role[] = ['admin', 'responder'];

/** A policy from configuration; refuses to let viewers act, and names what is wrong. */
export function approvalPolicy(input: {
  authorRoles?: readonly string[];
  approverRoles?: readonly string[];
  approverOrganisationIds: readonly string[];
}): ApprovalPolicy {
  const roles = (list: readonly string[], what: string): Role[] =>
    list.map((r) => {
      if (!(ROLES as readonly string[]).includes(r)) throw new Error(`${what}: "${r}" is not a role (${ROLES.join(', ')})`);
      if (r === 'viewer') throw new Error(`${what}: viewers only read; they cannot write or approve warnings`);
      return r as Role;
    });
  return {
    authorRoles: roles(input.authorRoles ?? DEFAULT_AUTHOR_ROLES, 'warning author roles'),
    approverRoles: roles(input.approverRoles ?? DEFAULT_APPROVER_ROLES, 'warning approver roles'),
    approverOrganisationIds: [...input.approverOrganisationIds],
  };
}

/** May `actor` draft or edit a warning owned by `ownerOrganisationId`? */
export function authoringReasons(actor: Actor, ownerOrganisationId: string, policy: ApprovalPolicy): Reason[] {
  const reasons: Reason[] = [];
  if (!actor.roles.some((r) => policy.authorRoles.includes(r))) {
    reasons.push({ code: 'author-role', message: `writing warnings needs one of the roles ${policy.authorRoles.join(', ')}` });
  }
  if (actor.organisationId !== ownerOrganisationId && !policy.approverOrganisationIds.includes(actor.organisationId)) {
    reasons.push({ code: 'author-organisation', message: 'only the owning organisation and the approving organisations may edit this warning' });
  }
  return reasons;
}

/**
 * The four-eyes decision for one pending message: empty when `approver` may release it. `authors` are
 * everyone who wrote or edited that message, so an editor cannot approve their own edit either.
 */
export function approvalReasons(approver: Actor, authors: readonly string[], policy: ApprovalPolicy): Reason[] {
  const reasons: Reason[] = [];
  if (authors.includes(approver.userId)) {
    reasons.push({ code: 'approver-is-author', message: 'a warning must be approved by a second person: you wrote or edited this message' });
  }
  if (!approver.roles.some((r) => policy.approverRoles.includes(r))) {
    reasons.push({ code: 'approver-role', message: `approving warnings needs one of the roles ${policy.approverRoles.join(', ')}` });
  }
  if (policy.approverOrganisationIds.length === 0) {
    reasons.push({ code: 'no-approver-organisations', message: 'no organisation is configured to approve public warnings' });
  } else if (!policy.approverOrganisationIds.includes(approver.organisationId)) {
    reasons.push({ code: 'approver-organisation', message: 'your organisation is not one of those that approve public warnings' });
  }
  return reasons;
}
