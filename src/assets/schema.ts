import type { SharedColumns } from '../kernel/db/schema.js';

export interface AssetTable extends SharedColumns {
  id: string;
  name: string;
  type: string;
  criticality: number;
  /** GeoJSON geometry as text; null for assets without a place (a SCADA server in a data centre abroad). */
  geometry: string | null;
  lon: number | null;
  lat: number | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  /** JSON: free attributes (model, serial, address, population served, …). */
  attributes: string;
  created_at: number;
  updated_at: number;
  version: number;
}

/** A typed dependency: `from` controls / feeds / supplies / monitors / is located in `to`. */
export interface AssetLinkTable {
  from_asset_id: string;
  kind: string;
  to_asset_id: string;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    assets: AssetTable;
    asset_links: AssetLinkTable;
  }
}
