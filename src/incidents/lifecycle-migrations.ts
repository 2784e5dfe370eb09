import type { Kysely } from 'kysely';
import type { MigrationSet } from '../kernel/db/migrate.js';

/**
 * The incident lifecycle's storage: resolution and reopen count, the incident lead, assignees, tags, linked
 * incidents, attachments, and the label a note or an attachment carries when it is shared more narrowly than
 * its incident. The sharing columns of notes and attachments are null when they simply follow the incident.
 */
const EVIDENCE_SHARING = ['owner_org_id', 'tlp', 'dist_scope', 'dist_group_id', 'dist_orgs'] as const;

export const incidentLifecycleMigrations: MigrationSet = {
  '20261122_10_incident_lifecycle': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('incidents').addColumn('resolution', 'text').execute();
      await db.schema.alterTable('incidents').addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('incidents').addColumn('lead_user_id', 'text').execute();
      await db.schema.alterTable('incidents').addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema
        .createTable('incident_assignees')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_assignees_pk', ['incident_id', 'user_id'])
        .execute();
      // Both directions are stored, so "what is linked to X" is one indexed lookup either way.
      await db.schema
        .createTable('incident_links')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('linked_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_links_pk', ['incident_id', 'linked_id'])
        .execute();
      for (const column of EVIDENCE_SHARING) await db.schema.alterTable('incident_timeline').addColumn(column, 'text').execute();
      let attachments = db.schema
        .createTable('incident_attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('author_org_id', 'text')
        .addColumn('author_user_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull());
      for (const column of EVIDENCE_SHARING) attachments = attachments.addColumn(column, 'text');
      await attachments.execute();
      await db.schema.createIndex('incident_attachments_incident').on('incident_attachments').columns(['incident_id', 'created_at', 'id']).execute();
      // Imported evidence and indicators: the parts of an alert's evidence a person chose to keep on the incident.
      await db.schema
        .createTable('incident_evidence')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_evidence_pk', ['incident_id', 'alert_id', 'kind', 'name'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['incident_evidence', 'incident_attachments', 'incident_links', 'incident_assignees']) await db.schema.dropTable(t).execute();
      for (const column of EVIDENCE_SHARING) await db.schema.alterTable('incident_timeline').dropColumn(column).execute();
      for (const column of ['tags', 'lead_user_id', 'reopen_count', 'resolution']) await db.schema.alterTable('incidents').dropColumn(column).execute();
    },
  },
};
