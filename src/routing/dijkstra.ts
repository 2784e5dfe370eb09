import { NodeHeap } from './min-heap.js';
import type { IncomingArcs, ProfileGraph } from './profile-graph.js';
import { plantSeeds, type Seeds } from './hierarchy-query.js';

/**
 * Plain Dijkstra on the profile graph: the reference the hierarchy is checked against, the exact fallback
 * when a closure touches a route, and the engine of isochrones. `closed` marks arcs that may not be driven.
 */
export class DijkstraSearch {
  readonly dist: Float64Array;
  readonly parentArc: Int32Array;
  private readonly stampOf: Int32Array;
  private readonly heap: NodeHeap;
  private stamp = 0;
  private readonly otherDist: Float64Array;
  private readonly otherParent: Int32Array;
  private readonly otherStamp: Int32Array;
  private readonly otherHeap: NodeHeap;

  constructor(
    private readonly graph: ProfileGraph,
    private readonly incoming: IncomingArcs,
  ) {
    const n = graph.nodeCount;
    this.dist = new Float64Array(n);
    this.parentArc = new Int32Array(n);
    this.stampOf = new Int32Array(n);
    this.heap = new NodeHeap(n);
    this.otherDist = new Float64Array(n);
    this.otherParent = new Int32Array(n);
    this.otherStamp = new Int32Array(n);
    this.otherHeap = new NodeHeap(n);
  }

  /** Whether the last `run` reached the node (its `dist` is then final). */
  reached(node: number): boolean {
    return this.stampOf[node] === this.stamp;
  }

  distanceTo(node: number): number {
    return this.reached(node) ? this.dist[node]! : Infinity;
  }

  /**
   * One-to-all from the seeds, forward (travel from the seeds) or backward (travel to the seeds), up to
   * `maxCost`, or until every node in `stopAfter` is settled.
   */
  run(seeds: Seeds, options: { backward?: boolean; closed?: Uint8Array | null; maxCost?: number; stopAfter?: number[] } = {}): void {
    const stamp = ++this.stamp;
    const heap = this.heap;
    heap.clear();
    const { dist, parentArc, stampOf } = this;
    plantSeeds(seeds, heap, dist, parentArc, stampOf, stamp);
    const maxCost = options.maxCost ?? Infinity;
    const closed = options.closed ?? null;
    const backward = options.backward ?? false;
    const { firstOut, arcHead, arcWeight } = this.graph;
    const { firstIn, inArc, arcTail } = this.incoming;
    let waiting = options.stopAfter ? new Set(options.stopAfter) : null;
    while (!heap.isEmpty && heap.minKey() <= maxCost) {
      const u = heap.pop();
      if (waiting) {
        waiting.delete(u);
        if (waiting.size === 0) break;
      }
      const du = dist[u]!;
      const start = backward ? firstIn[u]! : firstOut[u]!;
      const end = backward ? firstIn[u + 1]! : firstOut[u + 1]!;
      for (let i = start; i < end; i++) {
        const a = backward ? inArc[i]! : i;
        if (closed !== null && closed[a] === 1) continue;
        const x = backward ? arcTail[a]! : arcHead[a]!;
        const d = du + arcWeight[a]!;
        if (stampOf[x] !== stamp || d < dist[x]!) {
          dist[x] = d;
          stampOf[x] = stamp;
          parentArc[x] = a;
          heap.push(x, d);
        }
      }
    }
    // Nodes still queued hold tentative distances beyond the bound: forget them.
    while (!heap.isEmpty) stampOf[heap.pop()] = stamp - 1;
    waiting = null;
  }

  /** Arcs of the last forward run's route to `node`, in driving order. */
  pathTo(node: number): { arcs: number[]; sourceNode: number } {
    const arcs: number[] = [];
    for (let a = this.parentArc[node]!; a >= 0; a = this.parentArc[node]!) {
      arcs.push(a);
      node = this.incoming.arcTail[a]!;
    }
    return { arcs: arcs.reverse(), sourceNode: node };
  }

  /** Arcs of the last backward run's route from `node` to a seed, in driving order. */
  pathFrom(node: number): { arcs: number[]; targetNode: number } {
    const arcs: number[] = [];
    for (let a = this.parentArc[node]!; a >= 0; a = this.parentArc[node]!) {
      arcs.push(a);
      node = this.graph.arcHead[a]!;
    }
    return { arcs, targetNode: node };
  }

  /** Bidirectional Dijkstra, point to point; stops once the two frontiers' keys sum to the best meeting. */
  route(sources: Seeds, targets: Seeds, closed: Uint8Array | null = null): { cost: number; arcs: number[]; sourceNode: number; targetNode: number } {
    const stamp = ++this.stamp;
    const fh = this.heap;
    const bh = this.otherHeap;
    fh.clear();
    bh.clear();
    plantSeeds(sources, fh, this.dist, this.parentArc, this.stampOf, stamp);
    plantSeeds(targets, bh, this.otherDist, this.otherParent, this.otherStamp, stamp);
    const { firstOut, arcHead, arcWeight } = this.graph;
    const { firstIn, inArc, arcTail } = this.incoming;
    let best = Infinity;
    let meet = -1;
    while (!fh.isEmpty && !bh.isEmpty && fh.minKey() + bh.minKey() < best) {
      const forward = fh.size <= bh.size;
      const heap = forward ? fh : bh;
      const dist = forward ? this.dist : this.otherDist;
      const parent = forward ? this.parentArc : this.otherParent;
      const own = forward ? this.stampOf : this.otherStamp;
      const otherDist = forward ? this.otherDist : this.dist;
      const otherOwn = forward ? this.otherStamp : this.stampOf;
      const u = heap.pop();
      const du = dist[u]!;
      const start = forward ? firstOut[u]! : firstIn[u]!;
      const end = forward ? firstOut[u + 1]! : firstIn[u + 1]!;
      for (let i = start; i < end; i++) {
        const a = forward ? i : inArc[i]!;
        if (closed !== null && closed[a] === 1) continue;
        const x = forward ? arcHead[a]! : arcTail[a]!;
        const d = du + arcWeight[a]!;
        if (own[x] !== stamp || d < dist[x]!) {
          dist[x] = d;
          own[x] = stamp;
          parent[x] = a;
          heap.push(x, d);
        }
        if (otherOwn[x] === stamp && own[x] === stamp && dist[x]! + otherDist[x]! < best) {
          best = dist[x]! + otherDist[x]!;
          meet = x;
        }
      }
      if (otherOwn[u] === stamp && du + otherDist[u]! < best) {
        best = du + otherDist[u]!;
        meet = u;
      }
    }
    if (meet < 0) return { cost: Infinity, arcs: [], sourceNode: -1, targetNode: -1 };
    const arcs: number[] = [];
    let node = meet;
    for (let a = this.parentArc[node]!; a >= 0; a = this.parentArc[node]!) {
      arcs.push(a);
      node = arcTail[a]!;
    }
    const sourceNode = node;
    arcs.reverse();
    node = meet;
    for (let a = this.otherParent[node]!; a >= 0; a = this.otherParent[node]!) {
      arcs.push(a);
      node = arcHead[a]!;
    }
    return { cost: best, arcs, sourceNode, targetNode: node };
  }
}
