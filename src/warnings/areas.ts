import type { Geometry } from '../kernel/geo.js';
import type { AreaInput, LocalizedText } from './authoring.js';
import { formatCircle, GeometryError, hullAroundPoints, polygonsFromGeoJson, type LatLon } from './geometry.js';
import type { Area, Info } from './model.js';

/**
 * Where a warning applies, as a person or another capability says it, turned into CAP areas. Positions are
 * GeoJSON's [longitude, latitude]; CAP's "lat,lon" strings are made here and nowhere else.
 *
 * - circle: a radius around a point ("500 m around the suspicious device");
 * - polygon: a GeoJSON Polygon or MultiPolygon (drawn on the map);
 * - hull: every point and everything within the buffer of one, e.g. the junctions a contaminant reaches in
 *   the water simulation (its results are lists of junction positions: pass them as `points`);
 * - incident: derived on the server from the incident's location and the places of its assets.
 */
export type AreaSpec =
  | { kind: 'circle'; areaDesc?: LocalizedText; center: number[]; radiusMeters: number }
  | { kind: 'polygon'; areaDesc?: LocalizedText; geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] } }
  | { kind: 'hull'; areaDesc?: LocalizedText; points: number[][]; bufferMeters: number; source?: string }
  | { kind: 'incident'; areaDesc?: LocalizedText; bufferMeters?: number };

/** Around an incident that is a single point, or a single asset, this far when nothing else is said. */
export const DEFAULT_INCIDENT_BUFFER_METERS = 500;

export type AreaResult = { ok: true; areas: AreaInput[] } | { ok: false; reasons: string[] };

/** What the server knows of an incident's place: its own location and the geometries of its assets. */
export interface IncidentPlace {
  location: Geometry | null;
  assetGeometries: Geometry[];
}

/**
 * CAP areas from the specs. `fallbackDesc` names an area whose spec has none (the areaDesc placeholder);
 * `incident` is needed only for specs of kind incident.
 */
export function areasFromSpecs(specs: readonly AreaSpec[], fallbackDesc: LocalizedText | undefined, incident?: IncidentPlace): AreaResult {
  const reasons: string[] = [];
  const areas: AreaInput[] = [];
  specs.forEach((spec, i) => {
    const where = `areas[${i}]`;
    const areaDesc = spec.areaDesc ?? fallbackDesc;
    if (areaDesc === undefined || (typeof areaDesc === 'string' && areaDesc.trim() === '')) {
      reasons.push(`${where}: say what the area is called (areaDesc), e.g. "La Condamine"`);
      return;
    }
    try {
      const shape = shapeOf(spec, incident);
      if (typeof shape === 'string') reasons.push(`${where}: ${shape}`);
      else areas.push({ areaDesc, ...shape });
    } catch (error) {
      if (error instanceof GeometryError) reasons.push(`${where}: ${error.message}`);
      else throw error;
    }
  });
  if (specs.length === 0) reasons.push('a warning needs at least one area');
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, areas };
}

function shapeOf(spec: AreaSpec, incident: IncidentPlace | undefined): { polygon?: string[]; circle?: string[] } | string {
  switch (spec.kind) {
    case 'circle':
      return { circle: [formatCircle(latLon(spec.center), spec.radiusMeters / 1000)] };
    case 'polygon':
      return { polygon: polygonsFromGeoJson(spec.geometry).polygon };
    case 'hull':
      if (spec.points.length === 0) return 'a hull needs at least one point';
      if (spec.points.length === 1) return { circle: [formatCircle(latLon(spec.points[0]!), spec.bufferMeters / 1000)] };
      return { polygon: [hullAroundPoints(spec.points.map(latLon), spec.bufferMeters)] };
    case 'incident':
      if (!incident) return 'this warning is not drafted from an incident: give the area as a circle, polygon or hull';
      return incidentShape(incident, spec.bufferMeters ?? DEFAULT_INCIDENT_BUFFER_METERS);
  }
}

/**
 * The incident's own area when it is one (polygon); otherwise the places of the incident and of its assets:
 * a circle around a single place, a hull around several.
 */
export function incidentShape(incident: IncidentPlace, bufferMeters: number): { polygon?: string[]; circle?: string[] } | string {
  const loc = incident.location;
  if (loc && (loc.type === 'Polygon' || loc.type === 'MultiPolygon')) {
    return { polygon: polygonsFromGeoJson(loc as Parameters<typeof polygonsFromGeoJson>[0]).polygon };
  }
  const points = [loc, ...incident.assetGeometries].filter((g): g is Geometry => g !== null).flatMap(positionsOf);
  const distinct = [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()];
  if (distinct.length === 0) return 'the incident has no location and none of its assets has one: give the area as a circle, polygon or hull';
  if (distinct.length === 1) return { circle: [formatCircle(latLon(distinct[0]!), bufferMeters / 1000)] };
  return { polygon: [hullAroundPoints(distinct.map(latLon), bufferMeters)] };
}

function positionsOf(g: Geometry): number[][] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
  }
}

function latLon(position: number[]): LatLon {
  const [lon, lat] = position;
  if (typeof lon !== 'number' || typeof lat !== 'number') throw new GeometryError('a position is [longitude, latitude]');
  return { lat, lon };
}

/** Replaces the areas of every info block, each in its own language. */
export function withAreas(info: readonly Info[], areas: readonly AreaInput[]): Info[] {
  return info.map((block) => ({
    ...block,
    area: areas.map(
      (a): Area => ({
        areaDesc: typeof a.areaDesc === 'string' ? a.areaDesc : (a.areaDesc[block.language as keyof typeof a.areaDesc] ?? Object.values(a.areaDesc)[0] ?? ''),
        polygon: a.polygon ?? [],
        circle: a.circle ?? [],
        geocode: a.geocode ?? [],
      }),
    ),
  }));
}

/** The areas of a published message, as inputs for its next message: each area with its name in every language. */
export function areasOfMessage(info: readonly Info[]): AreaInput[] {
  const first = info[0];
  if (!first) return [];
  return first.area.map((area, i) => {
    const names: Record<string, string> = {};
    for (const block of info) {
      const name = block.area[i]?.areaDesc;
      if (name !== undefined) names[block.language ?? 'en-US'] = name;
    }
    return { areaDesc: names, polygon: area.polygon, circle: area.circle, geocode: area.geocode };
  });
}
