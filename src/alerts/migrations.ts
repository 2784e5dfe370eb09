import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';

export const alertMigrations: MigrationSet = {
  '20261121_03_alerts': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('alerts').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('severity_rank', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('lon', 'double precision')
        .addColumn('lat', 'double precision')
        .addColumn('location', 'text')
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      // The list is read newest first under a visibility condition and optional filters. The list indexes
      // carry every column those conditions read, so the engine finds a page's ids by scanning the index alone
      // (no table lookups per candidate row) and then fetches just the rows of the page.
      const listed = ['owner_org_id', 'dist_scope', 'dist_group_id', 'dist_orgs', 'severity_rank', 'status', 'category', 'lon', 'lat'];
      await db.schema.createIndex('alerts_list').on('alerts').columns(['time', 'id', ...listed]).execute();
      await db.schema
        .createIndex('alerts_severity_list')
        .on('alerts')
        .columns(['severity_rank', 'time', 'id', ...listed.filter((c) => c !== 'severity_rank')])
        .execute();
      await db.schema.createIndex('alerts_status_list').on('alerts').columns(['status', 'time', 'id', ...listed.filter((c) => c !== 'status')]).execute();
      await db.schema.createIndex('alerts_owner_time').on('alerts').columns(['owner_org_id', 'time', 'id']).execute();
      await db.schema.createIndex('alerts_dedup').on('alerts').columns(['owner_org_id', 'dedup_key']).execute();
      await db.schema
        .createTable('alert_assets')
        .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
        .addColumn('asset_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_assets_pk', ['alert_id', 'asset_id'])
        .execute();
      await db.schema.createIndex('alert_assets_asset').on('alert_assets').columns(['asset_id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('alert_assets').execute();
      await db.schema.dropTable('alerts').execute();
    },
  },
};
