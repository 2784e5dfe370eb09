/**
 * `npm run bench:routing` — routing figures on Monaco and on generated grid cities.
 * Environment: BENCH_ROUTING_PAIRS (10000), BENCH_ROUTING_PG_PAIRS (1000 — pgRouting takes tens of ms each),
 * BENCH_ROUTING_PG_URL (postgres://postgres@127.0.0.1:5432/test: needs rights to create a database and the extension;
 * when the server lacks pgRouting and this runs as root, the benchmark apt-get installs postgresql-<major>-pgrouting), BENCH_ROUTING_GRID (sides, default 100,250,500).
 * Figures printed here are provisional on a shared machine; record quiet-machine runs in docs/benchmarks.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { largestComponent } from '../../src/routing/components.js';
import { HierarchyQuery, prepareHierarchy } from '../../src/routing/hierarchy-query.js';
import { DijkstraSearch } from '../../src/routing/dijkstra.js';
import { incomingArcs } from '../../src/routing/profile-graph.js';
import { decodeRoadGraph, encodeRoadGraph, importRoadGraph, Router, type RoadGraph } from '../../src/routing/index.js';
import { gridCity } from './grid-city.js';
import { startPgRouting } from './pgrouting.js';
import { figure, format, percentile, printFigures, ratio, timed, type Figure } from './stats.js';

const PAIRS = Number(process.env.BENCH_ROUTING_PAIRS ?? 10_000);
const PG_PAIRS = Number(process.env.BENCH_ROUTING_PG_PAIRS ?? 1_000);
const PG_URL = process.env.BENCH_ROUTING_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const GRID_SIDES = (process.env.BENCH_ROUTING_GRID ?? '100,250,500').split(',').map(Number).filter((n) => n > 1);
const MONACO = new URL('../../data-seed/osm/monaco.osm.pbf', import.meta.url);
const report: Record<string, unknown> = {};

let seed = 20260301;
const random = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

function machine(): void {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const line = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  report.machine = line;
  report.date = new Date().toISOString();
  process.stdout.write(`routing benchmark — ${report.date}\n${line}\n`);
}

function graphBytes(graph: RoadGraph): number {
  let total = 0;
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) total += value.byteLength;
    else if (value && typeof value === 'object') for (const v of Object.values(value)) visit(v);
  };
  visit(graph.network);
  visit(graph.profiles);
  return total;
}

async function monaco(): Promise<void> {
  const bytes = readFileSync(MONACO);
  gc();
  const before = process.memoryUsage();
  const [graph, importMs] = timed(() => importRoadGraph({ bytes, fileName: 'monaco.osm.pbf', importedAt: new Date().toISOString(), clock: () => performance.now() }));
  const file = encodeRoadGraph(graph);
  const [router, loadMs] = timed(() => new Router(decodeRoadGraph(file)));
  gc();
  const after = process.memoryUsage();
  const s = graph.about.stats;
  const prep = {
    intersections: s.nodes,
    segments: s.segments,
    turnRestrictions: s.restrictions.applied,
    importMs: Math.round(importMs),
    contractionMs: graph.about.contractionMs,
    graphFileBytes: file.length,
    loadMs: Math.round(loadMs),
    graphTypedArrays: graphBytes(graph),
    heapGrowth: after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers,
    rss: after.rss,
  };
  report.monacoPreprocessing = prep;
  process.stdout.write(
    `\nMonaco: ${s.nodes} intersections, ${s.segments} segments, ${s.restrictions.applied} turn restrictions\n` +
      `  import (read + build + contract both profiles) ${prep.importMs} ms; contraction car ${prep.contractionMs.car} ms, emergency ${prep.contractionMs.emergency} ms\n` +
      `  graph file ${mb(prep.graphFileBytes)}, load + router ready ${prep.loadMs} ms; graph arrays ${mb(prep.graphTypedArrays)}, heap growth ${mb(prep.heapGrowth)}, RSS ${mb(prep.rss)}\n`,
  );

  // ---- point to point: hierarchy vs bidirectional Dijkstra vs pgRouting, same pairs, same graph ----
  const engine = router.engine('car');
  const g = engine.graph;
  const main = largestComponent(g);
  const candidates = Array.from({ length: g.networkNodeCount }, (_, v) => v).filter((v) => main[v] === 1);
  const copies = new Map<number, number[]>();
  g.copyOf.forEach((of, c) => copies.set(of, [...(copies.get(of) ?? []), g.networkNodeCount + c]));
  const pairs: Array<[number, number]> = [];
  while (pairs.length < PAIRS) {
    const s = candidates[Math.floor(random() * candidates.length)]!;
    const t = candidates[Math.floor(random() * candidates.length)]!;
    if (s !== t) pairs.push([s, t]);
  }
  const seedsOf = (t: number) => {
    const nodes = [t, ...(copies.get(t) ?? [])];
    return { nodes, offsets: nodes.map(() => 0) };
  };
  const query = engine.query;
  const dijkstra = engine.dijkstra;
  for (const [s, t] of pairs.slice(0, 1000)) {
    query.route({ nodes: [s], offsets: [0] }, seedsOf(t), false);
    dijkstra.route({ nodes: [s], offsets: [0] }, seedsOf(t));
  }
  const ch: number[] = [];
  const chPath: number[] = [];
  const bidi: number[] = [];
  const costs: number[] = [];
  let mismatches = 0;
  for (const [s, t] of pairs) {
    const source = { nodes: [s], offsets: [0] };
    const target = seedsOf(t);
    const [a, ms1] = timed(() => query.route(source, target, false));
    const [, ms2] = timed(() => query.route(source, target, true));
    const [b, ms3] = timed(() => dijkstra.route(source, target));
    ch.push(ms1);
    chPath.push(ms2);
    bidi.push(ms3);
    costs.push(a.cost);
    if (a.cost !== b.cost) mismatches++;
  }
  const figures: Figure[] = [
    figure('contraction hierarchy, travel time', ch),
    figure('contraction hierarchy, with path unpacked', chPath),
    figure('bidirectional Dijkstra (same code, same graph)', bidi, `${ratio(percentile(bidi, 50), percentile(ch, 50))} the hierarchy's median`),
  ];

  let pgNote = '';
  try {
    const pgRouting = await startPgRouting(g, PG_URL);
    try {
      const pg: number[] = [];
      let pgMismatches = 0;
      const sample = pairs.slice(0, PG_PAIRS);
      if (sample.length === 0) throw new Error('BENCH_ROUTING_PG_PAIRS=0');
      for (const [s, t] of sample.slice(0, 20)) await pgRouting.route(s, seedsOf(t).nodes);
      for (let i = 0; i < sample.length; i++) {
        const [s, t] = sample[i]!;
        const started = performance.now();
        const cost = await pgRouting.route(s, seedsOf(t).nodes);
        pg.push(performance.now() - started);
        if (cost !== costs[i]) pgMismatches++;
      }
      figures.push(figure('pgRouting pgr_dijkstra (client round trip)', pg, `${ratio(percentile(pg, 50), percentile(ch, 50))} the hierarchy's median; ${pgMismatches} cost mismatches`));
    } finally {
      await pgRouting.close();
    }
  } catch (error) {
    pgNote = `pgRouting skipped: ${(error as Error).message}`;
  }
  printFigures(`Monaco, ${PAIRS} random origin-destination intersections (car; ${mismatches} hierarchy/Dijkstra mismatches)`, figures);
  if (pgNote) process.stdout.write(`  ${pgNote}\n`);
  report.monacoQueries = { pairs: PAIRS, mismatches, figures, pgNote };

  // ---- whole answers, dispatch and closures through the public Router ----
  const roadPoint = (profile: 'car' | 'emergency'): [number, number] => {
    for (;;) {
      const at = router.snap([7.409 + random() * 0.031, 43.725 + random() * 0.027], profile);
      if (at && at.distanceM < 100) return [at.lon, at.lat];
    }
  };
  const now = Date.now();
  const answers: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const from = roadPoint('car');
    const to = roadPoint('car');
    answers.push(timed(() => router.route({ from, to, now }))[1]);
  }

  const phast: number[] = [];
  const rankBare: number[] = [];
  const rankFull: number[] = [];
  const separate: number[] = [];
  const emergency = router.engine('emergency');
  for (let trial = 0; trial < 300; trial++) {
    const incident = roadPoint('emergency');
    const units = Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, position: roadPoint('emergency') }));
    const target = emergency.targetSeeds(router.snap(incident, 'emergency')!);
    const unitNodes = units.flatMap((u) => emergency.sourceSeeds(router.snap(u.position, 'emergency')!).nodes);
    phast.push(timed(() => emergency.query.allTowards(target, unitNodes))[1]);
    rankBare.push(timed(() => router.rankUnits({ incident, units, now, profile: 'emergency', withRoutes: 0 }))[1]);
    rankFull.push(timed(() => router.rankUnits({ incident, units, now, profile: 'emergency' }))[1]);
    const snapped = units.map((u) => router.snap(u.position, 'emergency')!);
    const to = router.snap(incident, 'emergency')!;
    separate.push(timed(() => snapped.forEach((from) => router.pathBetween(from, to, 'emergency', now)))[1]);
  }

  const closureNext: number[] = [];
  const closureSet: number[] = [];
  let closureChecks = 0;
  for (let trial = 0; closureNext.length < 200 && trial < 2000; trial++) {
    const from = router.snap(roadPoint('emergency'), 'emergency')!;
    const to = router.snap(roadPoint('emergency'), 'emergency')!;
    const before = router.pathBetween(from, to, 'emergency', now);
    if (!before || before.legs.length < 8) continue;
    const middle = before.legs[Math.floor(before.legs.length / 2)]!;
    const mid = router.roads.network;
    const p = mid.geometryStart[middle.segment]!;
    const [lon, lat] = [mid.geometryLon[p]!, mid.geometryLat[p]!];
    const d = 0.0003;
    const closure = { id: `bench-${trial}`, startsAt: now - 1, endsAt: null, area: { type: 'Polygon' as const, coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]] as Array<[number, number]>] } };
    const started = performance.now();
    router.setClosure(closure);
    const set = performance.now();
    const after = router.pathBetween(from, to, 'emergency', now);
    const done = performance.now();
    closureSet.push(set - started);
    closureNext.push(done - started);
    const closed = router.closedArcsAt('emergency', now)!;
    if (!after || (after.cost >= before.cost && after.legs.slice(1, -1).every((leg) => closed[leg.arc] === 0))) closureChecks++;
    router.removeClosure(closure.id);
  }
  printFigures('Monaco through the public Router', [
    figure('route answer (snap both ends, route, geometry, steps)', answers),
    figure('one search towards an incident from 50 units (RPHAST)', phast),
    figure('dispatch: rank 50 units (snap all, one search)', rankBare),
    figure('dispatch: rank 50 units with 50 route geometries', rankFull),
    figure('50 separate hierarchy routes, units already snapped', separate, `${ratio(percentile(separate, 50), percentile(phast, 50))} the one search`),
    figure('closure: set (compile area to roads)', closureSet),
    figure('closure: set + next query honouring it', closureNext, `${closureChecks}/${closureNext.length} next routes avoid the closure`),
  ]);
  report.monacoRouter = { answers: figure('route', answers), phast: figure('phast', phast), rankBare: figure('rank', rankBare), rankFull: figure('rankFull', rankFull), separate: figure('separate', separate), closureSet: figure('closureSet', closureSet), closureNext: figure('closureNext', closureNext), closureChecks };
}

function grids(): void {
  const rows: Array<Record<string, number | string>> = [];
  process.stdout.write('\nGenerated grid cities (car profile; 100 m blocks, avenues every 10th street, a third one-way)\n');
  process.stdout.write('  side   nodes    arcs   hierarchy edges  contract s   CH median ms  CH p99 ms  Dijkstra median ms  ratio   all-nodes PHAST ms  50-unit RPHAST ms\n');
  for (const side of GRID_SIDES) {
    gc();
    const { graph, hierarchy, contractMs } = gridCity(side);
    const query = new HierarchyQuery(prepareHierarchy(hierarchy));
    const dijkstra = new DijkstraSearch(graph, incomingArcs(graph));
    const n = graph.nodeCount;
    const pick = () => Math.floor(random() * n);
    for (let i = 0; i < 200; i++) query.route({ nodes: [pick()], offsets: [0] }, { nodes: [pick()], offsets: [0] }, false);
    const ch: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = { nodes: [pick()], offsets: [0] };
      const t = { nodes: [pick()], offsets: [0] };
      ch.push(timed(() => query.route(s, t, false))[1]);
    }
    const dj: number[] = [];
    for (let i = 0; i < (side >= 400 ? 30 : 100); i++) {
      const s = { nodes: [pick()], offsets: [0] };
      const t = { nodes: [pick()], offsets: [0] };
      dj.push(timed(() => dijkstra.route(s, t))[1]);
    }
    const phast: number[] = [];
    const rphast: number[] = [];
    for (let i = 0; i < 20; i++) {
      phast.push(timed(() => query.allTowards({ nodes: [pick()], offsets: [0] }))[1]);
      const units = Array.from({ length: 50 }, pick);
      rphast.push(timed(() => query.allTowards({ nodes: [pick()], offsets: [0] }, units))[1]);
    }
    const row = {
      side,
      nodes: n,
      arcs: graph.arcHead.length,
      hierarchyEdges: hierarchy.edgeCount,
      contractS: +(contractMs / 1000).toFixed(1),
      chMedianMs: percentile(ch, 50),
      chP99Ms: percentile(ch, 99),
      dijkstraMedianMs: percentile(dj, 50),
      phastMedianMs: percentile(phast, 50),
      rphast50MedianMs: percentile(rphast, 50),
    };
    rows.push(row);
    process.stdout.write(
      `  ${String(side).padStart(4)}  ${String(n).padStart(6)}  ${String(row.arcs).padStart(7)}  ${String(row.hierarchyEdges).padStart(15)}  ${String(row.contractS).padStart(10)}  ` +
        `${format(row.chMedianMs).padStart(12)}  ${format(row.chP99Ms).padStart(9)}  ${format(row.dijkstraMedianMs).padStart(18)}  ${ratio(row.dijkstraMedianMs, row.chMedianMs).padStart(6)}  ${format(row.phastMedianMs).padStart(18)}  ${format(row.rphast50MedianMs).padStart(17)}\n`,
    );
  }
  report.grids = rows;
}

machine();
await monaco();
grids();
mkdirSync(new URL('../out/', import.meta.url), { recursive: true });
writeFileSync(new URL('../out/routing.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write('\nfigures written to bench/out/routing.json (provisional unless the machine was quiet)\n');
