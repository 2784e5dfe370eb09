/**
 * Correlation throughput: the AIT alert data set (45,544 alerts) and a synthetic city stream of
 * 1,000,000 alerts (assets with dependencies, places, indicators, background noise, floods, campaigns).
 * Prints medians over repeated runs, the p99 time per alert (from 1,024-alert batches) and ratios.
 *
 *   node --import tsx bench/incidents/correlation.ts [--runs 5] [--alerts 1000000] [--ait <file.csv>]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readAlertCsv } from '../../src/incidents/correlation/alert-csv.js';
import { Correlator } from '../../src/incidents/correlation/correlator.js';
import type { CorrelationAlert, CorrelationAsset } from '../../src/incidents/correlation/model.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    alerts: { type: 'string', default: '1000000' },
    ait: { type: 'string', default: join(import.meta.dirname, '../../../shared/data/siem/ait-ads/russellmitchell_alerts.csv') },
  },
});
const runs = Math.max(1, Number(values.runs));
const syntheticCount = Math.max(10_000, Number(values.alerts));
const BATCH = 1_024;

interface RunResult {
  alertsPerSecond: number;
  p99MicrosPerAlert: number;
  decisions: number;
  heapMb: number;
}

/** Feeds alerts in batches, timing only the engine. */
function measure(assets: CorrelationAsset[], batches: Iterable<CorrelationAlert[]>): RunResult {
  const engine = new Correlator({ assets });
  const perAlert: number[] = [];
  let busy = 0;
  let count = 0;
  let decisions = 0;
  for (const batch of batches) {
    for (let i = 0; i < batch.length; i += BATCH) {
      const end = Math.min(batch.length, i + BATCH);
      const started = performance.now();
      for (let j = i; j < end; j++) decisions += engine.correlate(batch[j]!).length;
      const took = performance.now() - started;
      busy += took;
      perAlert.push((took * 1000) / (end - i));
      count += end - i;
    }
  }
  const started = performance.now();
  decisions += engine.flush().length;
  busy += performance.now() - started;
  perAlert.sort((a, b) => a - b);
  return {
    alertsPerSecond: count / (busy / 1000),
    p99MicrosPerAlert: perAlert[Math.min(perAlert.length - 1, Math.floor(perAlert.length * 0.99))]!,
    decisions,
    heapMb: process.memoryUsage().heapUsed / 1e6,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A deterministic pseudo-random generator (mulberry32), so every run sees the same stream. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ORGS = ['water-utility', 'energy-utility', 'transport', 'police', 'city-cert'];
const KINDS = Array.from({ length: 40 }, (_, i) => `detector-rule-${i}`);

/** 2,000 assets: PLCs controlling pumps feeding tanks, cameras located in stations, spread over a city. */
function syntheticAssets(): CorrelationAsset[] {
  const assets: CorrelationAsset[] = [];
  for (let i = 0; i < 500; i++) {
    assets.push({ id: `plc-${i}`, identifiers: [`10.1.${i >> 8}.${i & 255}`], dependencies: [{ kind: 'controls', assetId: `pump-${i}` }] });
    assets.push({ id: `pump-${i}`, dependencies: [{ kind: 'feeds', assetId: `tank-${i >> 1}` }] });
    assets.push({ id: `tank-${i}` });
    assets.push({ id: `camera-${i}`, dependencies: [{ kind: 'located-in', assetId: `station-${i % 50}` }] });
  }
  return assets;
}

function* syntheticStream(total: number): Generator<CorrelationAlert[]> {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.parse('2025-03-01T00:00:00Z');
  const spanMs = 7 * 86_400_000;
  let time = start;
  let made = 0;
  let flood: { asset: string; kind: string; left: number } | null = null;
  while (made < total) {
    const batch: CorrelationAlert[] = [];
    for (let i = 0; i < 10_000 && made < total; i++, made++) {
      time += Math.floor(rnd() * ((2 * spanMs) / total));
      const n = Math.floor(rnd() * 500);
      const roll = rnd();
      if (!flood && roll < 0.0002) flood = { asset: `plc-${n}`, kind: pick(KINDS), left: 2_000 };
      let assetIds: string[];
      let kind: string;
      let evidence: Record<string, unknown>;
      if (flood) {
        assetIds = [flood.asset];
        kind = flood.kind;
        evidence = { src_ip: `203.0.113.${n & 255}`, url: `http://portal.example/${made}` };
        if (--flood.left === 0) flood = null;
      } else if (roll < 0.05) {
        // A campaign: one attacker address touching assets across the city.
        assetIds = [pick(['plc', 'pump', 'tank', 'camera'])].map((k) => `${k}-${n}`);
        kind = pick(KINDS);
        evidence = { src_ip: `198.51.100.${Math.floor(made / 50_000)}`, user: `svc-${n % 7}` };
      } else {
        assetIds = [`${pick(['plc', 'pump', 'tank', 'camera'])}-${n}`];
        kind = KINDS[(n + Math.floor(rnd() * 3)) % KINDS.length]!;
        evidence = { message: `event ${made} on host${n}.city.example from 10.${n & 255}.${(n * 7) & 255}.${made & 255}`, sha256: rnd() < 0.01 ? 'ab'.repeat(32) : undefined };
      }
      const located = rnd() < 0.3;
      batch.push({
        id: `s${made}`,
        ownerOrgId: ORGS[n % ORGS.length]!,
        time,
        category: rnd() < 0.7 ? 'cyber' : 'physical',
        severity: 'medium',
        kind,
        assetIds,
        location: located ? { type: 'Point', coordinates: [7.40 + (n % 40) * 0.001, 43.72 + Math.floor(n / 40) * 0.001] } : null,
        evidence,
      });
    }
    yield batch;
  }
}

function report(label: string, results: RunResult[], count: number): { label: string; rate: number } {
  const rate = median(results.map((r) => r.alertsPerSecond));
  const p99 = median(results.map((r) => r.p99MicrosPerAlert));
  const heap = Math.max(...results.map((r) => r.heapMb));
  console.log(
    `${label.padEnd(28)} ${String(count).padStart(9)} alerts  median ${Math.round(rate).toLocaleString('en').padStart(9)} alerts/s  ` +
      `p99 ${p99.toFixed(1).padStart(6)} µs/alert  (runs: ${results.map((r) => Math.round(r.alertsPerSecond / 1000) + 'k').join(' ')}; heap ≤ ${heap.toFixed(0)} MB)`,
  );
  return { label, rate };
}

console.log(`correlation throughput, node ${process.version}, ${runs} run(s) each\n`);
const lines: Array<{ label: string; rate: number }> = [];
if (existsSync(values.ait)) {
  const table = readAlertCsv(readFileSync(values.ait, 'utf8'));
  const ordered = [...table.alerts].sort((a, b) => a.time - b.time);
  measure(table.assets, [ordered]); // warm-up
  const results = Array.from({ length: runs }, () => measure(table.assets, [ordered]));
  lines.push(report('AIT russellmitchell', results, ordered.length));
} else {
  console.log(`AIT data set absent (${values.ait}): skipped`);
}
const assets = syntheticAssets();
const syntheticRuns = Math.max(1, Math.min(runs, 3));
const results = Array.from({ length: syntheticRuns }, () => measure(assets, syntheticStream(syntheticCount)));
lines.push(report('synthetic city stream', results, syntheticCount));
if (lines.length === 2) console.log(`\nratio synthetic / AIT: ${(lines[1]!.rate / lines[0]!.rate).toFixed(2)}`);
