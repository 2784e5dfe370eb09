/**
 * `npm run bench:water`: C-Town 7-day baseline, C-Town 72 h attack scenarios with impact metrics, the
 * sweep of all single-pump failures on C-Town on a pool of worker threads, L-Town 24 h, and the API path
 * (a run end to end through the server's warm pool with its results stored; a sweep through the API).
 * Prints medians, p99 and how much of the time is EPANET versus Vigil's own work.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  defaultLayout, planSweep, readInp, runSweep, SimulationPool, simulateInWorker, validateLayout, validateScenario,
  type PlcLayout, type WaterNetwork,
} from '../../src/water/index.js';
import { EngineSession } from '../../src/water/engine/epanet.js';
import { runHydraulics } from '../../src/water/sim/hydraulics.js';
import { simulateScenario } from '../../src/water/sim/simulate.js';
import { benchApi } from './api.js';

const seed = (f: string): string => fileURLToPath(new URL(`../../data-seed/water/${f}`, import.meta.url));
const shared = fileURLToPath(new URL('../../../shared/data/epanet/', import.meta.url));
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

const ctown = readInp(readFileSync(seed('ctown.inp'), 'utf8'));
const ctownLayout = validateLayout(JSON.parse(readFileSync(seed('ctown-plcs.json'), 'utf8')), ctown);
const demo = JSON.parse(readFileSync(seed('ctown-demo-scenario.json'), 'utf8')) as Record<string, unknown>;

/** epanetCPA's scenarios/ctown/attacks.cpa: T1's level sent to PLC1 replaced by 0.5 m, SCADA fed falling offsets. */
const epanetCpaAttack = {
  name: 'epanetCPA attacks.cpa: L_T1 to PLC1 constant 0.5 m (10-30 h), SCADA offsets',
  hours: 72,
  events: [
    { type: 'sensor-spoof', signal: 'L_T1', mode: 'constant', value: 0.5, on: 'PLC2->PLC1', start: { hour: 10 }, end: { hour: 30 } },
    { type: 'sensor-spoof', signal: 'L_T1', mode: 'offset', value: -0.5, on: 'PLC2->SCADA', start: { hour: 10 }, end: { hour: 20 } },
    { type: 'sensor-spoof', signal: 'L_T1', mode: 'offset', value: -1, on: 'PLC2->SCADA', start: { hour: 20 }, end: { hour: 25 } },
    { type: 'sensor-spoof', signal: 'L_T1', mode: 'offset', value: -2, on: 'PLC2->SCADA', start: { hour: 25 }, end: { hour: 30 } },
  ],
};

interface Sample {
  wallMs: number;
  engineMs: number;
}

function stats(samples: Sample[]): { median: number; p99: number; engine: number } {
  const walls = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  const engines = samples.map((s) => s.engineMs).sort((a, b) => a - b);
  const pick = (xs: number[], q: number): number => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
  return { median: pick(walls, 0.5), p99: pick(walls, 0.99), engine: pick(engines, 0.5) };
}

function line(label: string, samples: Sample[], simulatedHours: number): void {
  const s = stats(samples);
  const share = (100 * s.engine) / s.median;
  process.stdout.write(
    `${label.padEnd(64)} median ${s.median.toFixed(0).padStart(6)} ms  p99 ${s.p99.toFixed(0).padStart(6)} ms  ` +
      `${(s.median / simulatedHours).toFixed(2).padStart(6)} ms/sim-h  EPANET ${share.toFixed(0)}% / Vigil ${(100 - share).toFixed(0)}%  (n=${samples.length})\n`,
  );
}

async function baseline(network: WaterNetwork, layout: PlcLayout, hours: number): Promise<Sample> {
  const scenario = validateScenario({ name: 'baseline', hours, events: [] }, network, layout);
  const t0 = performance.now();
  const run = await runHydraulics({ network, layout, scenario, withEvents: false });
  return { wallMs: performance.now() - t0, engineMs: run.timing.engineMs };
}

/** The same network through EPANET alone (its own controls, no Vigil in the loop), PDA as Vigil runs it. */
async function plainEpanet(text: string, hours: number): Promise<Sample> {
  const t0 = performance.now();
  const s = await EngineSession.open(text);
  s.project.setTimeParameter(0, hours * 3600);
  s.project.setDemandModel(1, 0, 20, 0.5);
  s.project.solveH();
  s.close();
  const ms = performance.now() - t0;
  return { wallMs: ms, engineMs: ms };
}

async function repeat(n: number, fn: () => Promise<Sample>): Promise<Sample[]> {
  await fn(); // warm-up: WebAssembly tiers up, the JIT compiles
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

process.stdout.write(`water benchmark — ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load ${loadavg().map((l) => l.toFixed(1)).join('/')}\n`);
// BENCH_ONLY=api runs only the API path (the last section).
if (process.env.BENCH_ONLY === 'api') {
  await benchApi(epanetCpaAttack, repeats, (l) => process.stdout.write(l));
  process.exit(0);
}
const ctownText = readFileSync(seed('ctown.inp'), 'utf8');

const week = await repeat(repeats, () => baseline(ctown, ctownLayout, 168));
line('C-Town 7-day baseline, 9 PLCs in the loop (PDA)', week, 168);
const plainWeek = await repeat(repeats, () => plainEpanet(ctownText, 168));
line('  same, EPANET alone (controls inside the engine)', plainWeek, 168);
process.stdout.write(`  ratio Vigil-stepped / EPANET alone: ${(stats(week).median / stats(plainWeek).median).toFixed(2)}\n`);

for (const [label, scenario] of [['C-Town 72 h epanetCPA attack + impact (baseline + scenario)', epanetCpaAttack], ['C-Town 72 h demo attack (tanks drain) + impact', demo]] as const) {
  const samples = await repeat(repeats, async () => {
    const t0 = performance.now();
    const { report } = await simulateScenario({ network: ctown, layout: ctownLayout, scenario });
    return { wallMs: performance.now() - t0, engineMs: report.timing.engineMs };
  });
  line(label, samples, 144);
}

const cold = performance.now();
const inWorker = await simulateInWorker({ network: ctown, layout: ctownLayout, scenario: epanetCpaAttack });
process.stdout.write(`C-Town 72 h epanetCPA attack in a fresh worker thread (cold start): ${(performance.now() - cold).toFixed(0)} ms (engine ${inWorker.report.timing.engineMs.toFixed(0)} ms)\n`);
{
  // What the API sees with a long-lived pool: the worker is warm and keeps the baseline of these settings.
  const pool = new SimulationPool(1);
  const samples: Sample[] = [];
  for (let i = 0; i <= repeats; i++) {
    const t0 = performance.now();
    const { report } = await pool.run({ network: ctown, layout: ctownLayout, scenario: { ...epanetCpaAttack, name: `run ${i}` } });
    if (i > 0) samples.push({ wallMs: performance.now() - t0, engineMs: report.timing.engineMs });
  }
  await pool.close();
  line('C-Town 72 h epanetCPA attack, warm worker pool, baseline cached', samples, 72);
}

const pumps = planSweep('pump-off', ctown, ctownLayout, { hours: 72 });
for (const workers of [2, 1]) {
  const t0 = performance.now();
  const result = await runSweep(ctown, ctownLayout, pumps, { workers });
  const wall = performance.now() - t0;
  const sum = result.ranking.reduce((s, e) => s + e.wallMs, 0);
  process.stdout.write(
    `C-Town sweep: ${pumps.length} single-pump failures × 72 h on ${workers} worker(s): ${(wall / 1000).toFixed(2)} s wall ` +
      `(${(wall / pumps.length).toFixed(0)} ms/scenario; simulations alone ${(sum / 1000).toFixed(2)} s); worst: ${result.ranking[0]?.name}\n`,
  );
}

if (existsSync(`${shared}L-TOWN.inp`)) {
  const ltownText = readFileSync(`${shared}L-TOWN.inp`, 'utf8');
  const ltown = readInp(ltownText);
  const l = await repeat(Math.max(1, Math.floor(repeats / 2)), () => baseline(ltown, defaultLayout(ltown), 24));
  line('L-Town 24 h baseline (782 junctions, 5 min steps)', l, 24);
  const plain = await repeat(Math.max(1, Math.floor(repeats / 2)), () => plainEpanet(ltownText, 24));
  line('  same, EPANET alone', plain, 24);
} else {
  process.stdout.write('L-Town skipped: ../shared/data/epanet/L-TOWN.inp is absent\n');
}

await benchApi(epanetCpaAttack, repeats, (l) => process.stdout.write(l));
