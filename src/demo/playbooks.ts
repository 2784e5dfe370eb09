import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPlaybookYaml } from '../incidents/playbooks/yaml.js';
import { createPlaybook } from '../incidents/playbooks/store.js';
import { readOrgCorrelation, saveOrgCorrelation } from '../incidents/live/settings-store.js';
import type { Write } from '../kernel/kernel.js';

/** The shipped SOP playbooks (playbooks/*.yaml). */
export const PLAYBOOK_DIR = fileURLToPath(new URL('../../playbooks/', import.meta.url));

/**
 * Loads the shipped playbooks as templates every organisation of the demo may start (TLP:CLEAR,
 * community), owned by the organisation that keeps the city's procedures (the CERT).
 */
export async function loadDemoPlaybooks(w: Write, ownerOrgId: string, dir = PLAYBOOK_DIR): Promise<number> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  for (const file of files) {
    const playbook = readPlaybookYaml(fs.readFileSync(path.join(dir, file), 'utf8'), file);
    await createPlaybook(w, playbook, { ownerOrgId, tlp: 'clear', distribution: { scope: 'community' } });
  }
  return files.length;
}

/** The demo's organisations correlate their new alerts into incidents as they arrive (off by default elsewhere). */
export async function enableDemoCorrelation(w: Write, orgIds: string[]): Promise<void> {
  for (const orgId of orgIds) await saveOrgCorrelation(w.as({ orgId, userId: null, tokenId: null, address: null }), orgId, await readOrgCorrelation(w.tx, orgId), { enabled: true });
}
