// Pure shaping of units, routes, closures and isochrones for the map and the dispatch panel: data in, data
// out, no DOM and no network, so every rule here is tested directly (tests/web/units-shape.test.ts).
import type { StreamEvent } from '../api/types';
import type { Closure, ClosureStatus, IsochroneAnswer, Unit, UnitEta } from './types';

/** Colour by status: green may go, orange is on the way, red is busy at a scene, grey is not in service. */
export const UNIT_STATUS_COLOURS: Record<string, string> = {
  available: '#2fbf71',
  dispatched: '#ff9f1a',
  'on-scene': '#e5484d',
  'out-of-service': '#6b7785',
};

export const UNIT_STATUS_LABELS: Record<string, string> = {
  available: 'available',
  dispatched: 'dispatched',
  'on-scene': 'on scene',
  'out-of-service': 'out of service',
};

/** White pictograms (24×24 SVG paths) by unit type; any other type gets the generic dot. */
export const UNIT_TYPE_ICONS: Record<string, { label: string; path: string }> = {
  'fire-engine': { label: 'Fire engine', path: 'M2 8h12v3h4l4 3.5V18h-2.2a2.5 2.5 0 0 1-4.6 0H8.8a2.5 2.5 0 0 1-4.6 0H2zm2 2v3h3v-3zm5 0v3h3v-3z' },
  'ladder-truck': { label: 'Ladder truck', path: 'M6 3h2v18H6zm10 0h2v18h-2zM8 6h8v2H8zm0 5h8v2H8zm0 5h8v2H8z' },
  rescue: { label: 'Rescue', path: 'M12 3l9.5 16.5h-19zm-1 6v5h2V9zm0 6.5v2h2v-2z' },
  hazmat: { label: 'Hazmat', path: 'M12 2l10 10-10 10L2 12zm-1 5v6h2V7zm0 8v2h2v-2z' },
  ambulance: { label: 'Ambulance', path: 'M10 4h4v6h6v4h-6v6h-4v-6H4v-4h6z' },
  'police-car': { label: 'Police car', path: 'M12 2l8 3.5V11c0 5-3.4 8.8-8 11-4.6-2.2-8-6-8-11V5.5z' },
  'repair-crew': { label: 'Repair crew', path: 'M15 3a5 5 0 0 0-4.8 6.4L3 16.6 6.4 20l7.2-7.2A5 5 0 0 0 20 8l-3 3-3-1-1-3 3-3a5 5 0 0 0-1-1z' },
  generic: { label: 'Unit', path: 'M12 5a7 7 0 1 0 0 14a7 7 0 1 0 0-14z' },
};

export function unitIconKey(type: string): string {
  return UNIT_TYPE_ICONS[type] ? type : 'generic';
}

export function unitTypeLabel(type: string): string {
  return UNIT_TYPE_ICONS[type]?.label ?? type.replace(/-/g, ' ');
}

/** "1 min 56 s", "45 s", "1 h 3 min". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** "850 m", "2.0 km". */
export function formatDistance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined || !Number.isFinite(metres)) return '—';
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`;
}

/** How old a position is, in words ("12 s ago", "3 min ago"). */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/**
 * A unit after a live change. Events never carry the assignment (it may concern an incident others must not
 * see), so the one on record is kept while the unit is still out, and dropped once it is available again.
 * A position older than the one on record is not applied (the network may deliver out of order).
 */
export function mergeUnit(previous: Unit | undefined, incoming: Partial<Unit> & { id: string }): Unit | null {
  if (!previous) return isWholeUnit(incoming) ? { ...incoming, assignment: incoming.assignment ?? null } : null;
  if (incoming.version !== undefined && incoming.version < previous.version) return previous;
  const next: Unit = { ...previous, ...incoming };
  if (incoming.position && previous.position && Date.parse(incoming.position.at) < Date.parse(previous.position.at)) next.position = previous.position;
  if (!('assignment' in incoming) || incoming.assignment === undefined) next.assignment = previous.assignment ?? null;
  if (next.status === 'available' || next.status === 'out-of-service') next.assignment = null;
  return next;
}

function isWholeUnit(u: Partial<Unit>): u is Unit {
  return typeof u.name === 'string' && typeof u.type === 'string' && typeof u.status === 'string' && typeof u.version === 'number';
}

/**
 * Applies one event of the live stream to the units: `unit.created|updated|shared` carry the unit (without its
 * assignment), `unit.position` the new position, `unit.dispatched` the unit and its assignment (route included),
 * `record.removed` a unit no longer visible. Returns whether anything changed.
 */
export function applyUnitEvent(units: Map<string, Unit>, event: StreamEvent): boolean {
  const data = event.data as Record<string, unknown> | null;
  if (!data) return false;
  if (event.type === 'record.removed') {
    return data.kind === 'unit' && units.delete(String(data.id));
  }
  let incoming: (Partial<Unit> & { id: string }) | null = null;
  if (event.type === 'unit.created' || event.type === 'unit.updated' || event.type === 'unit.shared') incoming = data as unknown as Unit;
  else if (event.type === 'unit.position') {
    const id = String(data.id);
    if (!units.has(id)) return false;
    incoming = { id, status: data.status as Unit['status'], position: data.position as Unit['position'] };
  } else if (event.type === 'unit.dispatched') {
    const unit = data.unit as Unit | undefined;
    if (!unit) return false;
    incoming = { ...unit, assignment: (data.assignment as Unit['assignment']) ?? null };
  }
  if (!incoming) return false;
  const merged = mergeUnit(units.get(incoming.id), incoming);
  if (!merged || merged === units.get(incoming.id)) return false;
  units.set(merged.id, merged);
  return true;
}

type Feature = GeoJSON.Feature;

/** Points of the units with a position (those named by `only`, when given). */
export function unitFeatures(units: Iterable<Unit>, only?: ReadonlySet<string>): Feature[] {
  const features: Feature[] = [];
  for (const unit of units) {
    if (only && !only.has(unit.id)) continue;
    if (!unit.position) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [unit.position.lon, unit.position.lat] },
      properties: { kind: 'unit', id: unit.id, name: unit.name, icon: unitIconKey(unit.type), status: unit.status, colour: UNIT_STATUS_COLOURS[unit.status] ?? UNIT_STATUS_COLOURS['out-of-service'], heading: unit.position.headingDeg ?? 0 },
    });
  }
  return features;
}

/** The planned route of every unit on its way or at a scene (of `only`'s units, or of one incident's). */
export function routeFeatures(units: Iterable<Unit>, filter: { only?: ReadonlySet<string>; incidentId?: string } = {}): Feature[] {
  const features: Feature[] = [];
  for (const unit of units) {
    const a = unit.assignment;
    if (!a?.route || (unit.status !== 'dispatched' && unit.status !== 'on-scene')) continue;
    if (filter.only && !filter.only.has(unit.id)) continue;
    if (filter.incidentId && a.incidentId !== filter.incidentId) continue;
    features.push({
      type: 'Feature',
      geometry: a.route,
      properties: { kind: 'unit', id: unit.id, name: unit.name, incidentId: a.incidentId, status: unit.status, colour: UNIT_STATUS_COLOURS[unit.status], eta: formatEta(a.etaS) },
    });
  }
  return features;
}

/** The units sent to an incident and still out there, soonest planned arrival first. */
export function unitsAtIncident(units: Iterable<Unit>, incidentId: string): Unit[] {
  return [...units]
    .filter((u) => u.assignment?.incidentId === incidentId && (u.status === 'dispatched' || u.status === 'on-scene'))
    .sort((a, b) => (a.assignment?.etaS ?? Infinity) - (b.assignment?.etaS ?? Infinity) || a.name.localeCompare(b.name));
}

/** A closure's status at `now` (the server's own rule: ended if lifted or past its end, scheduled before its start). */
export function closureStatus(closure: Pick<Closure, 'startsAt' | 'endsAt' | 'endedAt'>, now: number): ClosureStatus {
  if (closure.endedAt !== null && Date.parse(closure.endedAt) <= now) return 'ended';
  if (closure.endsAt !== null && Date.parse(closure.endsAt) <= now) return 'ended';
  return Date.parse(closure.startsAt) > now ? 'scheduled' : 'active';
}

/** Closures not over yet, as map features (scheduled ones drawn fainter). */
export function closureFeatures(closures: Iterable<Closure>, now: number): Feature[] {
  const features: Feature[] = [];
  for (const c of closures) {
    const status = closureStatus(c, now);
    if (status === 'ended') continue;
    features.push({ type: 'Feature', geometry: c.geometry, properties: { kind: 'closure', id: c.id, reason: c.reason, status } });
  }
  return features;
}

/** Isochrone colours, nearest (shortest time) first. */
export const ISOCHRONE_COLOURS = ['#2fbf71', '#e8c547', '#ff7a45', '#c2417a'];

/** Isochrone polygons, longest time first so shorter ones draw on top, each with its colour and label. */
export function isochroneFeatures(answer: IsochroneAnswer | null): Feature[] {
  if (!answer) return [];
  const sorted = [...answer.features].sort((a, b) => a.properties.minutes - b.properties.minutes);
  return sorted
    .map((f, i) => ({ type: 'Feature' as const, geometry: f.geometry, properties: { minutes: f.properties.minutes, areaKm2: f.properties.areaKm2, colour: ISOCHRONE_COLOURS[Math.min(i, ISOCHRONE_COLOURS.length - 1)], label: `${f.properties.minutes} min` } }))
    .reverse();
}

/** Parses "3, 6, 9" into sorted distinct minutes in (0, 180], at most eight; null when it is not that. */
export function parseMinutes(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 8) return null;
  const values = parts.map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0 || v > 180)) return null;
  return [...new Set(values)].sort((a, b) => a - b);
}

export type DrawMode = 'area' | 'line';

/** The geometry of a closure being drawn, or null while it has too few points (an area 3, a line 2). */
export function draftGeometry(mode: DrawMode, vertices: Array<[number, number]>): GeoJSON.Polygon | GeoJSON.LineString | null {
  if (mode === 'line') return vertices.length >= 2 ? { type: 'LineString', coordinates: vertices } : null;
  if (vertices.length < 3) return null;
  return { type: 'Polygon', coordinates: [[...vertices, vertices[0]!]] };
}

/** What the map shows while drawing: the points placed and, once there are enough, the shape. */
export function draftFeatures(mode: DrawMode, vertices: Array<[number, number]>): Feature[] {
  const shape = draftGeometry(mode, vertices);
  const features: Feature[] = vertices.map((p, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { index: i } }));
  if (shape) features.unshift({ type: 'Feature', geometry: shape, properties: {} });
  else if (vertices.length === 2) features.unshift({ type: 'Feature', geometry: { type: 'LineString', coordinates: vertices }, properties: {} });
  return features;
}

export interface ClosureDraft {
  mode: DrawMode;
  vertices: Array<[number, number]>;
  reason: string;
  /** `datetime-local` values (local time), '' = now / until lifted. */
  startsAt: string;
  endsAt: string;
}

/** The body of `POST /closures` for a draft, or the first thing wrong with it. */
export function closureRequest(draft: ClosureDraft, now: number): { body: Record<string, unknown> } | { error: string } {
  const geometry = draftGeometry(draft.mode, draft.vertices);
  if (!geometry) return { error: draft.mode === 'area' ? 'Place at least three points for an area' : 'Place at least two points for a line' };
  const reason = draft.reason.trim();
  if (!reason) return { error: 'Say why the road is closed' };
  const starts = draft.startsAt ? Date.parse(draft.startsAt) : null;
  const ends = draft.endsAt ? Date.parse(draft.endsAt) : null;
  if (starts !== null && Number.isNaN(starts)) return { error: 'The start time is not a date' };
  if (ends !== null && Number.isNaN(ends)) return { error: 'The end time is not a date' };
  if (ends !== null && ends <= (starts ?? now)) return { error: 'The end must come after the start' };
  return {
    body: {
      reason,
      geometry,
      ...(starts !== null ? { startsAt: new Date(starts).toISOString() } : {}),
      ...(ends !== null ? { endsAt: new Date(ends).toISOString() } : {}),
    },
  };
}

/** Recommended units by type, with what the panel shows of each. */
export function recommendationRows(groups: Array<{ type: string; units: UnitEta[] }>): Array<{ type: string; label: string; rows: Array<{ unitId: string; name: string; eta: string; distance: string; age: string; etaS: number }> }> {
  return groups.map((g) => ({
    type: g.type,
    label: unitTypeLabel(g.type),
    rows: [...g.units]
      .sort((a, b) => a.etaS - b.etaS)
      .map((u) => ({ unitId: u.unitId, name: u.name, eta: formatEta(u.etaS), distance: formatDistance(u.distanceM), age: formatAge(u.positionAgeS), etaS: u.etaS })),
  }));
}
