// A datastream's alarms on its chart: which alerts they are (the server's rule, src/ingest/alarm-match.ts,
// compiled in as is), merged with those arriving live, and where their markers go. Pure.
import { alertNamesDatastream, alertOverlaps } from '../../../src/ingest/alarm-match.js';
import type { Alert, Datastream, Severity } from '../api/types';
import { severityRank } from '../format';

export { alertNamesDatastream, alertOverlaps };

/**
 * The alarms to draw: those the server answered for the window and those in the store (arriving live, or
 * changed since), newest version of each, that name the datastream and overlap [from, to]; oldest first.
 */
export function alarmsInWindow(stream: Pick<Datastream, 'id' | 'key' | 'ownerOrgId'>, fetched: Alert[], live: Iterable<Alert>, from: number, to: number): Alert[] {
  const byId = new Map<string, Alert>();
  const keep = (a: Alert) => {
    const seen = byId.get(a.id);
    if (!seen || seen.version < a.version) byId.set(a.id, a);
  };
  fetched.forEach(keep);
  for (const a of live) if (alertNamesDatastream(a, stream)) keep(a);
  return [...byId.values()].filter((a) => alertOverlaps(a, from, to)).sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}

export interface AlarmMarker {
  /** The alerts drawn as this marker (close ones are one marker), most severe first. */
  alerts: Alert[];
  severity: Severity;
  /** x of the marker, in the plot's own pixels (0 = the window's start); null when it began before the window. */
  x: number | null;
  /** How far the alarm lasted (first occurrence to last repeat), clipped to the plot. */
  spanFrom: number;
  spanTo: number;
  label: string;
}

/**
 * Places alarms on a plot `width` pixels wide showing [from, to]: a marker at the moment each began and a
 * bar for how long it lasted. Markers closer than `minGap` pixels are one marker (its count shown), so a
 * storm of repeats stays readable and clickable.
 */
export function placeAlarms(alarms: Alert[], from: number, to: number, width: number, minGap = 8): AlarmMarker[] {
  const span = to - from || 1;
  const px = (t: number) => ((t - from) / span) * width;
  const clip = (x: number) => Math.max(0, Math.min(width, x));
  const placed = alarms
    .map((a) => {
      const start = px(Date.parse(a.time));
      const end = px(Math.max(Date.parse(a.time), Date.parse(a.lastSeen)));
      return { alert: a, start, end };
    })
    .filter((p) => p.end >= 0 && p.start <= width)
    .sort((a, b) => a.start - b.start);
  const markers: AlarmMarker[] = [];
  for (const p of placed) {
    const x = p.start < 0 ? null : p.start;
    const last = markers[markers.length - 1];
    if (last && x !== null && last.x !== null && x - last.x < minGap) {
      last.alerts.push(p.alert);
      last.spanTo = Math.max(last.spanTo, clip(p.end));
      continue;
    }
    markers.push({ alerts: [p.alert], severity: p.alert.severity, x, spanFrom: clip(p.start), spanTo: clip(p.end), label: '' });
  }
  for (const m of markers) {
    m.alerts.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.time.localeCompare(b.time));
    m.severity = m.alerts[0]!.severity;
    m.label = m.alerts.length === 1 ? `${m.alerts[0]!.severity} alarm: ${m.alerts[0]!.title}` : `${m.alerts.length} alarms, the most severe ${m.severity}: ${m.alerts[0]!.title}`;
  }
  return markers;
}
