import type { SharedColumns } from '../kernel/db/schema.js';

export interface AlertTable extends SharedColumns {
  id: string;
  source: string;
  category: string;
  severity: string;
  /** 0 info … 4 critical: filters and sorts by severity without a CASE expression. */
  severity_rank: number;
  status: string;
  title: string;
  description: string;
  /** When it happened (epoch ms): the first occurrence. */
  time: number;
  /** The last repeat folded into this alert (epoch ms). */
  last_seen: number;
  count: number;
  lon: number | null;
  lat: number | null;
  /** GeoJSON geometry as text. */
  location: string | null;
  /** JSON: the values that triggered it. */
  evidence: string;
  dedup_key: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface AlertAssetTable {
  alert_id: string;
  asset_id: string;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    alerts: AlertTable;
    alert_assets: AlertAssetTable;
  }
}
