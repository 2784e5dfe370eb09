import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveRoads, RoadsUnavailableError } from '../../src/routing/index.js';
import { here } from './helpers.js';

/** The graph in service: built from seed road data in a worker when absent, closures given to it, or refused. */
const dirs: string[] = [];
const tempGraph = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-roads-'));
  dirs.push(dir);
  return path.join(dir, 'roads', 'graph.bin');
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const log = pino({ level: 'silent' });
const now = Date.parse('2026-01-01T12:00:00Z');

describe('the graph in service', () => {
  it('is built from the seed road data in a worker when there is none, with the stored closures', async () => {
    const graphPath = tempGraph();
    const roads = new LiveRoads({ graphPath, seedFile: here('fixtures/small-town.osm'), log, clock: () => now, watch: false });
    await roads.start(async () => [{ id: 'stored', startsAt: now - 1, endsAt: null, points: [[7.4015, 43.702]] }]);
    expect(roads.status().state).toBe('missing');
    await roads.buildMissing();
    expect(fs.existsSync(graphPath)).toBe(true);
    const router = await roads.router();
    expect(roads.status()).toMatchObject({ state: 'ready', closures: 1, lastLoad: { outcome: 'loaded', reason: 'built from the seed road data' } });
    expect(router.roads.about.stats.nodes).toBe(10);
    expect(roads.closedRoadCount('stored')).toBe(1);
    expect((await roads.reload('again'))?.outcome).toBe('unchanged');
    await roads.close();
  });

  it('without a graph or seed data, says how to get one', async () => {
    const roads = new LiveRoads({ graphPath: tempGraph(), seedFile: null, log, clock: () => now, watch: false });
    await roads.start(async () => []);
    await roads.buildMissing();
    await expect(roads.router()).rejects.toThrow(RoadsUnavailableError);
    await expect(roads.router()).rejects.toThrow(/vigil roads import/);
    // A closure set meanwhile is kept for the graph to come.
    roads.setClosure({ id: 'later', startsAt: now, endsAt: null, points: [[7.4, 43.7]] });
    expect(roads.status().closures).toBe(1);
    expect(roads.check({ id: 'later', startsAt: now, endsAt: null, points: [[7.4, 43.7]] })).toBeNull();
    await roads.close();
  });
});
