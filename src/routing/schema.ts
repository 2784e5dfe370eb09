import type { SharedColumns } from '../kernel/db/schema.js';

/**
 * A road closure as stored: its geometry (GeoJSON), never the segment ids it closes, because those change with
 * every import of the roads. The router compiles the geometry against the graph in service.
 */
export interface RoadClosureTable extends SharedColumns {
  id: string;
  reason: string;
  /** GeoJSON geometry as text: Polygon/MultiPolygon (an area), LineString/MultiLineString (drawn lines), Point/MultiPoint (clicks on roads). */
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  starts_at: number;
  /** Null: until lifted. Ending a closure sets it to the moment it was ended. */
  ends_at: number | null;
  ended_at: number | null;
  /** The incident that closed the road, if any; its responders may drive through (see dispatch). */
  incident_id: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    road_closures: RoadClosureTable;
  }
}
