// Shaping the indicator list and one indicator's sightings for the pages: what a pattern is about, whether it
// is in force, the filters, and the sightings as bars on a time axis. Pure: data in, data out.
import type { Tlp } from '../api/types';
import type { Feed, IndicatorItem, IndicatorSightings } from './types';

/** The STIX object types a pattern compares (`ipv4-addr`, `file`, …), in order of first mention. */
export function observableTypes(pattern: string): string[] {
  // String literals may hold anything (`'a:b'`), so they go first; what is left names the object paths.
  const bare = pattern.replace(/'(?:\\.|[^'\\])*'/g, "''");
  const types: string[] = [];
  for (const m of bare.matchAll(/(?<![\w-])([a-z][a-z0-9-]*[a-z0-9]|x-[a-z0-9-]+):(?=[a-z_*'])/g)) {
    if (!types.includes(m[1]!)) types.push(m[1]!);
  }
  return types;
}

export type Validity = 'revoked' | 'expired' | 'not yet valid' | 'in force';

export function validityOf(i: Pick<IndicatorItem, 'revoked' | 'validFrom' | 'validUntil'>, now = Date.now()): Validity {
  if (i.revoked) return 'revoked';
  if (i.validUntil && Date.parse(i.validUntil) <= now) return 'expired';
  if (i.validFrom && Date.parse(i.validFrom) > now) return 'not yet valid';
  return 'in force';
}

const SOURCE_TEXT: Record<string, string> = {
  api: 'uploaded',
  cli: 'command line',
  misp: 'MISP event',
  taxii: 'TAXII (pushed)',
  feed: 'feed',
  publish: 'published from Vigil',
  demo: 'demo data',
  'cti:indicator-match': 'Vigil matching',
};

/** How an indicator came in, in words; a feed of one's own is named. */
export function sourceText(source: IndicatorItem['source'], feeds: ReadonlyMap<string, Pick<Feed, 'name'>> = new Map()): string {
  if (!source) return 'unknown';
  if (source.kind === 'feed' && source.feedId) return `feed “${feeds.get(source.feedId)?.name ?? 'removed'}”`;
  return SOURCE_TEXT[source.kind] ?? source.kind;
}

export interface IndicatorFilters {
  text: string;
  /** An observable type (`ipv4-addr`), or '' for any. */
  type: string;
  tlp: Tlp | '';
  /** A source kind (`feed`, `misp`, …), or '' for any. */
  source: string;
  /** A holder organisation id, or '' for any. */
  holder: string;
  sightedOnly: boolean;
  sort: 'newest' | 'sightings';
}

export const NO_FILTERS: IndicatorFilters = { text: '', type: '', tlp: '', source: '', holder: '', sightedOnly: false, sort: 'newest' };

export interface IndicatorRow {
  item: IndicatorItem;
  types: string[];
  validity: Validity;
}

export function indicatorRows(items: readonly IndicatorItem[], f: IndicatorFilters, now = Date.now()): IndicatorRow[] {
  const q = f.text.trim().toLowerCase();
  const rows = items
    .map((item) => ({ item, types: observableTypes(item.pattern), validity: validityOf(item, now) }))
    .filter(({ item, types }) => {
      if (q && !`${item.name ?? ''} ${item.pattern} ${item.stixId} ${item.labels.join(' ')}`.toLowerCase().includes(q)) return false;
      if (f.type && !types.includes(f.type)) return false;
      if (f.tlp && item.tlp !== f.tlp) return false;
      if (f.source && item.source?.kind !== f.source) return false;
      if (f.holder && item.ownerOrgId !== f.holder) return false;
      if (f.sightedOnly && item.sightings.count === 0) return false;
      return true;
    });
  if (f.sort === 'sightings') {
    // Stable: equal counts keep the server's order (newest first).
    return rows.map((r, i) => ({ r, i })).sort((a, b) => b.r.item.sightings.count - a.r.item.sightings.count || a.i - b.i).map(({ r }) => r);
  }
  return rows;
}

/** The values each filter can take, from what is loaded (so no choice ever gives an empty list by itself). */
export function filterOptions(items: readonly IndicatorItem[]): { types: string[]; tlps: Tlp[]; sources: string[]; holders: string[] } {
  const types = new Set<string>();
  const tlps = new Set<Tlp>();
  const sources = new Set<string>();
  const holders = new Set<string>();
  for (const i of items) {
    observableTypes(i.pattern).forEach((t) => types.add(t));
    tlps.add(i.tlp);
    if (i.source) sources.add(i.source.kind);
    holders.add(i.ownerOrgId);
  }
  const order: Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
  return { types: [...types].sort(), tlps: order.filter((t) => tlps.has(t)), sources: [...sources].sort(), holders: [...holders] };
}

/** Filters as URL parameters (so a filtered list can be linked and reloaded), and back. */
export function filtersToSearch(f: IndicatorFilters): string {
  const p = new URLSearchParams();
  if (f.text.trim()) p.set('q', f.text.trim());
  if (f.type) p.set('type', f.type);
  if (f.tlp) p.set('tlp', f.tlp);
  if (f.source) p.set('source', f.source);
  if (f.holder) p.set('holder', f.holder);
  if (f.sightedOnly) p.set('sighted', '1');
  if (f.sort !== 'newest') p.set('sort', f.sort);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function filtersFromSearch(search: URLSearchParams): IndicatorFilters {
  const tlp = search.get('tlp') ?? '';
  return {
    text: search.get('q') ?? '',
    type: search.get('type') ?? '',
    tlp: (['clear', 'green', 'amber', 'amber+strict', 'red'].includes(tlp) ? tlp : '') as Tlp | '',
    source: search.get('source') ?? '',
    holder: search.get('holder') ?? '',
    sightedOnly: search.get('sighted') === '1',
    sort: search.get('sort') === 'sightings' ? 'sightings' : 'newest',
  };
}

export interface SightingBar {
  alertId: string;
  label: string;
  x: number;
  width: number;
  count: number;
}

/**
 * Each alert the indicator raised (one per value matched) as a bar from its first to its last match on a
 * shared time axis `width` wide; a bar is never thinner than 3 px, so a single match is still seen.
 */
export function sightingBars(s: Pick<IndicatorSightings, 'alerts'>, width: number): { bars: SightingBar[]; from: string | null; to: string | null } {
  if (s.alerts.length === 0) return { bars: [], from: null, to: null };
  const from = Math.min(...s.alerts.map((a) => Date.parse(a.time)));
  const to = Math.max(...s.alerts.map((a) => Date.parse(a.lastSeen)));
  const span = Math.max(to - from, 1);
  const x = (t: number) => ((t - from) / span) * (width - 3);
  const bars = [...s.alerts]
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .map((a) => ({
      alertId: a.alertId,
      label: a.matched.map((m) => m.value).join(', ') || a.title,
      x: x(Date.parse(a.time)),
      width: Math.max(3, x(Date.parse(a.lastSeen)) - x(Date.parse(a.time))),
      count: a.count,
    }));
  return { bars, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The latest version of an indicator each holder has, newest first (GET /stix/objects/{id} gives every version). */
export function latestVersions<T extends { ownerOrgId: string; version: string; dateAdded: string }>(versions: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const v of versions) {
    const b = best.get(v.ownerOrgId);
    if (!b || v.version > b.version || (v.version === b.version && v.dateAdded > b.dateAdded)) best.set(v.ownerOrgId, v);
  }
  return [...best.values()].sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
}
