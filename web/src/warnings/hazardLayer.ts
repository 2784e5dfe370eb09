// Received CAP warnings on the map: the alerts of category hazard raised by the CAP inbox carry the
// message's areas as their location; this layer draws those areas (the alerts layer marks their middle).
import type { Alert } from '../api/types';
import { SEVERITY_COLOURS } from '../format';
import type { Overlay } from '../map/overlays';
import { setSourceData } from '../map/sourceData';
import { alertMatches } from '../state/filters';

/** Is this alert one the CAP inbox raised (a warning received from another agency)? */
export const isReceivedCap = (a: Pick<Alert, 'category' | 'source'>) => a.category === 'hazard' && a.source.startsWith('cap:');

const colour = ['match', ['get', 'severity'], 'critical', SEVERITY_COLOURS.critical, 'high', SEVERITY_COLOURS.high, 'medium', SEVERITY_COLOURS.medium, 'low', SEVERITY_COLOURS.low, SEVERITY_COLOURS.info] as never;

export const hazardAreasOverlay: Overlay = {
  id: 'hazard-areas',
  label: 'Hazard areas (received CAP)',
  swatch: '#ffb020',
  defaultVisible: true,
  layerIds: ['hazard-areas-fill', 'hazard-areas-line'],
  clickable: ['hazard-areas-fill'],
  install(map) {
    map.addSource('hazard-areas', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({ id: 'hazard-areas-fill', type: 'fill', source: 'hazard-areas', paint: { 'fill-color': colour, 'fill-opacity': 0.18 } });
    map.addLayer({ id: 'hazard-areas-line', type: 'line', source: 'hazard-areas', paint: { 'line-color': colour, 'line-width': 2, 'line-dasharray': [4, 2] } });
  },
  update(map, { store, filters, now, only }) {
    const features: GeoJSON.Feature[] = [];
    for (const alert of store.alerts.values()) {
      if (!isReceivedCap(alert) || alert.status === 'dismissed') continue;
      if (only ? !only.has(alert.id) : !alertMatches(alert, filters, now)) continue;
      const g = alert.location;
      if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') continue;
      features.push({ type: 'Feature', geometry: g as GeoJSON.Polygon, properties: { kind: 'alert', id: alert.id, severity: alert.severity } });
    }
    setSourceData(map, 'hazard-areas', { type: 'FeatureCollection', features });
  },
};
