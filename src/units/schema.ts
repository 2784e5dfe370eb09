import type { SharedColumns } from '../kernel/db/schema.js';

export interface UnitTable extends SharedColumns {
  id: string;
  name: string;
  type: string;
  status: string;
  /** Routing profile: emergency or car. */
  profile: string;
  home_station_id: string | null;
  /** Last position (AVL); all null until the unit reports one. */
  pos_lon: number | null;
  pos_lat: number | null;
  pos_at: number | null;
  pos_heading: number | null;
  pos_speed: number | null;
  pos_accuracy: number | null;
  /** The incident the unit is assigned to, and the assignment as JSON (dispatch time, ETA, route). */
  incident_id: string | null;
  assignment: string | null;
  /** JSON: free attributes (crew, equipment, registration, …). */
  attributes: string;
  created_at: number;
  updated_at: number;
  version: number;
}

/** Organisations, besides the owner, that may dispatch a unit (mutual aid). */
export interface UnitDispatcherTable {
  unit_id: string;
  org_id: string;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    units: UnitTable;
    unit_dispatchers: UnitDispatcherTable;
  }
}
