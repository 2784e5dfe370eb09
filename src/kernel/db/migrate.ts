import { type CreateTableBuilder, type Kysely, type Migration, type MigrationResultSet, Migrator, PostgresAdapter } from 'kysely';
import type { Engine } from './connection.js';

/**
 * Versioned schema changes. Each capability owns its migrations (`migrations.ts` in its folder) and
 * names them `YYYYMMDD_NN_what`; src/migrations.ts lists them all, and they run in name order.
 * A migration runs in its own transaction on both engines, so a failed one leaves nothing half-done.
 */
export type MigrationSet = Record<string, Migration>;

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export async function migrateToLatest(db: Kysely<any>, migrations: MigrationSet): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'vigil_migrations',
    migrationLockTableName: 'vigil_migrations_lock',
  });
  return migrator.migrateToLatest();
}

export async function pendingMigrations(db: Kysely<any>, migrations: MigrationSet): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'vigil_migrations',
    migrationLockTableName: 'vigil_migrations_lock',
  });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** The columns every shared record carries (see kernel/sharing and SharedColumns), added to a new table. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations build tables untyped, as Kysely advises
export function withSharedColumns<T extends string>(table: CreateTableBuilder<T, any>): CreateTableBuilder<T, any> {
  return table
    .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('dist_scope', 'text', (c) => c.notNull())
    .addColumn('dist_group_id', 'text')
    .addColumn('dist_orgs', 'text');
}
