/**
 * Routing: the public face. Road graph import (OSM PBF / XML / GeoJSON), the graph file, and the Router
 * (snapping, fastest routes with turn-by-turn steps, one-to-many dispatch ranking, isochrones, live closures).
 * Everything here but graph-store and cli is pure: no clock, no I/O.
 */
export { importRoadGraph, roadFileKind, type ImportOptions, type ImportPhase, type RoadFileKind } from './import.js';
export { RoadDataError } from './osm/elements.js';
export { encodeRoadGraph, decodeRoadGraph, GraphFileError, GRAPH_FORMAT_VERSION } from './graph-file.js';
export { defaultGraphPath, readRoadGraphFile, writeRoadGraphFile } from './graph-store.js';
export type { RoadGraph, RoadGraphAbout } from './road-graph.js';
export {
  Router,
  RoutingInputError,
  DEFAULT_MAX_SNAP_DISTANCE_M,
  type RouteAnswer,
  type DispatchAnswer,
  type IsochroneAnswer,
  type RankedUnit,
  type UnrankedUnit,
  type UnitToRank,
  type SnappedPoint,
  type TooFarFromRoad,
  type ClosureFilter,
} from './router.js';
export {
  ClosureError,
  POINT_CLOSURE_RADIUS_M,
  LINE_CLOSURE_WIDTH_M,
  LINE_CLOSURE_MIN_ALONG_M,
  closureFromGeometry,
  type ClosureGeometry,
  type RoadClosure,
} from './closures.js';
export type { RouteStep, TurnModifier, LineString } from './route-answer.js';
export type { IsochroneCollection, IsochroneFeature } from './isochrone.js';
export type { LonLat } from './geometry.js';
export { PROFILE_NAMES, DEFAULT_PROFILE_SETTINGS, parseMaxspeed, type ProfileName, type ProfileSettings } from './profiles.js';
export { registerRoutingCli } from './cli.js';
// The server side of routing: the graph in service, closures as shared records, the HTTP routes.
export { LiveRoads, RoadsUnavailableError, type LiveRoadsOptions, type RoadsStatus } from './live-roads.js';
export { routingRoutes, closuresFor, OSM_ATTRIBUTION } from './routes.js';
export { closureRoutes } from './closure-routes.js';
export { closuresToHold, honouredClosureIds, insertClosure, type ClosureRecord, type ClosureStatus, CLOSURE_STATUSES } from './closure-queries.js';
export { routingMigrations } from './migrations.js';
export type { RoadClosureTable } from './schema.js';
export { parseLonLat, tooFarProblem, routingProblem } from './http.js';
export * as routingSchemas from './schemas.js';
