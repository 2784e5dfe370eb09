import { beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../../src/routing/index.js';
import { here, importFile, monacoGraph, randomMonacoPoint, randomSource } from './helpers.js';

const now = Date.parse('2026-03-01T08:00:00Z');

describe('dispatch ranking on the hand-made town', () => {
  const router = new Router(importFile(here('fixtures/small-town.osm')));
  const node = (id: number): [number, number] => [7.4 + ((id - 1) % 3) * 0.001, 43.7 + Math.floor((id - 1) / 3) * 0.001];

  it('ranks units by arrival time, not by distance as the crow flies', () => {
    // Incident at 7. Unit "up-the-one-way" at 9 is as close as the crow flies as "west" at 1,
    // but Rue Haute is one-way towards 9, so it must go round.
    const answer = router.rankUnits({
      incident: node(7),
      now,
      units: [
        { id: 'up-the-one-way', position: node(9) },
        { id: 'west', position: node(1) },
        { id: 'next-door', position: node(4) },
        { id: 'no-avl', position: null },
        { id: 'garbled-avl', position: [Number.NaN, 43.7] },
        { id: 'at-sea', position: [7.45, 43.69] },
      ],
    });
    if (answer.status !== 'ranked') throw new Error(answer.message);
    expect(answer.ranked.map((u) => u.id)).toEqual(['next-door', 'west', 'up-the-one-way']);
    expect(answer.ranked[0]!.etaS).toBeLessThan(answer.ranked[1]!.etaS);
    expect(answer.ranked[0]!.geometry?.coordinates.length).toBeGreaterThanOrEqual(2);
    expect(answer.unranked).toEqual([
      { id: 'no-avl', reason: 'no-position' },
      { id: 'garbled-avl', reason: 'no-position' },
      { id: 'at-sea', reason: 'too-far-from-road', distanceM: expect.any(Number) },
    ]);
    for (const unit of answer.ranked) {
      const single = router.route({ from: node(unit.id === 'west' ? 1 : unit.id === 'next-door' ? 4 : 9), to: node(7), now });
      expect(single.status === 'found' && single.travelTimeS).toBe(unit.etaS);
    }
  });

  it('refuses an incident far from any road', () => {
    const answer = router.rankUnits({ incident: [7.3, 43.7], now, units: [] });
    expect(answer).toMatchObject({ status: 'too-far-from-road', point: 'incident' });
  });
});

describe('one-to-many on Monaco', () => {
  let router: Router;
  beforeAll(() => {
    router = new Router(monacoGraph());
  });

  const scenario = (seed: number) => {
    const random = randomSource(seed);
    const incident = randomMonacoPoint(random);
    const units = Array.from({ length: 60 }, (_, i) => ({ id: `unit-${String(i).padStart(2, '0')}`, position: randomMonacoPoint(random) }));
    return { incident, units };
  };

  /** ETAs by separate point-to-point routes: what one search must reproduce. */
  const separately = (incident: [number, number], units: Array<{ id: string; position: [number, number] }>) =>
    units
      .map((u) => ({ id: u.id, answer: router.route({ from: u.position, to: incident, now, profile: 'emergency' }) }))
      .filter((u) => u.answer.status === 'found')
      .map((u) => ({ id: u.id, etaS: u.answer.status === 'found' ? u.answer.travelTimeS : NaN }))
      .sort((a, b) => a.etaS - b.etaS || (a.id < b.id ? -1 : 1));

  it('gives every unit the same ETA as its own route would, in one search', () => {
    let compared = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { incident, units } = scenario(seed);
      const answer = router.rankUnits({ incident, units, now, profile: 'emergency', withRoutes: 3 });
      if (answer.status !== 'ranked') continue;
      expect(answer.engine).toBe('hierarchy');
      expect(answer.ranked.map((u) => ({ id: u.id, etaS: u.etaS }))).toEqual(separately(incident, units));
      expect(answer.ranked.filter((u) => u.geometry).length).toBe(Math.min(3, answer.ranked.length));
      compared += answer.ranked.length;
    }
    expect(compared).toBeGreaterThan(600);
  });

  it('still agrees with separate routes when closures cut across the city', () => {
    const random = randomSource(7);
    for (let i = 0; i < 4; i++) {
      const [lon, lat] = randomMonacoPoint(random);
      const d = 0.0015;
      router.setClosure({ id: `c${i}`, startsAt: now, endsAt: null, area: { type: 'Polygon', coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]] } });
    }
    try {
      const engines = new Set<string>();
      for (let seed = 30; seed < 40; seed++) {
        const { incident, units } = scenario(seed);
        const answer = router.rankUnits({ incident, units, now, profile: 'emergency', withRoutes: 0 });
        if (answer.status !== 'ranked') continue;
        engines.add(answer.engine);
        expect(answer.ranked.map((u) => ({ id: u.id, etaS: u.etaS }))).toEqual(separately(incident, units));
      }
      expect(engines.has('dijkstra')).toBe(true);
    } finally {
      for (let i = 0; i < 4; i++) router.removeClosure(`c${i}`);
    }
  });
});
