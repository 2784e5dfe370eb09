import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRoadGraph, encodeRoadGraph, GraphFileError, readRoadGraphFile, Router, writeRoadGraphFile } from '../../src/routing/index.js';
import { here, importFile, monacoGraph, randomRoadPoint, randomSource } from './helpers.js';

const run = promisify(execFile);
const workdir = mkdtempSync(join(tmpdir(), 'vigil-roads-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));
const now = Date.parse('2026-03-01T08:00:00Z');

describe('graph file', () => {
  it('round-trips: a loaded graph answers exactly as the imported one, and loads fast', () => {
    const graph = monacoGraph();
    const path = join(workdir, 'monaco.bin');
    writeRoadGraphFile(path, graph);
    const started = performance.now();
    const loaded = readRoadGraphFile(path);
    const router = new Router(loaded);
    const loadMs = performance.now() - started;
    expect(loadMs).toBeLessThan(1000);
    expect(loaded.about).toEqual(graph.about);
    const original = new Router(graph);
    const random = randomSource(3);
    for (let i = 0; i < 200; i++) {
      const from = randomRoadPoint(original, random);
      const to = randomRoadPoint(original, random);
      expect(router.route({ from, to, now, profile: 'emergency' })).toEqual(original.route({ from, to, now, profile: 'emergency' }));
    }
  });

  it('refuses a truncated, damaged or foreign file with a clear message', () => {
    const bytes = encodeRoadGraph(importFile(here('fixtures/small-town.osm')));
    expect(() => decodeRoadGraph(bytes.subarray(0, bytes.length - 10))).toThrow(/truncated/);
    const damaged = bytes.slice();
    damaged[damaged.length - 100]! ^= 0xff;
    expect(() => decodeRoadGraph(damaged)).toThrow(/checksum/);
    expect(() => decodeRoadGraph(new TextEncoder().encode('{"type":"FeatureCollection"}'))).toThrow(/not a Vigil road graph/);
    const future = bytes.slice();
    future[8] = 99;
    expect(() => decodeRoadGraph(future)).toThrow(/format 99 is not supported/);
    expect(() => readRoadGraphFile(join(workdir, 'missing.bin'))).toThrow(GraphFileError);
    expect(() => readRoadGraphFile(join(workdir, 'missing.bin'))).toThrow(/vigil roads import/);
  });

  it('decodes from an unaligned buffer too', () => {
    const bytes = encodeRoadGraph(importFile(here('fixtures/small-town.osm')));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeRoadGraph(shifted.subarray(3)).network.nodeCount).toBe(10);
  });
});

describe('vigil roads import', () => {
  const cli = (...args: string[]) => run(process.execPath, [here('../../bin/vigil.js'), 'roads', ...args], { env: { ...process.env, VIGIL_DATA_DIR: workdir } });

  it('imports into the data directory, and a corrupt file leaves the good graph in place', async () => {
    const ok = await cli('import', here('fixtures/small-town.osm'), '--quiet');
    expect(ok.stdout).toMatch(/10 intersections, 16 road segments, 2 turn restrictions, 1 barrier/);
    const path = join(workdir, 'roads', 'graph.bin');
    const good = readFileSync(path);

    const broken = join(workdir, 'broken.osm.pbf');
    writeFileSync(broken, readFileSync(here('../../data-seed/osm/monaco.osm.pbf')).subarray(0, 500_000));
    const failure = await cli('import', broken, '--quiet').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/truncated PBF file.*existing road graph \(if any\) is unchanged/);
    expect(failure?.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(readFileSync(path).equals(good)).toBe(true);
    expect(readdirSync(join(workdir, 'roads'))).toEqual(['graph.bin']);

    const missing = await cli('import', join(workdir, 'nope.osm')).catch((error: { stderr: string }) => error);
    expect(missing.stderr).toMatch(/cannot read .*nope\.osm: no such file/);
    // Three real `vigil` processes: on a busy two-core machine one start can take many seconds.
  }, 180_000);
});
