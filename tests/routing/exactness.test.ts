import { beforeAll, describe, expect, it } from 'vitest';
import type { RoadClosure } from '../../src/routing/closures.js';
import type { ProfileName } from '../../src/routing/profiles.js';
import type { RoadPosition } from '../../src/routing/road-index.js';
import { Router } from '../../src/routing/index.js';
import { monacoGraph, randomMonacoPoint, randomSource } from './helpers.js';

/**
 * Contraction-hierarchy travel times must equal plain Dijkstra's on the same graph, to the millisecond,
 * on thousands of random pairs in Monaco (which carries 27 turn restrictions), with and without closures.
 */
const now = Date.parse('2026-03-01T08:00:00Z');
let router: Router;

beforeAll(() => {
  router = new Router(monacoGraph());
});

/** Reference: one-directional Dijkstra from the source seeds, skipping closed arcs, independent of the router's logic. */
function dijkstraMs(from: RoadPosition, to: RoadPosition, profile: ProfileName): number {
  const engine = router.engine(profile);
  const closed = router.closedArcsAt(profile, now);
  const targets = engine.targetSeeds(to);
  engine.dijkstra.run(engine.sourceSeeds(from), { closed });
  let best = engine.sameRoad(from, to)?.cost ?? Infinity;
  targets.nodes.forEach((node, i) => (best = Math.min(best, engine.dijkstra.distanceTo(node) + targets.offsets[i]!)));
  return best;
}

function positions(count: number, seed: number, profile: ProfileName): Array<[RoadPosition, RoadPosition]> {
  const random = randomSource(seed);
  const pairs: Array<[RoadPosition, RoadPosition]> = [];
  while (pairs.length < count) {
    const a = router.snap(randomMonacoPoint(random), profile);
    const b = router.snap(randomMonacoPoint(random), profile);
    if (a && b) pairs.push([a, b]);
  }
  return pairs;
}

/** Forbidden (arriving segment-direction, via node, leaving segment-direction) triples of a profile. */
function forbiddenTurns(profile: ProfileName): { no: Set<string>; only: Map<string, Set<string>> } {
  const r = monacoGraph().network.restrictions;
  const bit = profile === 'car' ? 1 : 2;
  const no = new Set<string>();
  const only = new Map<string, Set<string>>();
  for (let i = 0; i < r.count; i++) {
    if ((r.profiles[i]! & bit) === 0) continue;
    const from = `${r.fromSegment[i]}/${r.fromBackward[i]}@${r.via[i]}`;
    const to = `${r.toSegment[i]}/${r.toBackward[i]}`;
    if (r.only[i]) only.set(from, (only.get(from) ?? new Set()).add(to));
    else no.add(`${from}>${to}`);
  }
  return { no, only };
}

describe.each(['car', 'emergency'] as const)('%s profile on Monaco', (profile) => {
  it('hierarchy equals Dijkstra on 3,000 random pairs, and its routes obey every turn restriction', () => {
    const network = monacoGraph().network;
    const { no, only } = forbiddenTurns(profile);
    expect(no.size + only.size).toBeGreaterThan(20);
    let reachable = 0;
    let turnsChecked = 0;
    const violations: string[] = [];
    const mismatches: string[] = [];
    for (const [from, to] of positions(3000, profile === 'car' ? 1 : 2, profile)) {
      const expected = dijkstraMs(from, to, profile);
      const path = router.pathBetween(from, to, profile, now);
      if ((path?.cost ?? Infinity) !== expected) mismatches.push(`${from.segment}@${from.fraction} -> ${to.segment}@${to.fraction}: ${path?.cost} vs ${expected}`);
      if (!path) continue;
      reachable++;
      const legMs = path.legs.reduce((sum, leg) => sum + leg.ms, 0);
      if (path.engine === 'dijkstra' || Math.abs(legMs - path.cost) > 2) mismatches.push(`legs ${legMs} vs ${path.cost} by ${path.engine}`);
      for (let i = 1; i < path.legs.length; i++) {
        const a = path.legs[i - 1]!;
        const b = path.legs[i]!;
        const via = a.backward ? network.segmentFrom[a.segment]! : network.segmentTo[a.segment]!;
        const from = `${a.segment}/${a.backward ? 1 : 0}@${via}`;
        const to = `${b.segment}/${b.backward ? 1 : 0}`;
        const allowed = only.get(from);
        if (no.has(`${from}>${to}`) || (allowed && !allowed.has(to))) violations.push(`${from}>${to}`);
        turnsChecked++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(violations).toEqual([]);
    expect(reachable).toBeGreaterThan(2700);
    expect(turnsChecked).toBeGreaterThan(10_000);
  });

  it('hierarchy plus closures equals Dijkstra that skips the closed roads, on 2,000 random pairs', () => {
    const random = randomSource(profile === 'car' ? 11 : 12);
    const closures: RoadClosure[] = [];
    for (let i = 0; i < 6; i++) {
      const [lon, lat] = randomMonacoPoint(random);
      const d = 0.0012;
      closures.push({
        id: `area-${i}`,
        startsAt: now - 60_000,
        endsAt: now + 3_600_000,
        area: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] },
      });
    }
    const segments = Array.from({ length: 40 }, () => Math.floor(random() * monacoGraph().network.segmentCount));
    closures.push({ id: 'picked', startsAt: now - 1, endsAt: null, segments });
    closures.push({ id: 'future', startsAt: now + 60_000, endsAt: null, area: closures[0]!.area! });
    for (const closure of closures) router.setClosure(closure);
    try {
      const closed = router.closedArcsAt(profile, now)!;
      expect(closed.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
      let rerouted = 0;
      let unreachable = 0;
      const mismatches: string[] = [];
      for (const [from, to] of positions(2000, profile === 'car' ? 21 : 22, profile)) {
        const expected = dijkstraMs(from, to, profile);
        const path = router.pathBetween(from, to, profile, now);
        if ((path?.cost ?? Infinity) !== expected) mismatches.push(`${path?.cost} vs ${expected}`);
        if (!path) {
          unreachable++;
          continue;
        }
        if (path.engine === 'dijkstra') rerouted++;
        // Only the first and last legs (the trip's own roads) may lie on a closed road.
        for (const leg of path.legs.slice(1, -1)) if (closed[leg.arc] !== 0) mismatches.push(`drives closed arc ${leg.arc}`);
      }
      expect(mismatches).toEqual([]);
      expect(rerouted).toBeGreaterThan(100);
      expect(unreachable).toBeLessThan(2000);
    } finally {
      for (const closure of closures) router.removeClosure(closure.id);
    }
    expect(router.closedArcsAt(profile, now)).toBeNull();
  });
});

describe('node to node on the whole Monaco graph', () => {
  it('hierarchy equals bidirectional and one-directional Dijkstra between random intersections', () => {
    const engine = router.engine('car');
    const random = randomSource(99);
    const n = engine.graph.networkNodeCount;
    const mismatches: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = Math.floor(random() * n);
      const t = Math.floor(random() * n);
      const targets = { nodes: [t], offsets: [0] };
      for (let c = 0; c < engine.graph.copyOf.length; c++) {
        if (engine.graph.copyOf[c] === t) targets.nodes.push(n + c), targets.offsets.push(0);
      }
      const source = { nodes: [s], offsets: [0] };
      const hierarchy = engine.query.route(source, targets).cost;
      const bidirectional = engine.dijkstra.route(source, targets).cost;
      engine.dijkstra.run(source);
      const plain = Math.min(...targets.nodes.map((x) => engine.dijkstra.distanceTo(x)));
      if (hierarchy !== plain || bidirectional !== plain) mismatches.push(`${s}->${t}: ${hierarchy} ${bidirectional} ${plain}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('one search towards a target (PHAST and restricted RPHAST)', () => {
  it('gives every node its Dijkstra travel time to the target, and paths that add up', () => {
    const engine = router.engine('emergency');
    const random = randomSource(123);
    const n = engine.graph.nodeCount;
    const mismatches: string[] = [];
    for (let trial = 0; trial < 30; trial++) {
      const target = { nodes: [Math.floor(random() * n)], offsets: [0] };
      const sources = Array.from({ length: 50 }, () => Math.floor(random() * n));
      engine.dijkstra.run(target, { backward: true });
      const expected = sources.map((s) => engine.dijkstra.distanceTo(s));
      const full = engine.query.allTowards(target);
      const fullAnswers = sources.map((s) => full[s]!);
      const restricted = engine.query.allTowards(target, sources);
      sources.forEach((s, i) => {
        if (restricted[s] !== expected[i] || fullAnswers[i] !== expected[i]) mismatches.push(`${s}: ${restricted[s]} ${fullAnswers[i]} ${expected[i]}`);
        if (expected[i]! < Infinity) {
          const { arcs, targetNode } = engine.query.pathTowards(s);
          const sum = arcs.reduce((acc, a) => acc + engine.graph.arcWeight[a]!, 0);
          if (sum !== expected[i] || targetNode !== target.nodes[0]) mismatches.push(`path of ${s}: ${sum} vs ${expected[i]}`);
          for (let k = 1; k < arcs.length; k++) {
            if (engine.incoming.arcTail[arcs[k]!] !== engine.graph.arcHead[arcs[k - 1]!]) mismatches.push(`path of ${s} is not connected`);
          }
        }
      });
    }
    expect(mismatches).toEqual([]);
  });
});
