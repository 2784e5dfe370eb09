import { describe, expect, it } from 'vitest';
import { metresBetween } from '../../src/routing/geometry.js';
import { travelMs } from '../../src/routing/profile-graph.js';
import { importRoadGraph, Router, type RouteAnswer } from '../../src/routing/index.js';
import { here, importFile } from './helpers.js';

/**
 * The hand-made town (fixtures/small-town.osm), nodes on a 3 x 3 grid, 0.001° apart:
 *
 *   7 —Rue Haute (one-way →)— 8 —————— 9
 *   |                  ↑ Rue Milieu     |
 *   4 —Avenue Centrale (primary, 50)— 5 — 6      Voie Bus: busway 4–8; Chemin Privé: private 1–9
 *   |                  ↓ Rue Milieu     |        no_right_turn 4→5 onto 5→2; only_straight_on 3→6 to 6→9
 *   1 ——————— Rue Basse —————— 2 ———— 3      Impasse des Bornes: 3 – 10 – 6, a removable bollard at 10
 */
const graph = importFile(here('fixtures/small-town.osm'));
const router = new Router(graph);
const node = (id: number): [number, number] =>
  id === 10 ? [7.4025, 43.7005] : [7.4 + ((id - 1) % 3) * 0.001, 43.7 + Math.floor((id - 1) / 3) * 0.001];
const metres = (a: number, b: number): number => metresBetween(...node(a), ...node(b));
/** Car planning speeds: residential class default 25 km/h; the primary's posted 50 × 0.8. */
const residential = (a: number, b: number): number => travelMs(metres(a, b), 25);
const avenue = (a: number, b: number): number => travelMs(metres(a, b), 40);
const now = Date.parse('2026-01-01T12:00:00Z');

function found(answer: RouteAnswer) {
  if (answer.status !== 'found') throw new Error(`expected a route, got ${JSON.stringify(answer)}`);
  return answer;
}

describe('import of a hand-written OSM file', () => {
  it('finds the intersections, road segments and both turn restrictions', () => {
    const { stats } = graph.about;
    expect(stats.nodes).toBe(10);
    expect(stats.segments).toBe(16); // footway left out
    expect(stats.restrictions).toEqual({ applied: 2, viaWay: 0, ambiguous: 0, unsupported: 0 });
    expect(stats.barriers).toBe(1);
    expect(graph.network.names).toContain("Rue d'Ouest");
    expect(graph.network.names).toContain('Chemin Privé');
  });

  it('keeps the private road and the busway away from cars but open to emergency vehicles', () => {
    const names = (profile: 'car' | 'emergency'): Set<string> => {
      const g = graph.profiles[profile].graph;
      return new Set(Array.from(g.arcSegment, (s) => graph.network.names[graph.network.segmentName[s]!]!));
    };
    expect(names('car').has('Voie Bus')).toBe(false);
    expect(names('car').has('Chemin Privé')).toBe(false);
    expect(names('emergency').has('Voie Bus')).toBe(true);
    expect(names('emergency').has('Chemin Privé')).toBe(true);
  });
});

describe('one-way streets', () => {
  it('never drives Rue Haute against its direction (8 → 7 goes round by 5 and 4)', () => {
    const answer = found(router.route({ from: node(8), to: node(7), now }));
    expect(answer.travelTimeS * 1000).toBe(residential(8, 5) + avenue(5, 4) + residential(4, 7));
    expect(answer.steps.map((s) => s.name)).toEqual(['Rue Milieu', 'Avenue Centrale', "Rue d'Ouest", "Rue d'Ouest"]);
  });

  it('drives Rue Haute along its direction (7 → 8 directly)', () => {
    expect(found(router.route({ from: node(7), to: node(8), now })).travelTimeS * 1000).toBe(residential(7, 8));
  });

  it('honours oneway=-1 (Rue Milieu is open 5 → 2, closed 2 → 5)', () => {
    expect(found(router.route({ from: node(5), to: node(2), now })).travelTimeS * 1000).toBe(residential(5, 2));
    const up = found(router.route({ from: node(2), to: node(5), now }));
    expect(up.travelTimeS * 1000).toBeGreaterThan(residential(2, 5));
  });
});

describe('turn restrictions', () => {
  it('no_right_turn: from Avenue Centrale at 5 into Rue Milieu is forbidden, so 4 → 2 goes by 1', () => {
    const answer = found(router.route({ from: node(4), to: node(2), now }));
    const forbidden = avenue(4, 5) + residential(5, 2);
    const detour = residential(4, 1) + residential(1, 2);
    expect(forbidden).toBeLessThan(detour); // the restriction is what makes the difference
    expect(answer.travelTimeS * 1000).toBe(detour);
    expect(answer.steps[1]).toMatchObject({ maneuver: 'turn', modifier: 'left', name: 'Rue Basse' });
  });

  it('the restriction binds only that approach: 6 → 5 → 2 is allowed', () => {
    expect(found(router.route({ from: node(6), to: node(2), now })).travelTimeS * 1000).toBe(avenue(6, 5) + residential(5, 2));
  });

  it('only_straight_on: coming up Rue Est at 6 you must go on to 9, so 3 → 5 goes round by 2, 1 and 4', () => {
    const answer = found(router.route({ from: node(3), to: node(5), now }));
    const forbidden = residential(3, 6) + avenue(6, 5);
    const detour = residential(3, 2) + residential(2, 1) + residential(1, 4) + avenue(4, 5);
    expect(forbidden).toBeLessThan(detour);
    expect(answer.travelTimeS * 1000).toBe(detour);
  });
});

describe('barriers', () => {
  const bollard: [number, number] = [7.4025, 43.7005];
  it('a bollard stops cars from driving through (3 → 5 does not take the Impasse)', () => {
    const answer = found(router.route({ from: node(3), to: node(5), now }));
    expect(answer.steps.map((s) => s.name)).not.toContain('Impasse des Bornes');
  });

  it('a removable bollard lets an emergency vehicle through, which beats the only_straight_on detour', () => {
    const answer = found(router.route({ from: node(3), to: node(5), now, profile: 'emergency' }));
    expect(answer.steps[0]!.name).toBe('Impasse des Bornes');
    const viaImpasse = travelMs(metres(3, 10) + 0, 30) + travelMs(metresBetween(...bollard, ...node(6)), 30) + travelMs(metres(6, 5), 60);
    expect(Math.abs(answer.travelTimeS * 1000 - viaImpasse)).toBeLessThanOrEqual(1);
  });

  it('a trip may still end at the bollard', () => {
    expect(found(router.route({ from: node(3), to: bollard, now })).travelTimeS * 1000).toBe(travelMs(metresBetween(...node(3), ...bollard), 25));
  });
});

describe('emergency profile', () => {
  it('takes the busway that cars may not use, at the posted speed × 1.2', () => {
    const car = found(router.route({ from: node(4), to: node(8), now, profile: 'car' }));
    const emergency = found(router.route({ from: node(4), to: node(8), now, profile: 'emergency' }));
    expect(car.travelTimeS * 1000).toBe(residential(4, 7) + residential(7, 8));
    expect(emergency.travelTimeS * 1000).toBe(travelMs(metres(4, 8), 30 * 1.2));
    expect(emergency.steps[0]!.name).toBe('Voie Bus');
  });

  it('drives the avenue at 50 × 1.2 = 60 km/h where a car plans 40', () => {
    const emergency = found(router.route({ from: node(4), to: node(6), now, profile: 'emergency' }));
    expect(emergency.travelTimeS * 1000).toBe(travelMs(metres(4, 5), 60) + travelMs(metres(5, 6), 60));
  });
});

describe('positions between intersections and unreachable answers', () => {
  it('starts and ends part-way along a road', () => {
    const from: [number, number] = [7.40025, 43.70001]; // a quarter of the way along Rue Basse from 1
    const to: [number, number] = [7.40075, 43.69999]; // three quarters of the way
    const answer = found(router.route({ from, to, now }));
    expect(answer.travelTimeS * 1000).toBeCloseTo(residential(1, 2) / 2, -1);
    expect(answer.distanceM).toBeCloseTo(metres(1, 2) / 2, 0);
    expect(answer.engine).toBe('same-road');
  });

  it('refuses a point far from any road, saying how far', () => {
    const answer = router.route({ from: [7.5, 43.7], to: node(5), now });
    expect(answer.status).toBe('too-far-from-road');
    if (answer.status === 'too-far-from-road') {
      expect(answer.point).toBe('from');
      expect(answer.distanceM).toBeGreaterThan(7000);
      expect(answer.message).toMatch(/m from the nearest car road/);
    }
  });

  it('answers "unreachable" when closures cut the destination off, and routes again once they end', () => {
    const local = new Router(graph);
    // Close Rue Haute 8–9, Rue Est 3–6 and Avenue Centrale 5–6: Rue Est 6–9 is cut off (the private road is not for cars).
    const cordon = { id: 'cordon', startsAt: now, endsAt: now + 3_600_000, points: [[7.4015, 43.702], [7.402, 43.7005], [7.4015, 43.701]] as Array<[number, number]> };
    expect(local.setClosure(cordon)).toEqual({ segments: 3 });
    const target: [number, number] = [7.402, 43.7015];
    const blocked = local.route({ from: node(1), to: target, now });
    expect(blocked.status).toBe('unreachable');
    expect(found(local.route({ from: node(1), to: target, now: now + 3_600_000 })).travelTimeS).toBeGreaterThan(0);
    expect(found(local.route({ from: node(1), to: target, now: now - 1 })).travelTimeS).toBeGreaterThan(0);
    // A trip may still end on a closed road (responders must reach the scene), never drive through one.
    expect(found(local.route({ from: node(1), to: [7.4015, 43.702], now })).travelTimeS).toBeGreaterThan(0);
    expect(local.removeClosure('cordon')).toBe(true);
    expect(found(local.route({ from: node(1), to: target, now })).engine).toBe('hierarchy');
  });
});

describe('odd way shapes', () => {
  it('keeps a turning loop (a way that comes back to its own junction) routable', () => {
    const xml = `<osm>
      <node id="1" lat="43.700" lon="7.400"/><node id="2" lat="43.700" lon="7.401"/>
      <node id="3" lat="43.7005" lon="7.4015"/><node id="4" lat="43.700" lon="7.402"/>
      <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Boucle"/></way>
    </osm>`;
    const loop = importRoadGraph({ bytes: new TextEncoder().encode(xml), fileName: 'loop.osm', importedAt: 'x' });
    expect(loop.about.stats.segments).toBe(3);
    const answer = found(new Router(loop).route({ from: [7.4015, 43.70049], to: [7.4, 43.7], now }));
    expect(answer.distanceM).toBeGreaterThan(metresBetween(7.4015, 43.7005, 7.401, 43.7));
  });
});
