/**
 * A datastream's alarms in a time range: the alerts the viewer may see whose evidence names the datastream
 * (see alarm-match.ts), overlapping [from, to]. The alert list's own query applies the sharing policy; a
 * text match on the evidence narrows it in SQL and the pure rule decides.
 */
import { type Alert, filteredAlerts, listAlerts } from '../alerts/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import { textMatches } from '../kernel/db/list.js';
import type { Viewer } from '../kernel/sharing/index.js';
import { alertNamesDatastream } from './alarm-match.js';
import type { DatastreamRow } from './schema.js';

export async function alarmsOfDatastream(db: Queryable, viewer: Viewer, row: DatastreamRow, from: number, to: number, limit: number): Promise<{ items: Alert[]; truncated: boolean }> {
  const stream = { id: row.id, key: row.key, ownerOrgId: row.org_id };
  const candidates = await filteredAlerts(db, viewer, { to })
    .select(['alerts.id'])
    .where('alerts.last_seen', '>=', from)
    .where((eb) => eb.or([textMatches(['alerts.evidence'], row.id), eb.and([eb('alerts.owner_org_id', '=', row.org_id), textMatches(['alerts.evidence'], `"${row.key}"`)])]))
    .orderBy('alerts.time', 'desc')
    .orderBy('alerts.id', 'desc')
    .limit(limit + 1)
    .execute();
  const truncated = candidates.length > limit;
  const ids = candidates.slice(0, limit).map((c) => c.id);
  if (ids.length === 0) return { items: [], truncated: false };
  const page = await listAlerts(db, viewer, { ids }, ids.length, null);
  return { items: page.items.filter((a) => alertNamesDatastream(a, stream)), truncated };
}
