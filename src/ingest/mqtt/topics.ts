import { type Rejection, shorten } from '../model.js';

/** `vigil/<orgSlug>/<datastreamKey>`: the organisation and the datastream of an MQTT message. */
export function parseTopic(topic: string): { orgSlug: string; key: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'vigil' || !parts[1] || !parts[2]) return null;
  return { orgSlug: parts[1], key: parts[2] };
}

/** A message's payload: one reading `{t, v, q?}` or an array of them, as items for the pipeline. */
export function readingsOfPayload(key: string, payload: Buffer | string): { items: Array<{ stream: unknown; item: unknown }>; rejects: Rejection[] } {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { items: [], rejects: [{ reason: 'malformed', detail: 'the payload is not JSON: send {"t", "v", "q"?} or an array of them', stream: key, payload: shorten(text) }] };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) return { items: [], rejects: [{ reason: 'malformed', detail: 'the payload is an empty array', stream: key, payload: '[]' }] };
  return { items: list.map((item) => ({ stream: key, item })), rejects: [] };
}

/** Whether an MQTT topic filter (with `+` and `#`) matches a topic. */
export function topicFilterCovers(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * The unit-position filter that goes with a readings filter: `vigil/city/+` (one organisation's devices) goes with
 * `vigil/city/units/+/position`, `vigil/+/+` with every organisation's units. Null when the filter already
 * delivers unit positions.
 */
export function unitPositionFilterFor(filter: string): string | null {
  if (topicFilterCovers(filter, 'vigil/x/units/x/position')) return null;
  const parts = filter.split('/');
  const org = parts[0] === 'vigil' && parts[1] && parts[1] !== '#' ? parts[1] : '+';
  return `vigil/${org}/units/+/position`;
}
