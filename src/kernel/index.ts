/** The kernel's public face: what capabilities use. The kernel never imports a capability. */
export { type Config, loadConfig, ConfigError, DEMO_PASSWORD } from './config.js';
export { type Kernel, type Write, type Actor, SYSTEM_ACTOR, actorOf, openKernel, createLogger } from './kernel.js';
export { type Store, type Tx, type Queryable, type Engine, openStore } from './db/connection.js';
export type { Database, SharedColumns } from './db/schema.js';
export { type MigrationSet, migrateToLatest, pendingMigrations, engineOf } from './db/migrate.js';
export { newId, isId } from './ids.js';
export { CliError } from './cli-error.js';
export { startProgress, type Progress } from './progress.js';
export { after, textMatches } from './db/list.js';
