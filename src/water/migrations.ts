import type { Kysely } from 'kysely';
import { engineOf, type MigrationSet, withSharedColumns } from '../kernel/db/migrate.js';

/** Water models, scenarios, runs and their results, sweeps (see schema.ts). */
export const waterMigrations: MigrationSet = {
  '20261123_01_water': {
    async up(db: Kysely<any>) {
      const blob = engineOf(db) === 'postgres' ? 'bytea' : 'blob';
      const shared = withSharedColumns;

      await shared(db.schema.createTable('water_networks').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('water_networks_owner_name', ['owner_org_id', 'name'])
        .execute();
      await db.schema.createIndex('water_networks_created').on('water_networks').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('water_network_versions')
        .addColumn('network_id', 'text', (c) => c.notNull().references('water_networks.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('inp', 'text', (c) => c.notNull())
        .addColumn('inp_sha256', 'text', (c) => c.notNull())
        .addColumn('layout', 'text', (c) => c.notNull())
        .addColumn('placement', 'text')
        .addColumn('consumers', 'text', (c) => c.notNull())
        .addColumn('stats', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by_user', 'text')
        .addPrimaryKeyConstraint('water_network_versions_pk', ['network_id', 'version'])
        .execute();

      await db.schema
        .createTable('water_network_assets')
        .addColumn('network_id', 'text', (c) => c.notNull().references('water_networks.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('element', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('water_network_assets_pk', ['network_id', 'key'])
        .execute();
      await db.schema.createIndex('water_network_assets_asset').on('water_network_assets').columns(['asset_id']).execute();

      await shared(db.schema.createTable('water_scenarios').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('network_id', 'text', (c) => c.notNull().references('water_networks.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('source_incident_id', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('water_scenarios_created').on('water_scenarios').columns(['created_at', 'id']).execute();
      await db.schema.createIndex('water_scenarios_network').on('water_scenarios').columns(['network_id']).execute();

      await db.schema
        .createTable('water_scenario_versions')
        .addColumn('scenario_id', 'text', (c) => c.notNull().references('water_scenarios.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('network_version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by_org', 'text')
        .addColumn('created_by_user', 'text')
        .addPrimaryKeyConstraint('water_scenario_versions_pk', ['scenario_id', 'version'])
        .execute();

      await db.schema
        .createTable('water_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scenario_id', 'text', (c) => c.notNull().references('water_scenarios.id').onDelete('cascade'))
        .addColumn('scenario_version', 'integer', (c) => c.notNull())
        .addColumn('network_id', 'text', (c) => c.notNull())
        .addColumn('network_version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'double precision', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('requested_by_org', 'text')
        .addColumn('requested_by_user', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('failure', 'text')
        .addColumn('summary', 'text')
        .addColumn('report', 'text')
        .addColumn('junctions', 'text')
        .addColumn('frame_index', 'text')
        .addColumn('series_state', 'text', (c) => c.notNull())
        .addColumn('series_bytes', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('water_runs_scenario').on('water_runs').columns(['scenario_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('water_runs_status').on('water_runs').columns(['status']).execute();

      await db.schema
        .createTable('water_run_series')
        .addColumn('run_id', 'text', (c) => c.notNull().references('water_runs.id').onDelete('cascade'))
        .addColumn('element_kind', 'text', (c) => c.notNull())
        .addColumn('element', 'text', (c) => c.notNull())
        .addColumn('element_type', 'text', (c) => c.notNull())
        .addColumn('quantities', 'text', (c) => c.notNull())
        .addColumn('points', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('water_run_series_pk', ['run_id', 'element_kind', 'element'])
        .execute();

      await db.schema
        .createTable('water_run_frames')
        .addColumn('run_id', 'text', (c) => c.notNull().references('water_runs.id').onDelete('cascade'))
        .addColumn('chunk', 'integer', (c) => c.notNull())
        .addColumn('first_step', 'integer', (c) => c.notNull())
        .addColumn('steps', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('water_run_frames_pk', ['run_id', 'chunk'])
        .execute();

      await shared(db.schema.createTable('water_sweeps').addColumn('id', 'text', (c) => c.primaryKey()))
        .addColumn('network_id', 'text', (c) => c.notNull().references('water_networks.id'))
        .addColumn('network_version', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'double precision', (c) => c.notNull())
        .addColumn('scenarios', 'integer', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('requested_by_user', 'text')
        .addColumn('result', 'text')
        .addColumn('failure', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('water_sweeps_created').on('water_sweeps').columns(['created_at', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of [
        'water_sweeps',
        'water_run_frames',
        'water_run_series',
        'water_runs',
        'water_scenario_versions',
        'water_scenarios',
        'water_network_assets',
        'water_network_versions',
        'water_networks',
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
};
