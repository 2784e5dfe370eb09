import type { Principal } from '../kernel/auth/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import { Problem, conflict, notFound } from '../kernel/http/index.js';
import type { Actor, ApprovalPolicy, Reason } from './approval.js';
import { approverOrganisations, getWarning, type StoredWarning } from './queries.js';
import { policyOf, type WarningSettings } from './settings.js';

/** What every warnings route needs to decide: the policy of the moment and who the caller is to it. */

export interface Decider {
  policy: ApprovalPolicy;
  approverOrgIds: string[];
}

export async function deciderFor(db: Queryable, settings: WarningSettings): Promise<Decider> {
  const approverOrgIds = await approverOrganisations(db, settings.approverOrgs);
  return { policy: policyOf(settings, approverOrgIds), approverOrgIds };
}

/** The caller as the pure policy sees them. A machine (API token) is named token:<id>: it is nobody's second pair of eyes. */
export function warningActor(principal: Principal): Actor {
  return { userId: principal.userId ?? `token:${principal.tokenId}`, organisationId: principal.orgId, roles: [principal.role] };
}

/** Approving is a person's act: API tokens may draft, never approve or reject. */
export function requirePerson(principal: Principal): void {
  if (principal.kind !== 'user') {
    throw refusal([{ code: 'approver-role', message: 'a warning is approved or rejected by a person signed in, not by an API token' }]);
  }
}

const FORBIDDEN: ReadonlySet<string> = new Set(['author-role', 'author-organisation', 'approver-is-author', 'approver-role', 'approver-organisation', 'no-approver-organisations']);
const CONFLICT: ReadonlySet<string> = new Set(['nothing-to-approve', 'not-awaiting-approval', 'not-a-draft', 'warning-ended', 'proposal-pending', 'not-published', 'approvers-cannot-see']);

/** The policy's refusal as problem+json: 403 for who you are, 409 for the state of the warning, 422 for its content. */
export function refusal(reasons: ReadonlyArray<{ code: string; message: string }>): Problem {
  const status = reasons.some((r) => FORBIDDEN.has(r.code)) ? 403 : reasons.some((r) => CONFLICT.has(r.code)) ? 409 : 422;
  const detail = reasons.map((r) => r.message).join('; ');
  return new Problem(status, `${detail.charAt(0).toUpperCase()}${detail.slice(1)}`, { reasons });
}

export function contentRefusal(reasons: string[]): Problem {
  return refusal(reasons.map((message): Reason => ({ code: 'invalid-content', message })));
}

/** The warning if the caller may see it, else 404 as for one that does not exist; optionally at the version read. */
export async function loadWarning(db: Queryable, viewer: Principal, id: string, version?: number): Promise<StoredWarning> {
  const stored = await getWarning(db, viewer, id);
  if (!stored) throw notFound('warning', id);
  if (version !== undefined && version !== stored.version) {
    throw conflict(`The warning changed since you read it (your version ${version}, now ${stored.version}); reload it and check again`, { currentVersion: stored.version });
  }
  return stored;
}
