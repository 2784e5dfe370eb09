import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../kernel/cli-error.js';
import { startProgress, type Progress } from '../kernel/progress.js';
import { ClosureError } from './closures.js';
import { GraphFileError } from './graph-file.js';
import { defaultGraphPath, readRoadGraphFile, writeRoadGraphFile } from './graph-store.js';
import { importRoadGraph, type ImportPhase } from './import.js';
import { RoadDataError } from './osm/elements.js';
import { PROFILE_NAMES, type ProfileName } from './profiles.js';
import { Router, RoutingInputError } from './router.js';

/** `vigil roads …`: import the city's road data, inspect the graph, try a route from the command line. */
export function registerRoutingCli(program: Command): void {
  const roads = program.command('roads').description('road network for first-responder routing and dispatch');

  roads
    .command('import')
    .description('build the routable road graph from OpenStreetMap data (.osm.pbf, .osm XML or road GeoJSON)')
    .argument('<file>', 'road data file: .osm.pbf, .osm or .geojson')
    .option('--out <graph>', 'where to write the graph (default: $VIGIL_DATA_DIR/roads/graph.bin, else ./data/roads/graph.bin)')
    .option('--emergency-speed-factor <factor>', 'emergency vehicles plan at the posted speed times this factor', '1.2')
    .option('--quiet', 'no progress output')
    .action((file: string, options: { out?: string; emergencySpeedFactor: string; quiet?: boolean }) => {
      const out = options.out ?? defaultGraphPath();
      const factor = Number(options.emergencySpeedFactor);
      if (!Number.isFinite(factor) || factor < 1 || factor > 3) throw new CliError('--emergency-speed-factor must be a number between 1 and 3');
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      }
      const labels: Record<ImportPhase, string> = { read: 'reading roads', build: 'building road network', contract: 'contracting' };
      const progress = new Map<ImportPhase, Progress>();
      const units: Record<ImportPhase, string> = { read: 'bytes', build: 'steps', contract: 'nodes' };
      let graph;
      try {
        graph = importRoadGraph({
          bytes,
          fileName: file,
          importedAt: new Date().toISOString(),
          settings: { emergencySpeedFactor: factor },
          clock: () => performance.now(),
          progress: (phase, done, total, note) => {
            let p = progress.get(phase);
            if (!p) {
              p = startProgress({ label: labels[phase], total, unit: units[phase], quiet: options.quiet });
              progress.set(phase, p);
            }
            p.update(done, note);
            if (done >= total && phase !== 'contract') p.done(note);
          },
        });
      } catch (error) {
        if (error instanceof RoadDataError) throw new CliError(`${file}: ${error.message}; the existing road graph (if any) is unchanged`);
        throw error;
      }
      progress.get('contract')?.done('both profiles');
      const { bytes: written } = writeRoadGraphFile(out, graph);
      const s = graph.about.stats;
      const r = s.restrictions;
      process.stdout.write(
        `road graph written to ${out} (${(written / 1e6).toFixed(2)} MB): ${s.nodes} intersections, ${s.segments} road segments, ` +
          `${r.applied} turn restrictions, ${s.barriers} barrier${s.barriers === 1 ? '' : 's'}` +
          (r.viaWay + r.ambiguous + r.unsupported > 0 ? ` (skipped: ${r.viaWay} via-way, ${r.ambiguous} ambiguous, ${r.unsupported} unsupported)` : '') +
          (s.missingNodeRefs > 0 ? `, ${s.missingNodeRefs} references to nodes outside the file ignored` : '') +
          `; contraction ${Object.entries(graph.about.contractionMs).map(([p, ms]) => `${p} ${ms} ms`).join(', ')}\n`,
      );
    });

  roads
    .command('info')
    .description('describe the road graph in use')
    .option('--graph <graph>', 'graph file (default: the data directory one)')
    .action((options: { graph?: string }) => {
      const graph = load(options.graph);
      process.stdout.write(`${JSON.stringify({ about: graph.about, settings: graph.network.settings }, null, 2)}\n`);
    });

  roads
    .command('route')
    .description('fastest route between two points, as JSON')
    .requiredOption('--from <lon,lat>', 'start position')
    .requiredOption('--to <lon,lat>', 'destination')
    .option('--profile <profile>', `one of ${PROFILE_NAMES.join(', ')}`, 'car')
    .option('--graph <graph>', 'graph file (default: the data directory one)')
    .action((options: { from: string; to: string; profile: string; graph?: string }) => {
      if (!PROFILE_NAMES.includes(options.profile as ProfileName)) throw new CliError(`--profile must be one of ${PROFILE_NAMES.join(', ')}`);
      const router = new Router(load(options.graph));
      try {
        const answer = router.route({ from: lonLat(options.from, '--from'), to: lonLat(options.to, '--to'), profile: options.profile as ProfileName, now: Date.now() });
        process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
        if (answer.status === 'too-far-from-road') throw new CliError(answer.message, 2);
      } catch (error) {
        if (error instanceof RoutingInputError || error instanceof ClosureError) throw new CliError(error.message);
        throw error;
      }
    });
}

function load(path?: string) {
  try {
    return readRoadGraphFile(path ?? defaultGraphPath());
  } catch (error) {
    if (error instanceof GraphFileError) throw new CliError(error.message);
    throw error;
  }
}

function lonLat(text: string, option: string): [number, number] {
  const parts = text.split(',').map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) throw new CliError(`${option} must be lon,lat (for example 7.4246,43.7384)`);
  return [parts[0]!, parts[1]!];
}
