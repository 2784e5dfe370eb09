import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';

export const unitMigrations: MigrationSet = {
  '20261123_07_units': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('units').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('home_station_id', 'text')
        .addColumn('pos_lon', 'double precision')
        .addColumn('pos_lat', 'double precision')
        .addColumn('pos_at', 'bigint')
        .addColumn('pos_heading', 'double precision')
        .addColumn('pos_speed', 'double precision')
        .addColumn('pos_accuracy', 'double precision')
        .addColumn('incident_id', 'text')
        .addColumn('assignment', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('units_created').on('units').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('units_owner').on('units').columns(['owner_org_id', 'status']).execute();
      await db.schema.createIndex('units_incident').on('units').columns(['incident_id']).execute();
      await db.schema
        .createTable('unit_dispatchers')
        .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addPrimaryKeyConstraint('unit_dispatchers_pk', ['unit_id', 'org_id'])
        .execute();
      await db.schema.createIndex('unit_dispatchers_org').on('unit_dispatchers').columns(['org_id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('unit_dispatchers').execute();
      await db.schema.dropTable('units').execute();
    },
  },
};
