// What the routing and units API answers (src/units/schemas.ts, src/routing/schemas.ts), as the web app reads it.
import type { Distribution, Tlp } from '../api/types';

export const UNIT_STATUSES = ['available', 'dispatched', 'on-scene', 'out-of-service'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface UnitPosition {
  lon: number;
  lat: number;
  at: string;
  headingDeg: number | null;
  speedKmh: number | null;
  accuracyM: number | null;
}

export interface LineString {
  type: 'LineString';
  coordinates: Array<[number, number]>;
}

export interface Assignment {
  incidentId: string;
  dispatchedAt: string;
  dispatchedByOrgId: string | null;
  etaS: number | null;
  distanceM: number | null;
  routeStatus: string;
  route: LineString | null;
  onSceneAt: string | null;
}

export interface Unit {
  id: string;
  name: string;
  type: string;
  status: UnitStatus;
  profile: string;
  homeStationId: string | null;
  position: UnitPosition | null;
  /** Absent in live events (they never carry it), null when the unit is not assigned or the incident is not yours to see. */
  assignment?: Assignment | null;
  dispatcherOrgIds: string[];
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  version: number;
  updatedAt: string;
}

export interface UnitEta {
  unitId: string;
  name: string;
  type: string;
  status: string;
  ownerOrgId: string;
  profile: string;
  etaS: number;
  distanceM: number;
  position: UnitPosition;
  positionAgeS: number;
  offRoadM: number;
  geometry?: LineString;
}

export interface DispatchRecommendation {
  incidentId: string;
  target: { lon: number; lat: number; roadName: string; offRoadM: number };
  byType: Array<{ type: string; units: UnitEta[] }>;
  ranked: UnitEta[];
  unranked: Array<{ unitId: string; name: string; type: string; reason: string; distanceM?: number }>;
  busy: Array<{ unitId: string; name: string; type: string; status: string }>;
  engine: string;
  closuresHonoured: number;
  computedAt: string;
}

export interface DispatchAnswer {
  unit: Unit;
  route: { travelTimeS: number; distanceM: number; geometry: LineString; steps: Array<{ instruction: string }> } | null;
  timelineEntry: { id: string; text: string };
}

export type ClosureStatus = 'scheduled' | 'active' | 'ended';

export interface Closure {
  id: string;
  reason: string;
  geometry: GeoJSON.Geometry;
  startsAt: string;
  endsAt: string | null;
  endedAt: string | null;
  status: ClosureStatus;
  incidentId: string | null;
  roadsClosed: number | null;
  ownerOrgId: string;
  tlp: Tlp;
  version: number;
}

export interface IsochroneAnswer {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; properties: { minutes: number; areaKm2: number }; geometry: GeoJSON.Geometry }>;
  profile: string;
  origin: { lon: number; lat: number; roadName?: string };
  closuresHonoured: number;
}
