import { largestComponent } from './components.js';
import type { Hierarchy } from './contraction.js';
import { DijkstraSearch } from './dijkstra.js';
import { HierarchyQuery, prepareHierarchy, type SearchableHierarchy, type Seeds } from './hierarchy-query.js';
import { incomingArcs, type IncomingArcs, type ProfileGraph } from './profile-graph.js';
import type { RoadPosition } from './road-index.js';
import type { RoadNetwork } from './road-network.js';

/** Fraction of a segment's length within which a position counts as standing on the intersection. */
const AT_INTERSECTION = 1e-9;

/** Seeds that remember which arc of the snapped segment each one starts (or ends) on. */
export interface ArcSeeds extends Seeds {
  arcs: number[];
}

/** One leg of a route: part of one segment driven in one direction, between two fractions of its length. */
export interface RouteLeg {
  segment: number;
  arc: number;
  backward: boolean;
  fromFraction: number;
  toFraction: number;
  ms: number;
}

export interface PathResult {
  cost: number;
  legs: RouteLeg[];
  /** Which search answered: the hierarchy, or Dijkstra because a closure touched the hierarchy's route. */
  engine: 'hierarchy' | 'dijkstra' | 'same-road';
}

/** Everything one profile needs at query time, built once when a graph is loaded. */
export class ProfileEngine {
  readonly hierarchy: SearchableHierarchy;
  readonly incoming: IncomingArcs;
  readonly query: HierarchyQuery;
  readonly dijkstra: DijkstraSearch;
  readonly segmentFirstArc: Int32Array;
  readonly segmentArcs: Int32Array;
  /** 1 when the profile may drive the segment at all; 2 when it also touches the largest connected part. */
  readonly segmentReach: Uint8Array;
  /** Restriction copies of each intersection that has some. */
  private readonly copies = new Map<number, number[]>();

  constructor(
    readonly network: RoadNetwork,
    readonly graph: ProfileGraph,
    hierarchy: Hierarchy,
  ) {
    this.hierarchy = prepareHierarchy(hierarchy);
    this.incoming = incomingArcs(graph);
    this.query = new HierarchyQuery(this.hierarchy);
    this.dijkstra = new DijkstraSearch(graph, this.incoming);
    const s = network.segmentCount;
    const m = graph.arcHead.length;
    this.segmentFirstArc = new Int32Array(s + 1);
    for (let a = 0; a < m; a++) this.segmentFirstArc[graph.arcSegment[a]! + 1]!++;
    for (let i = 0; i < s; i++) this.segmentFirstArc[i + 1]! += this.segmentFirstArc[i]!;
    const fill = this.segmentFirstArc.slice(0, s);
    this.segmentArcs = new Int32Array(m);
    for (let a = 0; a < m; a++) this.segmentArcs[fill[graph.arcSegment[a]!]!++] = a;
    for (let c = 0; c < graph.copyOf.length; c++) {
      const of = graph.copyOf[c]!;
      const list = this.copies.get(of) ?? [];
      list.push(graph.networkNodeCount + c);
      this.copies.set(of, list);
    }
    const main = largestComponent(graph);
    this.segmentReach = new Uint8Array(s);
    for (let a = 0; a < m; a++) {
      const seg = graph.arcSegment[a]!;
      // Touching the main network is enough: a dead end (a road up to a bollard) is still reachable.
      const inMain = main[graph.arcHead[a]!] === 1 || main[this.incoming.arcTail[a]!] === 1;
      this.segmentReach[seg] = Math.max(this.segmentReach[seg]!, inMain ? 2 : 1);
    }
  }

  /**
   * Where a trip starting at `at` can be after leaving its segment: the head of each arc of that segment.
   * A position right at an intersection also starts at the intersection itself (arc -1), whatever the
   * segment's one-way rules, since the vehicle may take any road from there.
   */
  sourceSeeds(at: RoadPosition): ArcSeeds {
    const seeds: ArcSeeds = { nodes: [], offsets: [], arcs: [] };
    const end = this.endNode(at);
    if (end >= 0) {
      seeds.nodes.push(end);
      seeds.offsets.push(0);
      seeds.arcs.push(-1);
    }
    for (let i = this.segmentFirstArc[at.segment]!; i < this.segmentFirstArc[at.segment + 1]!; i++) {
      const a = this.segmentArcs[i]!;
      const remaining = this.graph.arcBackward[a] ? at.fraction : 1 - at.fraction;
      seeds.nodes.push(this.graph.arcHead[a]!);
      seeds.offsets.push(Math.round(remaining * this.graph.arcWeight[a]!));
      seeds.arcs.push(a);
    }
    return seeds;
  }

  /** Where a trip ending at `at` must come from: the tail of each arc of that segment (restriction copies included). */
  targetSeeds(at: RoadPosition): ArcSeeds {
    const seeds: ArcSeeds = { nodes: [], offsets: [], arcs: [] };
    const end = this.endNode(at);
    if (end >= 0) {
      for (const node of [end, ...(this.copies.get(end) ?? [])]) {
        seeds.nodes.push(node);
        seeds.offsets.push(0);
        seeds.arcs.push(-1);
      }
    }
    for (let i = this.segmentFirstArc[at.segment]!; i < this.segmentFirstArc[at.segment + 1]!; i++) {
      const a = this.segmentArcs[i]!;
      const driven = this.graph.arcBackward[a] ? 1 - at.fraction : at.fraction;
      seeds.nodes.push(this.incoming.arcTail[a]!);
      seeds.offsets.push(Math.round(driven * this.graph.arcWeight[a]!));
      seeds.arcs.push(a);
    }
    return seeds;
  }

  /** The intersection a position sits on (at either end of its segment), or -1. */
  private endNode(at: RoadPosition): number {
    if (at.fraction <= AT_INTERSECTION) return this.network.segmentFrom[at.segment]!;
    if (at.fraction >= 1 - AT_INTERSECTION) return this.network.segmentTo[at.segment]!;
    return -1;
  }

  /** A trip that stays on one segment, driving it from one fraction to the other, if the direction is allowed. */
  sameRoad(from: RoadPosition, to: RoadPosition): PathResult | null {
    if (from.segment !== to.segment) return null;
    let best: PathResult | null = null;
    for (let i = this.segmentFirstArc[from.segment]!; i < this.segmentFirstArc[from.segment + 1]!; i++) {
      const a = this.segmentArcs[i]!;
      const backward = this.graph.arcBackward[a] === 1;
      if (backward ? to.fraction > from.fraction : to.fraction < from.fraction) continue;
      const cost = Math.round(Math.abs(to.fraction - from.fraction) * this.graph.arcWeight[a]!);
      if (best && best.cost <= cost) continue;
      best = { cost, engine: 'same-road', legs: [leg(this.graph, a, from.fraction, to.fraction)] };
    }
    return best;
  }

  /** Legs of a route that leaves `from` on source arc, drives `arcs`, and ends at `to` on target arc. */
  legs(from: RoadPosition, sourceArc: number, arcs: number[], targetArc: number, to: RoadPosition): RouteLeg[] {
    const g = this.graph;
    const legs: RouteLeg[] = [];
    if (sourceArc >= 0) legs.push(leg(g, sourceArc, from.fraction, g.arcBackward[sourceArc] ? 0 : 1));
    for (const a of arcs) legs.push(leg(g, a, g.arcBackward[a] ? 1 : 0, g.arcBackward[a] ? 0 : 1));
    if (targetArc >= 0) legs.push(leg(g, targetArc, g.arcBackward[targetArc] ? 1 : 0, to.fraction));
    return legs;
  }

  /** The seed arc that put a search at `node` for the cheapest offset (-1: the position is that intersection). */
  static seedArc(seeds: ArcSeeds, node: number): number {
    let best = -1;
    for (let i = 0; i < seeds.nodes.length; i++) {
      if (seeds.nodes[i] === node && (best < 0 || seeds.offsets[i]! < seeds.offsets[best]!)) best = i;
    }
    return best < 0 ? -1 : seeds.arcs[best]!;
  }
}

function leg(g: ProfileGraph, arc: number, fromFraction: number, toFraction: number): RouteLeg {
  return {
    segment: g.arcSegment[arc]!,
    arc,
    backward: g.arcBackward[arc] === 1,
    fromFraction,
    toFraction,
    ms: Math.abs(toFraction - fromFraction) * g.arcWeight[arc]!,
  };
}
