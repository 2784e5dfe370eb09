import 'maplibre-gl/dist/maplibre-gl.css';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Filters } from '../state/filters';
import { store, useStoreVersion } from '../state/store';
import { type BaseMap, baseStyle } from './baseStyle';
import { addAssetIcons } from './icons';
import type { Overlay } from './overlays';

maplibregl.setWorkerUrl(workerUrl);

let baseMap: Promise<BaseMap> | null = null;
export function loadBaseMap(): Promise<BaseMap> {
  baseMap ??= api<BaseMap>('GET', '/map/base', undefined, { anonymous: true }).catch((error) => {
    baseMap = null;
    throw error;
  });
  return baseMap;
}

export interface Selection {
  kind: string;
  id: string;
}

export interface MapViewProps {
  overlays: Overlay[];
  visible: Record<string, boolean>;
  filters: Filters;
  /** Restrict the overlays to these record ids (a workspace's map). */
  only?: ReadonlySet<string>;
  onSelect?: (selection: Selection | null) => void;
  /** A click anywhere on the map, before selection; return true when it was used (drawing, picking a point). */
  onMapClick?: (point: [number, number]) => boolean;
  /** Points to fit the view to when they change (search results, a workspace's assets). */
  focus?: Array<[number, number]> | null;
  label: string;
  className?: string;
  /** The main map registers itself for tests and benchmarks (window.__vigilMap). */
  main?: boolean;
}

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const version = useStoreVersion();
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let map: MapLibreMap | null = null;
    let cancelled = false;
    loadBaseMap()
      .then((base) => {
        if (cancelled || !container.current) return;
        const [w, s, e, n] = base.bounds;
        const padLon = (e - w) * 0.5;
        const padLat = (n - s) * 0.5;
        map = new maplibregl.Map({
          container: container.current,
          style: baseStyle(base),
          bounds: [7.405, 43.723, 7.44, 43.752],
          maxBounds: [w - padLon, s - padLat, e + padLon, n + padLat],
          minZoom: 11,
          maxZoom: 19,
          attributionControl: { compact: true },
          dragRotate: false,
          pitchWithRotate: false,
          fadeDuration: 0,
        });
        mapRef.current = map;
        map.touchZoomRotate.disableRotation();
        map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
        map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
        map.on('load', () => {
          addAssetIcons(map!);
          for (const overlay of latest.current.overlays) overlay.install(map!, base.fonts);
          setLoaded(true);
        });
        map.on('error', (event) => {
          // Base map problems are shown; a single failed glyph range only costs its labels.
          const message = (event.error as Error | undefined)?.message ?? '';
          if (/roads/.test(message)) setError(`The base map could not be loaded: ${message}`);
        });
        map.on('click', (event) => {
          const current = latest.current;
          if (current.onMapClick?.([event.lngLat.lng, event.lngLat.lat])) return;
          const layers = current.overlays.filter((o) => current.visible[o.id] !== false).flatMap((o) => o.clickable).filter((id) => map!.getLayer(id));
          const feature = map!.queryRenderedFeatures(event.point, { layers })[0];
          if (!feature) return current.onSelect?.(null);
          const p = feature.properties as Record<string, unknown>;
          if (p.cluster_id !== undefined) {
            void (map!.getSource(feature.source) as GeoJSONSource).getClusterExpansionZoom(p.cluster_id as number).then((zoom) => {
              map!.easeTo({ center: (feature.geometry as GeoJSON.Point).coordinates as [number, number], zoom: Math.min(zoom, 18) });
            });
            return;
          }
          if (typeof p.kind === 'string' && typeof p.id === 'string') current.onSelect?.({ kind: p.kind, id: p.id });
        });
        map.on('mousemove', (event) => {
          const current = latest.current;
          const layers = current.overlays.flatMap((o) => o.clickable).filter((id) => map!.getLayer(id));
          map!.getCanvas().style.cursor = map!.queryRenderedFeatures(event.point, { layers }).length ? 'pointer' : '';
        });
        if (props.main) (window as unknown as { __vigilMap?: MapLibreMap }).__vigilMap = map;
        // Every map by its label, for the browser tests (a workspace's small maps too).
        const registry = ((window as unknown as { __vigilMaps?: Record<string, MapLibreMap> }).__vigilMaps ??= {});
        registry[props.label] = map;
      })
      .catch((e) => setError(`The base map could not be loaded: ${errorText(e)}`));
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
      if (props.main) delete (window as unknown as { __vigilMap?: MapLibreMap }).__vigilMap;
      const registry = (window as unknown as { __vigilMaps?: Record<string, MapLibreMap> }).__vigilMaps;
      if (registry && registry[props.label] === map) delete registry[props.label];
    };
  }, []);

  // Data: refresh every overlay when the store or the filters change, at most once a frame.
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const frame = requestAnimationFrame(() => {
      const ctx = { store, filters: props.filters, now: Date.now(), ...(props.only ? { only: props.only } : {}) };
      for (const overlay of props.overlays) overlay.update(map, ctx);
    });
    return () => cancelAnimationFrame(frame);
  }, [loaded, version, props.filters, props.only, props.overlays]);

  // "Just arrived" rings fade after a minute even when nothing else changes.
  useEffect(() => {
    if (!loaded) return;
    const timer = setInterval(() => store.changed(), 30_000);
    return () => clearInterval(timer);
  }, [loaded]);

  // Layer switches.
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    for (const overlay of props.overlays) {
      const visibility = props.visible[overlay.id] === false ? 'none' : 'visible';
      for (const id of overlay.layerIds) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visibility);
    }
  }, [loaded, props.visible, props.overlays]);

  // Fit to the points of interest.
  const focusKey = JSON.stringify(props.focus ?? null);
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map || !props.focus?.length) return;
    const bounds = new maplibregl.LngLatBounds(props.focus[0], props.focus[0]);
    for (const p of props.focus) bounds.extend(p);
    map.fitBounds(bounds, { padding: 60, maxZoom: 16.5, duration: 600 });
  }, [loaded, focusKey]);

  return (
    <div className={`map-view ${props.className ?? ''}`}>
      <div ref={container} className="map-canvas" role="region" aria-label={props.label} data-loaded={loaded ? 'true' : 'false'} />
      {error && (
        <p className="map-error error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
