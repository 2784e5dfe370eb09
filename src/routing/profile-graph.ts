import { PROFILE_NAMES, type ProfileName } from './profiles.js';
import type { RoadNetwork } from './road-network.js';

/**
 * The directed graph one profile drives on: arcs (a segment driven along or against its direction) with
 * travel times in integer milliseconds, so sums are exact and contraction-hierarchy answers can be compared
 * with Dijkstra's to the millisecond.
 *
 * Turn restrictions are compiled in by node splitting: for each (intersection v, arriving segment-direction)
 * that carries restrictions, arcs arriving that way are redirected to a copy v' of v whose outgoing arcs are
 * only the permitted ones. The graph stays node-based (a few extra nodes), shortest paths in it are exactly
 * the shortest restriction-respecting routes, and every algorithm (CH, Dijkstra, isochrones) needs no turn logic.
 */
export interface ProfileGraph {
  profile: ProfileName;
  /** Intersections 0..networkNodeCount-1, then restriction copies. */
  nodeCount: number;
  networkNodeCount: number;
  /** For copy n (n >= networkNodeCount): the intersection it stands for is copyOf[n - networkNodeCount]. */
  copyOf: Int32Array;
  /** Outgoing arcs of node n: firstOut[n] .. firstOut[n+1]-1. */
  firstOut: Int32Array;
  arcHead: Int32Array;
  arcWeight: Int32Array;
  arcSegment: Int32Array;
  /** 1 when the arc drives its segment from its `to` node to its `from` node. */
  arcBackward: Uint8Array;
}

export function intersectionOf(graph: ProfileGraph, node: number): number {
  return node < graph.networkNodeCount ? node : graph.copyOf[node - graph.networkNodeCount]!;
}

/** Milliseconds to drive `metres` at `kmh`; never 0, so every arc has a positive cost. */
export function travelMs(metres: number, kmh: number): number {
  return Math.max(1, Math.round((metres * 3600) / kmh));
}

export function buildProfileGraph(network: RoadNetwork, profile: ProfileName): ProfileGraph {
  const speeds = network.speeds[profile];
  const tail: number[] = [];
  const head: number[] = [];
  const weight: number[] = [];
  const segment: number[] = [];
  const backward: number[] = [];
  const addArc = (t: number, h: number, w: number, s: number, b: number): number => {
    tail.push(t);
    head.push(h);
    weight.push(w);
    segment.push(s);
    backward.push(b);
    return tail.length - 1;
  };
  for (let s = 0; s < network.segmentCount; s++) {
    const metres = network.segmentLength[s]!;
    if (speeds.forward[s]! > 0) addArc(network.segmentFrom[s]!, network.segmentTo[s]!, travelMs(metres, speeds.forward[s]!), s, 0);
    if (speeds.backward[s]! > 0) addArc(network.segmentTo[s]!, network.segmentFrom[s]!, travelMs(metres, speeds.backward[s]!), s, 1);
  }

  // Restrictions of this profile, grouped by via node, then by arriving segment-direction.
  const bit = 1 << PROFILE_NAMES.indexOf(profile);
  const r = network.restrictions;
  const byVia = new Map<number, Map<number, { only: Set<number>; forbidden: Set<number> }>>();
  for (let i = 0; i < r.count; i++) {
    if ((r.profiles[i]! & bit) === 0) continue;
    const via = r.via[i]!;
    const fromKey = 2 * r.fromSegment[i]! + r.fromBackward[i]!;
    const toKey = 2 * r.toSegment[i]! + r.toBackward[i]!;
    const groups = byVia.get(via) ?? new Map();
    byVia.set(via, groups);
    const group = groups.get(fromKey) ?? { only: new Set<number>(), forbidden: new Set<number>() };
    groups.set(fromKey, group);
    (r.only[i] ? group.only : group.forbidden).add(toKey);
  }

  const incoming = new Map<number, number[]>();
  const outgoing = new Map<number, number[]>();
  for (let a = 0; a < tail.length; a++) {
    if (byVia.has(head[a]!)) (incoming.get(head[a]!) ?? incoming.set(head[a]!, []).get(head[a]!)!).push(a);
    if (byVia.has(tail[a]!)) (outgoing.get(tail[a]!) ?? outgoing.set(tail[a]!, []).get(tail[a]!)!).push(a);
  }
  const copyOf: number[] = [];
  const arcKey = (a: number): number => 2 * segment[a]! + backward[a]!;
  for (const [via, groups] of byVia) {
    for (const [fromKey, group] of groups) {
      const copy = network.nodeCount + copyOf.length;
      copyOf.push(via);
      for (const a of incoming.get(via) ?? []) if (arcKey(a) === fromKey && head[a] === via) head[a] = copy;
      for (const a of outgoing.get(via) ?? []) {
        const key = arcKey(a);
        const permitted = group.only.size > 0 ? group.only.has(key) : true;
        if (!permitted || group.forbidden.has(key)) continue;
        const added = addArc(copy, head[a]!, weight[a]!, segment[a]!, backward[a]!);
        // A copied arc arriving at another via node must be redirected there too.
        const target = head[added]!;
        if (byVia.has(target)) incoming.get(target)!.push(added);
      }
    }
  }

  const nodeCount = network.nodeCount + copyOf.length;
  const firstOut = new Int32Array(nodeCount + 1);
  for (const t of tail) firstOut[t + 1]!++;
  for (let n = 0; n < nodeCount; n++) firstOut[n + 1]! += firstOut[n]!;
  const fill = firstOut.slice(0, nodeCount);
  const m = tail.length;
  const graph: ProfileGraph = {
    profile,
    nodeCount,
    networkNodeCount: network.nodeCount,
    copyOf: Int32Array.from(copyOf),
    firstOut,
    arcHead: new Int32Array(m),
    arcWeight: new Int32Array(m),
    arcSegment: new Int32Array(m),
    arcBackward: new Uint8Array(m),
  };
  for (let a = 0; a < m; a++) {
    const slot = fill[tail[a]!]!++;
    graph.arcHead[slot] = head[a]!;
    graph.arcWeight[slot] = weight[a]!;
    graph.arcSegment[slot] = segment[a]!;
    graph.arcBackward[slot] = backward[a]!;
  }
  return graph;
}

/** Arcs into each node (for backward searches): firstIn[n] .. firstIn[n+1]-1 index inArc, which holds arc ids. */
export interface IncomingArcs {
  firstIn: Int32Array;
  inArc: Int32Array;
  arcTail: Int32Array;
}

export function incomingArcs(graph: ProfileGraph): IncomingArcs {
  const n = graph.nodeCount;
  const m = graph.arcHead.length;
  const arcTail = new Int32Array(m);
  for (let v = 0; v < n; v++) for (let a = graph.firstOut[v]!; a < graph.firstOut[v + 1]!; a++) arcTail[a] = v;
  const firstIn = new Int32Array(n + 1);
  for (let a = 0; a < m; a++) firstIn[graph.arcHead[a]! + 1]!++;
  for (let v = 0; v < n; v++) firstIn[v + 1]! += firstIn[v]!;
  const fill = firstIn.slice(0, n);
  const inArc = new Int32Array(m);
  for (let a = 0; a < m; a++) inArc[fill[graph.arcHead[a]!]!++] = a;
  return { firstIn, inArc, arcTail };
}
