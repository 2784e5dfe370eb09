import type { Api, SseClient } from '../helpers/http.js';
import { townInp, townLayout, townPlacement } from './town.js';

/** Imports the small town through the API as the caller's organisation; returns the import result. */
export async function importTown(api: Api, token: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await api.call('POST', '/api/v1/water/networks', token, { name: 'town', inp: townInp(), layout: townLayout, placement: townPlacement, ...extra });
  if (res.status !== 201 && res.status !== 200) throw new Error(`import answered ${res.status}: ${res.text}`);
  return res.body;
}

export const FINISHED = ['water-run.completed', 'water-run.failed', 'water-run.cancelled'];

/** The event that ends a run, as the stream delivers it. */
export function finished(stream: SseClient, runId: string) {
  return stream.waitFor((e) => e.recordId === runId && FINISHED.includes(e.type));
}

export const pumpOut = (hours = 12) => ({
  name: 'PU1 out of service',
  hours,
  criticalConsumers: [{ node: 'J4', name: 'Clinic' }],
  events: [{ type: 'pump-failure', pumps: ['PU1'] }],
});
