import type { Kysely } from 'kysely';
import type { MigrationSet } from '../kernel/db/migrate.js';

export const alertMigrations: MigrationSet = {
  '20261121_03_alerts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('dist_scope', 'text', (c) => c.notNull())
        .addColumn('dist_group_id', 'text')
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
      // The list is read newest first, under a visibility condition and optional filters: each index lets
      // the engine walk time order within the most selective filter.
      await db.schema.createIndex('alerts_time').on('alerts').columns(['time', 'id']).execute();
      await db.schema.createIndex('alerts_owner_time').on('alerts').columns(['owner_org_id', 'time', 'id']).execute();
      await db.schema.createIndex('alerts_scope_time').on('alerts').columns(['dist_scope', 'time', 'id']).execute();
      await db.schema.createIndex('alerts_severity_time').on('alerts').columns(['severity_rank', 'time', 'id']).execute();
      await db.schema.createIndex('alerts_status_time').on('alerts').columns(['status', 'time', 'id']).execute();
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
