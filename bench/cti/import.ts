/**
 * STIX import throughput without a store: stream-read and fully validate (schemas + rules + patterns) a generated
 * bundle of 500,000 objects built from the shapes of the official examples. Usage:
 *   npx tsx bench/cti/import.ts [objects=500000] [runs=3]
 * The bundle is written once to bench/out/ (ignored by git) and reused.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleValidator, streamBundle } from '../../src/cti/index.js';
import { fmt, median, percentile } from './stats.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const EXAMPLES = resolve(ROOT, '../shared/data/stix/examples');
const OUT = join(ROOT, 'bench/out');
const total = Number(process.argv[2] ?? 500_000);
const runs = Number(process.argv[3] ?? 3);

function templates(): Record<string, unknown>[] {
  if (!existsSync(EXAMPLES)) throw new Error(`the official STIX examples are needed at ${EXAMPLES}`);
  const out: Record<string, unknown>[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) {
        const json = JSON.parse(readFileSync(path, 'utf8')) as { type: string; objects?: Record<string, unknown>[] };
        if (json.type === 'bundle' && json.objects) out.push(...json.objects);
      }
    }
  };
  walk(EXAMPLES);
  return out;
}

/** Copy b of the examples: every UUID gets the copy number in its last 12 hex digits, so references stay intact. */
function copyText(text: string, b: number): string {
  const suffix = b.toString(16).padStart(12, '0');
  return text.replace(/(--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}/g, (_m, head: string) => head + suffix);
}

async function generate(path: string): Promise<void> {
  const objects = templates().map((o) => JSON.stringify(o));
  const stream = createWriteStream(path);
  const write = (s: string) => (stream.write(s) ? Promise.resolve() : new Promise<void>((r) => stream.once('drain', () => r())));
  await write('{"type":"bundle","id":"bundle--6f7c3f1e-0c2a-4b8e-9a5f-000000000000","objects":[');
  for (let n = 0, b = 0; n < total; b++) {
    const chunk: string[] = [];
    for (const text of objects) {
      if (n >= total) break;
      chunk.push(copyText(text, b));
      n++;
    }
    await write((b === 0 ? '' : ',') + chunk.join(','));
  }
  await write(']}');
  await new Promise<void>((r) => stream.end(() => r()));
}

async function runOnce(path: string): Promise<{ seconds: number; cpuSeconds: number; objects: number; invalid: number; batchMs: number[] }> {
  const validator = new BundleValidator();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let batchStart = started;
  const batchMs: number[] = [];
  let objects = 0;
  let invalid = 0;
  for await (const item of streamBundle(createReadStream(path, { highWaterMark: 1 << 20 }))) {
    const report = validator.check(item.object, item.index);
    if (!report.valid) invalid++;
    if (++objects % 1000 === 0) {
      const now = performance.now();
      batchMs.push(now - batchStart);
      batchStart = now;
    }
  }
  invalid += validator.finish().length;
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, objects, invalid, batchMs };
}

mkdirSync(OUT, { recursive: true });
const path = join(OUT, `cti-bundle-${total}.json`);
if (!existsSync(path)) {
  const t = performance.now();
  await generate(path);
  console.log(`generated ${path} (${fmt(statSync(path).size / 1e6, 1)} MB) in ${fmt((performance.now() - t) / 1000, 1)} s`);
}
const size = statSync(path).size;
const results = [];
for (let i = 0; i < runs; i++) {
  const r = await runOnce(path);
  results.push(r);
  console.log(`run ${i + 1}: ${fmt(r.objects)} objects in ${fmt(r.seconds, 2)} s wall, ${fmt(r.cpuSeconds, 2)} s CPU = ${fmt(r.objects / r.seconds)} objects/s (${fmt(r.objects / r.cpuSeconds)} per CPU-second), ${r.invalid} invalid`);
}
const rates = results.map((r) => r.objects / r.seconds);
const batches = results.flatMap((r) => r.batchMs);
const rate = median(rates);
const cpuRate = median(results.map((r) => r.objects / r.cpuSeconds));
console.log(`\nSTIX read + validate, ${fmt(total)} objects, ${fmt(size / 1e6, 1)} MB, ${runs} runs`);
console.log(`  median ${fmt(rate)} objects/s (${fmt((size / 1e6) * (rate / total), 1)} MB/s); per 1,000 objects median ${fmt(median(batches), 1)} ms, p99 ${fmt(percentile(batches, 99), 1)} ms`);
console.log(`  machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores; ${fmt(cpuRate)} objects per CPU-second`);
console.log(`  ratio to the 5,000 objects/s target: ${fmt(rate / 5000, 1)}x wall, ${fmt(cpuRate / 5000, 1)}x per CPU-second (store writes not included: no store yet)`);
