import { describe, expect, it } from 'vitest';
import { closureFromGeometry, ClosureError, Router } from '../../src/routing/index.js';
import { here, importFile } from './helpers.js';

/**
 * Closures as operators draw them (lines along or across streets, clicks, areas) on the hand-made town
 * (see small-town.test.ts for its map), and closures honoured only by the queries that may see them.
 */
const graph = importFile(here('fixtures/small-town.osm'));
const node = (id: number): [number, number] => [7.4 + ((id - 1) % 3) * 0.001, 43.7 + Math.floor((id - 1) / 3) * 0.001];
const now = Date.parse('2026-01-01T12:00:00Z');

/** The names of the roads a closure closes. */
function closedNames(router: Router, id: string): string[] {
  const held = router.listClosures().find((c) => c.id === id);
  if (!held) throw new Error(`no closure ${id}`);
  const roads = router.closedRoads(id)!;
  expect(roads.coordinates).toHaveLength(held.segmentCount);
  return roads.coordinates
    .map((line) => router.snap([(line[0]![0] + line[line.length - 1]![0]) / 2, (line[0]![1] + line[line.length - 1]![1]) / 2], 'emergency')!)
    .map((at) => graph.network.names[graph.network.segmentName[at.segment]!]!)
    .sort();
}

describe('closures drawn as lines', () => {
  it('a line drawn along a street (a few metres off its centre) closes that street, not the streets it passes', () => {
    const router = new Router(graph);
    // Along Rue Basse 1 → 3, 5 m north of it: passes the junctions with Rue d'Ouest, Rue Milieu, Rue Est and the diagonal private road.
    const off = 5 / 111_195;
    router.setClosure(closureFromGeometry('along', { type: 'LineString', coordinates: [[7.4, 43.7 + off], [7.402, 43.7 + off]] }, now, null));
    expect(closedNames(router, 'along')).toEqual(['Rue Basse', 'Rue Basse']);
  });

  it('a line drawn across a road closes the road it cuts', () => {
    const router = new Router(graph);
    router.setClosure(closureFromGeometry('across', { type: 'LineString', coordinates: [[7.4005, 43.7008], [7.4005, 43.7012]] }, now, null));
    expect(closedNames(router, 'across')).toEqual(['Avenue Centrale']);
    // From Rue d'Ouest to Avenue Centrale 5–6: the open network drives Avenue Centrale 4–5; now the route goes round.
    const answer = router.route({ from: [7.4, 43.7005], to: [7.4015, 43.701], now });
    if (answer.status !== 'found') throw new Error('expected a route');
    expect(answer.engine).toBe('dijkstra');
    expect(answer.geometry.coordinates.some(([lon, lat]) => lat === 43.701 && lon > 7.4001 && lon < 7.4009)).toBe(false);
    const open = new Router(graph).route({ from: [7.4, 43.7005], to: [7.4015, 43.701], now });
    expect(open.status === 'found' && open.travelTimeS).toBeLessThan(answer.travelTimeS);
  });

  it('a line along part of a long street closes it when it covers half of it or 20 m', () => {
    const router = new Router(graph);
    // 30 m of the 80 m Avenue Centrale 4–5 (less than half, more than 20 m).
    router.setClosure(closureFromGeometry('part', { type: 'LineString', coordinates: [[7.4002, 43.701], [7.40058, 43.701]] }, now, null));
    expect(closedNames(router, 'part')).toEqual(['Avenue Centrale']);
    // 8 m of it: too little to say the operator meant this road.
    router.setClosure(closureFromGeometry('tiny', { type: 'LineString', coordinates: [[7.4003, 43.701], [7.4004, 43.701]] }, now, null));
    expect(router.closureSegmentCount('tiny')).toBe(0);
  });

  it('maps every GeoJSON geometry type to a closure, and refuses others', () => {
    expect(closureFromGeometry('p', { type: 'Point', coordinates: [7.4, 43.7] }, 1, 2).points).toEqual([[7.4, 43.7]]);
    expect(closureFromGeometry('mp', { type: 'MultiPoint', coordinates: [[7.4, 43.7], [7.401, 43.7]] }, 1, 2).points).toHaveLength(2);
    expect(closureFromGeometry('ml', { type: 'MultiLineString', coordinates: [[[7.4, 43.7], [7.401, 43.7]]] }, 1, null).lines).toHaveLength(1);
    expect(closureFromGeometry('a', { type: 'Polygon', coordinates: [[[7.4, 43.7], [7.401, 43.7], [7.401, 43.701], [7.4, 43.7]]] }, 1, null).area?.type).toBe('Polygon');
    expect(() => closureFromGeometry('x', { type: 'GeometryCollection' } as never, 1, null)).toThrow(ClosureError);
    expect(() => new Router(graph).setClosure({ id: 'bad', startsAt: 1, endsAt: null, lines: [[[7.4, 43.7]]] })).toThrow(/at least two/);
  });
});

describe('closures honoured per query', () => {
  it('a query honours only the closures its filter admits (the server admits those the caller may see)', () => {
    const router = new Router(graph);
    router.setClosure(closureFromGeometry('secret', { type: 'Point', coordinates: [7.4005, 43.701] }, now, null));
    const from: [number, number] = [7.4, 43.7005];
    const to: [number, number] = [7.4015, 43.701];
    const seen = router.route({ from, to, now, closures: (id) => id === 'secret' });
    const unseen = router.route({ from, to, now, closures: () => false });
    if (seen.status !== 'found' || unseen.status !== 'found') throw new Error('expected routes');
    expect(unseen.engine).toBe('hierarchy');
    expect(seen.engine).toBe('dijkstra');
    expect(seen.travelTimeS).toBeGreaterThan(unseen.travelTimeS);
    // Both masks stay cached side by side; the answers do not change on a second ask.
    expect(router.route({ from, to, now, closures: () => false })).toEqual(unseen);
    expect(router.route({ from, to, now, closures: (id) => id === 'secret' })).toEqual(seen);
  });

  it('forgets closures once they have ended', () => {
    const router = new Router(graph);
    router.setClosure({ id: 'old', startsAt: now - 10, endsAt: now - 5, points: [node(2)] });
    router.setClosure({ id: 'open', startsAt: now, endsAt: null, points: [node(2)] });
    expect(router.removeEndedClosures(now)).toEqual(['old']);
    expect(router.listClosures().map((c) => c.id)).toEqual(['open']);
  });

  it('ranks units with route geometry only for those the caller asks for', () => {
    const router = new Router(graph);
    const answer = router.rankUnits({
      incident: node(5),
      units: [
        { id: 'a', position: node(1) },
        { id: 'b', position: node(9) },
        { id: 'c', position: node(4) },
      ],
      now,
      withRoutes: (id) => id !== 'c',
    });
    if (answer.status !== 'ranked') throw new Error('expected a ranking');
    expect(answer.ranked.map((u) => [u.id, u.geometry !== undefined])).toEqual(
      expect.arrayContaining([
        ['a', true],
        ['b', true],
        ['c', false],
      ]),
    );
  });
});
