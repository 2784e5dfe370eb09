import { contractGraph, type Hierarchy } from '../../src/routing/contraction.js';
import { buildProfileGraph, type ProfileGraph } from '../../src/routing/profile-graph.js';
import { RoadNetworkBuilder, type RoadNetwork } from '../../src/routing/road-network.js';

/**
 * A generated city: `side` × `side` intersections 100 m apart. Every tenth street is a 50 km/h avenue;
 * the others are residential in 1 km pieces with posted limits of 20–40 km/h, and one street in three is
 * one-way (alternating directions), so the hierarchy has real structure and few exact ties.
 */
export function gridCityNetwork(side: number, seed = 1): RoadNetwork {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const builder = new RoadNetworkBuilder();
  const lat0 = 48.85;
  const dLat = 100 / 111_195;
  const dLon = 100 / (111_195 * Math.cos((lat0 * Math.PI) / 180));
  const id = (row: number, column: number): number => row * side + column + 1;
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) builder.node(id(r, c), 2.3 + c * dLon, lat0 + r * dLat);
  let wayId = 1;
  for (const horizontal of [true, false]) {
    for (let street = 0; street < side; street++) {
      const avenue = street % 10 === 0;
      const oneway = !avenue && street % 3 === 1 ? (street % 2 === 0 ? 'yes' : '-1') : 'no';
      for (let start = 0; start < side - 1; start += 10) {
        const refs: number[] = [];
        for (let k = start; k <= Math.min(side - 1, start + 10); k++) refs.push(horizontal ? id(street, k) : id(k, street));
        const maxspeed = avenue ? '50' : String(20 + 5 * Math.floor(random() * 5));
        builder.way(wayId++, refs, { highway: avenue ? 'primary' : 'residential', maxspeed, oneway, name: `${horizontal ? 'Rue' : 'Avenue'} ${street}` });
      }
    }
  }
  return builder.build().network;
}

export function gridCity(side: number): { network: RoadNetwork; graph: ProfileGraph; hierarchy: Hierarchy; contractMs: number } {
  const network = gridCityNetwork(side);
  const graph = buildProfileGraph(network, 'car');
  const started = performance.now();
  const hierarchy = contractGraph(graph);
  return { network, graph, hierarchy, contractMs: performance.now() - started };
}
