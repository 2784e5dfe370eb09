/**
 * Incident workspace page load with 100,000 incidents in SQLite: the queries the incident page makes
 * (the incident, its alerts, its timeline, its playbook tasks, its notes), each timed per page load for a
 * sample of incidents seen by their owner or a partner. Prints the median and p99 of each and of the page.
 *
 *   node --import tsx bench/incidents/page-load.ts [--incidents=100000] [--samples=2000] [--dir=/tmp/x]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { pino } from 'pino';
import { listAlerts } from '../../src/alerts/index.js';
import { readPlaybookYaml } from '../../src/incidents/playbooks/yaml.js';
import { startPlaybook } from '../../src/incidents/playbooks/tasks.js';
import { runsOf } from '../../src/incidents/playbooks/task-routes.js';
import { getIncident, readTimeline } from '../../src/incidents/queries.js';
import { loadConfig } from '../../src/kernel/config.js';
import { newId } from '../../src/kernel/ids.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { startProgress } from '../../src/kernel/progress.js';
import type { Viewer } from '../../src/kernel/sharing/index.js';
import { createOrganisation, saveSharingGroup } from '../../src/organisations/queries.js';
import { openVigil } from '../../src/server.js';
import { random } from '../core/seed.js';
import { args, fmt, machine, summary } from '../lib/stats.js';

const opts = args();
const incidents = Number(opts.get('incidents') ?? 100_000);
const samples = Number(opts.get('samples') ?? 2_000);
const dir = opts.get('dir') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-incident-bench-'));
const config = loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent' });
const kernel = await openVigil(config, { logger: pino({ level: 'silent' }) });
const db = kernel.store.db;
const rnd = random(7);
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const orgIds: string[] = [];
let groupId = '';
await kernel.write(SYSTEM_ACTOR, async (w) => {
  for (const slug of ['water', 'energy', 'transit', 'hospital', 'police', 'fire', 'cert']) orgIds.push((await createOrganisation(w, { slug, name: slug, sector: 'city', kind: 'operator' })).id);
  groupId = (await saveSharingGroup(w, { ownerOrgId: orgIds[6]!, name: 'infrastructure', description: '', memberOrgIds: orgIds.slice(0, 4) })).id;
});

// One playbook version every run follows (its tasks as the task engine makes them).
const playbook = readPlaybookYaml(fs.readFileSync(path.join(import.meta.dirname, '../../playbooks/scada-intrusion.yaml'), 'utf8'));
const playbookId = newId();
await db.insertInto('playbook_versions').values({ playbook_id: playbookId, version: playbook.version, definition: JSON.stringify(playbook), created_at: Date.now() }).execute();

const seeded: Array<{ id: string; owner: string; partner: string | null }> = [];
const end = Date.parse('2026-11-20T00:00:00Z');
const progress = startProgress({ label: `seeding ${incidents} incidents`, total: incidents, unit: 'incidents' });
const BATCH = 2_000;
const kinds = ['status', 'severity', 'shared', 'note'];
for (let done = 0; done < incidents; done += BATCH) {
  const rows = { incidents: [] as any[], alerts: [] as any[], links: [] as any[], timeline: [] as any[], runs: [] as any[], tasks: [] as any[] };
  for (let i = 0; i < Math.min(BATCH, incidents - done); i++) {
    const time = end - Math.floor(rnd() * 180 * 86_400_000);
    const id = newId(time);
    const owner = pick(orgIds);
    const shared = rnd();
    const partner = shared < 0.3 ? pick(orgIds.filter((o) => o !== owner)) : null;
    const dist = partner ? { dist_scope: 'orgs', dist_group_id: null, dist_orgs: `,${partner},` } : shared < 0.5 ? { dist_scope: 'group', dist_group_id: groupId, dist_orgs: null } : { dist_scope: 'owner', dist_group_id: null, dist_orgs: null };
    seeded.push({ id, owner, partner });
    rows.incidents.push({ id, owner_org_id: owner, tlp: 'amber', ...dist, title: `incident ${done + i}`, description: '', severity: 'high', severity_rank: 3, status: pick(['open', 'triage', 'response', 'recovery', 'closed']), type: 'scada-intrusion', lon: 7.42, lat: 43.73, location: null, opened_at: time, closed_at: null, created_at: time, updated_at: time, version: 1 });
    // Incidents carry a few to a few dozen alerts (a skewed mix, as correlation makes them).
    const alertCount = 1 + Math.floor(rnd() * rnd() * 24);
    for (let a = 0; a < alertCount; a++) {
      const at = time + a * 30_000;
      const alertId = newId(at);
      rows.alerts.push({ id: alertId, owner_org_id: owner, tlp: 'amber', dist_scope: 'owner', dist_group_id: null, dist_orgs: null, source: 'bench', category: 'cyber', severity: 'medium', severity_rank: 2, status: 'escalated', title: `alert ${a}`, description: '', time: at, last_seen: at, count: 1, lon: 7.42, lat: 43.73, location: null, evidence: '{}', dedup_key: null, created_at: at, updated_at: at, version: 1 });
      rows.links.push({ incident_id: id, alert_id: alertId, added_at: at, reason: '{"rule":"same-asset"}' });
      rows.timeline.push({ id: newId(at), incident_id: id, at, kind: 'alert-added', author_org_id: owner, author_user_id: null, text: `alert ${a}`, data: '{}' });
    }
    for (let k = 0; k < 4; k++) {
      const at = time + 3_600_000 + k * 60_000;
      rows.timeline.push({ id: newId(at), incident_id: id, at, kind: pick(kinds), author_org_id: owner, author_user_id: null, text: 'a note about what we found', data: '{}' });
    }
    if (rnd() < 0.3) {
      const runId = newId(time);
      const { run } = startPlaybook(playbook, { incidentId: id, by: 'bench', now: new Date(time).toISOString() });
      rows.runs.push({ id: runId, incident_id: id, playbook_id: playbookId, playbook_version: playbook.version, state: JSON.stringify(run), version: 1, started_at: time, finished_at: null, updated_at: time });
      run.tasks.forEach((t, position) => rows.tasks.push({ id: newId(time), run_id: runId, incident_id: id, position, step_id: t.stepId, assigned_org_id: partner && t.assignee.sector ? partner : owner, status: t.status, due_at: null, data: JSON.stringify(t) }));
    }
  }
  await db.transaction().execute(async (tx) => {
    const put = async (table: string, list: any[], per: number) => {
      for (let i = 0; i < list.length; i += per) await tx.insertInto(table as never).values(list.slice(i, i + per) as never).execute();
    };
    await put('incidents', rows.incidents, 1_000);
    await put('alerts', rows.alerts, 1_000);
    await put('incident_alerts', rows.links, 5_000);
    await put('incident_timeline', rows.timeline, 3_000);
    await put('playbook_runs', rows.runs, 3_000);
    await put('playbook_tasks', rows.tasks, 3_000);
  });
  progress.update(Math.min(incidents, done + BATCH));
}
progress.done();
await sql`analyze`.execute(db);

const viewerOf = (orgId: string): Viewer => ({ orgId, groupIds: new Set(orgId === orgIds[6] || orgIds.slice(0, 4).includes(orgId) ? [groupId] : []) });
const times: Record<string, number[]> = { incident: [], alerts: [], timeline: [], tasks: [], notes: [], page: [] };
const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const out = await fn();
  times[label]!.push(performance.now() - started);
  return out;
};
for (let s = 0; s < samples; s++) {
  const target = pick(seeded);
  const viewer = viewerOf(target.partner && rnd() < 0.5 ? target.partner : target.owner);
  const started = performance.now();
  const incident = await time('incident', () => getIncident(db, viewer, target.id));
  if (!incident) throw new Error(`incident ${target.id} not visible to its owner or partner`);
  await time('alerts', () => listAlerts(db, viewer, { ids: incident.alertIds }, 200, null));
  await time('timeline', () => readTimeline(db, incident.id, 200, null));
  await time('tasks', () => runsOf(db, viewer, incident, Date.now()));
  await time('notes', () => db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', incident.id).where('kind', '=', 'note').orderBy('at').limit(200).execute());
  times.page!.push(performance.now() - started);
}

console.log(`incident page load, ${incidents.toLocaleString('en')} incidents in SQLite, ${samples} page loads (${machine()})`);
console.log('query        median ms   p99 ms');
for (const [label, xs] of Object.entries(times)) {
  const s = summary(xs);
  console.log(`${label.padEnd(12)} ${fmt(s.median).padStart(9)} ${fmt(s.p99).padStart(8)}`);
}
await kernel.close();
if (!opts.get('dir')) fs.rmSync(dir, { recursive: true, force: true });
