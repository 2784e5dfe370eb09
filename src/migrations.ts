import { alertMigrations } from './alerts/index.js';
import { assetMigrations } from './assets/index.js';
import { detectMigrations } from './detect/migrations.js';
import { ctiMigrations } from './cti/migrations.js';
import { incidentMigrations } from './incidents/index.js';
import { playbookMigrations } from './incidents/playbooks/migrations.js';
import { ingestMigrations } from './ingest/migrations.js';
import * as kernelMigration from './kernel/db/migrations/20261121_01_kernel.js';
import type { MigrationSet } from './kernel/db/migrate.js';
import { warningMigrations } from './warnings/index.js';
import { routingMigrations } from './routing/index.js';
import { unitMigrations } from './units/index.js';
import { waterMigrations } from './water/index.js';

/** Every migration of the kernel and the capabilities; they run in name (date) order. */
export const migrations: MigrationSet = {
  '20261121_01_kernel': kernelMigration,
  ...assetMigrations,
  ...alertMigrations,
  ...incidentMigrations,
  ...ingestMigrations,
  ...detectMigrations,
  ...unitMigrations,
  ...routingMigrations,
  ...waterMigrations,
  ...warningMigrations,
  ...ctiMigrations,
  ...playbookMigrations,
};
