import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';

export const routingMigrations: MigrationSet = {
  '20261123_08_road_closures': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('road_closures').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('geometry', 'text', (c) => c.notNull())
        .addColumn('min_lon', 'double precision', (c) => c.notNull())
        .addColumn('min_lat', 'double precision', (c) => c.notNull())
        .addColumn('max_lon', 'double precision', (c) => c.notNull())
        .addColumn('max_lat', 'double precision', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('incident_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('road_closures_created').on('road_closures').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('road_closures_ends').on('road_closures').columns(['ends_at']).execute();
      await db.schema.createIndex('road_closures_incident').on('road_closures').columns(['incident_id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('road_closures').execute();
    },
  },
};
