import type { Generated, Selectable } from 'kysely';

/**
 * The ingestion tables. A datastream has a small integer `sid` besides its public UUID so the observation
 * tables, which hold almost everything, stay compact: (sid, t) is their whole primary key.
 */
export interface DatastreamTable {
  sid: Generated<number>;
  id: string;
  org_id: string;
  key: string;
  /** The asset the sensor is on; its sharing decides who sees the datastream. Null: the owner only. */
  asset_id: string | null;
  kind: string;
  unit: string;
  expected_min: number | null;
  expected_max: number | null;
  created_at: number;
  updated_at: number;
  last_observation_at: number | null;
}

/** One reading. q: 0 good, 1 uncertain, 2 bad. Booleans are stored as 1/0. */
export interface ObservationTable {
  sid: number;
  t: number;
  v: number;
  q: number;
}

/** A per-minute or per-hour aggregate; `t` is the start of the bucket; the mean is sum / count. */
export interface AggregateTable {
  sid: number;
  t: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

export interface IngestRejectionTable {
  org_id: string;
  reason: string;
  count: number;
  last_at: number;
  last_detail: string;
}

/** The most recent refused readings of each organisation, kept so an operator can see what was wrong. */
export interface IngestQuarantineTable {
  id: Generated<number>;
  org_id: string;
  at: number;
  reason: string;
  stream: string | null;
  detail: string;
  payload: string;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    datastreams: DatastreamTable;
    observations: ObservationTable;
    observations_minute: AggregateTable;
    observations_hour: AggregateTable;
    ingest_rejections: IngestRejectionTable;
    ingest_quarantine: IngestQuarantineTable;
  }
}

export type DatastreamRow = Selectable<DatastreamTable>;
