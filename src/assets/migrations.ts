import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';

export const assetMigrations: MigrationSet = {
  '20261121_02_assets': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('assets').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('criticality', 'integer', (c) => c.notNull())
        .addColumn('geometry', 'text')
        .addColumn('lon', 'double precision')
        .addColumn('lat', 'double precision')
        .addColumn('min_lon', 'double precision')
        .addColumn('min_lat', 'double precision')
        .addColumn('max_lon', 'double precision')
        .addColumn('max_lat', 'double precision')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('assets_created').on('assets').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('assets_owner').on('assets').columns(['owner_org_id', 'created_at']).execute();
      await db.schema.createIndex('assets_type').on('assets').columns(['type']).execute();
      await db.schema
        .createTable('asset_links')
        .addColumn('from_asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('to_asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('asset_links_pk', ['from_asset_id', 'kind', 'to_asset_id'])
        .execute();
      await db.schema.createIndex('asset_links_to').on('asset_links').columns(['to_asset_id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('asset_links').execute();
      await db.schema.dropTable('assets').execute();
    },
  },
};
