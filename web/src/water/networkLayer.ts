// The water network as an operational layer: pipes, pumps, valves, junctions, tanks and sources of the
// networks the user may see, styled by type. With a run's animation, each node takes the colour of its
// state in the chosen view and each pipe the state of its worse end (feature state, so a frame costs no
// re-tiling). One overlay per map: the operations map has one, the run page its own.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Overlay } from '../map/overlays';
import { loadNetworkMap, loadNetworks, water } from './data';
import { type FrameView, colourExpression, frameState } from './frames';
import { WaterMapState } from './mapState';
import { type LayerData, layerFeatures, linkEnds, nodeKeys, nodePosition } from './networkFeatures';
import type { NetworkMap } from './types';

export const TYPE_COLOURS = {
  pipe: '#2f8fd8',
  junction: '#8fcfff',
  // Equipment keeps colours no state uses, so a pump never reads as "low pressure".
  pump: '#f2f2f2',
  valve: '#8fe08f',
  tank: '#1fc7b6',
  reservoir: '#1f6fd1',
} as const;

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const ek = (kind: string) => ['==', ['get', 'ek'], kind];
const animated = ['!=', ['coalesce', ['feature-state', 'v'], -1], -1];

/** Colour layers that show a state, with the colour each has without one. */
const STATE_LAYERS: Array<{ layer: string; property: 'line-color' | 'circle-color'; fallback: string; tanks?: boolean }> = [
  { layer: 'water-pipes', property: 'line-color', fallback: TYPE_COLOURS.pipe },
  { layer: 'water-junctions', property: 'circle-color', fallback: TYPE_COLOURS.junction },
  { layer: 'water-tanks', property: 'circle-color', fallback: TYPE_COLOURS.tank, tanks: true },
];

function installLayers(map: MapLibreMap, fonts: { regular: string; bold: string }, view: FrameView): void {
  map.addSource('water-links', { type: 'geojson', data: EMPTY, promoteId: 'id' });
  map.addSource('water-nodes', { type: 'geojson', data: EMPTY, promoteId: 'id' });
  map.addSource('water-highlights', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: 'water-pipes',
    type: 'line',
    source: 'water-links',
    filter: ek('pipe') as never,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': colourExpression(view, TYPE_COLOURS.pipe) as never,
      // Wider mains read wider; a state makes the pipe stand out over the streets.
      'line-width': ['interpolate', ['linear'], ['zoom'], 12, ['case', animated, 2.2, ['interpolate', ['linear'], ['get', 'd'], 50, 0.8, 600, 2.2]], 16, ['case', animated, 6, ['interpolate', ['linear'], ['get', 'd'], 50, 2, 600, 6]]] as never,
      'line-opacity': 0.92,
    },
  });
  for (const kind of ['pump', 'valve'] as const) {
    map.addLayer({
      id: `water-${kind}s-line`,
      type: 'line',
      source: 'water-links',
      filter: ek(kind) as never,
      paint: { 'line-color': TYPE_COLOURS[kind], 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 16, 6] as never },
    });
  }
  map.addLayer({
    id: 'water-junctions',
    type: 'circle',
    source: 'water-nodes',
    filter: ek('junction') as never,
    paint: {
      'circle-color': colourExpression(view, TYPE_COLOURS.junction) as never,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, ['case', animated, 2.2, 1], 16, ['case', animated, 6, 3.5]] as never,
      'circle-stroke-color': '#0b1118',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 13, 0, 15, 1] as never,
    },
  });
  for (const kind of ['pump', 'valve'] as const) {
    map.addLayer({
      id: `water-${kind}s`,
      type: 'circle',
      source: 'water-nodes',
      filter: ek(kind) as never,
      paint: {
        'circle-color': TYPE_COLOURS[kind],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3.5, 16, 7] as never,
        'circle-stroke-color': '#0b1118',
        'circle-stroke-width': 1.5,
      },
    });
  }
  for (const kind of ['reservoir', 'tank'] as const) {
    map.addLayer({
      id: `water-${kind}s`,
      type: 'circle',
      source: 'water-nodes',
      filter: ek(kind) as never,
      paint: {
        'circle-color': kind === 'tank' ? (colourExpression(view, TYPE_COLOURS.tank, true) as never) : TYPE_COLOURS.reservoir,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 16, 11] as never,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
  }
  map.addLayer({
    id: 'water-highlight-ring',
    type: 'circle',
    source: 'water-highlights',
    paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
  });
  map.addLayer({
    id: 'water-labels',
    type: 'symbol',
    source: 'water-nodes',
    minzoom: 14.2,
    filter: ['in', ['get', 'ek'], ['literal', ['tank', 'reservoir', 'pump', 'valve']]] as never,
    layout: { 'text-field': ['get', 'eid'], 'text-font': [fonts.bold], 'text-size': 11, 'text-offset': [0, 1.3], 'text-anchor': 'top', 'text-optional': true },
    paint: { 'text-color': '#d6f0ff', 'text-halo-color': '#0b1118', 'text-halo-width': 1.6 },
  });
  map.addLayer({
    id: 'water-highlight-label',
    type: 'symbol',
    source: 'water-highlights',
    layout: { 'text-field': ['get', 'label'], 'text-font': [fonts.bold], 'text-size': 12.5, 'text-offset': [0, -1.6], 'text-anchor': 'bottom', 'text-allow-overlap': true },
    paint: { 'text-color': '#ffffff', 'text-halo-color': '#0b1118', 'text-halo-width': 2 },
  });
}

const LAYER_IDS = ['water-pipes', 'water-pumps-line', 'water-valves-line', 'water-junctions', 'water-pumps', 'water-valves', 'water-reservoirs', 'water-tanks', 'water-highlight-ring', 'water-labels', 'water-highlight-label'];

/** One map's water layer: its networks, their features, and what the animation last drew. */
class Drawing {
  private maps = new Map<string, NetworkMap>();
  private owners = new Map<string, string>();
  private owner = '';
  private lastAnimation: { nodes: string[]; links: string[] } | null = null;
  private ends: { nodes: string[]; map: NetworkMap; links: ReturnType<typeof linkEnds>; keys: string[] } | null = null;
  private view: FrameView | null = null;
  private loading = 0;

  constructor(
    private readonly map: MapLibreMap,
    private readonly state: WaterMapState,
  ) {}

  async load(): Promise<void> {
    const ticket = ++this.loading;
    try {
      const wanted = this.state.networks ?? (await loadNetworks()).map((n) => ({ id: n.id, owner: n.ownerOrgId }));
      const read = await Promise.all(wanted.map(async (w) => ({ owner: 'owner' in w ? w.owner : '', map: await loadNetworkMap(w.id, 'version' in w ? w.version : undefined) })));
      if (ticket !== this.loading) return;
      this.maps = new Map(read.map((r) => [r.map.network.id, r.map]));
      this.owners = new Map(read.map((r) => [r.map.network.id, r.owner]));
      this.draw();
    } catch {
      // A network the user may no longer see (or no placement) is simply not drawn; the pages say why.
    }
  }

  setOwnerFilter(owner: string): void {
    if (owner === this.owner) return;
    this.owner = owner;
    this.draw();
  }

  draw(): void {
    if (!this.map.getSource('water-links')) return;
    const data: LayerData = { links: { ...EMPTY, features: [] }, nodes: { ...EMPTY, features: [] } };
    for (const [id, m] of this.maps) {
      if (this.owner && this.owners.get(id) && this.owners.get(id) !== this.owner) continue;
      const f = layerFeatures(m);
      data.links.features.push(...f.links.features);
      data.nodes.features.push(...f.nodes.features);
    }
    (this.map.getSource('water-links') as GeoJSONSource).setData(data.links);
    (this.map.getSource('water-nodes') as GeoJSONSource).setData(data.nodes);
    this.drawHighlights();
    this.animate();
  }

  drawHighlights(): void {
    const features: GeoJSON.Feature[] = [];
    for (const h of this.state.highlights) {
      const m = this.maps.get(h.networkId);
      const at = m && nodePosition(m, h.node);
      if (at) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { label: h.label } });
    }
    (this.map.getSource('water-highlights') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }

  /** Sets the state of every node and link for the current frame, or clears it. */
  animate(): void {
    const a = this.state.animation;
    const m = a && this.maps.get(a.networkId);
    if (!a || !a.frame || !m) {
      if (this.lastAnimation) {
        this.map.removeFeatureState({ source: 'water-nodes' });
        this.map.removeFeatureState({ source: 'water-links' });
        this.lastAnimation = null;
      }
      return;
    }
    if (this.view !== a.view) {
      this.view = a.view;
      for (const s of STATE_LAYERS) if (this.map.getLayer(s.layer)) this.map.setPaintProperty(s.layer, s.property, colourExpression(a.view, s.fallback, s.tanks) as never);
    }
    // The same run plays many frames: its links' ends and node keys are worked out once.
    if (!this.ends || this.ends.nodes !== a.nodes || this.ends.map !== m) this.ends = { nodes: a.nodes, map: m, links: linkEnds(m, a.nodes), keys: nodeKeys(a.networkId, a.nodes, a.kinds) };
    const { links, keys } = this.ends;
    const state = frameState(a.frame, a.view, a.kinds, links.map((l) => l.ends));
    keys.forEach((key, i) => this.map.setFeatureState({ source: 'water-nodes', id: key }, { v: state.nodes[i] }));
    links.forEach((l, i) => {
      const v = state.links[i]!;
      this.map.setFeatureState({ source: 'water-links', id: l.key }, { v });
      if (l.kind !== 'pipe') this.map.setFeatureState({ source: 'water-nodes', id: l.key }, { v });
    });
    this.lastAnimation = { nodes: keys, links: links.map((l) => l.key) };
  }
}

export interface WaterOverlayOptions {
  id?: string;
  label?: string;
  defaultVisible?: boolean;
  /** What this map shows; the operations map draws every visible network. */
  state?: WaterMapState;
}

/** A water layer for one map (the operations map, or a run's map with its own state). */
export function createWaterOverlay(options: WaterOverlayOptions = {}): Overlay & { state: WaterMapState } {
  const state = options.state ?? new WaterMapState();
  const initialView: FrameView = state.animation?.view ?? 'pressure';
  return {
    id: options.id ?? 'water',
    label: options.label ?? 'Water network',
    swatch: TYPE_COLOURS.pipe,
    defaultVisible: options.defaultVisible ?? false,
    layerIds: LAYER_IDS,
    clickable: ['water-tanks', 'water-reservoirs', 'water-pumps', 'water-valves', 'water-junctions', 'water-pumps-line', 'water-valves-line', 'water-pipes'],
    state,
    install(map, fonts) {
      installLayers(map, fonts, initialView);
      const drawing = new Drawing(map, state);
      drawnOn.set(map, drawing);
      void drawing.load();
      let records = water.recordsVersion;
      const offWater = water.subscribe(() => {
        if (water.recordsVersion === records) return;
        records = water.recordsVersion;
        void drawing.load();
      });
      let networks = state.networks;
      const offState = state.subscribe(() => {
        if (state.networks !== networks) {
          networks = state.networks;
          void drawing.load();
        }
        drawing.drawHighlights();
        drawing.animate();
      });
      map.on('remove', () => {
        offWater();
        offState();
      });
    },
    update(map, ctx) {
      // The organisation filter of the operations map applies to networks as to every other record.
      drawnOn.get(map)?.setOwnerFilter(ctx.only ? '' : ctx.filters.owner);
    },
  };
}

const drawnOn = new WeakMap<MapLibreMap, Drawing>();

/** The layer of the operations map: every network the user may see, off until switched on. */
export const waterNetworkOverlay = createWaterOverlay();
