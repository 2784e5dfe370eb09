import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { CliError } from '../kernel/cli-error.js';
import { startProgress } from '../kernel/progress.js';
import { planWaterAssets } from './assets.js';
import { formatReport, formatSweep } from './cli-format.js';
import { defaultLayout, LayoutError, validateLayout, type PlcLayout } from './cyber/layout.js';
import { InpError } from './network/inp-text.js';
import type { WaterNetwork } from './network/model.js';
import { fitPlacement, networkGeoJson, placementTransform, type Placement } from './network/placement.js';
import { readInp } from './network/read.js';
import { ScenarioError } from './scenario/validate.js';
import { planSweep, runSweep, type SweepKind } from './sweep.js';
import { simulateInWorker } from './worker/pool.js';
import { importNetworkCli, simulateStoredScenario } from './cli-store.js';
import { TLP_LABELS, type Tlp } from '../kernel/sharing/index.js';
import { isId } from '../kernel/ids.js';

/** `vigil water ...`: simulate a scenario, sweep a batch, and plan the assets an import creates. */
export function registerWaterCli(program: Command): void {
  const water = program.command('water').description('water network stress testing with EPANET: attacks, failures and their impact');

  water
    .command('simulate')
    .description('simulate a stored scenario (by id; the run is stored as through the API), or a scenario file on an EPANET network, and print its impact')
    .argument('<scenario-id|network>', 'id of a stored scenario, or an EPANET .inp file')
    .option('--version <n>', 'stored scenario: which version (default the newest)', positive)
    .option('--scenario <file>', 'scenario JSON (default: normal operation, no events)')
    .option('--plcs <file>', 'PLC layout JSON (default: one PLC per group of controls)')
    .option('--hours <n>', 'horizon in hours (overrides the scenario)', positive)
    .option('--json <file>', 'write the full JSON report there')
    .option('--series <file>', 'write time series per element there (JSON)')
    .option('--quiet', 'no progress lines')
    .action(async (file: string, o: { version?: number; scenario?: string; plcs?: string; hours?: number; json?: string; series?: string; quiet?: boolean }) => {
      if (isId(file)) {
        if (o.scenario || o.plcs || o.hours || o.series) throw new CliError('a stored scenario runs as stored: --scenario, --plcs, --hours and --series apply to .inp files');
        await simulateStoredScenario(file, { ...(o.version ? { version: o.version } : {}), ...(o.json ? { json: o.json } : {}), quiet: o.quiet ?? false });
        return;
      }
      const network = loadNetwork(file);
      const layout = loadLayout(o.plcs, network);
      const scenario = (o.scenario ? readJson(o.scenario, 'scenario') : { name: 'normal operation', events: [] }) as Record<string, unknown>;
      if (o.hours !== undefined) scenario.hours = o.hours;
      const progress = startProgress({ label: 'simulating', total: 100, unit: '%', quiet: o.quiet ?? false });
      const outcome = await guard(() =>
        simulateInWorker({ network, layout, scenario, keepSeries: Boolean(o.series) }, { onProgress: (f, note) => progress.update(Math.round(f * 100), note) }),
      );
      progress.done(outcome.report.status);
      if (o.json) writeFileSync(o.json, JSON.stringify(outcome.report, null, 2));
      if (o.series && outcome.series) writeFileSync(o.series, JSON.stringify(outcome.series));
      process.stdout.write(`${formatReport(basename(file), outcome.report)}\n`);
      if (outcome.report.status === 'failed') process.exitCode = 2;
    });

  water
    .command('sweep')
    .description('run a batch of scenarios on both cores and rank them by impact')
    .argument('<network>', 'EPANET .inp file')
    .addOption(new Option('--kind <kind>', 'pump-off: each pump out of service; plc-spoof: each PLC sees its tanks full; n-1: each pipe closed').choices(['pump-off', 'plc-spoof', 'n-1']).makeOptionMandatory())
    .option('--plcs <file>', 'PLC layout JSON')
    .option('--settings <file>', 'scenario JSON whose settings (hours, pressure, critical consumers, ...) every run shares; its events are ignored')
    .option('--hours <n>', 'horizon in hours', positive)
    .option('--workers <n>', 'worker threads (default: up to 2)', positive)
    .option('--min-diameter <d>', 'n-1: only pipes at least this wide', Number)
    .option('--limit <n>', 'at most this many scenarios', positive)
    .option('--top <n>', 'print the n worst', positive, 12)
    .option('--json <file>', 'write the ranking there')
    .option('--quiet', 'no progress lines')
    .action(async (file: string, o: { kind: SweepKind; plcs?: string; settings?: string; hours?: number; workers?: number; minDiameter?: number; limit?: number; top: number; json?: string; quiet?: boolean }) => {
      const network = loadNetwork(file);
      const layout = loadLayout(o.plcs, network);
      const { name: _n, events: _e, ...settings } = (o.settings ? readJson(o.settings, 'settings') : {}) as Record<string, unknown>;
      if (o.hours !== undefined) settings.hours = o.hours;
      const scenarios = planSweep(o.kind, network, layout, settings, { ...(o.minDiameter !== undefined ? { minDiameter: o.minDiameter } : {}), ...(o.limit ? { limit: o.limit } : {}) });
      if (scenarios.length === 0) throw new CliError(`nothing to sweep: the network has no ${o.kind === 'n-1' ? 'pipes' : o.kind === 'pump-off' ? 'pumps' : 'PLC reading a tank level'}`);
      const progress = startProgress({ label: 'sweep', total: scenarios.length, unit: 'scenarios', quiet: o.quiet ?? false });
      const result = await guard(() =>
        runSweep(network, layout, scenarios, { kind: o.kind, ...(o.workers ? { workers: o.workers } : {}), onProgress: (f, name) => progress.update(Math.round(f * scenarios.length), name) }),
      );
      progress.done(`${result.scenarios} scenarios`);
      if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2));
      process.stdout.write(`${formatSweep(basename(file), result, o.top)}\n`);
    });

  water
    .command('import')
    .description("store an EPANET network as an organisation's water model (a new version when the name exists) and create or link its assets with their dependencies")
    .argument('<network>', 'EPANET .inp file')
    .requiredOption('--org <slug>', 'the organisation whose water model it is')
    .option('--plcs <file>', 'PLC layout JSON (default: one PLC per group of controls)')
    .option('--placement <file>', 'placement JSON: {"centre": {"lon", "lat"}, "metresPerUnit", "rotationDegrees"}')
    .option('--centre <lon,lat>', 'fit the drawing in a box around this point (default 7.42,43.736, the demo city)')
    .option('--size <metres>', 'size of that box', positive, 2500)
    .option('--name <name>', 'short name, the key of its assets (default: the file name)')
    .option('--title <title>', 'title shown in lists')
    .option('--consumer <node=asset-id>', 'a critical consumer: junction and the asset it serves (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(new Option('--tlp <label>', 'label of a new network and its new assets (default: the organisation default)').choices([...TLP_LABELS]))
    .addOption(new Option('--distribution <scope>', 'distribution of a new network and its new assets').choices(['owner', 'community']))
    .action(async (file: string, o: { org: string; plcs?: string; placement?: string; centre?: string; size: number; name?: string; title?: string; consumer: string[]; tlp?: Tlp; distribution?: 'owner' | 'community' }) => {
      const inp = readText(file, 'network');
      const layout = o.plcs ? readJson(o.plcs, 'PLC layout') : undefined;
      const network = loadNetwork(file);
      // Without a placement, the drawing is fitted around a centre (the demo city unless --centre says otherwise).
      const placement: Placement | null = o.placement
        ? (readJson(o.placement, 'placement') as Placement)
        : network.coordinates.size > 0 ? fitPlacement(network, parseCentre(o.centre ?? '7.42,43.736'), o.size) : null;
      const consumers = o.consumer.map((c) => {
        const [node, assetId] = c.split('=');
        if (!node || !assetId || !isId(assetId)) throw new CliError(`--consumer wants "junction=asset-id", got "${c}"`);
        return { node, assetId };
      });
      const name = o.name ?? basename(file).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_-]/g, '-');
      await importNetworkCli(file, { name, inp, layout, placement, consumers, ...(o.title ? { title: o.title } : {}) }, { org: o.org, ...(o.tlp ? { tlp: o.tlp } : {}), ...(o.distribution ? { distribution: o.distribution } : {}) });
    });

  water
    .command('assets')
    .description('list the assets an import would create (pumps, tanks, valves, sources, PLCs, SCADA) placed on the map')
    .argument('<network>', 'EPANET .inp file')
    .option('--plcs <file>', 'PLC layout JSON')
    .option('--placement <file>', 'placement JSON: {"centre": {"lon", "lat"}, "metresPerUnit", "rotationDegrees"}')
    .option('--centre <lon,lat>', 'fit the drawing in a box around this point (default 7.42,43.736, Monaco)')
    .option('--size <metres>', 'size of that box', positive, 2500)
    .option('--name <name>', 'network name used in asset keys (default: the file name)')
    .option('--geojson <file>', 'write the network and the assets as GeoJSON there')
    .action((file: string, o: { plcs?: string; placement?: string; centre?: string; size: number; name?: string; geojson?: string }) => {
      const network = loadNetwork(file);
      const layout = loadLayout(o.plcs, network);
      if (network.coordinates.size === 0) throw new CliError(`${file} has no [COORDINATES]: it cannot be placed on the map`);
      const placement = o.placement ? (readJson(o.placement, 'placement') as Placement) : fitPlacement(network, parseCentre(o.centre ?? '7.42,43.736'), o.size);
      const transform = placementTransform(network, placement);
      const name = o.name ?? basename(file).replace(/\.[^.]+$/, '').toLowerCase();
      const assets = planWaterAssets(name, network, layout, transform);
      const lines = assets.map((a) => {
        const where = a.geometry ? a.geometry.coordinates.map((c) => c.toFixed(5)).join(', ') : 'no position';
        const deps = a.dependsOn.map((d) => `${d.relation} ${d.key.split('/').pop()}`).join(', ');
        return `${a.kind.padEnd(16)} ${a.name.padEnd(36)} ${where}${deps ? `  (${deps})` : ''}`;
      });
      process.stdout.write(`${lines.join('\n')}\n`);
      if (o.geojson) {
        const collection = networkGeoJson(network, transform);
        for (const a of assets) if (a.geometry) collection.features.push({ type: 'Feature', id: a.key, geometry: a.geometry, properties: { ...a.properties, kind: a.kind, name: a.name, key: a.key } });
        writeFileSync(o.geojson, JSON.stringify(collection));
      }
    });
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`"${value}" is not a positive number`);
  return n;
}

function parseCentre(text: string): { lon: number; lat: number } {
  const [lon, lat] = text.split(',').map(Number);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw new CliError(`--centre wants "lon,lat", got "${text}"`);
  return { lon: lon!, lat: lat! };
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readText(file, what));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function loadNetwork(file: string): WaterNetwork {
  try {
    return readInp(readText(file, 'network'));
  } catch (error) {
    if (error instanceof InpError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

function loadLayout(file: string | undefined, network: WaterNetwork): PlcLayout {
  if (!file) return defaultLayout(network);
  try {
    return validateLayout(readJson(file, 'PLC layout'), network);
  } catch (error) {
    if (error instanceof LayoutError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof LayoutError) throw new CliError(error.message);
    if (error instanceof Error && error.name === 'EngineError') throw new CliError(error.message);
    throw error;
  }
}
