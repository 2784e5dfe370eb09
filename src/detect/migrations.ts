import type { Kysely } from 'kysely';
import type { MigrationSet } from '../kernel/db/migrate.js';

export const detectMigrations: MigrationSet = {
  '20261122_02_detect': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('detector_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('detector_models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addUniqueConstraint('detector_models_version', ['org_id', 'name', 'version'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('detector_models').execute();
      await db.schema.dropTable('detector_settings').execute();
    },
  },
};
