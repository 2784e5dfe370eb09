import type { Generated } from 'kysely';

/**
 * The database schema as a type: Kysely checks every query against it.
 *
 * The kernel declares its own tables here. Each capability adds its tables by augmenting this
 * interface from its own `schema.ts` (TypeScript declaration merging), so the kernel never imports a
 * capability and every query in the code base is still checked against one complete type:
 *
 *   declare module '../kernel/db/schema.js' { interface Database { assets: AssetTable } }
 *
 * Conventions that hold on both engines (SQLite and PostgreSQL):
 * - ids are UUIDv7 strings (time-ordered, unguessable, unique across kinds and instances);
 * - times are epoch milliseconds (bigint in PostgreSQL, parsed to number);
 * - JSON is stored as text and parsed at the edge;
 * - booleans are 0/1 integers.
 */
export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  sharing_groups: SharingGroupTable;
  sharing_group_members: SharingGroupMemberTable;
  events: EventTable;
  audit_log: AuditTable;
  audit_head: AuditHeadTable;
}

export interface OrganisationTable {
  id: string;
  slug: string;
  name: string;
  sector: string;
  kind: string;
  /** JSON: organisation settings (default TLP and distribution for what it creates, …). */
  settings: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  disabled: number;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the opaque bearer token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokenTable {
  id: string;
  org_id: string;
  name: string;
  role: string;
  token_hash: string;
  /** The first characters of the token, so a person can recognise it in a list. */
  prefix: string;
  created_by: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface SharingGroupTable {
  id: string;
  owner_org_id: string;
  name: string;
  description: string;
  created_at: number;
}

export interface SharingGroupMemberTable {
  group_id: string;
  org_id: string;
}

/** The columns every shared record carries (see kernel/sharing). */
export interface SharedColumns {
  owner_org_id: string;
  tlp: string;
  dist_scope: string;
  dist_group_id: string | null;
  /**
   * The listed organisations of scope `orgs`, as `,id1,id2,` (null otherwise). Kept in the row so that
   * visibility is a condition on the row alone: no join or subquery on any read path, on either engine.
   */
  dist_orgs: string | null;
}

export interface EventTable {
  id: Generated<number>;
  at: number;
  type: string;
  record_kind: string | null;
  record_id: string | null;
  /** Who caused it (organisation), for the audit trail of the stream itself. */
  actor_org_id: string | null;
  /**
   * Who may see the event: the audience of the record at the time of the change. `aud_owner` is the
   * owner organisation (null for events meant only for the listed recipients, e.g. removals).
   */
  aud_owner: string | null;
  aud_scope: string;
  aud_group_id: string | null;
  /** The listed organisations of scope `orgs`, as `,id1,id2,` (see SharedColumns.dist_orgs). */
  aud_orgs: string | null;
  /** JSON payload: the record as it is after the change, or what changed. */
  data: string;
}

export interface AuditTable {
  seq: number;
  at: number;
  org_id: string | null;
  actor_user_id: string | null;
  actor_token_id: string | null;
  address: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  /** JSON. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row: the newest audit entry, so a deleted tail of the chain is detected too. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
