/**
 * STIX import into the store: a generated bundle of 500,000 objects built from the shapes of the official
 * examples, streamed, validated (schemas + rules + patterns), staged and committed into the store of a fresh
 * database, all-or-nothing — the path `POST /api/v1/stix/bundles` and `vigil stix import` take. Usage:
 *   node --import tsx bench/cti/import.ts [objects=500000] [runs=1] [engines=sqlite]   (engines: sqlite,postgres)
 * The bundle is written once to bench/out/ (ignored by git) and reused. Read+validate alone is measured too.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleValidator, importStix, streamBundle } from '../../src/cti/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation } from '../../src/organisations/queries.js';
import { benchKernel, pgAvailable } from '../lib/kernel.js';
import { fmt, median, percentile } from './stats.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const EXAMPLES = resolve(ROOT, '../shared/data/stix/examples');
const OUT = join(ROOT, 'bench/out');
const total = Number(process.argv[2] ?? 500_000);
const runs = Number(process.argv[3] ?? 1);
const engineNames = (process.argv[4] ?? 'sqlite').split(',') as Array<'sqlite' | 'postgres'>;

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

async function validateOnce(path: string): Promise<{ seconds: number; cpuSeconds: number; objects: number }> {
  const validator = new BundleValidator();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let objects = 0;
  for await (const item of streamBundle(createReadStream(path, { highWaterMark: 1 << 20 }))) {
    validator.check(item.object, item.index);
    objects++;
  }
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, objects };
}

async function importOnce(path: string, engine: 'sqlite' | 'postgres') {
  const { kernel, close } = await benchKernel(engine);
  try {
    const org = await kernel.write(SYSTEM_ACTOR, (w) => createOrganisation(w, { slug: 'cert', name: 'CERT', sector: 'cert', kind: 'authority' }));
    const batchMs: number[] = [];
    let last = performance.now();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await importStix(kernel, createReadStream(path, { highWaterMark: 1 << 20 }), {
      ownerOrgId: org.id, actor: { orgId: org.id, userId: null, tokenId: null, address: null }, viewer: { orgId: org.id, groupIds: new Set() },
      source: 'bench', defaultTlp: 'green', distribution: { scope: 'community' }, partial: false,
      onProgress: () => {
        const now = performance.now();
        batchMs.push(now - last);
        last = now;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (result.status !== 'complete') throw new Error(`import rejected: ${result.reason}`);
    const rows = Number((await kernel.store.db.selectFrom('stix_objects').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, result, rows, batchMs };
  } finally {
    await close();
  }
}

mkdirSync(OUT, { recursive: true });
const path = join(OUT, `cti-bundle-${total}.json`);
if (!existsSync(path)) {
  const t = performance.now();
  await generate(path);
  console.log(`generated ${path} (${fmt(statSync(path).size / 1e6, 1)} MB) in ${fmt((performance.now() - t) / 1000, 1)} s`);
}
const size = statSync(path).size;
const v = await validateOnce(path);
console.log(`read + validate only: ${fmt(v.objects)} objects in ${fmt(v.seconds, 1)} s = ${fmt(v.objects / v.seconds)} objects/s (${fmt(v.objects / v.cpuSeconds)} per CPU-second)`);
for (const engine of engineNames) {
  if (engine === 'postgres' && !(await pgAvailable())) {
    console.log('postgres: no server reachable (VIGIL_BENCH_PG_URL), skipped');
    continue;
  }
  const rates: number[] = [];
  const cpuRates: number[] = [];
  const batches: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await importOnce(path, engine);
    rates.push(r.result.total / r.seconds);
    cpuRates.push(r.result.total / r.cpuSeconds);
    batches.push(...r.batchMs);
    console.log(
      `${engine} run ${i + 1}: ${fmt(r.result.total)} objects (${fmt(r.result.stored)} stored, ${fmt(r.result.duplicates)} repeated in the bundle) in ${fmt(r.seconds, 1)} s wall ` +
        `(read+validate+stage ${fmt(r.result.timings.readMs / 1000, 1)} s, commit ${fmt(r.result.timings.commitMs / 1000, 1)} s), ${fmt(r.cpuSeconds, 1)} s CPU ` +
        `= ${fmt(r.result.total / r.seconds)} objects/s (${fmt(r.result.total / r.cpuSeconds)} per CPU-second); ${fmt(r.rows)} rows in the store`,
    );
  }
  const rate = median(rates);
  console.log(`\nSTIX import into the store (${engine}), ${fmt(total)} objects, ${fmt(size / 1e6, 1)} MB, ${runs} run(s)`);
  console.log(`  median ${fmt(rate)} objects/s wall, ${fmt(median(cpuRates))} per CPU-second; per 1,000 objects read median ${fmt(median(batches), 1)} ms, p99 ${fmt(percentile(batches, 99), 1)} ms`);
  console.log(`  machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(`  ratio to the 5,000 objects/s target: ${fmt(rate / 5000, 2)}x wall, ${fmt(median(cpuRates) / 5000, 2)}x per CPU-second`);
}
