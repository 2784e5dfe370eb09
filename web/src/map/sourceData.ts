// Hands new data to a GeoJSON source only when it differs from what the source already holds. Every store change
// (a stream status, an unrelated record kind, a page of older alerts) refreshes every overlay; an unchanged
// setData still makes MapLibre re-tile (and re-cluster) the source in its worker and redraw the map, which with
// software WebGL costs ~100–200 ms a frame. Comparing is a few milliseconds even for 10,000 alerts.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

const held = new WeakMap<MapLibreMap, Map<string, GeoJSON.FeatureCollection>>();

export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

export function setSourceData(map: MapLibreMap, source: string, data: GeoJSON.FeatureCollection): void {
  const target = map.getSource(source) as GeoJSONSource | undefined;
  if (!target) return;
  let sources = held.get(map);
  if (!sources) held.set(map, (sources = new Map()));
  const before = sources.get(source);
  if (before && sameData(before, data)) return;
  sources.set(source, data);
  target.setData(data);
}
