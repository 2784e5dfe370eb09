/**
 * TAXII `objects` pages of 1,000 with 1,000,000 objects stored: latency from a client's request to the last
 * byte of the answer, over HTTP, through authentication, the collection's sharing conditions, the
 * latest-version selection and the envelope. Usage:
 *   node --import tsx bench/cti/taxii.ts [objects=1000000] [requests=300] [engine=sqlite]
 * The store is filled directly (not through the importer, which bench/cti/import.ts measures): indicators shared
 * with the community, one in twenty with a second version, one in fifty held by another organisation only.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { microsToTimestamp } from '../../src/cti/index.js';
import { openSession } from '../../src/kernel/auth/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation, createUser } from '../../src/organisations/queries.js';
import { buildServer } from '../../src/server.js';
import { benchKernel } from '../lib/kernel.js';
import { fmt, median, percentile, random } from './stats.js';

const total = Number(process.argv[2] ?? 1_000_000);
const requests = Number(process.argv[3] ?? 300);
const engine = (process.argv[4] ?? 'sqlite') as 'sqlite' | 'postgres';
const TAXII = 'application/taxii+json;version=2.1';
const rnd = random(7);

const { kernel, close } = await benchKernel(engine);
try {
  const [cert, other] = await kernel.write(SYSTEM_ACTOR, async (w) => [
    await createOrganisation(w, { slug: 'cert', name: 'CERT', sector: 'cert', kind: 'authority' }),
    await createOrganisation(w, { slug: 'water', name: 'Water', sector: 'water', kind: 'operator' }),
  ]);
  const user = await kernel.write(SYSTEM_ACTOR, (w) => createUser(w, { orgId: other.id, email: 'a@water.test', name: 'a', role: 'analyst', password: '' }, 'x'));
  const token = (await openSession(kernel.store.db, user.id, Date.now(), 24 * 3600)).token;

  let t = performance.now();
  const base = Date.now() * 1000;
  const batch = 500;
  for (let start = 0; start < total; start += 50_000) {
    await kernel.store.db.transaction().execute(async (tx) => {
      for (let i = start; i < Math.min(total, start + 50_000); i += batch) {
        const rows = [];
        for (let k = i; k < Math.min(total, i + batch); k++) {
          const second = k % 20 === 19;
          const n = second ? k - 1 : k;
          const modified = second ? '2026-02-01T00:00:00.000Z' : '2026-01-01T00:00:00.000Z';
          const id = `indicator--6b0b2d1e-3c4d-4e5f-8a6b-${n.toString(16).padStart(12, '0')}`;
          const object = {
            type: 'indicator', spec_version: '2.1', id, created: '2026-01-01T00:00:00.000Z', modified, name: `C2 address ${n}`,
            indicator_types: ['malicious-activity'], pattern: `[ipv4-addr:value = '10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
            pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
          };
          const hidden = k % 50 === 7;
          rows.push({
            seq: k + 1, id: crypto.randomUUID(), stix_id: id, type: 'indicator', version: modified, version_micros: Date.parse(modified) * 1000, spec_version: '2.1',
            date_added: base + k, owner_org_id: cert.id, tlp: 'green', dist_scope: hidden ? 'owner' : 'community', dist_group_id: null, marked_tlp: 'green', revoked: 0,
            import_id: 'bench', object: JSON.stringify(object), created_at: Date.now(),
          });
        }
        await tx.insertInto('stix_objects').values(rows).execute();
      }
    });
    process.stderr.write(`\rfilled ${fmt(Math.min(total, start + 50_000))} objects`);
  }
  await kernel.store.db.updateTable('stix_counter').set({ last_seq: total, last_date_added: base + total }).where('id', '=', 1).execute();
  if (engine === 'sqlite') await import('kysely').then(({ sql }) => sql`analyze`.execute(kernel.store.db));
  else await import('kysely').then(({ sql }) => sql`analyze stix_objects`.execute(kernel.store.db));
  console.log(`\nfilled ${fmt(total)} objects in ${fmt((performance.now() - t) / 1000, 1)} s`);

  const app = await buildServer(kernel, undefined, { feeds: false, matching: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // Client and server share this process: the CPU time of a request is what both spent on it (an upper bound
  // of the server's share), which on this shared machine says more than the wall time about an idle core.
  const cpuMs: number[] = [];
  const get = async (path: string) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, accept: TAXII } });
    const text = await res.text();
    const used = process.cpuUsage(cpu);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
    const ms = performance.now() - started;
    cpuMs.push((used.user + used.system) / 1000);
    return { ms, bytes: text.length, body: JSON.parse(text) as { more?: boolean; next?: string; objects?: unknown[] } };
  };
  const collections = (await get('/taxii2/api/collections/')).body as unknown as { collections: Array<{ id: string; alias: string }> };
  const community = collections.collections.find((c) => c.alias === 'community')!.id;
  const objects = `/taxii2/api/collections/${community}/objects/`;
  for (let i = 0; i < 5; i++) await get(`${objects}?limit=1000`); // warm-up

  cpuMs.length = 0;
  const random: number[] = [];
  let bytes = 0;
  let served = 0;
  for (let i = 0; i < requests; i++) {
    const after = microsToTimestamp(base + Math.floor(rnd() * (total - 2000)));
    const r = await get(`${objects}?limit=1000&added_after=${after}`);
    random.push(r.ms);
    bytes += r.bytes;
    served += r.body.objects?.length ?? 0;
  }
  const randomCpu = [...cpuMs];
  const paging: number[] = [];
  let next: string | undefined;
  for (let i = 0; i < Math.min(100, requests); i++) {
    const r = await get(`${objects}?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`);
    paging.push(r.ms);
    next = r.body.next;
  }
  const manifest: number[] = [];
  for (let i = 0; i < Math.min(100, requests); i++) {
    manifest.push((await get(`/taxii2/api/collections/${community}/manifest/?limit=1000&added_after=${microsToTimestamp(base + Math.floor(rnd() * (total - 2000)))}`)).ms);
  }
  await app.close();
  console.log(`\nTAXII 2.1 objects pages of 1,000, ${fmt(total)} objects stored (${engine}), over HTTP`);
  console.log(`  random pages (added_after): ${requests} requests, median ${fmt(median(random), 1)} ms, p99 ${fmt(percentile(random, 99), 1)} ms, max ${fmt(Math.max(...random), 1)} ms; ${fmt(served / requests)} objects and ${fmt(bytes / requests / 1024)} KiB per page`);
  console.log(`  CPU per random page (client and server, this process): median ${fmt(median(randomCpu), 1)} ms, p99 ${fmt(percentile(randomCpu, 99), 1)} ms`);
  console.log(`  paging with next: median ${fmt(median(paging), 1)} ms, p99 ${fmt(percentile(paging, 99), 1)} ms`);
  console.log(`  manifest pages: median ${fmt(median(manifest), 1)} ms, p99 ${fmt(percentile(manifest, 99), 1)} ms`);
  console.log(`  machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(`  ratio of p99 to the 100 ms target: ${fmt(percentile(random, 99) / 100, 2)}`);
  t = 0;
} finally {
  await close();
}
