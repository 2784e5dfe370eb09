// Map layers of routing and dispatch: units (pictogram by type on a disc coloured by status, moving with
// their live positions), the route of every unit on its way, road closures, and isochrones.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Overlay } from '../map/overlays';
import { setSourceData } from '../map/sourceData';
import { roads } from './data';
import { UNIT_STATUS_COLOURS, UNIT_TYPE_ICONS, closureFeatures, draftFeatures, isochroneFeatures, routeFeatures, unitFeatures } from './shape';

const collection = (features: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features });
const EMPTY = collection([]);

function setData(map: MapLibreMap, source: string, features: GeoJSON.Feature[]): void {
  setSourceData(map, source, collection(features));
}

/** The unit pictograms, white on transparent (the disc under them carries the status colour). */
function addUnitIcons(map: MapLibreMap, ratio = 2): void {
  for (const [key, def] of Object.entries(UNIT_TYPE_ICONS)) {
    const id = `unit-${key}`;
    if (map.hasImage(id)) continue;
    const size = 24 * ratio;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(ratio * 0.75, ratio * 0.75);
    ctx.translate(4, 4);
    ctx.fillStyle = '#ffffff';
    ctx.fill(new Path2D(def.path), 'evenodd');
    map.addImage(id, ctx.getImageData(0, 0, size, size), { pixelRatio: ratio });
  }
}

export const unitsOverlay: Overlay = {
  id: 'units',
  label: 'Units',
  swatch: UNIT_STATUS_COLOURS.available!,
  defaultVisible: true,
  layerIds: ['units-disc', 'units-icon'],
  clickable: ['units-disc'],
  install(map, fonts) {
    addUnitIcons(map);
    map.addSource('units', { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'units-disc',
      type: 'circle',
      source: 'units',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 8, 17, 13],
        'circle-color': ['get', 'colour'],
        'circle-stroke-color': '#0b1118',
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'units-icon',
      type: 'symbol',
      source: 'units',
      layout: {
        'icon-image': ['concat', 'unit-', ['get', 'icon']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 17, 0.95],
        'icon-allow-overlap': true,
        'text-field': ['step', ['zoom'], '', 15, ['get', 'name']],
        'text-font': [fonts.bold],
        'text-size': 11,
        'text-offset': [0, 1.4],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#ffffff', 'text-halo-color': '#0b1118', 'text-halo-width': 1.5 },
    });
    void roads.ensureLoaded();
  },
  update(map, { only }) {
    setData(map, 'units', unitFeatures(roads.units.values(), only));
  },
};

export const routesOverlay: Overlay = {
  id: 'unit-routes',
  label: 'Routes',
  swatch: UNIT_STATUS_COLOURS.dispatched!,
  defaultVisible: true,
  layerIds: ['unit-routes-casing', 'unit-routes-line', 'unit-routes-label'],
  clickable: ['unit-routes-line'],
  install(map, fonts) {
    map.addSource('unit-routes', { type: 'geojson', data: EMPTY });
    map.addLayer({ id: 'unit-routes-casing', type: 'line', source: 'unit-routes', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#0b1118', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 5, 17, 10], 'line-opacity': 0.8 } });
    map.addLayer({ id: 'unit-routes-line', type: 'line', source: 'unit-routes', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['get', 'colour'], 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 3, 17, 6] } });
    map.addLayer({
      id: 'unit-routes-label',
      type: 'symbol',
      source: 'unit-routes',
      minzoom: 14,
      layout: { 'symbol-placement': 'line', 'text-field': ['concat', ['get', 'name'], ' · ', ['get', 'eta']], 'text-font': [fonts.bold], 'text-size': 11, 'text-optional': true },
      paint: { 'text-color': '#ffffff', 'text-halo-color': '#0b1118', 'text-halo-width': 1.5 },
    });
    void roads.ensureLoaded();
  },
  update(map, { only }) {
    setData(map, 'unit-routes', routeFeatures(roads.units.values(), only ? { only } : {}));
  },
};

export const closuresOverlay: Overlay = {
  id: 'closures',
  label: 'Closures',
  swatch: '#ff4d4f',
  defaultVisible: true,
  layerIds: ['closures-area', 'closures-outline', 'closures-line', 'closures-point', 'closures-draft-shape', 'closures-draft-area', 'closures-draft-point'],
  clickable: ['closures-area', 'closures-line', 'closures-point'],
  install(map) {
    map.addSource('closures', { type: 'geojson', data: EMPTY });
    map.addSource('closures-draft', { type: 'geojson', data: EMPTY });
    const polygon = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false] as never;
    const line = ['match', ['geometry-type'], ['LineString', 'MultiLineString'], true, false] as never;
    const scheduled = ['==', ['get', 'status'], 'scheduled'] as never;
    map.addLayer({ id: 'closures-area', type: 'fill', source: 'closures', filter: polygon, paint: { 'fill-color': '#ff4d4f', 'fill-opacity': ['case', scheduled, 0.08, 0.22] as never } });
    map.addLayer({ id: 'closures-outline', type: 'line', source: 'closures', filter: polygon, paint: { 'line-color': '#ff4d4f', 'line-width': 2, 'line-dasharray': [2, 1.5] } });
    map.addLayer({ id: 'closures-line', type: 'line', source: 'closures', filter: line, layout: { 'line-cap': 'round' }, paint: { 'line-color': '#ff4d4f', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 4, 17, 9], 'line-opacity': ['case', scheduled, 0.45, 0.95] as never, 'line-dasharray': [1, 0.6] } });
    map.addLayer({ id: 'closures-point', type: 'circle', source: 'closures', filter: ['==', ['geometry-type'], 'Point'] as never, paint: { 'circle-radius': 8, 'circle-color': '#ff4d4f', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
    map.addLayer({ id: 'closures-draft-area', type: 'fill', source: 'closures-draft', filter: ['==', ['geometry-type'], 'Polygon'] as never, paint: { 'fill-color': '#ffd166', 'fill-opacity': 0.2 } });
    map.addLayer({ id: 'closures-draft-shape', type: 'line', source: 'closures-draft', filter: ['!=', ['geometry-type'], 'Point'] as never, paint: { 'line-color': '#ffd166', 'line-width': 3, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'closures-draft-point', type: 'circle', source: 'closures-draft', filter: ['==', ['geometry-type'], 'Point'] as never, paint: { 'circle-radius': 5, 'circle-color': '#ffd166', 'circle-stroke-color': '#0b1118', 'circle-stroke-width': 2 } });
    void roads.ensureLoaded();
  },
  update(map, { now, only }) {
    const closures = only ? [...roads.closures.values()].filter((c) => only.has(c.id) || (c.incidentId !== null && only.has(c.incidentId))) : roads.closures.values();
    setData(map, 'closures', closureFeatures(closures, now));
    setData(map, 'closures-draft', roads.tool === 'closure' && !only ? draftFeatures(roads.draft.mode, roads.draft.vertices) : []);
  },
};

export const isochronesOverlay: Overlay = {
  id: 'isochrones',
  label: 'Isochrones',
  swatch: '#e8c547',
  defaultVisible: true,
  layerIds: ['isochrones-fill', 'isochrones-outline', 'isochrones-label'],
  clickable: [],
  install(map, fonts) {
    map.addSource('isochrones', { type: 'geojson', data: EMPTY });
    map.addLayer({ id: 'isochrones-fill', type: 'fill', source: 'isochrones', paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.18 } });
    map.addLayer({ id: 'isochrones-outline', type: 'line', source: 'isochrones', paint: { 'line-color': ['get', 'colour'], 'line-width': 2 } });
    map.addLayer({
      id: 'isochrones-label',
      type: 'symbol',
      source: 'isochrones',
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'label'], 'text-font': [fonts.bold], 'text-size': 11, 'symbol-spacing': 400 },
      paint: { 'text-color': ['get', 'colour'], 'text-halo-color': '#0b1118', 'text-halo-width': 1.5 },
    });
  },
  update(map, { only }) {
    setData(map, 'isochrones', only ? [] : isochroneFeatures(roads.isochrones));
  },
};

/** The routing layers, bottom to top, for the operations map. */
export const ROAD_OVERLAYS: Overlay[] = [isochronesOverlay, closuresOverlay, routesOverlay, unitsOverlay];
