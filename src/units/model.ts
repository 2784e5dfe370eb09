import type { LineString } from '../routing/index.js';
import type { ProfileName } from '../routing/index.js';
import type { Distribution, Tlp } from '../kernel/sharing/index.js';

/** Common unit types; others may be used (lower-case, dashes). The map shows unknown ones with a generic icon. */
export const UNIT_TYPES = ['fire-engine', 'ladder-truck', 'rescue', 'hazmat', 'ambulance', 'police-car', 'repair-crew'] as const;
export const UNIT_TYPE_PATTERN = '^[a-z][a-z0-9-]{1,39}$';

/** Types that drive under blue lights: they route with the emergency profile unless told otherwise. */
const EMERGENCY_TYPES: ReadonlySet<string> = new Set(['fire-engine', 'ladder-truck', 'rescue', 'hazmat', 'ambulance', 'police-car']);

export function defaultProfile(type: string): ProfileName {
  return EMERGENCY_TYPES.has(type) ? 'emergency' : 'car';
}

/**
 *   available       at the station or on patrol, may be sent
 *   dispatched      sent to an incident, on its way
 *   on-scene        arrived at the incident
 *   out-of-service  maintenance, crew off duty: never recommended
 */
export const UNIT_STATUSES = ['available', 'dispatched', 'on-scene', 'out-of-service'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** A live position (AVL), as the vehicle reported it. */
export interface UnitPosition {
  lon: number;
  lat: number;
  /** When the vehicle was there (ISO). */
  at: string;
  headingDeg: number | null;
  speedKmh: number | null;
  accuracyM: number | null;
}

/** Where a dispatched unit is going; shown only to those who may see both the unit and the incident. */
export interface Assignment {
  incidentId: string;
  dispatchedAt: string;
  dispatchedByOrgId: string | null;
  /** Travel time and distance planned at dispatch (null without a position or a route). */
  etaS: number | null;
  distanceM: number | null;
  /** found, or why there is no route: no-position, too-far-from-road, unreachable, no-road-graph. */
  routeStatus: RouteStatus;
  route: LineString | null;
  onSceneAt: string | null;
}

export type RouteStatus = 'found' | 'no-position' | 'too-far-from-road' | 'unreachable' | 'no-road-graph';

export interface Unit {
  id: string;
  name: string;
  type: string;
  status: UnitStatus;
  profile: ProfileName;
  homeStationId: string | null;
  position: UnitPosition | null;
  assignment: Assignment | null;
  /** Organisations besides the owner that may dispatch this unit (mutual aid); they must also see it. */
  dispatcherOrgIds: string[];
  attributes: Record<string, unknown>;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface UnitFilters {
  type?: string[];
  status?: UnitStatus[];
  owner?: string;
  incidentId?: string;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  q?: string;
  ids?: string[];
  /** Only units the viewer's organisation may dispatch (owner or named dispatcher). */
  dispatchableBy?: string;
}

/** "3 min 20 s", for the timeline. */
export function describeDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}
