import type { OsmMember, OsmSink, Tags } from './osm/elements.js';
import { barrierBlocks, DEFAULT_PROFILE_SETTINGS, directionSpeeds, PROFILE_NAMES, roadClassCode, type ProfileName, type ProfileSettings } from './profiles.js';
import { metresBetween } from './geometry.js';

/**
 * The road network shared by every profile: intersections (nodes) and the road pieces between them
 * (segments), with their geometry, names, classes, per-profile speeds and turn restrictions.
 * A segment runs between two consecutive intersections of one OSM way, in the way's direction.
 */
export interface RoadNetwork {
  nodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  nodeOsmId: Float64Array;
  segmentCount: number;
  segmentFrom: Int32Array;
  segmentTo: Int32Array;
  segmentLength: Float64Array;
  segmentWayId: Float64Array;
  segmentName: Int32Array;
  segmentClass: Uint8Array;
  segmentFlags: Uint8Array;
  /** Geometry of segment s: points geometryStart[s] .. geometryStart[s+1]-1, endpoints included. */
  geometryStart: Uint32Array;
  geometryLon: Float64Array;
  geometryLat: Float64Array;
  names: string[];
  /** Planning speed (km/h) per profile along (forward) and against (backward) the segment; 0 = not allowed. */
  speeds: Record<ProfileName, { forward: Float32Array; backward: Float32Array }>;
  restrictions: TurnRestrictions;
  settings: ProfileSettings;
}

export const SEGMENT_ROUNDABOUT = 1;

/**
 * Turn restrictions at an intersection (via node): coming along `fromSegment` (direction `fromBackward`),
 * `only` = you must continue onto the to-segment; otherwise you may not. `profiles` is a bit mask over PROFILE_NAMES.
 */
export interface TurnRestrictions {
  count: number;
  fromSegment: Int32Array;
  fromBackward: Uint8Array;
  via: Int32Array;
  toSegment: Int32Array;
  toBackward: Uint8Array;
  only: Uint8Array;
  profiles: Uint8Array;
}

export interface NetworkStats {
  roadWays: number;
  segments: number;
  nodes: number;
  missingNodeRefs: number;
  restrictions: { applied: number; viaWay: number; ambiguous: number; unsupported: number };
  /** Barrier nodes on roads that stop at least one profile (bollards, blocks, closed gates, …). */
  barriers: number;
}

interface RoadWay {
  id: number;
  refs: number[];
  tags: Tags;
  speeds: Array<{ forward: number; backward: number }>;
}

interface RestrictionRelation {
  id: number;
  members: OsmMember[];
  tags: Tags;
}

/** Collects OSM elements from any reader, then builds the network. */
export class RoadNetworkBuilder implements OsmSink {
  private nodeIds: number[] = [];
  private nodeLons: number[] = [];
  private nodeLats: number[] = [];
  private ways: RoadWay[] = [];
  private relations: RestrictionRelation[] = [];
  /** Barrier nodes that stop some profile: OSM id → bit mask over PROFILE_NAMES. */
  private barriers = new Map<number, number>();

  constructor(private readonly settings: ProfileSettings = DEFAULT_PROFILE_SETTINGS) {}

  node(id: number, lon: number, lat: number, tags?: Tags): void {
    this.nodeIds.push(id);
    this.nodeLons.push(lon);
    this.nodeLats.push(lat);
    if (tags?.barrier !== undefined) {
      const blocks = PROFILE_NAMES.reduce((mask, profile, i) => (barrierBlocks(tags, profile) ? mask | (1 << i) : mask), 0);
      if (blocks !== 0) this.barriers.set(id, blocks);
    }
  }

  way(id: number, refs: number[], tags: Tags): void {
    if (roadClassCode(tags.highway) === undefined || refs.length < 2) return;
    const speeds = PROFILE_NAMES.map((profile) => directionSpeeds(tags, profile, this.settings));
    if (speeds.every((s) => s.forward === 0 && s.backward === 0)) return;
    this.ways.push({ id, refs, tags, speeds });
  }

  relation(id: number, members: OsmMember[], tags: Tags): void {
    if (tags.type === 'restriction') this.relations.push({ id, members, tags });
  }

  build(): { network: RoadNetwork; stats: NetworkStats } {
    const coordinates = new NodeCoordinates(this.nodeIds, this.nodeLons, this.nodeLats);
    const viaNodes = new Set<number>();
    for (const r of this.relations) for (const m of r.members) if (m.role === 'via' && m.type === 'node') viaNodes.add(m.ref);
    const uses = new Map<number, number>();
    for (const way of this.ways) for (const ref of way.refs) uses.set(ref, (uses.get(ref) ?? 0) + 1);

    const out = new SegmentCollector();
    let missingNodeRefs = 0;
    const waySegments = new Map<number, number[]>();
    for (const way of this.ways) {
      const refs = way.refs.filter((ref, i) => i === 0 || ref !== way.refs[i - 1]);
      const at = refs.map((ref) => coordinates.find(ref));
      const last = refs.length - 1;
      // A closed way with one junction would become a loop segment: split it halfway so it stays routable.
      const middle = refs[0] === refs[last] ? Math.floor(last / 2) : -1;
      let start = -1;
      let points: number[] = [];
      let pointRefs: number[] = [];
      const emit = (from: number, to: number, geometry: number[]): void => {
        const list = waySegments.get(way.id) ?? [];
        list.push(out.addSegment(from, to, geometry, way));
        waySegments.set(way.id, list);
      };
      for (let i = 0; i <= last; i++) {
        const index = at[i]!;
        if (index < 0) {
          missingNodeRefs++;
          start = -1;
          continue;
        }
        const ref = refs[i]!;
        const lon = coordinates.lon[index]!;
        const lat = coordinates.lat[index]!;
        const junction =
          i === 0 || i === last || i === middle || (uses.get(ref) ?? 0) >= 2 || viaNodes.has(ref) || this.barriers.has(ref) || at[i - 1]! < 0 || at[i + 1]! < 0;
        if (start < 0) {
          start = out.nodeFor(ref, lon, lat);
          points = [lon, lat];
          pointRefs = [ref];
          continue;
        }
        points.push(lon, lat);
        pointRefs.push(ref);
        if (!junction) continue;
        const end = out.nodeFor(ref, lon, lat);
        if (end !== start) emit(start, end, points);
        else if (pointRefs.length >= 3) {
          // A loop back to the same junction (a turning loop): split it at its middle point so it stays routable.
          const m = Math.floor(pointRefs.length / 2);
          const middleNode = out.nodeFor(pointRefs[m]!, points[2 * m]!, points[2 * m + 1]!);
          emit(start, middleNode, points.slice(0, 2 * m + 2));
          emit(middleNode, end, points.slice(2 * m));
        }
        start = end;
        points = [lon, lat];
        pointRefs = [ref];
      }
    }
    const restrictions = resolveRestrictions(this.relations, waySegments, out);
    const barriers = barrierRestrictions(this.barriers, out, restrictions.rows);
    const network = out.finish(restrictionTable(restrictions.rows), this.settings);
    return {
      network,
      stats: {
        roadWays: this.ways.length,
        segments: network.segmentCount,
        nodes: network.nodeCount,
        missingNodeRefs,
        restrictions: restrictions.stats,
        barriers,
      },
    };
  }
}

/** OSM node coordinates looked up by id with a binary search over sorted ids (files are usually sorted). */
class NodeCoordinates {
  readonly ids: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;

  constructor(ids: number[], lons: number[], lats: number[]) {
    const order = Array.from(ids.keys());
    let sorted = true;
    for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! <= ids[i]!;
    if (!sorted) order.sort((a, b) => ids[a]! - ids[b]!);
    this.ids = Float64Array.from(order, (i) => ids[i]!);
    this.lon = Float64Array.from(order, (i) => lons[i]!);
    this.lat = Float64Array.from(order, (i) => lats[i]!);
  }

  find(id: number): number {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

class SegmentCollector {
  readonly nodeIndex = new Map<number, number>();
  readonly nodeOsm: number[] = [];
  readonly nodeLon: number[] = [];
  readonly nodeLat: number[] = [];
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly length: number[] = [];
  readonly wayId: number[] = [];
  readonly name: number[] = [];
  readonly roadClass: number[] = [];
  readonly flags: number[] = [];
  readonly geometryStart: number[] = [0];
  readonly geometry: number[] = [];
  readonly speeds: number[][] = PROFILE_NAMES.map(() => []);
  readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();

  nodeFor(osmId: number, lon: number, lat: number): number {
    let index = this.nodeIndex.get(osmId);
    if (index === undefined) {
      index = this.nodeOsm.length;
      this.nodeIndex.set(osmId, index);
      this.nodeOsm.push(osmId);
      this.nodeLon.push(lon);
      this.nodeLat.push(lat);
    }
    return index;
  }

  addSegment(from: number, to: number, points: number[], way: RoadWay): number {
    let metres = 0;
    for (let i = 2; i < points.length; i += 2) metres += metresBetween(points[i - 2]!, points[i - 1]!, points[i]!, points[i + 1]!);
    this.from.push(from);
    this.to.push(to);
    this.length.push(metres);
    this.wayId.push(way.id);
    this.name.push(this.nameFor(way.tags));
    this.roadClass.push(roadClassCode(way.tags.highway)!);
    const junction = way.tags.junction;
    this.flags.push(junction === 'roundabout' || junction === 'circular' ? SEGMENT_ROUNDABOUT : 0);
    for (const p of points) this.geometry.push(p);
    this.geometryStart.push(this.geometry.length / 2);
    way.speeds.forEach((s, i) => this.speeds[i]!.push(s.forward, s.backward));
    return this.from.length - 1;
  }

  private nameFor(tags: Tags): number {
    const label = tags.name && tags.ref ? `${tags.name} (${tags.ref})` : (tags.name ?? tags.ref);
    if (!label) return -1;
    let index = this.nameIndex.get(label);
    if (index === undefined) {
      index = this.names.push(label) - 1;
      this.nameIndex.set(label, index);
    }
    return index;
  }

  finish(restrictions: TurnRestrictions, settings: ProfileSettings): RoadNetwork {
    const geometry = Float64Array.from(this.geometry);
    const speeds = {} as RoadNetwork['speeds'];
    PROFILE_NAMES.forEach((profile, p) => {
      const pairs = this.speeds[p]!;
      speeds[profile] = {
        forward: Float32Array.from({ length: this.from.length }, (_, s) => pairs[2 * s]!),
        backward: Float32Array.from({ length: this.from.length }, (_, s) => pairs[2 * s + 1]!),
      };
    });
    return {
      nodeCount: this.nodeOsm.length,
      nodeLon: Float64Array.from(this.nodeLon),
      nodeLat: Float64Array.from(this.nodeLat),
      nodeOsmId: Float64Array.from(this.nodeOsm),
      segmentCount: this.from.length,
      segmentFrom: Int32Array.from(this.from),
      segmentTo: Int32Array.from(this.to),
      segmentLength: Float64Array.from(this.length),
      segmentWayId: Float64Array.from(this.wayId),
      segmentName: Int32Array.from(this.name),
      segmentClass: Uint8Array.from(this.roadClass),
      segmentFlags: Uint8Array.from(this.flags),
      geometryStart: Uint32Array.from(this.geometryStart),
      geometryLon: geometry.filter((_, i) => i % 2 === 0),
      geometryLat: geometry.filter((_, i) => i % 2 === 1),
      names: this.names,
      speeds,
      restrictions,
      settings,
    };
  }
}

const CAR_EXEMPT = ['motorcar', 'motor_vehicle', 'vehicle'];
const EMERGENCY_EXEMPT = ['emergency', 'psv', 'bus', ...CAR_EXEMPT];

function resolveRestrictions(
  relations: RestrictionRelation[],
  waySegments: Map<number, number[]>,
  out: SegmentCollector,
): { rows: number[][]; stats: NetworkStats['restrictions'] } {
  const rows: number[][] = [];
  const stats = { applied: 0, viaWay: 0, ambiguous: 0, unsupported: 0 };
  for (const relation of relations) {
    const kind = relation.tags['restriction:motorcar'] ?? relation.tags['restriction:motor_vehicle'] ?? relation.tags.restriction;
    const only = kind?.startsWith('only_') ? 1 : kind?.startsWith('no_') ? 0 : -1;
    const via = relation.members.filter((m) => m.role === 'via');
    const from = relation.members.filter((m) => m.role === 'from' && m.type === 'way');
    const to = relation.members.filter((m) => m.role === 'to' && m.type === 'way');
    if (only < 0 || via.length !== 1 || from.length === 0 || to.length === 0) {
      if (via.some((m) => m.type === 'way')) stats.viaWay++;
      else stats.unsupported++;
      continue;
    }
    if (via[0]!.type !== 'node') {
      stats.viaWay++;
      continue;
    }
    const except = (relation.tags.except ?? '').split(';').map((s) => s.trim());
    let profiles = 0;
    if (!except.some((e) => CAR_EXEMPT.includes(e))) profiles |= 1 << PROFILE_NAMES.indexOf('car');
    if (!except.some((e) => EMERGENCY_EXEMPT.includes(e))) profiles |= 1 << PROFILE_NAMES.indexOf('emergency');
    const v = out.nodeIndex.get(via[0]!.ref);
    if (v === undefined || profiles === 0) {
      stats.unsupported++;
      continue;
    }
    // The segment of the from-way that arrives at the via node, and of the to-way that leaves it.
    const touching = (wayId: number): Array<[number, number]> =>
      (waySegments.get(wayId) ?? []).flatMap((s): Array<[number, number]> =>
        out.from[s] === v ? [[s, 0]] : out.to[s] === v ? [[s, 1]] : [],
      );
    let applied = false;
    for (const f of from) {
      const arriving = touching(f.ref);
      if (arriving.length !== 1) {
        stats.ambiguous++;
        continue;
      }
      const [fromSegment, leavesFrom] = arriving[0]!;
      for (const t of to) {
        const leaving = touching(t.ref);
        if (leaving.length !== 1) {
          stats.ambiguous++;
          continue;
        }
        const [toSegment, arrivesTo] = leaving[0]!;
        // Arriving at v along a segment that starts at v means travelling it backwards, and vice versa.
        rows.push([fromSegment, leavesFrom === 0 ? 1 : 0, v, toSegment, arrivesTo, only, profiles]);
        applied = true;
      }
    }
    if (applied) stats.applied++;
  }
  return { rows, stats };
}

/**
 * A barrier that stops a profile becomes restrictions at its node: arriving on any road, no way on. A trip
 * may still start or end at the barrier. Returns how many barriers lie on roads.
 */
function barrierRestrictions(barriers: Map<number, number>, out: SegmentCollector, rows: number[][]): number {
  const incident = new Map<number, number[]>();
  for (const [osmId] of barriers) {
    const v = out.nodeIndex.get(osmId);
    if (v !== undefined) incident.set(v, []);
  }
  for (let s = 0; s < out.from.length; s++) {
    incident.get(out.from[s]!)?.push(s);
    incident.get(out.to[s]!)?.push(s);
  }
  for (const [v, segments] of incident) {
    const profiles = barriers.get(out.nodeOsm[v]!)!;
    for (const from of segments) {
      for (const to of segments) {
        // Arriving along a segment that ends at v means driving it forwards, and leaving one that starts at v too.
        rows.push([from, out.to[from] === v ? 0 : 1, v, to, out.from[to] === v ? 0 : 1, 0, profiles]);
      }
    }
  }
  return incident.size;
}

function restrictionTable(rows: number[][]): TurnRestrictions {
  const column = (i: number) => rows.map((r) => r[i]!);
  return {
    count: rows.length,
    fromSegment: Int32Array.from(column(0)),
    fromBackward: Uint8Array.from(column(1)),
    via: Int32Array.from(column(2)),
    toSegment: Int32Array.from(column(3)),
    toBackward: Uint8Array.from(column(4)),
    only: Uint8Array.from(column(5)),
    profiles: Uint8Array.from(column(6)),
  };
}
