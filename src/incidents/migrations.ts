import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';
import { incidentLifecycleMigrations } from './lifecycle-migrations.js';

export const incidentMigrations: MigrationSet = {
  '20261121_04_incidents': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('incidents').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('severity_rank', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('lon', 'double precision')
        .addColumn('lat', 'double precision')
        .addColumn('location', 'text')
        .addColumn('opened_at', 'bigint', (c) => c.notNull())
        .addColumn('closed_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incidents_opened').on('incidents').columns(['opened_at', 'id']).execute();
      await db.schema.createIndex('incidents_owner_opened').on('incidents').columns(['owner_org_id', 'opened_at', 'id']).execute();
      await db.schema.createIndex('incidents_status_opened').on('incidents').columns(['status', 'opened_at', 'id']).execute();
      await db.schema
        .createTable('incident_alerts')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'alert_id'])
        .execute();
      await db.schema.createIndex('incident_alerts_alert').on('incident_alerts').columns(['alert_id']).execute();
      await db.schema
        .createTable('incident_assets')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('asset_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_assets_pk', ['incident_id', 'asset_id'])
        .execute();
      await db.schema
        .createTable('incident_timeline')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('author_org_id', 'text')
        .addColumn('author_user_id', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_timeline_incident').on('incident_timeline').columns(['incident_id', 'at', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['incident_timeline', 'incident_assets', 'incident_alerts', 'incidents']) await db.schema.dropTable(t).execute();
    },
  },
  ...incidentLifecycleMigrations,
};
