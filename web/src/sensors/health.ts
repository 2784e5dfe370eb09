// Ingestion health (GET /api/v1/ingest/health) shaped for pictures: a row per path with its rate and the
// last minute, the queue as a gauge, refusals per reason with their own last minute. Pure.

export interface PathStatus {
  name: string;
  state: 'running' | 'disabled' | 'unavailable' | 'connecting';
  detail: string;
  clients?: number;
}

export interface Rejection {
  at: string;
  reason: string;
  stream: string | null;
  detail: string;
  payload: string;
}

export interface IngestHealth {
  organisation: string;
  datastreams: number;
  acceptedPerSecond: { last10s: number; last60s: number };
  acceptedSinceStart: number;
  acceptedBySource: Record<string, number>;
  acceptedPerSecondBySource?: Record<string, { last10s: number; last60s: number }>;
  lastAcceptedAt: string | null;
  rejectedPerMinute: Record<string, number>;
  rejectedSinceStart: Record<string, number>;
  lastMinute?: { until: string; accepted: Record<string, number[]>; rejected: Record<string, number[]> };
  rejectedTotal: Record<string, number>;
  recentRejections: Rejection[];
  queue: { waiting: number; limit: number };
  paths: PathStatus[];
  topic: string;
}

export type PathState = PathStatus['state'] | 'not configured' | 'not started';

export interface PathRow {
  id: string;
  label: string;
  state: PathState;
  detail: string;
  clients: number | null;
  perSecond: number;
  perSecondMinute: number;
  total: number;
  lastMinute: number[];
}

const EMPTY_MINUTE = (): number[] => new Array<number>(60).fill(0);

/** The four ways readings arrive, in the order a person thinks of them. */
export const PATHS: Array<{ id: string; label: string }> = [
  { id: 'mqtt', label: 'MQTT, embedded broker' },
  { id: 'mqtt-external', label: 'MQTT, external broker' },
  { id: 'http', label: 'HTTP' },
  { id: 'replay', label: 'Replay (exercise mode)' },
];

export function pathRows(h: IngestHealth): PathRow[] {
  const status = new Map(h.paths.map((p) => [p.name, p]));
  return PATHS.map(({ id, label }) => {
    const s = status.get(id);
    let state: PathState;
    let detail: string;
    if (id === 'replay') {
      // Replay is `vigil replay` sending over HTTP: it is up whenever HTTP is.
      state = status.get('http')?.state ?? 'running';
      detail = `vigil replay <log.csv> --org ${h.organisation}, over HTTP`;
    } else if (s) {
      state = s.state;
      detail = s.detail;
    } else if (id === 'http') {
      // This very answer came over HTTP.
      state = 'running';
      detail = 'POST /api/v1/observations';
    } else if (id === 'mqtt-external') {
      state = 'not configured';
      detail = 'set VIGIL_MQTT_URL to subscribe to an external broker';
    } else {
      state = 'not started';
      detail = 'this server runs without it';
    }
    const rate = h.acceptedPerSecondBySource?.[id];
    return {
      id,
      label,
      state,
      detail,
      clients: s?.clients ?? null,
      perSecond: rate?.last10s ?? 0,
      perSecondMinute: rate?.last60s ?? 0,
      total: h.acceptedBySource[id] ?? 0,
      lastMinute: h.lastMinute?.accepted[id] ?? EMPTY_MINUTE(),
    };
  });
}

export type Pressure = 'idle' | 'flowing' | 'filling' | 'holding back';

/** The queue in words: senders are held back (never dropped) once it is over its limit. */
export function pressureOf(queue: { waiting: number; limit: number }): { state: Pressure; share: number; text: string } {
  const share = queue.limit > 0 ? queue.waiting / queue.limit : 0;
  if (queue.waiting === 0) return { state: 'idle', share: 0, text: 'Nothing is waiting: every reading received is stored.' };
  if (share < 0.5) return { state: 'flowing', share, text: `${queue.waiting.toLocaleString('en-GB')} readings wait to be stored; storage keeps up.` };
  if (share < 1) return { state: 'filling', share, text: `The queue is ${Math.round(share * 100)} % full: storage is falling behind. Above the limit, senders are held back.` };
  return { state: 'holding back', share: Math.min(share, 1), text: 'Senders are held back: MQTT connections are not read, HTTP senders wait (then get 503 and send again). Nothing is dropped.' };
}

/** What each refusal means, and what the sender should do (docs/ingestion.md, "Bad input"). */
export const REASON_TEXT: Record<string, string> = {
  malformed: 'not JSON, not an object, or no value “v”',
  'invalid-key': 'the datastream key is not valid (letters, digits, _ . : -)',
  'unknown-datastream': 'no such datastream, and creating them on first sight is off',
  'non-numeric': 'the value is neither a number nor true/false',
  'non-finite': 'the value is NaN or infinite',
  'bad-time': 'the time is not ISO 8601 with a zone, nor epoch milliseconds (seconds sent as milliseconds?)',
  future: 'stamped more than 5 minutes ahead of the server clock',
  duplicate: 'a reading at exactly that time is already stored',
  'out-of-order': 'older than the datastream’s newest reading: a device must send oldest first',
  'bad-quality': 'quality is not good, uncertain or bad',
  'forbidden-topic': 'an MQTT publish outside the organisation’s own topics',
};

export interface ReasonRow {
  reason: string;
  meaning: string;
  total: number;
  sinceStart: number;
  lastMinute: number;
  perSecond: number[];
  /** Share of the largest total, 0–1: the bar's length. */
  share: number;
}

export function reasonRows(h: IngestHealth): ReasonRow[] {
  const reasons = new Set([...Object.keys(h.rejectedTotal), ...Object.keys(h.rejectedSinceStart)]);
  const rows = [...reasons].map((reason) => ({
    reason,
    meaning: REASON_TEXT[reason] ?? '',
    total: Math.max(h.rejectedTotal[reason] ?? 0, h.rejectedSinceStart[reason] ?? 0),
    sinceStart: h.rejectedSinceStart[reason] ?? 0,
    lastMinute: h.rejectedPerMinute[reason] ?? 0,
    perSecond: h.lastMinute?.rejected[reason] ?? EMPTY_MINUTE(),
    share: 0,
  }));
  const top = Math.max(1, ...rows.map((r) => r.total));
  for (const r of rows) r.share = r.total / top;
  return rows.sort((a, b) => b.lastMinute - a.lastMinute || b.total - a.total || a.reason.localeCompare(b.reason));
}

/** A rate for people: "0", "3.2", "850", "12.4 k" (readings per second). */
export function rateText(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 10) return perSecond.toFixed(1);
  if (perSecond < 10_000) return String(Math.round(perSecond));
  return `${(perSecond / 1000).toFixed(1)} k`;
}

/** A sparkline's line and filled area over `values`, `w` × `h` pixels, scaled to at least `floor`. */
export function sparkPath(values: number[], w: number, h: number, floor = 1): { line: string; area: string; max: number } {
  const max = Math.max(floor, ...values);
  if (values.length === 0) return { line: '', area: '', max };
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(h - (v / max) * (h - 1)).toFixed(1)}`);
  const line = `M${pts.join('L')}`;
  return { line, area: `${line}L${((values.length - 1) * step).toFixed(1)},${h}L0,${h}Z`, max };
}

/** How often the page asks again: the server keeps per-second counts for a minute, so 5 s shows movement without load. */
export const HEALTH_REFRESH_MS = 5_000;
