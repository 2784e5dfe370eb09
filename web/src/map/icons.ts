// Asset icons, drawn on a canvas from small vector pictograms (24×24) so the map needs no sprite server.
import type { Map as MapLibreMap } from 'maplibre-gl';

interface IconDef {
  colour: string;
  /** SVG path data in a 24×24 box, drawn in white. */
  path: string;
  label: string;
}

const WATER = '#1f8fff';
const ENERGY = '#e8a317';
const TRANSPORT = '#8e6cf0';
const HEALTH = '#e5484d';
const SECURITY = '#2f9e6e';
const IT = '#0fb5ae';

export const ASSET_ICONS: Record<string, IconDef> = {
  pump: { colour: WATER, label: 'Pump', path: 'M12 5a7 7 0 1 0 0 14a7 7 0 1 0 0-14zm0 3l4 4h-3v4h-2v-4H8z' },
  tank: { colour: WATER, label: 'Tank', path: 'M6 7c0-1.5 12-1.5 12 0v10c0 1.5-12 1.5-12 0zm2 5v4.5c1.5.8 6.5.8 8 0V12c-1.5.8-6.5.8-8 0z' },
  reservoir: { colour: WATER, label: 'Reservoir', path: 'M4 9h16v8c-3 2-13 2-16 0zm2 4c2 1 4 1 6 0s4-1 6 0v2c-2-1-4-1-6 0s-4 1-6 0z' },
  valve: { colour: WATER, label: 'Valve', path: 'M5 7l7 5-7 5zm14 0l-7 5 7 5zM11 4h2v5h-2z' },
  'treatment-plant': { colour: WATER, label: 'Treatment plant', path: 'M12 4c3 4 5 7 5 9.5a5 5 0 0 1-10 0C7 11 9 8 12 4zm-2 9.5a2 2 0 0 0 2 2v-2z' },
  'pumping-station': { colour: WATER, label: 'Pumping station', path: 'M4 10l8-5 8 5v9H4zm8 1l-3 3h2v3h2v-3h2z' },
  plc: { colour: IT, label: 'PLC', path: 'M5 6h14v12H5zm2 2v3h2V8zm4 0v3h2V8zm4 0v3h2V8zM7 14v2h10v-2z' },
  'scada-server': { colour: IT, label: 'SCADA server', path: 'M5 5h14v5H5zm0 7h14v5H5zm2-5v1h2V7zm0 7v1h2v-1zM4 19h16v1H4z' },
  'data-centre': { colour: IT, label: 'Data centre', path: 'M5 5h14v4H5zm0 5h14v4H5zm0 5h14v4H5zm2-8v1h2V7zm0 5v1h2v-1zm0 5v1h2v-1z' },
  sensor: { colour: IT, label: 'Sensor', path: 'M12 10a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM7 7l1.4 1.4a5 5 0 0 0 0 7.2L7 17a7 7 0 0 1 0-10zm10 0a7 7 0 0 1 0 10l-1.4-1.4a5 5 0 0 0 0-7.2z' },
  camera: { colour: SECURITY, label: 'Camera', path: 'M4 8h11l5-2v12l-5-2H4zm3 3v2h4v-2z' },
  substation: { colour: ENERGY, label: 'Substation', path: 'M13 3L6 13h5l-2 8 8-11h-5z' },
  transformer: { colour: ENERGY, label: 'Transformer', path: 'M13 3L6 13h5l-2 8 8-11h-5z' },
  'power-plant': { colour: ENERGY, label: 'Power plant', path: 'M5 20V10l4 3V10l4 3V6h3v14zm9-16h3v1h-3z' },
  hospital: { colour: HEALTH, label: 'Hospital', path: 'M10 5h4v5h5v4h-5v5h-4v-5H5v-4h5z' },
  station: { colour: TRANSPORT, label: 'Station', path: 'M7 4h10a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2l2 3h-2l-2-3H9l-2 3H5l2-3a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 3v4h10V7zm1 6v2h2v-2zm6 0v2h2v-2z' },
  bridge: { colour: TRANSPORT, label: 'Bridge', path: 'M3 10h18v2h-2v6h-2v-3a5 5 0 0 0-10 0v3H5v-6H3z' },
  tunnel: { colour: TRANSPORT, label: 'Tunnel', path: 'M4 20v-8a8 8 0 0 1 16 0v8h-4v-7a4 4 0 0 0-8 0v7z' },
  venue: { colour: '#d4658f', label: 'Venue', path: 'M12 4l2.4 5 5.6.6-4.2 3.8 1.2 5.6-5-2.9-5 2.9 1.2-5.6L4 9.6 9.6 9z' },
  school: { colour: '#d4658f', label: 'School', path: 'M12 5l9 4-9 4-9-4zm-5 6.5l5 2.2 5-2.2V15c-1 1.5-9 1.5-10 0z' },
  'police-station': { colour: '#3b6fd4', label: 'Police station', path: 'M12 3l7 3v5c0 4.5-3 8-7 10-4-2-7-5.5-7-10V6z' },
  'fire-station': { colour: '#e5484d', label: 'Fire station', path: 'M12 3c1 3 5 5 5 10a5 5 0 0 1-10 0c0-2 1-3.5 2-4.5.2 1.5 1 2.5 2 3 0-3 .5-6 1-8.5z' },
  generic: { colour: '#8da2b5', label: 'Other asset', path: 'M12 6a6 6 0 1 0 0 12a6 6 0 1 0 0-12z' },
};

export function iconKey(type: string): string {
  return ASSET_ICONS[type] ? type : 'generic';
}

/** A 48-px (2× pixel ratio) rounded square in the asset's colour with its white pictogram. */
function drawIcon(def: IconDef, ratio = 2): ImageData {
  const size = 28 * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  ctx.fillStyle = '#0b1118';
  ctx.beginPath();
  ctx.roundRect(0.5, 0.5, 27, 27, 7);
  ctx.fill();
  ctx.fillStyle = def.colour;
  ctx.beginPath();
  ctx.roundRect(2, 2, 24, 24, 6);
  ctx.fill();
  ctx.translate(2, 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill(new Path2D(def.path), 'evenodd');
  return ctx.getImageData(0, 0, size, size);
}

export function addAssetIcons(map: MapLibreMap): void {
  for (const [key, def] of Object.entries(ASSET_ICONS)) {
    const id = `asset-${key}`;
    if (!map.hasImage(id)) map.addImage(id, drawIcon(def), { pixelRatio: 2 });
  }
}
