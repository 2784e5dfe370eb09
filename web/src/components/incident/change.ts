// Every change of an incident from the workspace: sends the version the user saw; a 409 is said in words.
import { ApiError, api, errorText } from '../../api/client';
import type { Incident } from '../../api/types';
import { store } from '../../state/store';

export const STALE_TEXT = 'Someone else changed this incident meanwhile; reload it (the page shows the latest version) and try again.';

export function changeErrorText(e: unknown): string {
  if (e instanceof ApiError && e.status === 409) return STALE_TEXT;
  return errorText(e);
}

/** PATCH with the version the user saw; the updated incident goes into the store. */
export async function reviseIncident(incident: Incident, change: Record<string, unknown>): Promise<Incident> {
  const updated = await api<Incident>('PATCH', `/incidents/${incident.id}`, { ...change, version: incident.version });
  store.upsert('incident', updated);
  return updated;
}

/** Any other incident call answering incidents (links, merge, split): each returned incident goes into the store. */
export async function incidentCall<T>(method: string, path: string, body: unknown, incidentsOf: (result: T) => Incident[]): Promise<T> {
  const result = await api<T>(method, path, body);
  for (const i of incidentsOf(result)) store.upsert('incident', i);
  return result;
}
