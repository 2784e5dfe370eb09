import type { Geometry } from '../kernel/geo.js';
import { parseCircle, parsePolygon, type LatLon } from './geometry.js';
import type { Alert, Severity as CapSeverity } from './model.js';

/**
 * CAP messages received from other agencies, as Vigil alerts of category hazard: pure mapping, no I/O. The
 * message has passed validation (schema and §3 rules), so its polygons and circles are well formed.
 */

export type AlertSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** CAP severity → alert severity. Unknown is taken seriously (medium) rather than dismissed. */
export const SEVERITY_FROM_CAP: Record<CapSeverity, AlertSeverity> = {
  Extreme: 'critical',
  Severe: 'high',
  Moderate: 'medium',
  Minor: 'low',
  Unknown: 'medium',
};

const RANK: Record<AlertSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export interface ReceivedHazard {
  title: string;
  description: string;
  severity: AlertSeverity;
  location: Geometry | null;
  evidence: Record<string, unknown>;
}

/** What a received message does: raise an alert, change or close the ones it references, or nothing. */
export type InboxAction = 'raise' | 'update' | 'close' | 'ignore';

export function inboxActionOf(alert: Alert): InboxAction {
  // Test, System and Draft messages are not events in the city: they are recorded, not raised.
  if (alert.status !== 'Actual' && alert.status !== 'Exercise') return 'ignore';
  switch (alert.msgType) {
    case 'Alert':
      return 'raise';
    case 'Update':
      return alert.info.length > 0 && alert.info.every((i) => i.responseType.includes('AllClear')) ? 'close' : 'update';
    case 'Cancel':
      return 'close';
    default:
      return 'ignore';
  }
}

/** The earlier messages a message refers to, as (sender, identifier) pairs. */
export function referencedMessages(alert: Alert): Array<{ sender: string; identifier: string }> {
  if (!alert.references) return [];
  return alert.references
    .trim()
    .split(/\s+/)
    .map((triple) => triple.split(','))
    .filter((parts) => parts.length >= 2)
    .map(([sender, identifier]) => ({ sender: sender!, identifier: identifier! }));
}

export function hazardOf(alert: Alert, version: string, xml: string, preferredLanguage: string): ReceivedHazard {
  const info = alert.info.find((i) => i.language?.toLowerCase().startsWith(preferredLanguage.toLowerCase())) ?? alert.info[0];
  const severity = alert.info.map((i) => SEVERITY_FROM_CAP[i.severity]).reduce<AlertSeverity>((a, b) => (RANK[b] > RANK[a] ? b : a), 'info');
  const exercise = alert.status === 'Exercise' ? '[Exercise] ' : '';
  const title = `${exercise}${info?.headline || info?.event || `CAP ${alert.msgType} from ${alert.sender}`}`.slice(0, 500);
  return {
    title,
    description: (info?.description ?? '').slice(0, 20_000),
    severity: alert.info.length ? severity : 'medium',
    location: locationOf(alert),
    evidence: {
      cap: {
        version,
        identifier: alert.identifier,
        sender: alert.sender,
        sent: alert.sent,
        status: alert.status,
        msgType: alert.msgType,
        scope: alert.scope,
        ...(alert.references ? { references: alert.references } : {}),
        ...(info
          ? {
              event: info.event,
              category: info.category,
              urgency: info.urgency,
              severity: info.severity,
              certainty: info.certainty,
              ...(info.expires ? { expires: info.expires } : {}),
              ...(info.instruction ? { instruction: info.instruction } : {}),
              ...(info.senderName ? { senderName: info.senderName } : {}),
            }
          : {}),
        areas: [...new Set(alert.info.flatMap((i) => i.area.map((a) => a.areaDesc)))],
      },
      xml,
    },
  };
}

/**
 * Every polygon and circle of the message's areas as one GeoJSON geometry (RFC 7946 has no circle: circles
 * become 32-sided polygons drawn around them). Translations repeat the same areas; each shape counts once.
 */
export function locationOf(alert: Alert): Geometry | null {
  const rings = new Map<string, number[][]>();
  for (const area of alert.info.flatMap((i) => i.area)) {
    for (const polygon of area.polygon) {
      const points = parsePolygon(polygon);
      if (points && points.length >= 4) rings.set(`p:${polygon.trim()}`, points.map(toPosition));
    }
    for (const circle of area.circle) {
      const c = parseCircle(circle);
      if (c) rings.set(`c:${circle.trim()}`, circleRing(c.centre, Math.max(c.radiusKm, 0.01)));
    }
  }
  const polygons = [...rings.values()].map((ring) => [ring]);
  if (polygons.length === 0) return null;
  if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0] as [number, number][][] };
  return { type: 'MultiPolygon', coordinates: polygons as [number, number][][][] };
}

function toPosition(p: LatLon): number[] {
  return [p.lon, p.lat];
}

const EARTH_RADIUS_KM = 6371.0088;

/** A closed ring of `segments` sides around a circle (vertices just outside it, so it covers the circle). */
export function circleRing(centre: LatLon, radiusKm: number, segments = 32): number[][] {
  const outer = radiusKm / Math.cos(Math.PI / segments);
  const dLat = (outer / EARTH_RADIUS_KM) * (180 / Math.PI);
  const dLon = dLat / Math.cos((centre.lat * Math.PI) / 180);
  const ring: number[][] = [];
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    const lat = Math.max(-90, Math.min(90, centre.lat + dLat * Math.sin(a)));
    const lon = Math.max(-180, Math.min(180, centre.lon + dLon * Math.cos(a)));
    ring.push([round(lon), round(lat)]);
  }
  ring.push(ring[0]!);
  return ring;
}

const round = (x: number): number => Math.round(x * 1e7) / 1e7;
