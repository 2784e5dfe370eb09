// Development aid: seed a persistent database for looking at query plans (`--dir`, `--alerts`).
import { pino } from 'pino';
import { loadConfig } from '../../src/kernel/config.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation, saveSharingGroup } from '../../src/organisations/queries.js';
import { openVigil } from '../../src/server.js';
import { args } from '../lib/stats.js';
import { seedAlerts } from './seed.js';

const opts = args();
const config = loadConfig({ VIGIL_DATA_DIR: opts.get('dir') ?? '/tmp/vigil-1m', VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent', ...(opts.get('pg') ? { VIGIL_DATABASE_URL: opts.get('pg')! } : {}) });
const kernel = await openVigil(config, { logger: pino({ level: 'silent' }) });
const orgIds: string[] = [];
const groupIds: string[] = [];
await kernel.write(SYSTEM_ACTOR, async (w) => {
  for (const slug of ['water', 'energy', 'transit', 'hospital', 'police', 'fire', 'cert']) orgIds.push((await createOrganisation(w, { slug, name: slug, sector: 'city', kind: 'operator' })).id);
  groupIds.push((await saveSharingGroup(w, { ownerOrgId: orgIds[6]!, name: 'infrastructure', description: '', memberOrgIds: orgIds.slice(0, 4) })).id);
  groupIds.push((await saveSharingGroup(w, { ownerOrgId: orgIds[4]!, name: 'emergency', description: '', memberOrgIds: [orgIds[5]!, orgIds[3]!, orgIds[6]!] })).id);
});
await seedAlerts(kernel, orgIds, groupIds, Number(opts.get('alerts') ?? 1_000_000));
await kernel.close();
