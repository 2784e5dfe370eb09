/**
 * What live correlation costs alert ingestion: the time to answer POST /alerts with correlation off and on
 * for the organisation (in-process requests), and how long the correlator then needs to catch up.
 *
 *   node --import tsx bench/incidents/live-overhead.ts [--alerts=500]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { openSession } from '../../src/kernel/auth/index.js';
import { loadConfig } from '../../src/kernel/config.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation, createUser } from '../../src/organisations/queries.js';
import { buildServer, openVigil } from '../../src/server.js';
import { random } from '../core/seed.js';
import { args, fmt, machine, summary } from '../lib/stats.js';

const n = Math.ceil(Number(args().get('alerts') ?? 500) / 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-live-overhead-'));
const kernel = await openVigil(loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent' }), { logger: pino({ level: 'silent' }) });
const app = await buildServer(kernel, undefined, { feeds: false, matching: false });
await app.ready();
const tokens: string[] = [];
await kernel.write(SYSTEM_ACTOR, async (w) => {
  for (const slug of ['off', 'on']) {
    const org = await createOrganisation(w, { slug, name: slug, sector: 'water', kind: 'operator' });
    const user = await createUser(w, { orgId: org.id, email: `admin@${slug}.test`, name: slug, role: 'admin', password: '' }, 'x');
    tokens.push(user.id);
  }
});
const [off, on] = await Promise.all(tokens.map(async (userId) => (await openSession(kernel.store.db, userId, Date.now(), 3600)).token));
const call = (token: string, method: string, url: string, body: unknown) =>
  app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
await call(on!, 'PUT', '/api/v1/correlation/settings', { enabled: true });

const rnd = random(3);
const body = (i: number) => ({
  category: rnd() < 0.7 ? 'cyber' : 'physical',
  severity: rnd() < 0.9 ? 'low' : 'high',
  title: `alert ${i % 17}`,
  evidence: { srcip: `203.0.113.${Math.floor(rnd() * 20)}`, user: `u${Math.floor(rnd() * 50)}` },
  location: { type: 'Point', coordinates: [7.41 + rnd() * 0.03, 43.72 + rnd() * 0.03] },
});
const lines: string[] = [];
// Alternating rounds, so neither side profits from a warmer process or pays for a fuller database.
const rounds = [['correlation off', off!], ['correlation on', on!], ['correlation on', on!], ['correlation off', off!]] as const;
for (const [label, token] of rounds) {
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await call(token, 'POST', '/api/v1/alerts', body(i));
    if (res.statusCode !== 201) throw new Error(res.body);
    times.push(performance.now() - t0);
  }
  const answered = performance.now() - started;
  await app.correlation.idle();
  const caughtUp = performance.now() - started;
  const s = summary(times);
  lines.push(`${label.padEnd(16)} median ${fmt(s.median)} ms  p99 ${fmt(s.p99)} ms  all answered ${fmt(answered)} ms  correlated ${fmt(caughtUp)} ms`);
}
const incidents = await kernel.store.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`POST /alerts, ${n} alerts per round, alternating (${machine()})`);
for (const l of lines) console.log(l);
console.log(`incidents opened by correlation: ${incidents.n}`);
await app.close();
await kernel.close();
fs.rmSync(dir, { recursive: true, force: true });
