import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';

export const warningMigrations: MigrationSet = {
  '20261121_09_warnings': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('warnings').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('incident_id', 'text')
        .addColumn('template', 'text')
        .addColumn('template_values', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('proposal', 'text')
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('messages', 'integer', (c) => c.notNull())
        .addColumn('first_published_at', 'bigint')
        .addColumn('last_published_at', 'bigint')
        .addColumn('live', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('status', 'text')
        .execute();
      await db.schema.createIndex('warnings_updated').on('warnings').columns(['updated_at', 'id']).execute();
      await db.schema.createIndex('warnings_owner_updated').on('warnings').columns(['owner_org_id', 'updated_at', 'id']).execute();
      await db.schema.createIndex('warnings_incident').on('warnings').columns(['incident_id']).execute();
      // The feed reads only live warnings: an archive of any size costs nothing.
      await db.schema.createIndex('warnings_live').on('warnings').columns(['live', 'expires_at']).execute();
      // The feed's <updated> is the latest expiry so far: a look at the end of this index.
      await db.schema.createIndex('warnings_expires').on('warnings').columns(['expires_at']).execute();

      await db.schema
        .createTable('cap_messages')
        .addColumn('identifier', 'text', (c) => c.primaryKey())
        .addColumn('warning_id', 'text', (c) => c.notNull().references('warnings.id'))
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('msg_type', 'text', (c) => c.notNull())
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('sent', 'text', (c) => c.notNull())
        .addColumn('refs', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('xml', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('alert', 'text', (c) => c.notNull())
        .addColumn('authors', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text', (c) => c.notNull())
        .addColumn('approver_org_id', 'text', (c) => c.notNull())
        .addColumn('published_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('cap_messages_warning_sequence', ['warning_id', 'sequence'])
        .execute();
      await db.schema.createIndex('cap_messages_published').on('cap_messages').columns(['published_at']).execute();

      await db.schema
        .createTable('warning_approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('warning_id', 'text', (c) => c.notNull().references('warnings.id'))
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('identifier', 'text')
        .execute();
      await db.schema.createIndex('warning_approvals_warning').on('warning_approvals').columns(['warning_id', 'at']).execute();

      await db.schema
        .createTable('webhook_channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('deleted_at', 'bigint')
        .execute();
      await db.schema.createIndex('webhook_channels_org').on('webhook_channels').columns(['org_id']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull().references('webhook_channels.id'))
        .addColumn('identifier', 'text', (c) => c.notNull().references('cap_messages.identifier'))
        .addColumn('warning_id', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_channel').on('webhook_deliveries').columns(['channel_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('webhook_deliveries_identifier').on('webhook_deliveries').columns(['identifier']).execute();

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
        .execute();

      await db.schema
        .createTable('cap_inbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('identifier', 'text', (c) => c.notNull())
        .addColumn('sent', 'text', (c) => c.notNull())
        .addColumn('msg_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('alert_id', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('cap_inbox_message', ['org_id', 'sender', 'identifier'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['cap_inbox', 'webhook_attempts', 'webhook_deliveries', 'webhook_channels', 'warning_approvals', 'cap_messages', 'warnings']) {
        await db.schema.dropTable(t).execute();
      }
    },
  },
};
