// What a user does to records, through the API; the live stream brings the results to everyone else.
import { api, errorText } from '../api/client';
import type { Alert, AlertStatus, Incident, Me, Severity } from '../api/types';
import { severityRank } from '../format';
import { store } from './store';

export const can = {
  write: (me: Me | null) => !!me?.permissions.includes('records:write'),
  share: (me: Me | null) => !!me?.permissions.includes('records:share'),
  contribute: (me: Me | null) => !!me?.permissions.includes('records:contribute'),
  admin: (me: Me | null) => !!me?.permissions.includes('org:admin'),
};

export function owns(me: Me | null, record: { ownerOrgId: string }): boolean {
  return !!me && me.organisation.id === record.ownerOrgId;
}

/** Why the user may not change this alert, or null when they may. */
export function whyNotChange(me: Me | null, record: { ownerOrgId: string }): string | null {
  if (!can.write(me)) return `Your role (${me?.role ?? 'none'}) may not change records`;
  if (!owns(me, record)) return `Only ${store.orgName(record.ownerOrgId)} (the owner) may change it`;
  return null;
}

/** Sets the status of several alerts; returns the failures in words (one line per alert). */
export async function setAlertStatus(alerts: Alert[], status: AlertStatus): Promise<string[]> {
  const failures: string[] = [];
  for (const alert of alerts) {
    try {
      const updated = await api<Alert>('PATCH', `/alerts/${alert.id}`, { status, version: alert.version });
      store.upsert('alert', updated);
    } catch (error) {
      failures.push(`${alert.title}: ${errorText(error)}`);
    }
  }
  return failures;
}

export function highestSeverity(alerts: Alert[]): Severity {
  return alerts.reduce<Severity>((s, a) => (severityRank(a.severity) > severityRank(s) ? a.severity : s), 'info');
}

export async function escalate(draft: { title: string; severity: Severity; type?: string; description?: string }, alerts: Alert[]): Promise<Incident> {
  const assetIds = [...new Set(alerts.flatMap((a) => a.assetIds))].filter((id) => store.assets.has(id));
  const incident = await api<Incident>('POST', '/incidents', {
    title: draft.title,
    severity: draft.severity,
    ...(draft.type ? { type: draft.type } : {}),
    ...(draft.description ? { description: draft.description } : {}),
    alertIds: alerts.map((a) => a.id),
    assetIds,
  });
  store.upsert('incident', incident, true);
  return incident;
}

export async function addToIncident(incidentId: string, alerts: Alert[]): Promise<Incident> {
  const incident = await api<Incident>('POST', `/incidents/${incidentId}/alerts`, { alertIds: alerts.map((a) => a.id) });
  store.upsert('incident', incident, true);
  return incident;
}
