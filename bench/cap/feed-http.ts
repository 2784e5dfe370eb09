/**
 * The public Atom feed over HTTP with an archive of warnings in the database: what a feed reader waits for.
 * Seeds ARCHIVE warnings (half expired, half cancelled: Alert + Cancel) and 50 current ones through the
 * warnings' own storage code, starts the real server on a random port, and times GET /public/cap/feed.atom.
 */
import type { AddressInfo } from 'node:net';
import type { Engine } from '../../src/kernel/db/connection.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation } from '../../src/organisations/queries.js';
import { buildServer } from '../../src/server.js';
import {
  approvalPolicy,
  approveProposal,
  atomFeed,
  draftFromTemplate,
  draftWarning,
  proposeMessage,
  submitProposal,
  validateAlert,
  warningSettingsFrom,
  type Actor,
  type PublicationSettings,
  type Transition,
  type Warning,
} from '../../src/warnings/index.js';
import { feedWarnings, insertMessage, insertWarning } from '../../src/warnings/queries.js';
import { benchKernel } from '../lib/kernel.js';
import { fmt, summary } from '../lib/stats.js';

const CURRENT = 50;

const publication: PublicationSettings = {
  sender: 'protection-civile@vigil.example.mc',
  identifierPrefix: 'MC',
  timeZone: 'Europe/Monaco',
  validate: (alert) => validateAlert(alert).problems,
};
const values = { areaDesc: 'La Condamine', issuer: 'Société Monégasque des Eaux', contact: '+377 93 15 00 00', reason: 'exercice', assemblyPoint: 'Stade Louis-II' };

function ok(t: Transition): Warning {
  if (!t.ok) throw new Error(t.reasons.map((r) => r.message).join('; '));
  return t.warning;
}

/** One published (and, when `cancelled`, cancelled) warning, made by the pure lifecycle at `at`. */
function warningAt(id: string, at: Date, expires: Date, cancelled: boolean, author: Actor, approver: Actor): Warning {
  const policy = approvalPolicy({ approverOrganisationIds: [approver.organisationId] });
  const draft = draftFromTemplate({ template: 'boil-water', values, areas: [{ areaDesc: 'La Condamine', circle: ['43.7347,7.4196 0.5'] }], now: at, expires, timeZone: 'Europe/Monaco' });
  if (!draft.ok) throw new Error(draft.reasons.join('; '));
  let w = ok(draftWarning({ id, actor: author, now: at, content: draft.content }, policy));
  w = ok(submitProposal(w, author, at, policy));
  w = ok(approveProposal(w, approver, at, policy, publication));
  if (!cancelled) return w;
  const later = new Date(at.getTime() + 3_600_000);
  const cancel = draftFromTemplate({ template: 'boil-water', phase: 'cancel', values, areas: [{ areaDesc: 'La Condamine', circle: ['43.7347,7.4196 0.5'] }], now: later, timeZone: 'Europe/Monaco' });
  if (!cancel.ok) throw new Error(cancel.reasons.join('; '));
  w = ok(proposeMessage(w, author, 'cancel', cancel.content, later, policy));
  w = ok(submitProposal(w, author, later, policy));
  return ok(approveProposal(w, approver, later, policy, publication));
}

/** Seeds the archive and the current warnings; returns how many CAP messages were stored and how long it took. */
async function seedArchive(kernel: Kernel, archive: number): Promise<{ messages: number; seconds: number }> {
  const { water, cert } = await kernel.write(SYSTEM_ACTOR, async (w) => ({
    water: await createOrganisation(w, { slug: 'water', name: 'Water', sector: 'water', kind: 'operator' }),
    cert: await createOrganisation(w, { slug: 'cert', name: 'CERT', sector: 'cert', kind: 'authority' }),
  }));
  const author: Actor = { userId: 'u-author', organisationId: water.id, roles: ['operator'] };
  const approver: Actor = { userId: 'u-approver', organisationId: cert.id, roles: ['admin'] };
  const now = Date.now();
  const seedStarted = performance.now();
  // A valid message costs ~1 ms to make and validate; the archive reuses a few and renames them.
  const templates = [false, true].map((cancelled) => warningAt('seed', new Date(now - 400 * 86_400_000), new Date(now - 398 * 86_400_000), cancelled, author, approver));
  const current = warningAt('seed', new Date(now - 3_600_000), new Date(now + 86_400_000), false, author, approver);
  let messages = 0;
  const total = archive + CURRENT;
  for (let start = 0; start < total; start += 500) {
    await kernel.store.db.transaction().execute(async (tx) => {
      for (let i = start; i < Math.min(total, start + 500); i++) {
        const isCurrent = i >= archive;
        const source = isCurrent ? current : templates[i % 2]!;
        const id = `${isCurrent ? 'live' : 'arch'}-${String(i).padStart(6, '0')}`;
        const shift = isCurrent ? -(i - archive) * 60_000 : -i * 3_600_000;
        const published = source.published.map((m, n) => ({
          ...m,
          publishedAt: new Date(Date.parse(m.publishedAt) + shift).toISOString(),
          alert: { ...m.alert, identifier: `MC.${id}.${n + 1}`, references: n === 0 ? undefined : `${m.alert.sender},MC.${id}.1,${source.published[0]!.alert.sent}` },
        }));
        const warning: Warning = { ...source, id, published };
        await insertWarning(tx, { warning, sharing: { ownerOrgId: water.id, tlp: 'clear', distribution: { scope: 'public' } }, template: 'boil-water', templateValues: values, headline: 'Avis', now: now + shift });
        for (const [n, m] of published.entries()) {
          await insertMessage(tx, id, n + 1, m);
          messages++;
        }
      }
    });
  }
  return { messages, seconds: (performance.now() - seedStarted) / 1000 };
}

export async function benchFeedHttp(engine: Engine, archive: number, requests: number): Promise<void> {
  const { kernel, close } = await benchKernel(engine);
  try {
    const { messages, seconds: seedSeconds } = await seedArchive(kernel, archive);
    // In process, the two halves of a feed request: reading the warnings in force, and writing the XML.
    const read: number[] = [];
    const build: number[] = [];
    for (let i = 0; i < Math.min(requests, 100); i++) {
      let t = performance.now();
      const { warnings, updated } = await feedWarnings(kernel.store.db, Date.now(), ['Actual', 'Exercise']);
      read.push(performance.now() - t);
      t = performance.now();
      atomFeed(warnings, { baseUrl: 'https://vigil.example.mc', idPrefix: 'tag:x,2026:', title: 'Alertes', authorName: 'Vigil', language: 'fr' }, new Date(), { updated });
      build.push(performance.now() - t);
    }

    const settings = warningSettingsFrom({ VIGIL_PUBLIC_URL: 'https://vigil.example.mc', VIGIL_WEBHOOK_WORKER: '0' }, kernel.config);
    const app = await buildServer(kernel, undefined, { warnings: settings });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/public/cap/feed.atom`;
    try {
      const first = await fetch(url);
      const body = await first.text();
      const entries = body.split('<entry').length - 1;
      if (entries !== CURRENT) throw new Error(`the feed lists ${entries} warnings, expected ${CURRENT}`);
      const etag = first.headers.get('etag')!;
      for (let i = 0; i < 10; i++) await (await fetch(url)).text();
      const full: number[] = [];
      const conditional: number[] = [];
      for (let i = 0; i < requests; i++) {
        let t = performance.now();
        await (await fetch(url)).text();
        full.push(performance.now() - t);
        t = performance.now();
        const res = await fetch(url, { headers: { 'if-none-match': etag } });
        await res.text();
        if (res.status !== 304) throw new Error(`a conditional request answered ${res.status}`);
        conditional.push(performance.now() - t);
      }
      const f = summary(full);
      const c = summary(conditional);
      console.log(`\nAtom feed over HTTP, ${engine}: ${archive} archived warnings (${messages} CAP messages) + ${CURRENT} current, ${(body.length / 1024).toFixed(0)} KiB; seeded in ${seedSeconds.toFixed(1)} s; ${requests} requests each`);
      console.log(`  in process: read         median ${fmt(summary(read).median)} ms, p99 ${fmt(summary(read).p99)} ms; build XML median ${fmt(summary(build).median)} ms`);
      console.log(`  GET feed.atom            median ${fmt(f.median)} ms, p99 ${fmt(f.p99)} ms`);
      console.log(`  GET with If-None-Match   median ${fmt(c.median)} ms, p99 ${fmt(c.p99)} ms (304)`);
    } finally {
      await app.close();
    }
  } finally {
    await close();
  }
}
