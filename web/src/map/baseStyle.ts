// The base map, drawn from the city's own road data (OpenStreetMap, served by /api/v1/map/roads) with
// glyphs served by Vigil itself: no tile server, no internet.
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';

export interface BaseMap {
  bounds: [number, number, number, number];
  roads: string;
  glyphs: string;
  fonts: { regular: string; bold: string };
  attribution: string;
}

const CLASS = ['get', 'highway'] as ExpressionSpecification;
const isClass = (...classes: string[]): ExpressionSpecification => ['match', CLASS, classes, true, false] as ExpressionSpecification;

const MAJOR = ['motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link'];
const SECONDARY = ['secondary', 'secondary_link', 'tertiary', 'tertiary_link'];
const MINOR = ['residential', 'unclassified', 'living_street', 'road'];

/** Road width (px) by zoom for a class: [at z13, at z18]. */
const width = (z13: number, z18: number): ExpressionSpecification => ['interpolate', ['exponential', 1.6], ['zoom'], 13, z13, 18, z18] as ExpressionSpecification;

export function baseStyle(base: BaseMap, origin = window.location.origin): StyleSpecification {
  const roadLayers: LayerSpecification[] = [
    { id: 'road-service', type: 'line', source: 'roads', filter: isClass('service'), minzoom: 14, paint: { 'line-color': '#2a3644', 'line-width': width(0.5, 5) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    { id: 'road-minor-casing', type: 'line', source: 'roads', filter: isClass(...MINOR), paint: { 'line-color': '#0b1118', 'line-width': width(1.6, 12) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    { id: 'road-minor', type: 'line', source: 'roads', filter: isClass(...MINOR), paint: { 'line-color': '#3b4a5c', 'line-width': width(0.8, 9) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    { id: 'road-secondary-casing', type: 'line', source: 'roads', filter: isClass(...SECONDARY), paint: { 'line-color': '#0b1118', 'line-width': width(2.2, 15) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    { id: 'road-secondary', type: 'line', source: 'roads', filter: isClass(...SECONDARY), paint: { 'line-color': '#5b6b7e', 'line-width': width(1.4, 12) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    { id: 'road-major-casing', type: 'line', source: 'roads', filter: isClass(...MAJOR), paint: { 'line-color': '#0b1118', 'line-width': width(3, 18) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    { id: 'road-major', type: 'line', source: 'roads', filter: isClass(...MAJOR), paint: { 'line-color': '#8c7a52', 'line-width': width(2, 15) }, layout: { 'line-cap': 'round', 'line-join': 'round' } },
    {
      id: 'road-tunnel',
      type: 'line',
      source: 'roads',
      filter: ['any', ['==', ['get', 'tunnel'], 'yes'], ['in', 'Tunnel', ['coalesce', ['get', 'name'], '']]] as ExpressionSpecification,
      paint: { 'line-color': '#10151c', 'line-width': width(1, 8), 'line-dasharray': [1, 1.5], 'line-opacity': 0.8 },
    },
    {
      id: 'road-label',
      type: 'symbol',
      source: 'roads',
      minzoom: 14.5,
      filter: ['has', 'name'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': [base.fonts.regular],
        'text-size': ['interpolate', ['linear'], ['zoom'], 15, ['match', CLASS, MAJOR, 12, 10.5], 18, ['match', CLASS, MAJOR, 16, 14]] as ExpressionSpecification,
        'text-max-angle': 35,
        'symbol-spacing': 280,
        'text-padding': 2,
      },
      paint: { 'text-color': '#d6dee8', 'text-halo-color': '#0b1118', 'text-halo-width': 1.6 },
    },
  ];
  return {
    version: 8,
    name: 'Vigil city',
    glyphs: new URL(base.glyphs.replace('{fontstack}', '__F__').replace('{range}', '__R__'), origin).href.replace('__F__', '{fontstack}').replace('__R__', '{range}'),
    sources: {
      roads: { type: 'geojson', data: new URL(base.roads, origin).href, attribution: base.attribution },
    },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#131c26' } }, ...roadLayers],
  };
}
