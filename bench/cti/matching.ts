/**
 * Indicator matching throughput: events per second against 1,000,000 indicators, one core. Usage:
 *   node --import tsx bench/cti/matching.ts [indicators=1000000] [events=200000] [runs=5] [mode=engine|live]
 * `engine` measures the index alone; `live` the path a running Vigil takes per event (the index, then for each
 * match the organisation's right to see the indicator, per-organisation correlation and the cap).
 * Indicators mix exact IPs, networks, domains, URLs, hashes, e-mail senders, users and LIKE command lines;
 * events mix ECS and Sysmon fields, about 1 in 50 carrying a value that matches.
 */
import os from 'node:os';
import { IndicatorIndex } from '../../src/cti/index.js';
import { RetroIndex, type IndicatorInfo } from '../../src/cti/matching/live.js';
import { fmt, median, percentile, random } from './stats.js';

const indicatorCount = Number(process.argv[2] ?? 1_000_000);
const eventCount = Number(process.argv[3] ?? 200_000);
const runs = Number(process.argv[4] ?? 5);
const mode = process.argv[5] ?? 'engine';
const rnd = random(42);
const int = (n: number) => Math.floor(rnd() * n);
const ip = (i: number) => `${10 + (i >>> 24) % 200}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
const hex = (i: number, len: number) => (i.toString(16).padStart(8, '0') + 'ab34cd56ef'.repeat(13)).slice(0, len);

function indicator(i: number): string {
  const k = i % 100;
  if (k < 40) return `[ipv4-addr:value = '${ip(i * 7919)}']`;
  if (k < 43) return `[ipv4-addr:value ISSUBSET '${ip(i * 7919).replace(/\.\d+$/, '.0')}/24']`;
  if (k < 63) return `[domain-name:value = 'host${i}.bad.example']`;
  if (k < 73) return `[url:value = 'http://host${i}.bad.example/p/${i}']`;
  if (k < 88) return `[file:hashes.'SHA-256' = '${hex(i, 64)}']`;
  if (k < 93) return `[file:hashes.MD5 = '${hex(i, 32)}']`;
  if (k < 96) return `[email-message:from_ref.value = 'sender${i}@bad.example']`;
  if (k < 98) return `[user-account:account_login = 'user${i}']`;
  if (k < 99) return `[network-traffic:dst_ref.value = '${ip(i * 7919)}' AND network-traffic:dst_port = ${1 + (i % 65535)}]`;
  return `[process:command_line LIKE '%tool${i}.exe -x%']`;
}

function event(j: number): Record<string, unknown> {
  const hit = j % 50 === 0;
  const target = int(indicatorCount);
  const e: Record<string, unknown> = {
    '@timestamp': '2026-03-14T10:00:00Z',
    'source.ip': ip(int(1 << 30) + 3),
    'destination.ip': hit ? ip(target * 7919) : ip(int(1 << 30) + 5),
    'destination.port': 443,
    'host.name': 'ws-17',
  };
  switch (j % 4) {
    case 0:
      e['dns.question.name'] = hit ? `host${target}.bad.example` : `cdn${j}.good.example`;
      break;
    case 1:
      e['url.full'] = `https://portal.good.example/${j}`;
      e['user.name'] = `op${j % 300}`;
      break;
    case 2:
      e.Hashes = `SHA1=${hex(j, 40)},MD5=${hex(j + 1, 32)},SHA256=${hex(j + 2, 64)}`;
      e.Image = 'C:\\Windows\\System32\\svchost.exe';
      e.CommandLine = `C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s Schedule ${j}`;
      break;
    default:
      e['email.from.address'] = `someone${j}@good.example`;
  }
  return e;
}

let t = performance.now();
const viewer = { orgId: 'org-water', groupIds: new Set(['group-infra']) };
let index: { match(event: Record<string, unknown>): unknown[] };
if (mode === 'live') {
  // Indicators of several holders and scopes, as a city holds them; the viewer sees most of them.
  const infos: IndicatorInfo[] = Array.from({ length: indicatorCount }, (_, i) => ({
    rowId: `indicator--${i}`, stixId: `indicator--${i}`, name: `ioc ${i}`, pattern: indicator(i), ownerOrgId: i % 3 === 0 ? 'org-water' : 'org-cert', tlp: 'green',
    distribution: i % 10 === 0 ? { scope: 'group', groupId: i % 20 === 0 ? 'group-infra' : 'group-other' } : { scope: 'community' }, versionMicros: 0,
  }));
  const live = new RetroIndex(infos);
  if (live.size !== indicatorCount) throw new Error(`only ${live.size} indicators indexed`);
  let clock = Date.parse('2026-03-14T10:00:00Z');
  index = { match: (event) => live.match(viewer, event, clock++) };
} else {
  const engine = new IndicatorIndex({ maxScanObservations: 20_000 });
  for (let i = 0; i < indicatorCount; i++) {
    const r = engine.add(`indicator--${i}`, indicator(i));
    if (!r.ok) throw new Error(`indicator ${i}: ${r.reason}`);
  }
  index = engine;
}
const buildSeconds = (performance.now() - t) / 1000;
const heapMb = process.memoryUsage().heapUsed / 1e6;
console.log(`indexed ${fmt(indicatorCount)} indicators in ${fmt(buildSeconds, 1)} s (${fmt(indicatorCount / buildSeconds)}/s), heap ${fmt(heapMb)} MB`);

const events = Array.from({ length: eventCount }, (_, j) => event(j));
const rates: number[] = [];
const cpuRates: number[] = [];
const batchUs: number[] = [];
let matches = 0;
for (let r = 0; r < runs; r++) {
  matches = 0;
  const cpu = process.cpuUsage();
  t = performance.now();
  let batchStart = t;
  for (let j = 0; j < events.length; j++) {
    matches += index.match(events[j]!).length;
    if ((j + 1) % 100 === 0) {
      const now = performance.now();
      batchUs.push(((now - batchStart) * 1000) / 100);
      batchStart = now;
    }
  }
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  rates.push(events.length / seconds);
  cpuRates.push(events.length / cpuSeconds);
  console.log(`run ${r + 1}: ${fmt(events.length)} events in ${fmt(seconds, 2)} s wall, ${fmt(cpuSeconds, 2)} s CPU = ${fmt(events.length / seconds)} events/s (${fmt(events.length / cpuSeconds)} per CPU-second), ${fmt(matches)} matches`);
}
const rate = median(rates);
console.log(`\nindicator matching (${mode}), ${fmt(indicatorCount)} indicators, ${fmt(eventCount)} events, ${runs} runs`);
console.log(`  machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (other work shares them)`);
console.log(`  median ${fmt(rate)} events/s wall, ${fmt(median(cpuRates))} events per CPU-second; per event (mean over 100) median ${fmt(median(batchUs), 1)} µs, p99 ${fmt(percentile(batchUs, 99), 1)} µs`);
console.log(`  ratio to the 100,000 events/s target: ${fmt(rate / 100_000, 2)}x wall, ${fmt(median(cpuRates) / 100_000, 2)}x per CPU-second`);
