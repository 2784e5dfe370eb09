/**
 * npm run bench:cap — CAP generation and validation throughput, and Atom feed time over an archive.
 * Prints medians over repeated runs, p99 of single operations, and ratios. Not a test.
 */
import {
  alertToXml,
  approvalPolicy,
  approveProposal,
  atomFeed,
  draftFromTemplate,
  draftWarning,
  hullAroundPoints,
  nextMessage,
  submitProposal,
  validateAlert,
  validateCap,
  WARNING_TEMPLATES,
  type Actor,
  type PublicationSettings,
  type Warning,
} from '../../src/warnings/index.js';
import { pgAvailable } from '../lib/kernel.js';
import { machine } from '../lib/stats.js';
import { benchFeedHttp } from './feed-http.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MESSAGES_PER_RUN = Number(process.env.BENCH_MESSAGES ?? 400);
const ARCHIVE = Number(process.env.BENCH_ARCHIVE ?? 10_000);
const CURRENT = 50;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]!;

const author: Actor = { userId: 'u-author', organisationId: 'org-water', roles: ['operator'] };
const approver: Actor = { userId: 'u-approver', organisationId: 'org-civil-protection', roles: ['responder'] };
const policy = approvalPolicy({ approverOrganisationIds: ['org-civil-protection'] });
const settings: PublicationSettings = {
  sender: 'protection-civile@vigil.example.mc',
  identifierPrefix: 'MC-VIGIL',
  timeZone: 'Europe/Monaco',
  validate: (alert) => validateAlert(alert).problems,
};
const junctions = [
  { lat: 43.7347, lon: 7.4196 },
  { lat: 43.7361, lon: 7.4221 },
  { lat: 43.7335, lon: 7.4242 },
  { lat: 43.7322, lon: 7.421 },
];
const values = {
  areaDesc: 'La Condamine',
  issuer: 'Société Monégasque des Eaux',
  contact: '+377 93 15 00 00',
  reason: 'exercice',
  assemblyPoint: 'Stade Louis-II',
};

function generate(i: number, now: Date): string {
  const template = WARNING_TEMPLATES[i % WARNING_TEMPLATES.length]!;
  const draft = draftFromTemplate({ template, values, areas: [{ areaDesc: values.areaDesc, polygon: [hullAroundPoints(junctions, 150)] }], now, timeZone: 'Europe/Monaco' });
  if (!draft.ok) throw new Error(draft.reasons.join('; '));
  const warning: Warning = { id: `b${i}`, ownerOrganisationId: 'org-water', createdBy: 'u-author', createdAt: now.toISOString(), published: [] };
  const proposal = { kind: 'alert' as const, content: draft.content, authors: ['u-author'], state: 'awaiting-approval' as const, updatedAt: now.toISOString() };
  return alertToXml(nextMessage(warning, proposal, settings, now));
}

function benchMessages(): void {
  const now = new Date('2025-07-14T09:30:00Z');
  generate(0, now); // warm up: schema compilation, JIT
  validateCap(generate(0, now));
  const rates = { generate: [] as number[], validate: [] as number[], both: [] as number[] };
  const singles: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const xmls: string[] = [];
    let t = performance.now();
    for (let i = 0; i < MESSAGES_PER_RUN; i++) xmls.push(generate(i, now));
    const generateMs = performance.now() - t;
    t = performance.now();
    for (const xml of xmls) {
      const s = performance.now();
      if (!validateCap(xml).valid) throw new Error('a generated message is invalid');
      singles.push(performance.now() - s);
    }
    const validateMs = performance.now() - t;
    bytes = xmls.reduce((sum, x) => sum + x.length, 0) / xmls.length;
    rates.generate.push((MESSAGES_PER_RUN / generateMs) * 1000);
    rates.validate.push((MESSAGES_PER_RUN / validateMs) * 1000);
    rates.both.push((MESSAGES_PER_RUN / (generateMs + validateMs)) * 1000);
  }
  console.log(`\nCAP messages (3 languages, 1 hull polygon, ~${Math.round(bytes)} bytes each), ${RUNS} runs × ${MESSAGES_PER_RUN}`);
  console.log(`  generated                 median ${median(rates.generate).toFixed(0)} msg/s`);
  console.log(`  validated (XSD + §3)      median ${median(rates.validate).toFixed(0)} msg/s   single: median ${median(singles).toFixed(3)} ms, p99 ${p99(singles).toFixed(3)} ms`);
  console.log(`  generated and validated   median ${median(rates.both).toFixed(0)} msg/s`);
  console.log(`  ratio generate : validate  ${(median(rates.generate) / median(rates.validate)).toFixed(1)} : 1`);
}

function archive(n: number): Warning[] {
  const now = new Date('2025-07-14T09:30:00Z');
  const draft = draftWarning({ id: 'seed', actor: author, now, content: draftContent(now) }, policy);
  if (!draft.ok) throw new Error('seed draft refused');
  const submitted = submitProposal(draft.warning, author, now, policy);
  const approved = submitted.ok ? approveProposal(submitted.warning, approver, now, policy, settings) : submitted;
  if (!approved.ok) throw new Error('seed approval refused');
  const seed = approved.warning.published[0]!;
  const warnings: Warning[] = [];
  for (let i = 0; i < n; i++) {
    const current = i < CURRENT;
    const publishedAt = new Date(now.getTime() - (current ? i : 1000 + i) * 3_600_000);
    const expires = current ? '2030-01-01T00:00:00+01:00' : '2024-01-01T00:00:00+01:00';
    const alert = { ...seed.alert, identifier: `MC-VIGIL.a${i}.1`, info: seed.alert.info.map((info) => ({ ...info, expires })) };
    warnings.push({ id: `a${i}`, ownerOrganisationId: 'org-water', createdBy: 'u-author', createdAt: publishedAt.toISOString(), published: [{ ...seed, alert, publishedAt: publishedAt.toISOString() }] });
  }
  return warnings;
}

function draftContent(now: Date) {
  const draft = draftFromTemplate({ template: 'boil-water', values, areas: [{ areaDesc: values.areaDesc, circle: ['43.7347,7.4196 0.5'] }], now, timeZone: 'Europe/Monaco' });
  if (!draft.ok) throw new Error(draft.reasons.join('; '));
  return draft.content;
}

function benchFeed(): void {
  const warnings = archive(ARCHIVE);
  const feedSettings = { baseUrl: 'https://vigil.example.mc', idPrefix: 'tag:vigil.example.mc,2025:', title: 'Alertes', authorName: 'Protection civile', language: 'fr' };
  const now = new Date('2025-07-14T10:00:00Z');
  atomFeed(warnings, feedSettings, now);
  const times: number[] = [];
  let size = 0;
  for (let run = 0; run < Math.max(RUNS, 20); run++) {
    const t = performance.now();
    size = atomFeed(warnings, feedSettings, now).length;
    times.push(performance.now() - t);
  }
  console.log(`\nAtom feed over ${ARCHIVE} archived warnings (${CURRENT} current, ${(size / 1024).toFixed(0)} KiB), ${times.length} runs`);
  console.log(`  generation               median ${median(times).toFixed(2)} ms, p99 ${p99(times).toFixed(2)} ms`);
}

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);

console.log(`bench:cap — ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
benchMessages();
benchFeed();
await benchFeedHttp('sqlite', ARCHIVE, REQUESTS);
if (await pgAvailable()) await benchFeedHttp('postgres', ARCHIVE, REQUESTS);
else console.log('\nPostgreSQL not reachable (VIGIL_BENCH_PG_URL): feed over HTTP measured on SQLite only');
