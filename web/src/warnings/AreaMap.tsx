// Warning areas on the city's base map: drawn (a circle: click its centre, then its edge; a polygon: click
// its corners, then "Finish") or shown as published. Keyboard users add a circle at the map's centre and
// edit every number in the list under the map.
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../api/client';
import { baseStyle } from '../map/baseStyle';
import { loadBaseMap } from '../map/MapView';
import { cornersOf, distanceMeters } from './geo';

export type DrawMode = 'none' | 'circle' | 'polygon';

export interface AreaMapProps {
  /** Polygons to show (the areas, as GeoJSON). */
  features: GeoJSON.Feature[];
  /** The incident's place, for reference. */
  reference?: GeoJSON.Geometry | null;
  mode?: DrawMode;
  /** A circle was drawn: centre [lon, lat] and radius in metres. */
  onCircle?: (center: [number, number], radiusMeters: number) => void;
  /** A polygon was drawn: its corners [lon, lat]. */
  onPolygon?: (ring: Array<[number, number]>) => void;
  /** Called with the map's centre, for "add a circle here" without a pointer. */
  centreRef?: { current: (() => [number, number]) | null };
  label: string;
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const collection = (features: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features });

export function AreaMap(props: AreaMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Array<[number, number]>>([]);
  const [pointer, setPointer] = useState<[number, number] | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  useEffect(() => {
    let map: MapLibreMap | null = null;
    let cancelled = false;
    loadBaseMap()
      .then((base) => {
        if (cancelled || !container.current) return;
        map = new maplibregl.Map({ container: container.current, style: baseStyle(base), bounds: [7.405, 43.723, 7.44, 43.752], minZoom: 11, maxZoom: 19, dragRotate: false, pitchWithRotate: false, fadeDuration: 0, doubleClickZoom: false });
        mapRef.current = map;
        map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
        map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
        map.on('load', () => {
          map!.addSource('warning-reference', { type: 'geojson', data: empty });
          map!.addSource('warning-areas', { type: 'geojson', data: empty });
          map!.addSource('warning-drawing', { type: 'geojson', data: empty });
          map!.addLayer({ id: 'warning-reference-fill', type: 'fill', source: 'warning-reference', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#ff3b6b', 'fill-opacity': 0.1 } });
          map!.addLayer({ id: 'warning-reference-point', type: 'circle', source: 'warning-reference', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 7, 'circle-color': '#ff3b6b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
          map!.addLayer({ id: 'warning-areas-fill', type: 'fill', source: 'warning-areas', paint: { 'fill-color': '#ffb020', 'fill-opacity': 0.25 } });
          map!.addLayer({ id: 'warning-areas-line', type: 'line', source: 'warning-areas', paint: { 'line-color': '#ffb020', 'line-width': 2.5 } });
          map!.addLayer({ id: 'warning-areas-label', type: 'symbol', source: 'warning-areas', layout: { 'text-field': ['get', 'label'], 'text-font': [base.fonts.bold], 'text-size': 12 }, paint: { 'text-color': '#fff', 'text-halo-color': '#0b1118', 'text-halo-width': 1.6 } });
          map!.addLayer({ id: 'warning-drawing-line', type: 'line', source: 'warning-drawing', paint: { 'line-color': '#7fd1ff', 'line-width': 2, 'line-dasharray': [2, 1] } });
          map!.addLayer({ id: 'warning-drawing-point', type: 'circle', source: 'warning-drawing', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#7fd1ff', 'circle-stroke-color': '#0b1118', 'circle-stroke-width': 2 } });
          setLoaded(true);
        });
        map.on('click', (event) => {
          const p: [number, number] = [event.lngLat.lng, event.lngLat.lat];
          const { mode, onCircle } = latest.current;
          const current = pendingRef.current;
          if (mode === 'circle') {
            if (current.length === 0) setPending([p]);
            else {
              onCircle?.(current[0]!, distanceMeters(current[0]!, p));
              setPending([]);
            }
          } else if (mode === 'polygon') {
            setPending([...current, p]);
          }
        });
        map.on('mousemove', (event) => setPointer([event.lngLat.lng, event.lngLat.lat]));
        (window as unknown as { __vigilAreaMap?: MapLibreMap }).__vigilAreaMap = map;
      })
      .catch((e) => setError(`The base map could not be loaded: ${errorText(e)}`));
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
      delete (window as unknown as { __vigilAreaMap?: MapLibreMap }).__vigilAreaMap;
    };
  }, []);

  useEffect(() => {
    if (props.centreRef) props.centreRef.current = () => {
      const c = mapRef.current?.getCenter();
      return c ? [c.lng, c.lat] : [7.4246, 43.7384];
    };
  }, [props.centreRef]);

  // A new mode starts a new drawing.
  useEffect(() => setPending([]), [props.mode]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('warning-areas') as GeoJSONSource).setData(collection(props.features));
    const reference = props.reference ? [{ type: 'Feature' as const, geometry: props.reference, properties: {} }] : [];
    (map.getSource('warning-reference') as GeoJSONSource).setData(collection(reference));
  }, [loaded, props.features, props.reference]);

  // Fit the view to the areas when their number changes (a new area, or the page opened).
  const fitKey = props.features.length + (props.reference ? 1 : 0);
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const corners = cornersOf(props.features);
    if (props.reference?.type === 'Point') corners.push(props.reference.coordinates as [number, number]);
    if (!corners.length) return;
    const bounds = new maplibregl.LngLatBounds(corners[0], corners[0]);
    for (const c of corners) bounds.extend(c);
    map.fitBounds(bounds, { padding: 60, maxZoom: 16, duration: 0 });
  }, [loaded, fitKey]);

  // What is being drawn: the corners so far and a line to the pointer.
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const features: GeoJSON.Feature[] = pending.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
    if (pending.length && pointer) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [...pending, pointer] }, properties: {} });
    (map.getSource('warning-drawing') as GeoJSONSource).setData(collection(features));
  }, [loaded, pending, pointer]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setPending([]);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const mode = props.mode ?? 'none';
  const hint =
    mode === 'circle'
      ? pending.length === 0 ? 'Click the centre of the circle.' : pointer ? `Click its edge: radius ${Math.round(distanceMeters(pending[0]!, pointer))} m (Escape to start again).` : 'Click its edge.'
      : mode === 'polygon'
        ? `Click each corner (${pending.length} so far), then Finish. Escape starts again.`
        : null;
  return (
    <div className="area-map">
      <div ref={container} className="area-map-canvas" role="region" aria-label={props.label} data-loaded={loaded ? 'true' : 'false'} data-drawing={mode} />
      {hint && (
        <p className="draw-hint" role="status" data-testid="draw-hint">
          {hint}{' '}
          {mode === 'polygon' && (
            <button type="button" disabled={pending.length < 3} onClick={() => { props.onPolygon?.(pending); setPending([]); }}>
              Finish polygon
            </button>
          )}
        </p>
      )}
      {error && <p className="map-error error" role="alert">{error}</p>}
    </div>
  );
}
