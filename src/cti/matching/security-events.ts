import type { SecurityEvent } from './fields.js';

/**
 * Security events as Vigil receives them (pure): JSON log events, flat field maps (ECS, Sysmon, Wazuh); nested
 * objects are flattened to dotted names (`{"source": {"ip": …}}` is `source.ip`), the way ECS names its fields.
 */
export const MAX_EVENT_BYTES = 64 * 1024;
const MAX_DEPTH = 6;
const MAX_FIELDS = 2000;

export function flattenEvent(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let fields = 0;
  const walk = (prefix: string, v: unknown, depth: number): void => {
    if (fields >= MAX_FIELDS) return;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) walk(prefix ? `${prefix}.${k}` : k, child, depth + 1);
      return;
    }
    if (Array.isArray(v)) {
      const scalars = v.filter((x) => x === null || typeof x !== 'object');
      if (scalars.length) {
        out[prefix] = scalars;
        fields++;
      }
      return;
    }
    if (typeof v === 'object') return;
    out[prefix] = v;
    fields++;
  };
  walk('', value, 0);
  return out;
}

const TIME_FIELDS = ['@timestamp', 'timestamp', 'time', 'UtcTime', 'event.created', 'EventTime'];

/** When the event happened (epoch ms): its own time field when it has a readable one, else `fallback`. */
export function eventTime(event: SecurityEvent, fallback: number): number {
  for (const field of TIME_FIELDS) {
    const v = event[field];
    if (typeof v === 'number' && Number.isFinite(v)) return v > 1e12 ? v : v * 1000;
    if (typeof v === 'string' && v) {
      // Sysmon's UtcTime has a space and no zone: it is UTC.
      const text = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
      const t = Date.parse(text);
      if (Number.isFinite(t)) return t;
    }
  }
  return fallback;
}

/** Reads an NDJSON body: one event per non-empty line; a line that is not a JSON object is reported, not fatal. */
export function readNdjson(text: string): { events: Array<{ index: number; event: Record<string, unknown> }>; rejected: Array<{ index: number; reason: string }> } {
  const events: Array<{ index: number; event: Record<string, unknown> }> = [];
  const rejected: Array<{ index: number; reason: string }> = [];
  let index = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = index++;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value && typeof value === 'object' && !Array.isArray(value)) events.push({ index: at, event: value as Record<string, unknown> });
      else rejected.push({ index: at, reason: 'not a JSON object' });
    } catch (error) {
      rejected.push({ index: at, reason: `not JSON: ${(error as Error).message}` });
    }
  }
  return { events, rejected };
}

/**
 * The cap: a value that keeps matching one indicator in one organisation stops raising alerts after
 * `maxPerValue` matches in a window (it is still counted). A value's count restarts after a quiet window.
 */
export class MatchCap {
  private readonly counts = new Map<string, { count: number; since: number }>();

  constructor(
    readonly maxPerValue: number,
    readonly windowMs: number,
  ) {}

  /** Counts one match; true when it is over the cap. */
  count(key: string, now: number): boolean {
    let c = this.counts.get(key);
    if (!c || now - c.since >= this.windowMs) {
      c = { count: 0, since: now };
      this.counts.set(key, c);
      if (this.counts.size > 200_000) this.sweep(now);
    }
    c.count++;
    return c.count > this.maxPerValue;
  }

  private sweep(now: number): void {
    for (const [key, c] of this.counts) if (now - c.since >= this.windowMs) this.counts.delete(key);
  }
}
