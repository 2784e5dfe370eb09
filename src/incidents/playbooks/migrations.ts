import type { Kysely } from 'kysely';
import { type MigrationSet, withSharedColumns } from '../../kernel/db/migrate.js';

/**
 * Playbooks per organisation (every version kept: a run follows the version it started with), the runs
 * started on incidents with one row per task (who it is assigned to, its status and due time, for the
 * task list and the overdue check), the notices already raised (each once), and each organisation's
 * live-correlation settings.
 */
export const playbookMigrations: MigrationSet = {
  '20261122_20_playbooks': {
    async up(db: Kysely<any>) {
      await withSharedColumns(db.schema.createTable('playbooks').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('incident_types', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('playbooks_owner_slug').on('playbooks').columns(['owner_org_id', 'slug']).unique().execute();
      await db.schema
        .createTable('playbook_versions')
        .addColumn('playbook_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('playbook_versions_pk', ['playbook_id', 'version'])
        .execute();
      await db.schema
        .createTable('playbook_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('playbook_id', 'text', (c) => c.notNull())
        .addColumn('playbook_version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('playbook_runs_incident').on('playbook_runs').columns(['incident_id', 'started_at']).execute();
      await db.schema.createIndex('playbook_runs_unfinished').on('playbook_runs').columns(['finished_at']).execute();
      await db.schema
        .createTable('playbook_tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('playbook_runs.id').onDelete('cascade'))
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('assigned_org_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('due_at', 'bigint')
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('playbook_tasks_incident').on('playbook_tasks').columns(['incident_id', 'run_id', 'position']).execute();
      await db.schema.createIndex('playbook_tasks_due').on('playbook_tasks').columns(['status', 'due_at']).execute();
      await db.schema
        .createTable('playbook_notices')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('correlation_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('exclusions', 'text', (c) => c.notNull())
        .addColumn('cap', 'integer', (c) => c.notNull())
        .addColumn('open_alone', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['correlation_settings', 'playbook_notices', 'playbook_tasks', 'playbook_runs', 'playbook_versions', 'playbooks']) await db.schema.dropTable(t).execute();
    },
  },
};
