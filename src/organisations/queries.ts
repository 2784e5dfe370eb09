import type { Queryable } from '../kernel/db/connection.js';
import type { Role } from '../kernel/auth/index.js';
import type { Write } from '../kernel/kernel.js';
import { newId } from '../kernel/ids.js';
import { hashPassword, newToken, tokenHash } from '../kernel/auth/index.js';
import type { ApiToken, Organisation, OrganisationKind, OrganisationSettings, Sector, SharingGroup, User } from './model.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

type OrgRow = { id: string; slug: string; name: string; sector: string; kind: string; settings: string; created_at: number };
export function organisationOf(row: OrgRow): Organisation {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    sector: row.sector as Sector,
    kind: row.kind as OrganisationKind,
    settings: JSON.parse(row.settings) as OrganisationSettings,
    createdAt: iso(row.created_at)!,
  };
}

type UserRow = { id: string; org_id: string; email: string; name: string; role: string; disabled: number; created_at: number };
export function userOf(row: UserRow): User {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled === 1,
    createdAt: iso(row.created_at)!,
  };
}

export async function listOrganisations(db: Queryable): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').selectAll().orderBy('slug').execute();
  return rows.map(organisationOf);
}

export async function findOrganisation(db: Queryable, idOrSlug: string): Promise<Organisation | null> {
  const row = await db
    .selectFrom('organisations')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
    .executeTakeFirst();
  return row ? organisationOf(row) : null;
}

export interface NewOrganisation {
  slug: string;
  name: string;
  sector: Sector;
  kind: OrganisationKind;
  settings?: OrganisationSettings;
}

export async function createOrganisation(w: Write, input: NewOrganisation): Promise<Organisation> {
  const row = {
    id: newId(w.now),
    slug: input.slug,
    name: input.name,
    sector: input.sector,
    kind: input.kind,
    settings: JSON.stringify(input.settings ?? {}),
    created_at: w.now,
  };
  await w.tx.insertInto('organisations').values(row).execute();
  const organisation = organisationOf(row);
  await w.emit({
    type: 'organisation.created',
    recordKind: 'organisation',
    recordId: organisation.id,
    actorOrgId: w.actor.orgId,
    audience: { ownerOrgId: organisation.id, distribution: { scope: 'community' } },
    data: organisation,
  });
  await w.audit({ action: 'organisation.create', targetKind: 'organisation', targetId: organisation.id, details: { slug: input.slug } });
  return organisation;
}

export async function findUserByEmail(db: Queryable, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function listUsers(db: Queryable, orgId: string): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('email').execute();
  return rows.map(userOf);
}

export interface NewUser {
  orgId: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

export async function createUser(w: Write, input: NewUser, passwordHash?: string): Promise<User> {
  const row = {
    id: newId(w.now),
    org_id: input.orgId,
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    password_hash: passwordHash ?? (await hashPassword(input.password)),
    disabled: 0,
    created_at: w.now,
  };
  await w.tx.insertInto('users').values(row).execute();
  await w.audit({ orgId: input.orgId, action: 'user.create', targetKind: 'user', targetId: row.id, details: { email: row.email, role: row.role } });
  return userOf(row);
}

export async function updateUser(w: Write, orgId: string, id: string, change: { role?: Role; disabled?: boolean; name?: string }): Promise<User | null> {
  const set: { role?: string; disabled?: number; name?: string } = {};
  if (change.role !== undefined) set.role = change.role;
  if (change.disabled !== undefined) set.disabled = change.disabled ? 1 : 0;
  if (change.name !== undefined) set.name = change.name;
  if (Object.keys(set).length > 0) {
    await w.tx.updateTable('users').set(set).where('id', '=', id).where('org_id', '=', orgId).execute();
  }
  const row = await w.tx.selectFrom('users').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst();
  if (!row) return null;
  if (change.disabled) await w.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
  await w.audit({ orgId, action: 'user.update', targetKind: 'user', targetId: id, details: { ...change } });
  return userOf(row);
}

type TokenRow = {
  id: string;
  org_id: string;
  name: string;
  role: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
};
function apiTokenOf(row: TokenRow): ApiToken {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  };
}

export async function listApiTokens(db: Queryable, orgId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'org_id', 'name', 'role', 'prefix', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(apiTokenOf);
}

/** Creates a token; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  w: Write,
  input: { orgId: string; name: string; role: Role; expiresAt: number | null },
): Promise<{ token: string; apiToken: ApiToken }> {
  const token = newToken('api');
  const row = {
    id: newId(w.now),
    org_id: input.orgId,
    name: input.name,
    role: input.role,
    token_hash: tokenHash(token),
    prefix: token.slice(0, 14),
    created_by: w.actor.userId,
    created_at: w.now,
    expires_at: input.expiresAt,
    revoked_at: null,
    last_used_at: null,
  };
  await w.tx.insertInto('api_tokens').values(row).execute();
  await w.audit({ orgId: input.orgId, action: 'token.create', targetKind: 'api-token', targetId: row.id, details: { name: input.name, role: input.role } });
  return { token, apiToken: apiTokenOf(row) };
}

export async function revokeApiToken(w: Write, orgId: string, id: string): Promise<ApiToken | null> {
  await w.tx.updateTable('api_tokens').set({ revoked_at: w.now }).where('id', '=', id).where('org_id', '=', orgId).where('revoked_at', 'is', null).execute();
  const row = await w.tx
    .selectFrom('api_tokens')
    .select(['id', 'org_id', 'name', 'role', 'prefix', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!row) return null;
  await w.audit({ orgId, action: 'token.revoke', targetKind: 'api-token', targetId: id, details: { name: row.name } });
  return apiTokenOf(row);
}

export async function listSharingGroups(db: Queryable, memberOrgId: string): Promise<SharingGroup[]> {
  const groups = await db
    .selectFrom('sharing_groups')
    .selectAll()
    .where('id', 'in', db.selectFrom('sharing_group_members').select('group_id').where('org_id', '=', memberOrgId))
    .orderBy('name')
    .execute();
  return attachMembers(db, groups);
}

export async function findSharingGroup(db: Queryable, id: string, memberOrgId: string): Promise<SharingGroup | null> {
  const groups = await db
    .selectFrom('sharing_groups')
    .selectAll()
    .where('id', '=', id)
    .where('id', 'in', db.selectFrom('sharing_group_members').select('group_id').where('org_id', '=', memberOrgId))
    .execute();
  return (await attachMembers(db, groups))[0] ?? null;
}

async function attachMembers(
  db: Queryable,
  groups: Array<{ id: string; owner_org_id: string; name: string; description: string; created_at: number }>,
): Promise<SharingGroup[]> {
  if (groups.length === 0) return [];
  const members = await db
    .selectFrom('sharing_group_members')
    .select(['group_id', 'org_id'])
    .where('group_id', 'in', groups.map((g) => g.id))
    .orderBy('org_id')
    .execute();
  return groups.map((g) => ({
    id: g.id,
    ownerOrgId: g.owner_org_id,
    name: g.name,
    description: g.description,
    memberOrgIds: members.filter((m) => m.group_id === g.id).map((m) => m.org_id),
    createdAt: iso(g.created_at)!,
  }));
}

/** The owner is always a member; members are replaced as a whole so the change is one audited step. */
export async function saveSharingGroup(
  w: Write,
  input: { id?: string; ownerOrgId: string; name: string; description: string; memberOrgIds: string[] },
): Promise<SharingGroup> {
  const id = input.id ?? newId(w.now);
  const members = [...new Set([input.ownerOrgId, ...input.memberOrgIds])];
  if (input.id) {
    await w.tx.updateTable('sharing_groups').set({ name: input.name, description: input.description }).where('id', '=', id).execute();
    await w.tx.deleteFrom('sharing_group_members').where('group_id', '=', id).execute();
  } else {
    await w.tx
      .insertInto('sharing_groups')
      .values({ id, owner_org_id: input.ownerOrgId, name: input.name, description: input.description, created_at: w.now })
      .execute();
  }
  await w.tx.insertInto('sharing_group_members').values(members.map((org_id) => ({ group_id: id, org_id }))).execute();
  const group = (await findSharingGroup(w.tx, id, input.ownerOrgId))!;
  await w.emit({
    type: 'sharing-group.changed',
    recordKind: 'sharing-group',
    recordId: id,
    actorOrgId: w.actor.orgId,
    audience: { ownerOrgId: input.ownerOrgId, distribution: { scope: 'orgs', orgIds: members.filter((m) => m !== input.ownerOrgId) } },
    data: group,
  });
  await w.audit({
    orgId: input.ownerOrgId,
    action: input.id ? 'sharing-group.update' : 'sharing-group.create',
    targetKind: 'sharing-group',
    targetId: id,
    details: { name: input.name, members },
  });
  return group;
}
