import { type Kysely, sql } from 'kysely';
import { type MigrationSet, engineOf } from '../kernel/db/migrate.js';

export const ingestMigrations: MigrationSet = {
  '20261122_01_ingest': {
    async up(db: Kysely<any>) {
      const pg = engineOf(db) === 'postgres';
      await db.schema
        .createTable('datastreams')
        .addColumn('sid', pg ? 'bigint' : 'integer', (c) => (pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('asset_id', 'text', (c) => c.references('assets.id').onDelete('set null'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('expected_min', 'double precision')
        .addColumn('expected_max', 'double precision')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_observation_at', 'bigint')
        .addUniqueConstraint('datastreams_org_key', ['org_id', 'key'])
        .execute();
      await db.schema.createIndex('datastreams_asset').on('datastreams').columns(['asset_id', 'key']).execute();

      // SQLite keeps these tables clustered on (sid, t) without a rowid: half the size, one B-tree per write.
      const compact = (t: ReturnType<Kysely<any>['schema']['createTable']>) => (pg ? t : t.modifyEnd(sql`without rowid`));
      await compact(
        db.schema
          .createTable('observations')
          .addColumn('sid', 'bigint', (c) => c.notNull())
          .addColumn('t', 'bigint', (c) => c.notNull())
          .addColumn('v', 'double precision', (c) => c.notNull())
          .addColumn('q', 'smallint', (c) => c.notNull())
          .addPrimaryKeyConstraint('observations_pk', ['sid', 't']),
      ).execute();
      for (const table of ['observations_minute', 'observations_hour']) {
        await compact(
          db.schema
            .createTable(table)
            .addColumn('sid', 'bigint', (c) => c.notNull())
            .addColumn('t', 'bigint', (c) => c.notNull())
            .addColumn('min', 'double precision', (c) => c.notNull())
            .addColumn('max', 'double precision', (c) => c.notNull())
            .addColumn('sum', 'double precision', (c) => c.notNull())
            .addColumn('count', 'bigint', (c) => c.notNull())
            .addPrimaryKeyConstraint(`${table}_pk`, ['sid', 't']),
        ).execute();
      }

      await db.schema
        .createTable('ingest_rejections')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addColumn('last_at', 'bigint', (c) => c.notNull())
        .addColumn('last_detail', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ingest_rejections_pk', ['org_id', 'reason'])
        .execute();
      await db.schema
        .createTable('ingest_quarantine')
        .addColumn('id', pg ? 'bigint' : 'integer', (c) => (pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('stream', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ingest_quarantine_org').on('ingest_quarantine').columns(['org_id', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['ingest_quarantine', 'ingest_rejections', 'observations_hour', 'observations_minute', 'observations', 'datastreams']) {
        await db.schema.dropTable(t).execute();
      }
    },
  },
};
