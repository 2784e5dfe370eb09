import { Type } from 'typebox';
import type { Principal } from '../../kernel/auth/principal.js';
import type { Queryable } from '../../kernel/db/connection.js';
import { badRequest, unprocessable } from '../../kernel/http/index.js';
import { type Distribution, type Tlp, checkInitialSharing, defaultsFromSettings, loadSharingWorld, DISTRIBUTION_SCOPES, TLP_LABELS } from '../../kernel/sharing/index.js';

/**
 * How an import is shared, from query parameters (the body is the file): `tlp` labels objects that carry no TLP
 * marking, `scope` (+ `group` or `orgs`) is the distribution asked for; each object's own label may narrow it.
 * Unset, both come from the organisation's defaults.
 */
export const SharingQueryFields = {
  tlp: Type.Optional(Type.Enum(TLP_LABELS, { description: 'label of objects without a TLP marking (default: your organisation default)' })),
  scope: Type.Optional(Type.Enum(DISTRIBUTION_SCOPES, { description: 'distribution asked for; each object label may narrow it to your organisation' })),
  group: Type.Optional(Type.String({ format: 'uuid', description: 'sharing group, for scope=group' })),
  orgs: Type.Optional(Type.String({ maxLength: 20000, description: 'comma-separated organisation ids, for scope=orgs' })),
};

export interface SharingQuery {
  tlp?: Tlp;
  scope?: (typeof DISTRIBUTION_SCOPES)[number];
  group?: string;
  orgs?: string;
}

export async function importSharing(db: Queryable, principal: Principal, q: SharingQuery): Promise<{ defaultTlp: Tlp; distribution: Distribution }> {
  const org = await db.selectFrom('organisations').select('settings').where('id', '=', principal.orgId).executeTakeFirstOrThrow();
  const defaults = defaultsFromSettings(JSON.parse(org.settings));
  let distribution: Distribution = defaults.distribution;
  if (q.scope === 'group') {
    if (!q.group) throw badRequest('scope=group needs group=<sharing group id>');
    distribution = { scope: 'group', groupId: q.group };
  } else if (q.scope === 'orgs') {
    const orgIds = (q.orgs ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (orgIds.length === 0) throw badRequest('scope=orgs needs orgs=<organisation id>,…');
    distribution = { scope: 'orgs', orgIds };
  } else if (q.scope) distribution = { scope: q.scope } as Distribution;
  // The structure and the right to use a group are checked here; labels are each object's own business.
  const decision = checkInitialSharing({ ownerOrgId: principal.orgId, tlp: 'clear', distribution }, principal.orgId, await loadSharingWorld(db));
  if (!decision.allowed) throw unprocessable(decision.reason);
  return { defaultTlp: q.tlp ?? defaults.tlp, distribution };
}
