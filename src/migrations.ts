import { alertMigrations } from './alerts/index.js';
import { assetMigrations } from './assets/index.js';
import { ctiMigrations } from './cti/migrations.js';
import { incidentMigrations } from './incidents/index.js';
import * as kernelMigration from './kernel/db/migrations/20261121_01_kernel.js';
import type { MigrationSet } from './kernel/db/migrate.js';

/** Every migration of the kernel and the capabilities; they run in name (date) order. */
export const migrations: MigrationSet = {
  '20261121_01_kernel': kernelMigration,
  ...assetMigrations,
  ...alertMigrations,
  ...incidentMigrations,
  ...ctiMigrations,
};
