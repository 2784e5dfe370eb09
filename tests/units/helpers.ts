import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importRoadGraph, writeRoadGraphFile, GRAPH_FORMAT_VERSION } from '../../src/routing/index.js';
import type { Engine } from '../../src/kernel/db/connection.js';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

export const MONACO_PBF = path.resolve(import.meta.dirname, '../../data-seed/osm/monaco.osm.pbf');

/**
 * The Monaco road graph file, imported once and kept in the system's temporary directory for every test file
 * and run (keyed by the data and the format version), so API tests copy a file instead of contracting again.
 */
export function monacoGraphFile(): string {
  const stat = fs.statSync(MONACO_PBF);
  const file = path.join(os.tmpdir(), `vigil-test-monaco-v${GRAPH_FORMAT_VERSION}-${stat.size}-${Math.round(stat.mtimeMs)}.graph`);
  if (!fs.existsSync(file)) {
    const graph = importRoadGraph({ bytes: fs.readFileSync(MONACO_PBF), fileName: 'monaco.osm.pbf', importedAt: '2026-01-01T00:00:00.000Z' });
    writeRoadGraphFile(file, graph);
  }
  return file;
}

/** Puts the Monaco graph where a server on this kernel's data directory looks for it. */
export function installGraph(dataDir: string): string {
  const target = path.join(dataDir, 'roads', 'graph.bin');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(monacoGraphFile(), target);
  return target;
}

export interface RoutingWorld {
  t: TestKernel;
  api: Api;
  world: World;
  close(): Promise<void>;
}

/** A kernel with the sharing-matrix organisations, the Monaco graph installed, and the API (graph loaded). */
export async function startRoutingWorld(engine: Engine, options: { clock?: () => number } = {}): Promise<RoutingWorld> {
  const t = await openTestKernel(engine, {}, options.clock ? { clock: options.clock } : {});
  installGraph(t.config.dataDir);
  const world = await seedWorld(t.kernel);
  const api = await startApi(t.kernel);
  const roads = await api.call('GET', '/api/v1/roads', world.token.owner);
  // The graph loads at start; a routing call waits for it, so one call is enough to be sure.
  await api.call('GET', '/api/v1/routes?from=7.4137,43.7296&to=7.4214,43.7345', world.token.owner);
  if (roads.status !== 200) throw new Error(`roads status ${roads.status}`);
  return {
    t,
    api,
    world,
    async close() {
      await api.close();
      await t.cleanup();
    },
  };
}

/** Places on Monaco's roads used by the tests (all on drivable streets). */
export const PLACES = {
  fireStation: [7.4137, 43.7296] as [number, number],
  policeHq: [7.4214, 43.7345] as [number, number],
  hospital: [7.4133, 43.7317] as [number, number],
  casino: [7.428, 43.7395] as [number, number],
  larvotto: [7.435, 43.745] as [number, number],
};

/** The middle of the middle piece of a route's line: on the route's own road (a vertex may be a junction). */
export function middleOf(line: { coordinates: number[][] }): [number, number] {
  const c = line.coordinates;
  const k = Math.max(1, Math.floor(c.length / 2));
  return [(c[k - 1]![0]! + c[k]![0]!) / 2, (c[k - 1]![1]! + c[k]![1]!) / 2];
}
