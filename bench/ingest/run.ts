/**
 * `npm run bench:ingest`: ingestion throughput side by side, publish-to-alert latency and memory.
 *   (a) a bare MQTT subscriber's receive rate from Mosquitto (the ceiling)
 *   (b) Vigil subscribed to the same Mosquitto: received, stored, detectors run (acknowledged after commit)
 *   (c) Vigil's embedded broker
 *   (d) HTTP NDJSON
 *   then publish → alert on the SSE stream latency at --rate readings/s for --duration seconds, with RSS.
 * Options: --seconds N (each throughput phase, default 15), --duration N (latency/memory run, default 600),
 * --per-message K (readings per MQTT message, default 10), --streams N (default 100), --rate R (default 10000).
 * Mosquitto: a private instance on a random port (config printed), so the shared one at 1883 is left alone.
 * Everything runs on 127.0.0.1; Vigil runs as its own process on a fresh SQLite database.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { loadConfig } from '../../src/kernel/config.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createApiToken, createOrganisation } from '../../src/organisations/queries.js';
import { openVigil } from '../../src/server.js';
import { freePort } from '../../tests/helpers/process.js';
import { args, fmt, machine, summary } from '../lib/stats.js';

const opts = args();
const SECONDS = Number(opts.get('seconds') ?? 15);
const DURATION = Number(opts.get('duration') ?? 600);
const K = Number(opts.get('per-message') ?? 10);
const STREAMS = Number(opts.get('streams') ?? 100);
const RATE = Number(opts.get('rate') ?? 10_000);
const ROOT = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
const log = (s: string) => process.stdout.write(`${s}\n`);

function payload(t0: number, i: number): string {
  const list = [];
  for (let k = 0; k < K; k++) list.push(`{"t":${t0 + i * K + k},"v":${(i + k) % 50}}`);
  return `[${list.join(',')}]`;
}

async function startMosquitto(): Promise<number> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mosq-'));
  const conf = path.join(dir, 'mosquitto.conf');
  // Stock settings but an unbounded per-client queue: a slower subscriber must not lose messages in the broker.
  fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n`);
  const child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  children.push(child);
  for (let i = 0; i < 50; i++) {
    try {
      const c = await mqttConnect(`mqtt://127.0.0.1:${port}`, {});
      c.end(true);
      log(`mosquitto on 127.0.0.1:${port} (max_queued_messages 0, other settings default: max_inflight_messages 20)`);
      return port;
    } catch {
      await sleep(100);
    }
  }
  throw new Error('mosquitto did not start (is it installed?)');
}

function mqttConnect(url: string, o: mqtt.IClientOptions): Promise<mqtt.MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, ...o });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });
}

/**
 * Publishes `messages` QoS 1 messages as fast as the broker takes them. Each connection has its own
 * datastreams, so every datastream's readings arrive in time order (none is refused as out of order).
 */
async function publishAll(url: string, slug: string, messages: number, o: mqtt.IClientOptions, t0: number, connections = 2): Promise<void> {
  const per = Math.ceil(messages / connections);
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const streams = Array.from({ length: STREAMS }, (_, s) => s).filter((s) => s % connections === c);
      const client = await mqttConnect(url, { ...o, clientId: `bench-pub-${process.pid}-${c}-${Math.random().toString(36).slice(2, 6)}` });
      let acked = 0;
      let sent = 0;
      await new Promise<void>((resolve) => {
        const pump = () => {
          while (sent < per && sent - acked < 1000) {
            const i = sent++;
            client.publish(`vigil/${slug}/S${streams[i % streams.length]}`, payload(t0, Math.floor(i / streams.length)), { qos: 1 }, () => {
              acked++;
              if (acked === per) resolve();
              else if (sent < per) setImmediate(pump);
            });
          }
        };
        pump();
      });
      client.end(true);
    }),
  );
}

interface Vigil {
  child: ChildProcess;
  base: string;
  mqttPort: number;
  token: string;
  dir: string;
  accepted(): Promise<number>;
  stop(): Promise<void>;
}

async function startVigil(env: Record<string, string>, slug: string): Promise<Vigil> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-vigil-'));
  const kernel = await openVigil(loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent' }), { logger: pino({ level: 'silent' }) });
  const token = await kernel.write(SYSTEM_ACTOR, async (w) => {
    const org = await createOrganisation(w, { slug, name: 'Bench utility', sector: 'water', kind: 'operator', settings: { autoCreateDatastreams: true, defaultTlp: 'amber', defaultDistribution: { scope: 'owner' } } });
    return (await createApiToken(w, { orgId: org.id, name: 'bench', role: 'admin', expiresAt: null })).token;
  });
  await kernel.close();
  const port = await freePort();
  const mqttPort = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/vigil.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_PORT: String(port), VIGIL_MQTT_PORT: String(mqttPort), VIGIL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      if (i > 300) throw new Error('vigil did not start');
      await sleep(100);
    }
  }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Detectors that run on every reading: a range on all streams, a flat-line on all streams, a range on LAT for the latency probe.
  const put = await fetch(`${base}/api/v1/detectors`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      detectors: [
        { id: 'all-range', kind: 'range', datastreams: ['*'], min: -1, max: 1000 },
        { id: 'all-flat', kind: 'flat-line', datastreams: ['*'], periods: 1000 },
        { id: 'probe', kind: 'range', datastreams: ['LAT'], max: 100, severity: 'high' },
      ],
    }),
  });
  if (!put.ok) throw new Error(`PUT /detectors: ${put.status} ${await put.text()}`);
  for (const key of [...Array.from({ length: STREAMS }, (_, i) => `S${i}`), 'LAT']) {
    await fetch(`${base}/api/v1/datastreams`, { method: 'POST', headers, body: JSON.stringify({ key, kind: 'other' }) });
  }
  return {
    child,
    base,
    mqttPort,
    token,
    dir,
    async accepted() {
      const res = await fetch(`${base}/api/v1/ingest/health`, { headers });
      return ((await res.json()) as { acceptedSinceStart: number }).acceptedSinceStart;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Readings per second between the first and the last change of a counter that ends at `target`. */
async function rateOf(read: () => Promise<number>, target: number, start: number): Promise<{ rate: number; seconds: number; reached: number }> {
  let first = 0;
  let firstAt = 0;
  let last = start;
  let lastAt = 0;
  const deadline = Date.now() + Math.max(120_000, SECONDS * 8000);
  while (last - start < target && Date.now() < deadline) {
    await sleep(50);
    const n = await read();
    if (n > last) {
      if (!firstAt) {
        first = n;
        firstAt = Date.now();
      }
      last = n;
      lastAt = Date.now();
    }
  }
  const seconds = (lastAt - firstAt) / 1000;
  return { rate: seconds > 0 ? (last - first) / seconds : NaN, seconds, reached: last - start };
}

async function ceiling(mosq: number): Promise<number> {
  const slug = 'bare';
  const child = fork(path.join(import.meta.dirname, 'bare-subscriber.mjs'), [`mqtt://127.0.0.1:${mosq}`, `vigil/${slug}/+`, String(K)], { stdio: 'inherit' });
  children.push(child);
  let readings = 0;
  await new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean; readings?: number }) => (m.ready ? resolve() : (readings = m.readings ?? readings))));
  const messages = Math.round((SECONDS * 60_000) / K);
  const published = publishAll(`mqtt://127.0.0.1:${mosq}`, slug, messages, {}, Date.now() - 3_600_000);
  const r = await rateOf(async () => readings, messages * K, 0);
  await published;
  child.send('stop');
  return r.rate;
}

async function main(): Promise<void> {
  log(`bench:ingest — ${new Date().toISOString()} — ${machine()}`);
  log(`${STREAMS} datastreams, ${K} readings per MQTT message, phases of about ${SECONDS} s`);
  const mosq = await startMosquitto();
  const results: Array<[string, number]> = [];

  const a = await ceiling(mosq);
  results.push(['(a) bare subscriber ← Mosquitto', a]);
  log(`(a) bare MQTT subscriber from Mosquitto: ${fmt(a)} readings/s`);

  const slug = 'bench';
  const viaMosq = await startVigil({ VIGIL_MQTT_URL: `mqtt://127.0.0.1:${mosq}`, VIGIL_MQTT_TOPIC: `vigil/${slug}/+`, VIGIL_MQTT_CLIENT_ID: `vigil-bench-${process.pid}` }, slug);
  await sleep(1000);
  const messagesB = Math.round((SECONDS * 30_000) / K);
  // Each phase's readings are later than the previous phase's, so none is refused as out of order.
  const pubB = publishAll(`mqtt://127.0.0.1:${mosq}`, slug, messagesB, {}, Date.now() - 50 * 60_000);
  const b = await rateOf(() => viaMosq.accepted(), messagesB * K, await viaMosq.accepted());
  await pubB;
  results.push(['(b) Vigil ← Mosquitto (stored, detected)', b.rate]);
  log(`(b) Vigil subscribed to Mosquitto: ${fmt(b.rate)} readings/s (${b.reached} stored in ${b.seconds.toFixed(1)} s)`);

  const messagesC = Math.round((SECONDS * 30_000) / K);
  const before = await viaMosq.accepted();
  const pubC = publishAll(`mqtt://127.0.0.1:${viaMosq.mqttPort}`, slug, messagesC, { username: 'bench', password: viaMosq.token }, Date.now() - 40 * 60_000, 4);
  const c = await rateOf(() => viaMosq.accepted(), messagesC * K, before);
  await pubC;
  results.push(['(c) Vigil embedded broker', c.rate]);
  log(`(c) Vigil embedded broker: ${fmt(c.rate)} readings/s (${c.reached} stored in ${c.seconds.toFixed(1)} s)`);

  const d = await httpRate(viaMosq);
  results.push(['(d) Vigil HTTP NDJSON', d]);
  log(`(d) Vigil HTTP NDJSON: ${fmt(d)} readings/s`);

  log('\nthroughput (readings/s)                    rate of the run   vs ceiling (a)');
  for (const [name, rate] of results) log(`${name.padEnd(42)} ${fmt(rate).padStart(10)}   ${(rate / a).toFixed(2)}×`);
  log(`targets: (b) ≥ 0.8 × (a) → ${(b.rate / a).toFixed(2)}×; (d) ≥ 50,000/s → ${fmt(d)}`);
  await viaMosq.stop();

  await latencyAndMemory(slug);
  for (const ch of children) if (ch.exitCode === null) ch.kill('SIGTERM');
}

async function httpRate(v: Vigil): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const t0 = Date.now() - 30 * 60_000;
  const CONNECTIONS = 4;
  // Each connection sends its own datastreams, so each datastream's readings arrive in time order.
  const sent = new Array<number>(CONNECTIONS).fill(0);
  const body = (c: number) => {
    const streams = Array.from({ length: STREAMS }, (_, s) => s).filter((s) => s % CONNECTIONS === c);
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const n = sent[c]!++;
      lines.push(`{"stream":"S${streams[n % streams.length]}","t":${t0 + Math.floor(n / streams.length)},"v":${n % 50}}`);
    }
    return lines.join('\n');
  };
  const post = (payload: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(`${v.base}/api/v1/observations`, { method: 'POST', agent, headers: { authorization: `Bearer ${v.token}`, 'content-type': 'application/x-ndjson' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { accepted: number }).accepted) : reject(new Error(`${res.statusCode} ${text}`))));
      });
      req.on('error', reject);
      req.end(payload);
    });
  let accepted = 0;
  const start = Date.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      while (Date.now() < end) accepted += await post(body(c));
    }),
  );
  agent.destroy();
  return accepted / ((Date.now() - start) / 1000);
}

async function latencyAndMemory(slug: string): Promise<void> {
  const v = await startVigil({}, slug);
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${v.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  // The live stream, read as a browser would.
  const events: Array<{ observed: number; at: number }> = [];
  const sse = http.get(`${v.base}/api/v1/stream`, { headers: { authorization: `Bearer ${v.token}`, accept: 'text/event-stream' } }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const line = frame.split('\n').find((l) => l.startsWith('data: '));
        if (!line) continue;
        const e = JSON.parse(line.slice(6)) as { type: string; data: { evidence?: { datastreams?: { LAT?: { observed: number } } } } };
        const observed = e.data?.evidence?.datastreams?.LAT?.observed;
        if (observed !== undefined && e.type.startsWith('alert.')) events.push({ observed, at: performance.now() });
      }
    });
  });
  const client = await mqttConnect(`mqtt://127.0.0.1:${v.mqttPort}`, { clientId: `bench-load-${process.pid}`, username: 'bench', password: v.token });
  const probe = await mqttConnect(`mqtt://127.0.0.1:${v.mqttPort}`, { clientId: `bench-probe-${process.pid}`, username: 'bench', password: v.token });
  await sleep(500);
  const sentAt = new Map<number, number>();
  let i = 0;
  let probeN = 0;
  const t0 = Date.now() - 86_400_000;
  const perTick = Math.max(1, Math.round((RATE / K) / 100)); // messages every 10 ms
  const load = setInterval(() => {
    for (let m = 0; m < perTick; m++) {
      client.publish(`vigil/${slug}/S${i % STREAMS}`, payload(t0, Math.floor(i / STREAMS)), { qos: 1 });
      i++;
    }
  }, 10);
  // Every 200 ms the probe stream leaves its range (value 100 + n) and comes back: one alert per excursion.
  const probes = setInterval(() => {
    const n = ++probeN;
    const now = Date.now();
    sentAt.set(100 + n, performance.now());
    probe.publish(`vigil/${slug}/LAT`, JSON.stringify([{ t: now, v: 100 + n }, { t: now + 1, v: 0 }]), { qos: 1 });
  }, 200);
  const start = Date.now();
  await sleep(10_000);
  const rssStart = rss();
  const acceptedStart = await v.accepted();
  const startedAt = Date.now();
  log(`\nlatency and memory: ${RATE} readings/s through the embedded broker for ${DURATION} s (RSS after 10 s warm-up: ${rssStart.toFixed(0)} MiB)`);
  const rssSamples: number[] = [rssStart];
  while (Date.now() - start < DURATION * 1000) {
    await sleep(Math.min(60_000, DURATION * 1000 - (Date.now() - start)));
    rssSamples.push(rss());
    log(`  ${((Date.now() - start) / 1000).toFixed(0)} s: RSS ${rssSamples[rssSamples.length - 1]!.toFixed(0)} MiB, ${events.length} probe alerts`);
  }
  clearInterval(load);
  clearInterval(probes);
  const achieved = ((await v.accepted()) - acceptedStart) / ((Date.now() - startedAt) / 1000);
  await sleep(1000);
  const lat = events.filter((e) => sentAt.has(e.observed)).map((e) => e.at - sentAt.get(e.observed)!);
  const s = summary(lat);
  const rssEnd = rss();
  log(`load achieved: ${fmt(achieved)} readings/s stored`);
  log(`publish → alert on SSE: n=${s.n} of ${probeN} probes, median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms (target p99 ≤ 100 ms)`);
  log(`RSS: start ${rssStart.toFixed(0)} MiB, end ${rssEnd.toFixed(0)} MiB (${(rssEnd / rssStart).toFixed(2)}×); samples ${rssSamples.map((r) => r.toFixed(0)).join(', ')}`);
  sse.destroy();
  client.end(true);
  probe.end(true);
  await v.stop();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const ch of children) if (ch.exitCode === null) ch.kill('SIGKILL');
    process.exit(1);
  });
}

main().catch((error) => {
  for (const ch of children) if (ch.exitCode === null) ch.kill('SIGKILL');
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
