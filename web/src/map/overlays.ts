// The operational layers drawn over the base map. Each is one entry of OVERLAYS: it installs its sources and
// MapLibre layers once, refreshes its data from the store, and names the layers a click may select.
//
// Extension point: later capabilities add their layer here (units, routes, road closures, isochrones, the
// water network and its simulation, public warning areas), each with its own id, data and feature card
// (see components/FeatureCard.tsx). Nothing else in the map needs to change.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Severity } from '../api/types';
import { SEVERITY_COLOURS, severityRank } from '../format';
import { type Filters, alertMatches, alertPosition, assetMatches, incidentMatches, incidentPosition } from '../state/filters';
import type { CityStore } from '../state/store';
import { closuresOverlay, isochronesOverlay, routesOverlay, unitsOverlay } from '../units/overlays';
import { waterNetworkOverlay } from '../water/networkLayer';
import { hazardAreasOverlay } from '../warnings/hazardLayer';
import { iconKey } from './icons';
import { setSourceData } from './sourceData';

export interface OverlayContext {
  store: CityStore;
  filters: Filters;
  now: number;
  /** Only these record ids (a workspace's mini map), when given. */
  only?: ReadonlySet<string>;
}

export interface Overlay {
  id: string;
  label: string;
  /** Shown in the layer switcher next to the label. */
  swatch: string;
  defaultVisible: boolean;
  /** The MapLibre layers shown or hidden together. */
  layerIds: string[];
  /** The layers a click selects a feature of (properties.kind and properties.id name the record). */
  clickable: string[];
  install(map: MapLibreMap, fonts: { regular: string; bold: string }): void;
  update(map: MapLibreMap, ctx: OverlayContext): void;
}

type FC = GeoJSON.FeatureCollection;
const collection = (features: GeoJSON.Feature[]): FC => ({ type: 'FeatureCollection', features });
const point = (coordinates: [number, number], properties: Record<string, unknown>): GeoJSON.Feature => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties });

const severityColour = (property: unknown) =>
  ['match', property, 0, SEVERITY_COLOURS.info, 1, SEVERITY_COLOURS.low, 2, SEVERITY_COLOURS.medium, 3, SEVERITY_COLOURS.high, SEVERITY_COLOURS.critical] as never;

function setData(map: MapLibreMap, source: string, data: FC): void {
  setSourceData(map, source, data);
}

const sev = (s: Severity) => severityRank(s);

export const assetsOverlay: Overlay = {
  id: 'assets',
  label: 'Assets',
  swatch: '#1f8fff',
  defaultVisible: true,
  layerIds: ['assets-icon'],
  clickable: ['assets-icon'],
  install(map, fonts) {
    map.addSource('assets', { type: 'geojson', data: collection([]) });
    map.addLayer({
      id: 'assets-icon',
      type: 'symbol',
      source: 'assets',
      layout: {
        'icon-image': ['concat', 'asset-', ['get', 'icon']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.65, 16, 1],
        'icon-allow-overlap': true,
        'symbol-sort-key': ['-', 0, ['get', 'criticality']],
        'text-field': ['step', ['zoom'], '', 16, ['get', 'name']],
        'text-font': [fonts.regular],
        'text-size': 11.5,
        'text-offset': [0, 1.5],
        'text-anchor': 'top',
        'text-optional': true,
        'text-max-width': 10,
      },
      paint: { 'text-color': '#e8edf2', 'text-halo-color': '#0b1118', 'text-halo-width': 1.5 },
    });
  },
  update(map, { store, filters, only }) {
    const features: GeoJSON.Feature[] = [];
    for (const asset of store.assets.values()) {
      if (only ? !only.has(asset.id) : !assetMatches(asset, filters)) continue;
      if (asset.geometry?.type !== 'Point') continue;
      features.push({
        type: 'Feature',
        geometry: asset.geometry as GeoJSON.Point,
        properties: { kind: 'asset', id: asset.id, name: asset.name, icon: iconKey(asset.type), criticality: asset.criticality },
      });
    }
    setData(map, 'assets', collection(features));
  },
};

export const alertsOverlay: Overlay = {
  id: 'alerts',
  label: 'Alerts',
  swatch: SEVERITY_COLOURS.high,
  defaultVisible: true,
  layerIds: ['alerts-cluster', 'alerts-cluster-count', 'alerts-point', 'alerts-fresh'],
  clickable: ['alerts-cluster', 'alerts-point'],
  install(map, fonts) {
    map.addSource('alerts', {
      type: 'geojson',
      data: collection([]),
      cluster: true,
      clusterRadius: 42,
      clusterMaxZoom: 16,
      clusterProperties: { maxSev: ['max', ['get', 'sev']] },
    });
    map.addLayer({
      id: 'alerts-cluster',
      type: 'circle',
      source: 'alerts',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': severityColour(['get', 'maxSev']),
        'circle-opacity': 0.85,
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 16, 100, 20, 1000, 25],
        'circle-stroke-color': '#0b1118',
        'circle-stroke-width': 2,
      },
    });
    map.addLayer({
      id: 'alerts-cluster-count',
      type: 'symbol',
      source: 'alerts',
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': [fonts.bold], 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#0b1118' },
    });
    map.addLayer({
      id: 'alerts-fresh',
      type: 'circle',
      source: 'alerts',
      filter: ['all', ['!', ['has', 'point_count']], ['==', ['get', 'fresh'], true]],
      paint: { 'circle-radius': 16, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-stroke-opacity': 0.9 },
    });
    map.addLayer({
      id: 'alerts-point',
      type: 'circle',
      source: 'alerts',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': severityColour(['get', 'sev']),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 17, 9],
        'circle-stroke-color': '#0b1118',
        'circle-stroke-width': 2,
        'circle-translate': [10, -10],
      },
    });
  },
  update(map, { store, filters, now, only }) {
    const features: GeoJSON.Feature[] = [];
    for (const alert of store.alerts.values()) {
      if (only ? !only.has(alert.id) : !alertMatches(alert, filters, now)) continue;
      const position = alertPosition(alert, store.assets);
      if (!position) continue;
      const arrived = store.arrivedAt.get(alert.id);
      features.push(point(position, { kind: 'alert', id: alert.id, sev: sev(alert.severity), fresh: arrived !== undefined && now - arrived < 60_000 }));
    }
    setData(map, 'alerts', collection(features));
  },
};

export const incidentsOverlay: Overlay = {
  id: 'incidents',
  label: 'Incidents',
  swatch: '#ff3b6b',
  defaultVisible: true,
  layerIds: ['incidents-area', 'incidents-outline', 'incidents-point', 'incidents-label'],
  clickable: ['incidents-point', 'incidents-area'],
  install(map, fonts) {
    map.addSource('incidents', { type: 'geojson', data: collection([]) });
    map.addLayer({ id: 'incidents-area', type: 'fill', source: 'incidents', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': severityColour(['get', 'sev']), 'fill-opacity': 0.15 } });
    map.addLayer({ id: 'incidents-outline', type: 'line', source: 'incidents', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': severityColour(['get', 'sev']), 'line-width': 2, 'line-dasharray': [3, 2] } });
    map.addLayer({
      id: 'incidents-point',
      type: 'circle',
      source: 'incidents',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 12, 17, 22],
        'circle-color': severityColour(['get', 'sev']),
        'circle-opacity': 0.18,
        'circle-stroke-color': severityColour(['get', 'sev']),
        'circle-stroke-width': 3,
      },
    });
    map.addLayer({
      id: 'incidents-label',
      type: 'symbol',
      source: 'incidents',
      minzoom: 14,
      layout: { 'text-field': ['get', 'title'], 'text-font': [fonts.bold], 'text-size': 12, 'text-offset': [0, -2.2], 'text-anchor': 'bottom', 'text-max-width': 14, 'text-optional': true },
      paint: { 'text-color': '#ffffff', 'text-halo-color': '#0b1118', 'text-halo-width': 1.8 },
    });
  },
  update(map, { store, filters, now, only }) {
    const features: GeoJSON.Feature[] = [];
    for (const incident of store.incidents.values()) {
      if (only ? !only.has(incident.id) : !incidentMatches(incident, filters, now)) continue;
      const props = { kind: 'incident', id: incident.id, sev: sev(incident.severity), title: incident.title };
      if (incident.location && (incident.location.type === 'Polygon' || incident.location.type === 'MultiPolygon')) {
        features.push({ type: 'Feature', geometry: incident.location as GeoJSON.Polygon, properties: props });
      }
      const position = incidentPosition(incident, store.assets);
      if (position) features.push(point(position, props));
    }
    setData(map, 'incidents', collection(features));
  },
};

/** Every operational layer, bottom to top. Later layers are added here. */
export const OVERLAYS: Overlay[] = [waterNetworkOverlay, hazardAreasOverlay, isochronesOverlay, closuresOverlay, incidentsOverlay, routesOverlay, assetsOverlay, unitsOverlay, alertsOverlay];
