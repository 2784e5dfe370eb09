/** Units (fire engines, ambulances, police cars, repair crews), their live positions, and dispatch to incidents. */
export { type Unit, type UnitStatus, type UnitPosition, type Assignment, UNIT_TYPES, UNIT_STATUSES, defaultProfile } from './model.js';
export { getUnit, listUnits, insertUnit, type UnitInput } from './queries.js';
export { unitRoutes } from './routes.js';
export { unitMigrations } from './migrations.js';
export { acceptPositions, unitPositionFromMqtt, parseUnitPositionTopic, UNIT_POSITION_TOPIC_FILTER, type MqttPositionOutcome, type PositionResult } from './avl.js';
export type { UnitTable, UnitDispatcherTable } from './schema.js';
