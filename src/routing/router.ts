import { closedArcs, closedSegments, isActive, type RoadClosure } from './closures.js';
import type { LonLat } from './geometry.js';
import { buildIsochrones, type IsochroneCollection } from './isochrone.js';
import { ProfileEngine, type ArcSeeds, type PathResult, type RouteLeg } from './profile-engine.js';
import { PROFILE_NAMES, type ProfileName } from './profiles.js';
import { describeRoute, legMetres, routeLine, type LineString, type RouteStep } from './route-answer.js';
import type { RoadGraph } from './road-graph.js';
import { RoadIndex, type RoadPosition } from './road-index.js';
import { SEGMENT_ROUNDABOUT } from './road-network.js';

/**
 * The routing service over one loaded road graph: snapping, routes, dispatch ranking, isochrones and live
 * closures. Pure: no clock (every query passes `now`, epoch ms), no I/O.
 *
 * Closures and exactness: a closure only removes arcs, so distances can only grow. The hierarchy is built
 * for the open network; if its shortest route drives no closed arc, that route is still shortest with the
 * closures in place. Otherwise the query is answered again by Dijkstra skipping closed arcs. Either way the
 * answer is exact, and setting a closure costs only compiling it to segments. A trip may start or end on a
 * closed road (responders must reach the scene); it never drives through one.
 */
export const DEFAULT_MAX_SNAP_DISTANCE_M = 250;

export interface SnappedPoint {
  lon: number;
  lat: number;
  /** Metres between the asked point and the road. */
  distanceM: number;
  roadName: string;
  segment: number;
}

export interface TooFarFromRoad {
  status: 'too-far-from-road';
  point: 'from' | 'to' | 'incident' | 'at';
  distanceM: number;
  maxDistanceM: number;
  message: string;
}

export type RouteAnswer =
  | {
      status: 'found';
      profile: ProfileName;
      travelTimeS: number;
      distanceM: number;
      geometry: LineString;
      steps: RouteStep[];
      from: SnappedPoint;
      to: SnappedPoint;
      /** 'dijkstra' when a live closure made the router re-answer without the hierarchy. */
      engine: PathResult['engine'];
    }
  | { status: 'unreachable'; profile: ProfileName; from: SnappedPoint; to: SnappedPoint; message: string }
  | TooFarFromRoad;

export interface UnitToRank {
  id: string;
  /** Last known position (AVL); null when the unit has reported none. */
  position: LonLat | null;
}

export interface RankedUnit {
  id: string;
  etaS: number;
  distanceM: number;
  geometry?: LineString;
  snapped: SnappedPoint;
}

export interface UnrankedUnit {
  id: string;
  reason: 'no-position' | 'too-far-from-road' | 'unreachable';
  distanceM?: number;
}

export type DispatchAnswer =
  | {
      status: 'ranked';
      profile: ProfileName;
      incident: SnappedPoint;
      ranked: RankedUnit[];
      unranked: UnrankedUnit[];
      /** 'dijkstra' when a live closure lay on some unit's hierarchy route and the search was redone around it. */
      engine: 'hierarchy' | 'dijkstra';
    }
  | TooFarFromRoad;

export type IsochroneAnswer = { status: 'found'; profile: ProfileName; origin: SnappedPoint; isochrones: IsochroneCollection } | TooFarFromRoad;

/** A request the router cannot make sense of (bad coordinates, unknown profile, minutes out of range). */
export class RoutingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoutingInputError';
  }
}

/** Which closures a query honours (by id); omitted = every closure. The server passes the ones the caller may see. */
export type ClosureFilter = (closureId: string) => boolean;

interface Common {
  profile?: ProfileName;
  now: number;
  maxSnapDistanceM?: number;
  closures?: ClosureFilter;
}

/** Closed-arc masks kept per profile, for the last few distinct sets of honoured closures. */
const MASK_CACHE_SIZE = 16;

export class Router {
  readonly index: RoadIndex;
  private readonly engines: Record<ProfileName, ProfileEngine>;
  private readonly closures = new Map<string, { closure: RoadClosure; segments: Int32Array }>();
  private readonly maskCache = new Map<ProfileName, Map<string, Uint8Array | null>>();

  constructor(readonly roads: RoadGraph) {
    this.index = new RoadIndex(roads.network);
    this.engines = Object.fromEntries(
      PROFILE_NAMES.map((p) => [p, new ProfileEngine(roads.network, roads.profiles[p].graph, roads.profiles[p].hierarchy)]),
    ) as Record<ProfileName, ProfileEngine>;
  }

  engine(profile: ProfileName): ProfileEngine {
    const engine = this.engines[profile];
    if (!engine) throw new RoutingInputError(`unknown profile "${profile}" (known: ${PROFILE_NAMES.join(', ')})`);
    return engine;
  }

  // ---- closures -------------------------------------------------------------------------------------

  /** Adds or replaces a closure; every query from now on honours it while it is active. Returns the roads it closes. */
  setClosure(closure: RoadClosure): { segments: number } {
    const segments = closedSegments(closure, this.roads.network, this.index);
    this.closures.set(closure.id, { closure, segments });
    this.maskCache.clear();
    return { segments: segments.length };
  }

  /** How many road segments a closure would close, without setting it. Throws ClosureError like setClosure. */
  closureSegments(closure: RoadClosure): number {
    return closedSegments(closure, this.roads.network, this.index).length;
  }

  removeClosure(id: string): boolean {
    this.maskCache.clear();
    return this.closures.delete(id);
  }

  listClosures(): Array<RoadClosure & { segmentCount: number }> {
    return [...this.closures.values()].map(({ closure, segments }) => ({ ...closure, segmentCount: segments.length }));
  }

  /** How many road segments a closure closes on this graph (null when the router does not hold it). */
  closureSegmentCount(id: string): number | null {
    return this.closures.get(id)?.segments.length ?? null;
  }

  /** Forgets closures that ended before `now` (they are inactive anyway; this only frees memory). Returns their ids. */
  removeEndedClosures(now: number): string[] {
    const ended = [...this.closures.values()].filter(({ closure }) => closure.endsAt !== null && closure.endsAt <= now).map(({ closure }) => closure.id);
    for (const id of ended) this.closures.delete(id);
    if (ended.length > 0) this.maskCache.clear();
    return ended;
  }

  /** The roads a closure closes on this graph, as a GeoJSON MultiLineString (for the map). */
  closedRoads(id: string): { type: 'MultiLineString'; coordinates: LonLat[][] } | null {
    const held = this.closures.get(id);
    if (!held) return null;
    const { geometryStart, geometryLon, geometryLat } = this.roads.network;
    const coordinates: LonLat[][] = [];
    for (const s of held.segments) {
      const line: LonLat[] = [];
      for (let p = geometryStart[s]!; p < geometryStart[s + 1]!; p++) line.push([geometryLon[p]!, geometryLat[p]!]);
      coordinates.push(line);
    }
    return { type: 'MultiLineString', coordinates };
  }

  /**
   * Closed arcs of a profile at `now` for the closures a query honours (null when nothing is closed). Cached per
   * distinct set of honoured active closures, so a query pays for a mask only when that set changes.
   */
  closedArcsAt(profile: ProfileName, now: number, honour?: ClosureFilter): Uint8Array | null {
    const active = [...this.closures.values()].filter(({ closure }) => isActive(closure, now) && (!honour || honour(closure.id)));
    const key = active.map(({ closure }) => closure.id).sort().join('\n');
    let cache = this.maskCache.get(profile);
    if (!cache) this.maskCache.set(profile, (cache = new Map()));
    if (cache.has(key)) return cache.get(key)!;
    let mask: Uint8Array | null = null;
    if (active.length > 0) {
      const closedSegment = new Uint8Array(this.roads.network.segmentCount);
      for (const { segments } of active) for (const s of segments) closedSegment[s] = 1;
      mask = closedArcs(this.engine(profile).graph, closedSegment);
    }
    if (cache.size >= MASK_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, mask);
    return mask;
  }

  // ---- snapping -------------------------------------------------------------------------------------

  /** Nearest road the profile may drive, preferring the main connected network when it is nearly as close. */
  snap(point: LonLat, profile: ProfileName = 'car'): RoadPosition | null {
    checkPoint(point);
    const engine = this.engine(profile);
    const reach = engine.segmentReach;
    const any = this.index.nearest(point[0], point[1], (s) => reach[s]! > 0);
    if (!any || reach[any.segment] === 2) return any;
    const main = this.index.nearest(point[0], point[1], (s) => reach[s] === 2, any.distanceM + 50, false);
    return main && main.distanceM <= any.distanceM + 50 ? main : any;
  }

  private snapOrRefuse(point: LonLat, profile: ProfileName, which: TooFarFromRoad['point'], maxM: number): RoadPosition | TooFarFromRoad {
    const at = this.snap(point, profile);
    if (at && at.distanceM <= maxM) return at;
    const distanceM = at ? Math.round(at.distanceM) : Infinity;
    return {
      status: 'too-far-from-road',
      point: which,
      distanceM,
      maxDistanceM: maxM,
      message: at
        ? `the ${which} point is ${distanceM} m from the nearest ${profile} road (at most ${maxM} m allowed)`
        : `there is no ${profile} road in this graph`,
    };
  }

  // ---- routes ---------------------------------------------------------------------------------------

  /** Fastest path between two road positions, or null when none exists. */
  pathBetween(
    from: RoadPosition,
    to: RoadPosition,
    profile: ProfileName,
    now: number,
    algorithm: 'hierarchy' | 'dijkstra' = 'hierarchy',
    honour?: ClosureFilter,
  ): PathResult | null {
    const engine = this.engine(profile);
    const closed = this.closedArcsAt(profile, now, honour);
    const sources = engine.sourceSeeds(from);
    const targets = engine.targetSeeds(to);
    let best = engine.sameRoad(from, to);
    let found = algorithm === 'hierarchy' ? engine.query.route(sources, targets) : engine.dijkstra.route(sources, targets, closed);
    let used: PathResult['engine'] = algorithm;
    if (algorithm === 'hierarchy' && closed !== null && found.cost < Infinity && found.arcs.some((a) => closed[a] === 1)) {
      found = engine.dijkstra.route(sources, targets, closed);
      used = 'dijkstra';
    }
    if (found.cost < (best?.cost ?? Infinity)) {
      const sourceArc = ProfileEngine.seedArc(sources, found.sourceNode);
      const targetArc = ProfileEngine.seedArc(targets, found.targetNode);
      best = { cost: found.cost, engine: used, legs: engine.legs(from, sourceArc, found.arcs, targetArc, to) };
    }
    return best;
  }

  route(request: Common & { from: LonLat; to: LonLat }): RouteAnswer {
    const profile = request.profile ?? 'car';
    const maxM = request.maxSnapDistanceM ?? DEFAULT_MAX_SNAP_DISTANCE_M;
    const from = this.snapOrRefuse(request.from, profile, 'from', maxM);
    if ('status' in from) return from;
    const to = this.snapOrRefuse(request.to, profile, 'to', maxM);
    if ('status' in to) return to;
    const path = this.pathBetween(from, to, profile, request.now, 'hierarchy', request.closures);
    const snappedFrom = this.snapped(from);
    const snappedTo = this.snapped(to);
    if (!path) {
      return { status: 'unreachable', profile, from: snappedFrom, to: snappedTo, message: `no ${profile} route between these points (roads closed or not connected)` };
    }
    const described = this.describe(path.legs, profile, from);
    return {
      status: 'found',
      profile,
      travelTimeS: path.cost / 1000,
      distanceM: Math.round(described.distanceM * 10) / 10,
      geometry: described.geometry,
      steps: described.steps,
      from: snappedFrom,
      to: snappedTo,
      engine: path.engine,
    };
  }

  // ---- dispatch -------------------------------------------------------------------------------------

  /**
   * Ranks units by travel time to an incident with one search (RPHAST towards the incident: one upward
   * search from the incident, one sweep over the nodes above the units), not one route per unit;
   * `withRoutes` of the fastest get their route geometry (default: all).
   */
  rankUnits(request: Common & { incident: LonLat; units: UnitToRank[]; withRoutes?: number | ((id: string) => boolean) }): DispatchAnswer {
    const profile = request.profile ?? 'car';
    const engine = this.engine(profile);
    const maxM = request.maxSnapDistanceM ?? DEFAULT_MAX_SNAP_DISTANCE_M;
    const incident = this.snapOrRefuse(request.incident, profile, 'incident', maxM);
    if ('status' in incident) return incident;
    const closed = this.closedArcsAt(profile, request.now, request.closures);
    const targets = engine.targetSeeds(incident);
    const unranked: UnrankedUnit[] = [];
    const candidates: Array<{ id: string; at: RoadPosition; sources: ArcSeeds; cost: number; node: number; same: PathResult | null }> = [];
    for (const unit of request.units) {
      if (!validPoint(unit.position)) {
        // A unit that never reported, or reported garbage, is listed, not allowed to fail the whole request.
        unranked.push({ id: unit.id, reason: 'no-position' });
        continue;
      }
      const at = this.snap(unit.position, profile);
      if (!at || at.distanceM > maxM) {
        unranked.push({ id: unit.id, reason: 'too-far-from-road', ...(at ? { distanceM: Math.round(at.distanceM) } : {}) });
        continue;
      }
      candidates.push({ id: unit.id, at, sources: engine.sourceSeeds(at), cost: Infinity, node: -1, same: engine.sameRoad(at, incident) });
    }

    const towards = engine.query.allTowards(
      targets,
      candidates.flatMap((c) => c.sources.nodes),
    );
    const rank = (distance: (node: number) => number): void => {
      for (const c of candidates) {
        c.cost = Infinity;
        c.node = -1;
        for (let i = 0; i < c.sources.nodes.length; i++) {
          const d = c.sources.offsets[i]! + distance(c.sources.nodes[i]!);
          if (d < c.cost) {
            c.cost = d;
            c.node = c.sources.nodes[i]!;
          }
        }
      }
    };
    rank((node) => towards[node]!);
    let pathOf = (node: number) => engine.query.pathTowards(node);
    let used: 'hierarchy' | 'dijkstra' = 'hierarchy';
    if (closed !== null && candidates.some((c) => c.node >= 0 && pathOf(c.node).arcs.some((a) => closed[a] === 1))) {
      const dijkstra = engine.dijkstra;
      dijkstra.run(targets, { backward: true, closed, stopAfter: candidates.flatMap((c) => c.sources.nodes) });
      rank((node) => dijkstra.distanceTo(node));
      pathOf = (node) => dijkstra.pathFrom(node);
      used = 'dijkstra';
    }

    const ranked: RankedUnit[] = [];
    const order = candidates
      .map((c) => ({ c, cost: Math.min(c.cost, c.same?.cost ?? Infinity) }))
      .sort((a, b) => a.cost - b.cost || (a.c.id < b.c.id ? -1 : 1));
    const limit = typeof request.withRoutes === 'number' ? request.withRoutes : Infinity;
    const wantsRoute = typeof request.withRoutes === 'function' ? request.withRoutes : (): boolean => true;
    for (const { c, cost } of order) {
      if (cost === Infinity) {
        unranked.push({ id: c.id, reason: 'unreachable' });
        continue;
      }
      let legs: RouteLeg[];
      if (c.same && c.same.cost <= c.cost) legs = c.same.legs;
      else {
        const path = pathOf(c.node);
        legs = engine.legs(c.at, ProfileEngine.seedArc(c.sources, c.node), path.arcs, ProfileEngine.seedArc(targets, path.targetNode), incident);
      }
      const network = this.roads.network;
      // Asked in ranking order, so a caller can take the fastest few of each kind.
      const line = ranked.length < limit && wantsRoute(c.id) ? routeLine(network, legs, [c.at.lon, c.at.lat]) : null;
      const distanceM = line?.distanceM ?? legs.reduce((sum, leg) => sum + legMetres(network, leg), 0);
      ranked.push({
        id: c.id,
        etaS: cost / 1000,
        distanceM: Math.round(distanceM * 10) / 10,
        snapped: this.snapped(c.at),
        ...(line ? { geometry: line.geometry } : {}),
      });
    }
    return { status: 'ranked', profile, incident: this.snapped(incident), ranked, unranked, engine: used };
  }

  // ---- isochrones -----------------------------------------------------------------------------------

  isochrones(request: Common & { at: LonLat; minutes: number[]; cellSizeM?: number }): IsochroneAnswer {
    const profile = request.profile ?? 'car';
    if (request.minutes.length === 0 || request.minutes.some((m) => !Number.isFinite(m) || m <= 0 || m > 180)) {
      throw new RoutingInputError('minutes must be one or more numbers in (0, 180]');
    }
    const engine = this.engine(profile);
    const at = this.snapOrRefuse(request.at, profile, 'at', request.maxSnapDistanceM ?? DEFAULT_MAX_SNAP_DISTANCE_M);
    if ('status' in at) return at;
    const isochrones = buildIsochrones(engine, engine.sourceSeeds(at), at.fraction, request.minutes, {
      projection: this.index.projection,
      cellSizeM: request.cellSizeM ?? 40,
      closed: this.closedArcsAt(profile, request.now, request.closures),
    });
    return { status: 'found', profile, origin: this.snapped(at), isochrones };
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private describe(legs: RouteLeg[], profile: ProfileName, start: RoadPosition) {
    const { graph } = this.engine(profile);
    const flags = this.roads.network.segmentFlags;
    const exitsAt = (arc: number): boolean => {
      const node = graph.arcHead[arc]!;
      for (let a = graph.firstOut[node]!; a < graph.firstOut[node + 1]!; a++) {
        if ((flags[graph.arcSegment[a]!]! & SEGMENT_ROUNDABOUT) === 0) return true;
      }
      return false;
    };
    return describeRoute(this.roads.network, legs, exitsAt, [start.lon, start.lat]);
  }

  private snapped(at: RoadPosition): SnappedPoint {
    const name = this.roads.network.segmentName[at.segment]!;
    return {
      lon: round7(at.lon),
      lat: round7(at.lat),
      distanceM: Math.round(at.distanceM * 10) / 10,
      roadName: name >= 0 ? this.roads.network.names[name]! : '',
      segment: at.segment,
    };
  }
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

function validPoint(point: LonLat | null | undefined): point is LonLat {
  const [lon, lat] = point ?? [];
  return Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon!) <= 180 && Math.abs(lat!) <= 90;
}

function checkPoint(point: LonLat): void {
  if (!validPoint(point)) throw new RoutingInputError(`not a [lon, lat] position: ${JSON.stringify(point)}`);
}
