/** Ingestion: datastreams, observations, and the paths readings arrive by (MQTT, HTTP, replay). */
export { type Datastream, type Reading, type Rejection, type RejectionReason, REJECTION_REASONS, DATASTREAM_KINDS, checkReading, isDatastreamKey } from './model.js';
export { type StreamRef, type NewDatastream, insertDatastream, datastreamOf, MINUTE, HOUR } from './queries.js';
export { type AcceptedObservation, type IngestBatch, type IngestOutcome, IngestPipeline, IngestBusyError, IngestClosedError } from './pipeline.js';
export { Ingestion, type PathStatus } from './service.js';
export { ingestRoutes } from './routes.js';
export { ingestMigrations } from './migrations.js';
export { startBroker, BrokerPortInUseError, type Broker } from './mqtt/broker.js';
export { startSubscriber, type Subscriber } from './mqtt/subscriber.js';
export type { DatastreamTable, DatastreamRow, ObservationTable, AggregateTable } from './schema.js';
