/**
 * `npm run bench:core`: the core's read path, live stream and sign-in, measured side by side.
 *   --alerts N     alerts to seed (default 1,000,000)
 *   --clients N    live-stream clients (default 1,000)
 *   --engines a,b  sqlite and/or postgres (default: both when PostgreSQL answers)
 */
import { Worker } from 'node:worker_threads';
import { openSession } from '../../src/kernel/auth/index.js';
import { hashPassword } from '../../src/kernel/auth/index.js';
import type { Engine } from '../../src/kernel/db/connection.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation, createUser, saveSharingGroup } from '../../src/organisations/queries.js';
import { raiseAlert } from '../../src/alerts/index.js';
import { buildServer } from '../../src/server.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { benchKernel, pgAvailable } from '../lib/kernel.js';
import { args, fmt, machine, summary } from '../lib/stats.js';
import { seedAlerts } from './seed.js';

const opts = args();
const ALERTS = Number(opts.get('alerts') ?? 1_000_000);
const CLIENTS = Number(opts.get('clients') ?? 1000);
const SLUGS = ['water', 'energy', 'transit', 'hospital', 'police', 'fire', 'cert'];
const PASSWORD = 'benchmark password';

interface City {
  orgIds: string[];
  groupIds: string[];
  tokens: string[];
  emails: string[];
}

async function seedCity(kernel: Kernel): Promise<City> {
  const passwordHash = await hashPassword(PASSWORD);
  const orgIds: string[] = [];
  const userIds: string[] = [];
  const emails: string[] = [];
  const groupIds: string[] = [];
  await kernel.write(SYSTEM_ACTOR, async (w) => {
    for (const slug of SLUGS) {
      const org = await createOrganisation(w, { slug, name: slug, sector: 'city', kind: 'operator' });
      orgIds.push(org.id);
      const email = `analyst@${slug}.bench`;
      userIds.push((await createUser(w, { orgId: org.id, email, name: slug, role: 'analyst', password: '' }, passwordHash)).id);
      emails.push(email);
    }
    groupIds.push((await saveSharingGroup(w, { ownerOrgId: orgIds[6]!, name: 'infrastructure', description: '', memberOrgIds: orgIds.slice(0, 4) })).id);
    groupIds.push((await saveSharingGroup(w, { ownerOrgId: orgIds[4]!, name: 'emergency', description: '', memberOrgIds: [orgIds[5]!, orgIds[3]!, orgIds[6]!] })).id);
  });
  const tokens = [];
  for (const id of userIds) tokens.push((await openSession(kernel.store.db, id, Date.now(), 86400)).token);
  return { orgIds, groupIds, tokens, emails };
}

const FILTERS: Array<{ name: string; query: (city: City, viewer: number) => string }> = [
  { name: 'no filter', query: () => '' },
  { name: 'severity high+critical', query: () => 'severity=high&severity=critical' },
  { name: 'status new', query: () => 'status=new' },
  { name: 'category cyber', query: () => 'category=cyber' },
  { name: 'last 7 days', query: () => `from=${new Date(Date.parse('2026-11-13T00:00:00Z')).toISOString()}` },
  { name: 'bbox (Monte-Carlo)', query: () => 'bbox=7.418,43.735,7.432,43.745' },
  { name: 'owner (another org)', query: (city, v) => `owner=${city.orgIds[(v + 1) % city.orgIds.length]}` },
  { name: 'critical + new + cyber', query: () => 'severity=critical&status=new&category=cyber' },
  { name: 'text search "pump"', query: () => 'q=pump' },
];

async function measureLists(kernel: Kernel, city: City): Promise<Record<string, number[]>> {
  const app = await buildServer(kernel);
  await app.ready();
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const filter of FILTERS) {
      for (let v = 0; v < city.tokens.length; v++) {
        let cursor: string | null = null;
        // The first page and four more through the cursor: deep pages must be as fast as the first.
        for (let page = 0; page < 5; page++) {
          const qs: string = [filter.query(city, v), 'limit=100', cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
          const t0 = performance.now();
          const res: { statusCode: number; body: string } = await app.inject({ method: 'GET', url: `/api/v1/alerts?${qs}`, headers: { authorization: `Bearer ${city.tokens[v]}` } });
          const ms = performance.now() - t0;
          if (res.statusCode !== 200) throw new Error(`list answered ${res.statusCode}: ${res.body}`);
          (samples[filter.name] ??= []).push(ms);
          cursor = (JSON.parse(res.body) as { nextCursor: string | null }).nextCursor;
          if (!cursor) break;
        }
      }
    }
  }
  await app.close();
  return samples;
}

async function measureStream(kernel: Kernel, city: City): Promise<{ latencies: number[]; connected: number }> {
  const app = await buildServer(kernel);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const changes = 60;
  const worker = new Worker(new URL('./sse-clients.mjs', import.meta.url), {
    workerData: { url: `http://127.0.0.1:${port}/api/v1/stream`, tokens: city.tokens, clients: CLIENTS, expect: changes },
  });
  const connected = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { connected: number }) => resolve(m.connected));
    worker.once('error', reject);
  });
  const done = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (m: { latencies: number[] }) => resolve(m.latencies));
    worker.once('error', reject);
  });
  const viewer = { orgId: city.orgIds[0]!, groupIds: new Set<string>() };
  for (let i = 0; i < changes; i++) {
    const stamp = performance.timeOrigin + performance.now();
    await kernel.write({ ...SYSTEM_ACTOR, orgId: city.orgIds[0]! }, (w) =>
      raiseAlert(w, viewer, { source: 'bench', category: 'cyber', severity: 'low', title: `t=${stamp}` }, { ownerOrgId: city.orgIds[0]!, tlp: 'clear', distribution: { scope: 'public' } }),
    );
    // A change every 50 ms: a busy city, not a flood (the ingestion benchmark measures floods).
    await new Promise((r) => setTimeout(r, 50));
  }
  const latencies = await done;
  await worker.terminate();
  await app.close();
  return { latencies, connected };
}

async function measureLogins(kernel: Kernel, city: City): Promise<{ perSecond: number; latencies: number[] }> {
  const app = await buildServer(kernel);
  await app.ready();
  const total = 60;
  const concurrency = 4;
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email: city.emails[i % city.emails.length], password: PASSWORD }),
          remoteAddress: `10.0.${i % 250}.1`,
        });
        if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}: ${res.body}`);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await app.close();
  return { perSecond: total / seconds, latencies };
}

async function main(): Promise<void> {
  const requested = opts.get('engines')?.split(',') as Engine[] | undefined;
  const engines: Engine[] = requested ?? ((await pgAvailable()) ? ['sqlite', 'postgres'] : ['sqlite']);
  console.log(`# bench:core — ${new Date().toISOString()}\n# ${machine()}\n# ${ALERTS} alerts across ${SLUGS.length} organisations, ${CLIENTS} stream clients\n`);
  const lists: Record<string, Record<string, number[]>> = {};
  for (const engine of engines) {
    const { kernel, close } = await benchKernel(engine);
    try {
      const city = await seedCity(kernel);
      await seedAlerts(kernel, city.orgIds, city.groupIds, ALERTS);
      lists[engine] = await measureLists(kernel, city);
      if (engine === engines[0]) {
        const stream = await measureStream(kernel, city);
        const s = summary(stream.latencies);
        console.log(`\n## live stream: ${stream.connected} clients connected, ${s.n} deliveries`);
        console.log(`change-to-delivery  median ${fmt(s.median)} ms   p95 ${fmt(s.p95)} ms   p99 ${fmt(s.p99)} ms   max ${fmt(s.max)} ms   (target p99 < 100 ms)`);
        const login = await measureLogins(kernel, city);
        const l = summary(login.latencies);
        console.log(`\n## sign-in (argon2id m=64 MiB t=3 p=1), 4 concurrent`);
        console.log(`${login.perSecond.toFixed(1)} logins/s   latency median ${fmt(l.median)} ms   p99 ${fmt(l.p99)} ms`);
      }
    } finally {
      await close();
    }
  }
  console.log('\n## alert list, page of 100 (ms): first page and 4 more via the cursor, 7 viewers × 3 rounds');
  console.log(['filter'.padEnd(26), ...engines.map((e) => `${e} median`.padStart(16) + `${e} p99`.padStart(14))].join(''));
  const all: Record<string, number[]> = {};
  for (const filter of FILTERS) {
    const cells = engines.map((e) => {
      const s = summary(lists[e]![filter.name]!);
      (all[e] ??= []).push(...lists[e]![filter.name]!);
      return fmt(s.median).padStart(16) + fmt(s.p99).padStart(14);
    });
    console.log([filter.name.padEnd(26), ...cells].join(''));
  }
  console.log(['ALL'.padEnd(26), ...engines.map((e) => fmt(summary(all[e]!).median).padStart(16) + fmt(summary(all[e]!).p99).padStart(14))].join(''), '  (target p99 < 50 ms)');
  if (engines.length === 2) {
    const ratio = summary(all.postgres!).median / summary(all.sqlite!).median;
    console.log(`postgres/sqlite median ratio: ${ratio.toFixed(2)}`);
  }
}

await main();
