import { type Kysely, sql } from 'kysely';
import { engineOf, type MigrationSet } from '../kernel/db/migrate.js';

export const ctiMigrations: MigrationSet = {
  '20261123_01_cti_store': {
    async up(db: Kysely<any>) {
      const pg = engineOf(db) === 'postgres';
      // SQLite: `integer primary key` is the rowid itself, so rows are stored in seq order.
      await db.schema
        .createTable('stix_objects')
        .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('stix_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('version_micros', 'bigint', (c) => c.notNull())
        .addColumn('spec_version', 'text', (c) => c.notNull())
        .addColumn('date_added', 'bigint', (c) => c.notNull())
        .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('dist_scope', 'text', (c) => c.notNull())
        .addColumn('dist_group_id', 'text')
        .addColumn('dist_orgs', 'text')
        .addColumn('marked_tlp', 'text')
        .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('import_id', 'text', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // Re-imports are idempotent per holder; a new `modified` is a new row.
      await db.schema.createIndex('stix_objects_holder_version').unique().on('stix_objects').columns(['owner_org_id', 'stix_id', 'version']).execute();
      // The versions of one object (latest/first version, duplicates across holders).
      await db.schema.createIndex('stix_objects_versions').on('stix_objects').columns(['stix_id', 'version_micros', 'seq']).execute();
      // TAXII collections walk seq order within a scope, a group or a holder.
      await db.schema.createIndex('stix_objects_scope_seq').on('stix_objects').columns(['dist_scope', 'dist_group_id', 'seq']).execute();
      await db.schema.createIndex('stix_objects_owner_seq').on('stix_objects').columns(['owner_org_id', 'seq']).execute();
      await db.schema.createIndex('stix_objects_type_seq').on('stix_objects').columns(['type', 'seq']).execute();
      await db.schema.createIndex('stix_objects_date_added').on('stix_objects').columns(['date_added']).execute();

      // Staging is scratch: on PostgreSQL it is not written to the WAL (a crash loses imports in flight, which
      // were never committed anyway).
      await (pg ? db.schema.createTable('stix_import_rows').modifyFront(sql`unlogged`) : db.schema.createTable('stix_import_rows'))
        .addColumn('import_id', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('row_id', 'text', (c) => c.notNull())
        .addColumn('stix_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('version_micros', 'bigint', (c) => c.notNull())
        .addColumn('spec_version', 'text', (c) => c.notNull())
        .addColumn('tlp', 'text')
        .addColumn('marked_tlp', 'text')
        .addColumn('dist_scope', 'text', (c) => c.notNull())
        .addColumn('dist_group_id', 'text')
        .addColumn('dist_orgs', 'text')
        .addColumn('marking_refs', 'text')
        .addColumn('revoked', 'integer', (c) => c.notNull())
        .addColumn('object', 'text', (c) => c.notNull())
        .addColumn('staged_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('stix_import_rows_pk', ['import_id', 'n'])
        .execute();

      await db.schema
        .createTable('stix_counter')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('last_seq', 'bigint', (c) => c.notNull())
        .addColumn('last_date_added', 'bigint', (c) => c.notNull())
        .execute();
      await db.insertInto('stix_counter').values({ id: 1, last_seq: 0, last_date_added: 0 }).execute();

      await db.schema
        .createTable('stix_imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('actor_user_id', 'text')
        .addColumn('actor_token_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('collection_id', 'text')
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('stored', 'integer', (c) => c.notNull())
        .addColumn('duplicates', 'integer', (c) => c.notNull())
        .addColumn('invalid', 'integer', (c) => c.notNull())
        .addColumn('narrowed', 'integer', (c) => c.notNull())
        .addColumn('successes', 'text', (c) => c.notNull())
        .addColumn('failures', 'text', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('stix_imports_org').on('stix_imports').columns(['owner_org_id', 'requested_at']).execute();

      await db.schema
        .createTable('taxii_collections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('taxii_collections_scope', ['kind', 'ref_id'])
        .execute();

      await db.schema
        .createTable('cti_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('cti_feeds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('collection_id', 'text')
        .addColumn('username', 'text')
        .addColumn('secret', 'text')
        .addColumn('every_seconds', 'integer', (c) => c.notNull())
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('dist_scope', 'text', (c) => c.notNull())
        .addColumn('dist_group_id', 'text')
        .addColumn('dist_orgs', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('next_token', 'text')
        .addColumn('added_after', 'text')
        .addColumn('last_pull_at', 'bigint')
        .addColumn('last_success_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('next_pull_at', 'bigint', (c) => c.notNull())
        .addColumn('objects_received', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cti_feeds_due').on('cti_feeds').columns(['enabled', 'next_pull_at']).execute();

      await db.schema
        .createTable('cti_feed_seen')
        .addColumn('feed_id', 'text', (c) => c.notNull().references('cti_feeds.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('stamp', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('cti_feed_seen_pk', ['feed_id', 'key'])
        .execute();

      await db.schema
        .createTable('security_events')
        .addColumn('id', pg ? 'bigint' : 'integer', (c) => (pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('security_events_received').on('security_events').columns(['received_at']).execute();

      await db.schema
        .createTable('indicator_sightings')
        .addColumn('indicator_stix_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('first_seen', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .addColumn('alert_id', 'text')
        .addColumn('sighting_stix_id', 'text', (c) => c.notNull())
        .addColumn('sighting_modified', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('indicator_sightings_pk', ['indicator_stix_id', 'org_id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['indicator_sightings', 'security_events', 'cti_feed_seen', 'cti_feeds', 'cti_settings', 'taxii_collections', 'stix_imports', 'stix_counter', 'stix_import_rows', 'stix_objects']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
};
