import type { Queryable } from '../db/connection.js';
import type { Viewer } from '../sharing/policy.js';
import { groupsOfOrganisation } from '../sharing/store.js';
import { type Role, isRole } from './roles.js';
import { newToken, tokenHash } from './secrets.js';

/** An authenticated caller: a person with a session, or a machine with an API token. */
export interface Principal extends Viewer {
  kind: 'user' | 'token';
  orgId: string;
  orgSlug: string;
  role: Role;
  userId: string | null;
  tokenId: string | null;
  /** The user's email or the token's name, for logs and the audit trail. */
  label: string;
}

export async function principalForToken(db: Queryable, token: string, now: number): Promise<Principal | null> {
  const hash = tokenHash(token);
  if (token.startsWith('vgl_api_')) {
    const row = await db
      .selectFrom('api_tokens')
      .innerJoin('organisations', 'organisations.id', 'api_tokens.org_id')
      .select(['api_tokens.id', 'api_tokens.org_id', 'api_tokens.role', 'api_tokens.name', 'api_tokens.expires_at', 'organisations.slug'])
      .where('api_tokens.token_hash', '=', hash)
      .where('api_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || !isRole(row.role) || (row.expires_at !== null && Number(row.expires_at) <= now)) return null;
    return {
      kind: 'token',
      orgId: row.org_id,
      orgSlug: row.slug,
      role: row.role,
      userId: null,
      tokenId: row.id,
      label: row.name,
      groupIds: await groupsOfOrganisation(db, row.org_id),
    };
  }
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['users.id as user_id', 'users.org_id', 'users.role', 'users.email', 'organisations.slug'])
    .where('sessions.token_hash', '=', hash)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  if (!row || !isRole(row.role)) return null;
  return {
    kind: 'user',
    orgId: row.org_id,
    orgSlug: row.slug,
    role: row.role,
    userId: row.user_id,
    tokenId: null,
    label: row.email,
    groupIds: await groupsOfOrganisation(db, row.org_id),
  };
}

export async function openSession(db: Queryable, userId: string, now: number, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
  const token = newToken('session');
  const expiresAt = now + ttlSeconds * 1000;
  await db.insertInto('sessions').values({ token_hash: tokenHash(token), user_id: userId, created_at: now, expires_at: expiresAt }).execute();
  // Expired sessions are swept opportunistically; there is no separate job to forget.
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  return { token, expiresAt };
}

export async function closeSession(db: Queryable, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}
