import { sql } from 'kysely';
import { severityRank, SEVERITIES, ALERT_CATEGORIES, ALERT_STATUSES } from '../../src/alerts/index.js';
import { newId } from '../../src/kernel/ids.js';
import { encodeOrgList } from '../../src/kernel/sharing/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { startProgress } from '../../src/kernel/progress.js';

/** A deterministic pseudo-random sequence, so every run seeds the same city. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededCity {
  orgIds: string[];
  groupIds: string[];
}

/**
 * Bulk-loads `n` alerts across the organisations with a realistic mix of labels and distributions
 * (40 % owner only, 20 % listed organisations, 15 % a group, 20 % community, 5 % public), spread over
 * 90 days inside Monaco's bounding box. Written straight to the tables: the benchmark measures reads.
 */
export async function seedAlerts(kernel: Kernel, orgIds: string[], groupIds: string[], n: number): Promise<void> {
  const rnd = random(42);
  const db = kernel.store.db;
  const end = Date.parse('2026-11-20T00:00:00Z');
  const span = 90 * 86_400_000;
  const batch = kernel.engine === 'postgres' ? 2000 : 5000;
  const progress = startProgress({ label: `seeding ${n} alerts (${kernel.engine})`, total: n, unit: 'alerts' });
  const words = ['pump', 'tank', 'login', 'pressure', 'crowd', 'substation', 'camera', 'valve', 'phishing', 'flood', 'leak', 'scan'];
  for (let done = 0; done < n; done += batch) {
    const rows: Array<Record<string, unknown> & { id: string }> = [];
    for (let i = 0; i < Math.min(batch, n - done); i++) {
      const owner = orgIds[Math.floor(rnd() * orgIds.length)]!;
      const r = rnd();
      let tlp = 'amber';
      let scope = 'owner';
      let group: string | null = null;
      let distOrgs: string | null = null;
      if (r < 0.4) {
        tlp = rnd() < 0.5 ? 'amber' : 'amber+strict';
      } else if (r < 0.6) {
        scope = 'orgs';
        tlp = rnd() < 0.3 ? 'red' : 'amber';
      } else if (r < 0.75) {
        scope = 'group';
        group = groupIds[Math.floor(rnd() * groupIds.length)]!;
      } else if (r < 0.95) {
        scope = 'community';
        tlp = 'green';
      } else {
        scope = 'public';
        tlp = 'clear';
      }
      const time = end - Math.floor(rnd() * span);
      const id = newId(time);
      const severity = SEVERITIES[Math.min(4, Math.floor(rnd() * rnd() * 6))]!;
      const lon = 7.409 + rnd() * 0.03;
      const lat = 43.724 + rnd() * 0.028;
      if (scope === 'orgs') {
        const k = 1 + Math.floor(rnd() * 3);
        const picked = new Set<string>();
        while (picked.size < k) {
          const o = orgIds[Math.floor(rnd() * orgIds.length)]!;
          if (o !== owner) picked.add(o);
        }
        distOrgs = encodeOrgList([...picked]);
      }
      rows.push({
        id,
        owner_org_id: owner,
        tlp,
        dist_scope: scope,
        dist_group_id: group,
        dist_orgs: distOrgs,
        source: 'bench',
        category: ALERT_CATEGORIES[Math.floor(rnd() * ALERT_CATEGORIES.length)]!,
        severity,
        severity_rank: severityRank(severity),
        status: ALERT_STATUSES[Math.floor(rnd() * rnd() * ALERT_STATUSES.length)]!,
        title: `${words[Math.floor(rnd() * words.length)]} anomaly ${done + i}`,
        description: '',
        time,
        last_seen: time,
        count: 1,
        lon,
        lat,
        location: JSON.stringify({ type: 'Point', coordinates: [lon, lat] }),
        evidence: '{}',
        dedup_key: null,
        created_at: time,
        updated_at: time,
        version: 1,
      });
    }
    await db.transaction().execute(async (tx) => {
      // SQLite caps bound parameters per statement; insert in slices that stay under it.
      for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('alerts').values(rows.slice(i, i + 1000) as never).execute();
    });
    progress.update(done + rows.length);
  }
  progress.done();
  // Fresh statistics, as a long-running database would have: the planners choose their indexes from them.
  await sql`analyze`.execute(db);
}
