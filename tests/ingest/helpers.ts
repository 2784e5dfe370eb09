import type { Kernel } from '../../src/kernel/kernel.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createApiToken } from '../../src/organisations/queries.js';

/** An API token (machine identity) of an organisation, as a device would hold it. */
export async function apiToken(kernel: Kernel, orgId: string, role: 'operator' | 'viewer' | 'admin' = 'operator'): Promise<string> {
  const { token } = await kernel.write({ ...SYSTEM_ACTOR, orgId }, (w) => createApiToken(w, { orgId, name: `device ${Math.random().toString(36).slice(2, 8)}`, role, expiresAt: null }));
  return token;
}

export async function setAutoCreate(kernel: Kernel, orgId: string, on: boolean): Promise<void> {
  const row = await kernel.store.db.selectFrom('organisations').select('settings').where('id', '=', orgId).executeTakeFirstOrThrow();
  const settings = { ...(JSON.parse(row.settings) as object), autoCreateDatastreams: on };
  await kernel.store.db.updateTable('organisations').set({ settings: JSON.stringify(settings) }).where('id', '=', orgId).execute();
}

export const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
