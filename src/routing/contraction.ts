import { NodeHeap } from './min-heap.js';
import type { ProfileGraph } from './profile-graph.js';

/**
 * Contraction hierarchies (Geisberger et al. 2008). Nodes are contracted one by one, least important first;
 * contracting v adds a shortcut u→w (weight w(u,v)+w(v,w)) whenever a witness search finds no path from u to w
 * avoiding v that is as short. Distances between the remaining nodes are thereby preserved, which is what
 * makes the upward-only bidirectional query exact.
 *
 * Edges of the hierarchy: originals carry childA = -1 and childB = the arc id; shortcuts carry their two
 * halves (tail→middle, middle→head) so a path unpacks without any search.
 */
export interface Hierarchy {
  rank: Int32Array;
  edgeCount: number;
  edgeTail: Int32Array;
  edgeHead: Int32Array;
  edgeWeight: Int32Array;
  edgeChildA: Int32Array;
  edgeChildB: Int32Array;
}

export interface ContractionOptions {
  /** Witness searches give up after this many settled nodes (then a shortcut is added: safe, just larger). */
  witnessSettleLimit?: number;
  progress?: (contracted: number, total: number) => void;
}

class EdgeStore {
  count = 0;
  tail: Int32Array = new Int32Array(1024);
  head: Int32Array = new Int32Array(1024);
  weight: Int32Array = new Int32Array(1024);
  childA: Int32Array = new Int32Array(1024);
  childB: Int32Array = new Int32Array(1024);

  add(t: number, h: number, w: number, a: number, b: number): number {
    if (this.count === this.tail.length) {
      const grow = (old: Int32Array): Int32Array => {
        const next = new Int32Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.tail = grow(this.tail);
      this.head = grow(this.head);
      this.weight = grow(this.weight);
      this.childA = grow(this.childA);
      this.childB = grow(this.childB);
    }
    const e = this.count++;
    this.tail[e] = t;
    this.head[e] = h;
    this.weight[e] = w;
    this.childA[e] = a;
    this.childB[e] = b;
    return e;
  }
}

export function contractGraph(graph: ProfileGraph, options: ContractionOptions = {}): Hierarchy {
  const n = graph.nodeCount;
  const settleLimit = options.witnessSettleLimit ?? 500;
  // Estimating a node's priority only needs a rough count of shortcuts: a shorter witness search will do.
  const estimateLimit = Math.min(settleLimit, 60);
  const edges = new EdgeStore();
  // Adjacency of the graph that remains: only edges between uncontracted nodes.
  const out: number[][] = Array.from({ length: n }, () => []);
  const into: number[][] = Array.from({ length: n }, () => []);

  const link = (t: number, h: number, w: number, a: number, b: number): void => {
    for (const e of out[t]!) {
      if (edges.head[e] !== h) continue;
      // Both ends are uncontracted, so no shortcut references e yet: improving it in place is safe.
      if (w < edges.weight[e]!) {
        edges.weight[e] = w;
        edges.childA[e] = a;
        edges.childB[e] = b;
      }
      return;
    }
    const e = edges.add(t, h, w, a, b);
    out[t]!.push(e);
    into[h]!.push(e);
  };
  for (let v = 0; v < n; v++) {
    for (let a = graph.firstOut[v]!; a < graph.firstOut[v + 1]!; a++) {
      if (graph.arcHead[a] !== v) link(v, graph.arcHead[a]!, graph.arcWeight[a]!, -1, a);
    }
  }

  const dist = new Float64Array(n);
  const stamp = new Int32Array(n);
  let current = 0;
  const heap = new NodeHeap(n);
  // Nodes a witness search must reach (the heads of v's out-edges); it stops once all are settled.
  const targetMark = new Int32Array(n);
  let targetRound = 0;
  const witnessSearch = (source: number, avoid: number, limit: number, maxSettled: number, targets: number): void => {
    current++;
    heap.clear();
    dist[source] = 0;
    stamp[source] = current;
    heap.push(source, 0);
    let settled = 0;
    let waiting = targets;
    while (!heap.isEmpty && heap.minKey() <= limit && settled++ < maxSettled) {
      const u = heap.pop();
      if (targetMark[u] === targetRound && --waiting === 0) break;
      const du = dist[u]!;
      for (const e of out[u]!) {
        const h = edges.head[e]!;
        if (h === avoid) continue;
        const d = du + edges.weight[e]!;
        if (stamp[h] !== current || d < dist[h]!) {
          dist[h] = d;
          stamp[h] = current;
          heap.push(h, d);
        }
      }
    }
  };

  /** Shortcuts needed to contract v; added to the graph when `commit`. */
  const contract = (v: number, commit: boolean): number => {
    let shortcuts = 0;
    const outs = out[v]!;
    targetRound++;
    let targets = 0;
    for (const eo of outs) {
      const w = edges.head[eo]!;
      if (targetMark[w] !== targetRound) {
        targetMark[w] = targetRound;
        targets++;
      }
    }
    for (const ei of into[v]!) {
      const u = edges.tail[ei]!;
      const wu = edges.weight[ei]!;
      let maxOut = -1;
      for (const eo of outs) if (edges.head[eo] !== u && edges.weight[eo]! > maxOut) maxOut = edges.weight[eo]!;
      if (maxOut < 0) continue;
      // u itself may be one of the targets; it is settled first and counts, which is harmless.
      witnessSearch(u, v, wu + maxOut, commit ? settleLimit : estimateLimit, targets);
      for (const eo of outs) {
        const w = edges.head[eo]!;
        if (w === u) continue;
        const via = wu + edges.weight[eo]!;
        if (stamp[w] === current && dist[w]! <= via) continue;
        shortcuts++;
        if (commit) link(u, w, via, ei, eo);
      }
    }
    return shortcuts;
  };

  const contractedNeighbours = new Int32Array(n);
  const depth = new Int32Array(n);
  const priority = (v: number): number =>
    2 * (contract(v, false) - out[v]!.length - into[v]!.length) + contractedNeighbours[v]! + depth[v]!;

  const queue = new NodeHeap(n);
  for (let v = 0; v < n; v++) queue.push(v, priority(v));
  const rank = new Int32Array(n);
  let next = 0;
  while (!queue.isEmpty) {
    const v = queue.pop();
    const p = priority(v);
    if (p > queue.minKey()) {
      queue.push(v, p);
      continue;
    }
    contract(v, true);
    rank[v] = next++;
    const neighbours = new Set<number>();
    for (const e of into[v]!) {
      const u = edges.tail[e]!;
      out[u] = out[u]!.filter((x) => edges.head[x] !== v);
      neighbours.add(u);
    }
    for (const e of out[v]!) {
      const w = edges.head[e]!;
      into[w] = into[w]!.filter((x) => edges.tail[x] !== v);
      neighbours.add(w);
    }
    out[v] = [];
    into[v] = [];
    for (const u of neighbours) {
      contractedNeighbours[u]!++;
      depth[u] = Math.max(depth[u]!, depth[v]! + 1);
      queue.push(u, priority(u), true);
    }
    if (options.progress && (next & 1023) === 0) options.progress(next, n);
  }
  options.progress?.(n, n);
  const m = edges.count;
  return {
    rank,
    edgeCount: m,
    edgeTail: edges.tail.slice(0, m),
    edgeHead: edges.head.slice(0, m),
    edgeWeight: edges.weight.slice(0, m),
    edgeChildA: edges.childA.slice(0, m),
    edgeChildB: edges.childB.slice(0, m),
  };
}
