// What the operations picture shows: the filters of the map and the alert queue, as pure functions.
import type { Alert, AlertCategory, Asset, Geometry, Incident, Severity } from '../api/types';

export const TIME_WINDOWS = [
  { key: '1h', label: 'Last hour', ms: 3600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { key: 'all', label: 'Any time', ms: Infinity },
] as const;
export type TimeWindow = (typeof TIME_WINDOWS)[number]['key'];

export interface Filters {
  window: TimeWindow;
  severities: Severity[];
  categories: AlertCategory[];
  /** Owner organisation id, or '' for every organisation. */
  owner: string;
  /** Only alerts still being worked (new, acknowledged) and incidents not closed. */
  openOnly: boolean;
  text: string;
}

export const DEFAULT_FILTERS: Filters = { window: 'all', severities: [], categories: [], owner: '', openOnly: true, text: '' };

function since(filters: Filters, now: number): number {
  const w = TIME_WINDOWS.find((t) => t.key === filters.window)!;
  return w.ms === Infinity ? -Infinity : now - w.ms;
}

const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.trim().toLowerCase());

export function alertMatches(alert: Alert, filters: Filters, now: number): boolean {
  if (filters.openOnly && alert.status !== 'new' && alert.status !== 'acknowledged') return false;
  if (filters.severities.length && !filters.severities.includes(alert.severity)) return false;
  if (filters.categories.length && !filters.categories.includes(alert.category)) return false;
  if (filters.owner && alert.ownerOrgId !== filters.owner) return false;
  if (Date.parse(alert.lastSeen || alert.time) < since(filters, now)) return false;
  if (filters.text.trim() && !contains(`${alert.title} ${alert.source}`, filters.text)) return false;
  return true;
}

export function incidentMatches(incident: Incident, filters: Filters, now: number): boolean {
  if (filters.openOnly && incident.status === 'closed') return false;
  if (filters.severities.length && !filters.severities.includes(incident.severity)) return false;
  if (filters.owner && incident.ownerOrgId !== filters.owner) return false;
  if (Date.parse(incident.updatedAt) < since(filters, now)) return false;
  if (filters.text.trim() && !contains(incident.title, filters.text)) return false;
  return true;
}

export function assetMatches(asset: Asset, filters: Filters): boolean {
  if (filters.owner && asset.ownerOrgId !== filters.owner) return false;
  if (filters.text.trim() && !contains(`${asset.name} ${asset.type}`, filters.text)) return false;
  return true;
}

/** A representative point of a geometry: the point itself, or the mean of its coordinates. */
export function pointOf(geometry: Geometry | null | undefined): [number, number] | null {
  if (!geometry) return null;
  const coords: number[][] = [];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') coords.push(c as number[]);
    else if (Array.isArray(c)) c.forEach(visit);
  };
  visit(geometry.coordinates);
  if (!coords.length) return null;
  const lon = coords.reduce((s, c) => s + c[0]!, 0) / coords.length;
  const lat = coords.reduce((s, c) => s + c[1]!, 0) / coords.length;
  return [lon, lat];
}

/** Where an alert is: its own location, or the first of its assets that has one. */
export function alertPosition(alert: Alert, assets: Map<string, Asset>): [number, number] | null {
  const own = pointOf(alert.location);
  if (own) return own;
  for (const id of alert.assetIds) {
    const p = pointOf(assets.get(id)?.geometry);
    if (p) return p;
  }
  return null;
}

/** Where an incident is: its location, or the middle of its assets. */
export function incidentPosition(incident: Incident, assets: Map<string, Asset>): [number, number] | null {
  const own = pointOf(incident.location);
  if (own) return own;
  const points = incident.assetIds.map((id) => pointOf(assets.get(id)?.geometry)).filter((p): p is [number, number] => p !== null);
  if (!points.length) return null;
  return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
}
