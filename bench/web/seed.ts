// The web benchmark's city: 10,000 alerts (half community-wide, half the water utility's own) and 1,000
// incidents over Monaco and the last 7 days, all visible to the water analyst. Shared by run.ts and breakdown.ts.
import { ALERT_CATEGORIES, SEVERITIES, raiseAlert } from '../../src/alerts/index.js';
import { openIncident } from '../../src/incidents/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { random } from '../core/seed.js';
import { fmt } from '../lib/stats.js';

const BOX = { w: 7.409, s: 43.725, e: 7.44, n: 43.752 };

export async function seedBench(kernel: Kernel, ALERTS: number, INCIDENTS: number): Promise<void> {
  const db = kernel.store.db;
  const water = await db.selectFrom('organisations').select('id').where('slug', '=', 'water').executeTakeFirstOrThrow();
  const admin = await db.selectFrom('users').select('id').where('email', '=', 'admin@water.demo').executeTakeFirstOrThrow();
  const actor = { orgId: water.id, userId: admin.id, tokenId: null, address: null };
  const viewer = { orgId: water.id, groupIds: new Set<string>() };
  const rnd = random(7);
  const place = () => ({ type: 'Point' as const, coordinates: [BOX.w + rnd() * (BOX.e - BOX.w), BOX.s + rnd() * (BOX.n - BOX.s)] as [number, number] });
  const started = Date.now();
  for (let done = 0; done < ALERTS; done += 500) {
    await kernel.write(actor, async (w) => {
      for (let i = done; i < Math.min(ALERTS, done + 500); i++) {
        const community = rnd() < 0.5;
        await raiseAlert(
          w,
          viewer,
          {
            source: 'bench',
            category: ALERT_CATEGORIES[Math.floor(rnd() * ALERT_CATEGORIES.length)]!,
            severity: SEVERITIES[Math.floor(rnd() * SEVERITIES.length)]!,
            title: `Bench alert ${i}`,
            time: w.now - Math.floor(rnd() * 7 * 86_400_000),
            location: place(),
            evidence: { n: i },
          },
          { ownerOrgId: water.id, tlp: community ? 'green' : 'amber', distribution: community ? { scope: 'community' } : { scope: 'owner' } },
        );
      }
    });
  }
  for (let done = 0; done < INCIDENTS; done += 250) {
    await kernel.write(actor, async (w) => {
      for (let i = done; i < Math.min(INCIDENTS, done + 250); i++) {
        await openIncident(
          w,
          viewer,
          { title: `Bench incident ${i}`, severity: SEVERITIES[Math.floor(rnd() * SEVERITIES.length)]!, status: 'open', type: 'general', location: place(), assetIds: [] },
          [],
          { ownerOrgId: water.id, tlp: 'green', distribution: { scope: 'community' } },
        );
      }
    });
  }
  process.stderr.write(`seeded ${ALERTS} alerts and ${INCIDENTS} incidents in ${fmt(Date.now() - started)} ms\n`);
}
