import type { Geometry } from '../kernel/geo.js';
import type { Distribution, Tlp } from '../kernel/sharing/index.js';

/** Common asset types; others may be used (lower-case, dashes), the web map shows them with a generic icon. */
export const ASSET_TYPES = [
  'pump',
  'tank',
  'valve',
  'reservoir',
  'treatment-plant',
  'pumping-station',
  'plc',
  'scada-server',
  'substation',
  'transformer',
  'power-plant',
  'camera',
  'sensor',
  'hospital',
  'station',
  'bridge',
  'tunnel',
  'venue',
  'school',
  'fire-station',
  'police-station',
  'data-centre',
] as const;

export const ASSET_TYPE_PATTERN = '^[a-z][a-z0-9-]{1,39}$';

/** How one asset depends on another; read "from <kind> to": a PLC controls a pump. */
export const DEPENDENCY_KINDS = ['controls', 'feeds', 'supplies', 'monitors', 'located-in'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

export interface Dependency {
  kind: DependencyKind;
  assetId: string;
}

export interface Asset {
  id: string;
  name: string;
  type: string;
  /** 1 (minor) to 5 (vital to the city). */
  criticality: number;
  geometry: Geometry | null;
  attributes: Record<string, unknown>;
  /** What this asset acts on (only those the viewer may see). */
  dependencies: Dependency[];
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AssetFilters {
  type?: string[];
  owner?: string;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  q?: string;
  minCriticality?: number;
  ids?: string[];
}
