import { describe, expect, it } from 'vitest';
import { buildProfileGraph, incomingArcs, travelMs } from '../../src/routing/profile-graph.js';
import { DijkstraSearch } from '../../src/routing/dijkstra.js';
import { contractGraph } from '../../src/routing/contraction.js';
import { HierarchyQuery, prepareHierarchy } from '../../src/routing/hierarchy-query.js';
import { RoadNetworkBuilder, type RoadNetwork } from '../../src/routing/road-network.js';
import { randomSource } from './helpers.js';

/**
 * Node splitting must give exactly the routes of the textbook model of turn restrictions: a search over
 * (segment, direction) states where a turn from one to the next is allowed unless a restriction forbids it.
 * Random small towns with random one-way streets and random, often chained, no_* and only_* restrictions.
 */
function randomTown(seed: number): RoadNetwork {
  const random = randomSource(seed);
  const side = 5;
  const builder = new RoadNetworkBuilder();
  const id = (r: number, c: number) => r * side + c + 1;
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) builder.node(id(r, c), 7.4 + c * 0.001 + random() * 0.0002, 43.7 + r * 0.001);
  const ways: Array<{ id: number; a: number; b: number }> = [];
  let wayId = 100;
  const addWay = (a: number, b: number) => {
    if (random() < 0.12) return; // a missing street now and then
    const oneway = random() < 0.25 ? (random() < 0.5 ? 'yes' : '-1') : 'no';
    builder.way(wayId, [a, b], { highway: random() < 0.3 ? 'primary' : 'residential', oneway });
    ways.push({ id: wayId++, a, b });
  };
  for (let r = 0; r < side; r++) for (let c = 0; c + 1 < side; c++) addWay(id(r, c), id(r, c + 1));
  for (let c = 0; c < side; c++) for (let r = 0; r + 1 < side; r++) addWay(id(r, c), id(r + 1, c));
  for (let k = 0; k < 30; k++) {
    const via = 1 + Math.floor(random() * side * side);
    const touching = ways.filter((w) => w.a === via || w.b === via);
    if (touching.length < 2) continue;
    const from = touching[Math.floor(random() * touching.length)]!;
    const to = touching[Math.floor(random() * touching.length)]!;
    const kind = random() < 0.6 ? 'no_left_turn' : 'only_straight_on';
    builder.relation(1000 + k, [
      { type: 'way', ref: from.id, role: 'from' },
      { type: 'node', ref: via, role: 'via' },
      { type: 'way', ref: to.id, role: 'to' },
    ], { type: 'restriction', restriction: kind });
  }
  return builder.build().network;
}

/** Edge-based reference: cheapest time from intersection s to every intersection, respecting every restriction. */
function turnAwareTimes(network: RoadNetwork, s: number): Float64Array {
  const speeds = network.speeds.car;
  type State = { segment: number; backward: number; head: number; weight: number };
  const states: State[] = [];
  for (let seg = 0; seg < network.segmentCount; seg++) {
    const metres = network.segmentLength[seg]!;
    if (speeds.forward[seg]! > 0) states.push({ segment: seg, backward: 0, head: network.segmentTo[seg]!, weight: travelMs(metres, speeds.forward[seg]!) });
    if (speeds.backward[seg]! > 0) states.push({ segment: seg, backward: 1, head: network.segmentFrom[seg]!, weight: travelMs(metres, speeds.backward[seg]!) });
  }
  const tail = (x: State) => (x.backward ? network.segmentTo[x.segment]! : network.segmentFrom[x.segment]!);
  const r = network.restrictions;
  const allowed = (a: State, b: State): boolean => {
    const only: number[] = [];
    for (let i = 0; i < r.count; i++) {
      if (r.via[i] !== a.head || r.fromSegment[i] !== a.segment || r.fromBackward[i] !== a.backward || (r.profiles[i]! & 1) === 0) continue;
      const hit = r.toSegment[i] === b.segment && r.toBackward[i] === b.backward;
      if (r.only[i]) only.push(hit ? 1 : 0);
      else if (hit) return false;
    }
    return only.length === 0 || only.includes(1);
  };
  const best = new Float64Array(states.length).fill(Infinity);
  const done = new Uint8Array(states.length);
  states.forEach((x, i) => {
    if (tail(x) === s) best[i] = x.weight;
  });
  for (;;) {
    let u = -1;
    for (let i = 0; i < states.length; i++) if (!done[i] && best[i]! < Infinity && (u < 0 || best[i]! < best[u]!)) u = i;
    if (u < 0) break;
    done[u] = 1;
    states.forEach((x, i) => {
      if (tail(x) === states[u]!.head && allowed(states[u]!, x) && best[u]! + x.weight < best[i]!) best[i] = best[u]! + x.weight;
    });
  }
  const times = new Float64Array(network.nodeCount).fill(Infinity);
  times[s] = 0;
  states.forEach((x, i) => (times[x.head] = Math.min(times[x.head]!, best[i]!)));
  return times;
}

describe('turn restrictions by node splitting', () => {
  it('equal the edge-based model on 25 random towns, all pairs, with Dijkstra and with the hierarchy', () => {
    const mismatches: string[] = [];
    let restricted = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const network = randomTown(seed);
      restricted += network.restrictions.count;
      const graph = buildProfileGraph(network, 'car');
      const dijkstra = new DijkstraSearch(graph, incomingArcs(graph));
      const query = new HierarchyQuery(prepareHierarchy(contractGraph(graph)));
      const copiesOf = (v: number) => [v, ...Array.from(graph.copyOf.entries()).filter(([, of]) => of === v).map(([c]) => graph.networkNodeCount + c)];
      for (let s = 0; s < network.nodeCount; s++) {
        const expected = turnAwareTimes(network, s);
        dijkstra.run({ nodes: [s], offsets: [0] });
        for (let t = 0; t < network.nodeCount; t++) {
          const targets = copiesOf(t);
          const split = Math.min(...targets.map((x) => dijkstra.distanceTo(x)));
          const hierarchy = query.route({ nodes: [s], offsets: [0] }, { nodes: targets, offsets: targets.map(() => 0) }, false).cost;
          if (split !== expected[t] || hierarchy !== expected[t]) mismatches.push(`town ${seed}: ${s}->${t} split ${split} hierarchy ${hierarchy} expected ${expected[t]}`);
        }
      }
    }
    expect(restricted).toBeGreaterThan(300);
    expect(mismatches).toEqual([]);
  });
});
