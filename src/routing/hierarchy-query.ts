import type { Hierarchy } from './contraction.js';
import { NodeHeap } from './min-heap.js';

/**
 * Queries on a contraction hierarchy. Point-to-point: bidirectional Dijkstra where each side only climbs
 * to higher-ranked nodes, with stall-on-demand. One-to-all towards a target (dispatch): PHAST, one upward
 * search from the target then one sweep over all nodes from the highest rank down, linear in graph size.
 *
 * A search starts from seeds (node, offset in ms): a position in the middle of a road reaches the nodes at
 * both ends of its segment, each at its own cost.
 */
export interface Seeds {
  nodes: number[];
  offsets: number[];
}

export interface UpwardGraph {
  first: Int32Array;
  /** The other end of the edge (its head for the forward graph, its tail for the backward graph). */
  other: Int32Array;
  weight: Int32Array;
  edge: Int32Array;
}

export interface SearchableHierarchy extends Hierarchy {
  forwardUp: UpwardGraph;
  backwardUp: UpwardGraph;
  /** Nodes from the highest rank down: the PHAST sweep order. */
  descending: Int32Array;
}

export function prepareHierarchy(h: Hierarchy): SearchableHierarchy {
  const n = h.rank.length;
  const build = (forward: boolean): UpwardGraph => {
    const first = new Int32Array(n + 1);
    const owner = (e: number): number => (forward ? h.edgeTail[e]! : h.edgeHead[e]!);
    const keep = (e: number): boolean => (h.rank[h.edgeHead[e]!]! > h.rank[h.edgeTail[e]!]!) === forward;
    for (let e = 0; e < h.edgeCount; e++) if (keep(e)) first[owner(e) + 1]!++;
    for (let v = 0; v < n; v++) first[v + 1]! += first[v]!;
    const fill = first.slice(0, n);
    const size = first[n]!;
    const graph: UpwardGraph = { first, other: new Int32Array(size), weight: new Int32Array(size), edge: new Int32Array(size) };
    for (let e = 0; e < h.edgeCount; e++) {
      if (!keep(e)) continue;
      const slot = fill[owner(e)]!++;
      graph.other[slot] = forward ? h.edgeHead[e]! : h.edgeTail[e]!;
      graph.weight[slot] = h.edgeWeight[e]!;
      graph.edge[slot] = e;
    }
    return graph;
  };
  const descending = new Int32Array(n);
  for (let v = 0; v < n; v++) descending[n - 1 - h.rank[v]!] = v;
  return { ...h, forwardUp: build(true), backwardUp: build(false), descending };
}

/** Replaces a hierarchy edge by the original arcs it stands for, in driving order. */
export function unpackEdge(h: Hierarchy, edge: number, arcs: number[], stack: number[] = []): void {
  stack.length = 0;
  stack.push(edge);
  while (stack.length > 0) {
    const e = stack.pop()!;
    const a = h.edgeChildA[e]!;
    if (a < 0) arcs.push(h.edgeChildB[e]!);
    else stack.push(h.edgeChildB[e]!, a);
  }
}

export interface HierarchyAnswer {
  cost: number;
  /** Original arcs from a source seed node to a target seed node (empty when they coincide). */
  arcs: number[];
  sourceNode: number;
  targetNode: number;
}

/** One reusable query workspace per hierarchy (not re-entrant; searches allocate nothing). */
export class HierarchyQuery {
  private readonly forwardHeap: NodeHeap;
  private readonly backwardHeap: NodeHeap;
  private readonly forwardDist: Float64Array;
  private readonly backwardDist: Float64Array;
  private readonly forwardParent: Int32Array;
  private readonly backwardParent: Int32Array;
  private readonly forwardStamp: Int32Array;
  private readonly backwardStamp: Int32Array;
  private stamp = 0;
  private readonly towards: Float64Array;
  private readonly towardsParent: Int32Array;
  private readonly stack: number[] = [];
  /** 1 when a node's best way to the target is the upward search's own tree (not a sweep edge). */
  private readonly towardsViaSearch: Uint8Array;
  private readonly selected: Int32Array;
  private selectionRound = 0;

  constructor(private readonly h: SearchableHierarchy) {
    const n = h.rank.length;
    this.forwardHeap = new NodeHeap(n);
    this.backwardHeap = new NodeHeap(n);
    this.forwardDist = new Float64Array(n);
    this.backwardDist = new Float64Array(n);
    this.forwardParent = new Int32Array(n);
    this.backwardParent = new Int32Array(n);
    this.forwardStamp = new Int32Array(n);
    this.backwardStamp = new Int32Array(n);
    this.towards = new Float64Array(n);
    this.towardsParent = new Int32Array(n);
    this.towardsViaSearch = new Uint8Array(n);
    this.selected = new Int32Array(n);
  }

  /** Shortest travel time from any source seed to any target seed; cost Infinity when unreachable. */
  route(sources: Seeds, targets: Seeds, withPath = true): HierarchyAnswer {
    const stamp = ++this.stamp;
    const fh = this.forwardHeap;
    const bh = this.backwardHeap;
    fh.clear();
    bh.clear();
    plantSeeds(sources, fh, this.forwardDist, this.forwardParent, this.forwardStamp, stamp);
    plantSeeds(targets, bh, this.backwardDist, this.backwardParent, this.backwardStamp, stamp);
    let best = Infinity;
    let meet = -1;
    const { forwardUp, backwardUp } = this.h;
    while (true) {
      const kf = fh.minKey();
      const kb = bh.minKey();
      if (kf >= best && kb >= best) break;
      const forward = kf <= kb;
      const heap = forward ? fh : bh;
      const dist = forward ? this.forwardDist : this.backwardDist;
      const parent = forward ? this.forwardParent : this.backwardParent;
      const own = forward ? this.forwardStamp : this.backwardStamp;
      const otherDist = forward ? this.backwardDist : this.forwardDist;
      const otherStamp = forward ? this.backwardStamp : this.forwardStamp;
      const up = forward ? forwardUp : backwardUp;
      const down = forward ? backwardUp : forwardUp;
      const u = heap.pop();
      const du = dist[u]!;
      if (otherStamp[u] === stamp && du + otherDist[u]! < best) {
        best = du + otherDist[u]!;
        meet = u;
      }
      // Stall on demand: if a higher node already reaches u more cheaply, u's upward edges cannot help.
      let stalled = false;
      for (let i = down.first[u]!, end = down.first[u + 1]!; i < end; i++) {
        const x = down.other[i]!;
        if (own[x] === stamp && dist[x]! + down.weight[i]! < du) {
          stalled = true;
          break;
        }
      }
      if (stalled) continue;
      for (let i = up.first[u]!, end = up.first[u + 1]!; i < end; i++) {
        const x = up.other[i]!;
        const d = du + up.weight[i]!;
        if (own[x] !== stamp || d < dist[x]!) {
          dist[x] = d;
          own[x] = stamp;
          parent[x] = up.edge[i]!;
          heap.push(x, d);
        }
      }
    }
    const answer: HierarchyAnswer = { cost: best, arcs: [], sourceNode: -1, targetNode: -1 };
    if (meet < 0 || !withPath) return answer;
    const h = this.h;
    const up: number[] = [];
    let node = meet;
    for (let e = this.forwardParent[node]!; e >= 0; e = this.forwardParent[node]!) {
      up.push(e);
      node = h.edgeTail[e]!;
    }
    answer.sourceNode = node;
    for (let i = up.length - 1; i >= 0; i--) unpackEdge(h, up[i]!, answer.arcs, this.stack);
    node = meet;
    for (let e = this.backwardParent[node]!; e >= 0; e = this.backwardParent[node]!) {
      unpackEdge(h, e, answer.arcs, this.stack);
      node = h.edgeHead[e]!;
    }
    answer.targetNode = node;
    return answer;
  }

  /**
   * Travel time to the target seeds (PHAST) from every node, or, when `sources` are given, from those sources
   * (RPHAST: the sweep visits only the nodes reachable upwards from them, so a large city does not pay for
   * all its nodes). Returns a view valid until the next query; `pathTowards` then gives a source's route.
   */
  allTowards(targets: Seeds, sources?: number[]): Float64Array {
    const order = sources ? this.selectUpwards(sources) : this.h.descending;
    const stamp = ++this.stamp;
    const heap = this.backwardHeap;
    heap.clear();
    const dist = this.backwardDist;
    const own = this.backwardStamp;
    const parent = this.backwardParent;
    plantSeeds(targets, heap, dist, parent, own, stamp);
    const { backwardUp, forwardUp } = this.h;
    while (!heap.isEmpty) {
      const u = heap.pop();
      const du = dist[u]!;
      for (let i = backwardUp.first[u]!, end = backwardUp.first[u + 1]!; i < end; i++) {
        const x = backwardUp.other[i]!;
        const d = du + backwardUp.weight[i]!;
        if (own[x] !== stamp || d < dist[x]!) {
          dist[x] = d;
          own[x] = stamp;
          parent[x] = backwardUp.edge[i]!;
          heap.push(x, d);
        }
      }
    }
    const towards = this.towards;
    const towardsParent = this.towardsParent;
    const viaSearch = this.towardsViaSearch;
    for (let r = 0; r < order.length; r++) {
      const v = order[r]!;
      const reached = own[v] === stamp;
      let best = reached ? dist[v]! : Infinity;
      let via = -1;
      for (let i = forwardUp.first[v]!, end = forwardUp.first[v + 1]!; i < end; i++) {
        const d = forwardUp.weight[i]! + towards[forwardUp.other[i]!]!;
        if (d < best) {
          best = d;
          via = forwardUp.edge[i]!;
        }
      }
      towards[v] = best;
      towardsParent[v] = via;
      viaSearch[v] = via < 0 && reached ? 1 : 0;
    }
    return towards;
  }

  /** Arcs of the route from a swept node found by the last `allTowards`, and the target seed node it ends at. */
  pathTowards(node: number): { arcs: number[]; targetNode: number } {
    const arcs: number[] = [];
    // Climb along sweep edges while they are the better way; then descend the upward search's tree to a target.
    while (this.viaSearch(node) === 0 && this.towardsParent[node]! >= 0) {
      const e = this.towardsParent[node]!;
      unpackEdge(this.h, e, arcs, this.stack);
      node = this.h.edgeHead[e]!;
    }
    for (let e = this.backwardParent[node]!; e >= 0; e = this.backwardParent[node]!) {
      unpackEdge(this.h, e, arcs, this.stack);
      node = this.h.edgeHead[e]!;
    }
    return { arcs, targetNode: node };
  }

  private viaSearch(node: number): number {
    return this.towardsViaSearch[node]!;
  }

  /** Nodes reachable from `sources` along upward edges, highest rank first (the RPHAST selection). */
  private selectUpwards(sources: number[]): Int32Array {
    const round = ++this.selectionRound;
    const mark = this.selected;
    const found: number[] = [];
    const stack: number[] = [];
    for (const s of sources) {
      if (mark[s] === round) continue;
      mark[s] = round;
      stack.push(s);
    }
    const up = this.h.forwardUp;
    while (stack.length > 0) {
      const v = stack.pop()!;
      found.push(v);
      for (let i = up.first[v]!, end = up.first[v + 1]!; i < end; i++) {
        const w = up.other[i]!;
        if (mark[w] !== round) {
          mark[w] = round;
          stack.push(w);
        }
      }
    }
    const rank = this.h.rank;
    return Int32Array.from(found).sort((a, b) => rank[b]! - rank[a]!);
  }
}

/** Puts search seeds in a queue (a node seeded twice keeps its cheaper offset); shared by every search here. */
export function plantSeeds(seeds: Seeds, heap: NodeHeap, dist: Float64Array, parent: Int32Array, own: Int32Array, stamp: number): void {
  for (let i = 0; i < seeds.nodes.length; i++) {
    const v = seeds.nodes[i]!;
    const d = seeds.offsets[i]!;
    if (own[v] === stamp && dist[v]! <= d) continue;
    dist[v] = d;
    own[v] = stamp;
    parent[v] = -1;
    heap.push(v, d);
  }
}
