// The network's GeoJSON as the map layer's sources: keys unique across networks and kinds, a marker in the
// middle of each pump and valve, and the ends of each link found in a run's frame.
import { describe, expect, it } from 'vitest';
import { boundsOf, elementKey, layerFeatures, linkEnds, nodeKeys, parseElementKey } from '../../web/src/water/networkFeatures.js';
import { elementRows } from '../../web/src/water/describe.js';
import type { NetworkMap } from '../../web/src/water/types.js';

const map: NetworkMap = {
  type: 'FeatureCollection',
  bbox: [7.40, 43.72, 7.44, 43.75],
  network: { id: 'net-1', name: 'town', version: 2 },
  features: [
    { type: 'Feature', id: 'J1', geometry: { type: 'Point', coordinates: [7.41, 43.73] }, properties: { id: 'J1', kind: 'junction', elevation: 10, baseDemand: 1.5, assetId: null } },
    { type: 'Feature', id: 'T1', geometry: { type: 'Point', coordinates: [7.43, 43.73] }, properties: { id: 'T1', kind: 'tank', elevation: 50, minLevel: 0, maxLevel: 6.5, diameter: 12, assetId: 'asset-t1' } },
    // A pipe and a pump may share an id with a node: keys keep them apart.
    { type: 'Feature', id: 'T1', geometry: { type: 'LineString', coordinates: [[7.41, 43.73], [7.42, 43.73], [7.43, 43.73]] }, properties: { id: 'T1', kind: 'pipe', from: 'J1', to: 'T1', diameter: 300, length: 1200, status: 'OPEN', assetId: null } },
    { type: 'Feature', id: 'PU1', geometry: { type: 'LineString', coordinates: [[7.41, 43.73], [7.41, 43.74]] }, properties: { id: 'PU1', kind: 'pump', from: 'R1', to: 'J1', headCurve: '1', assetId: 'asset-pu1' } },
  ],
};

describe('the water layer', () => {
  it('splits the network into lines and points keyed by network, kind and id', () => {
    const { links, nodes } = layerFeatures(map);
    expect(links.features.map((f) => f.properties!.id)).toEqual(['net-1/pipe/T1', 'net-1/pump/PU1']);
    expect(nodes.features.map((f) => f.properties!.id)).toEqual(['net-1/junction/J1', 'net-1/tank/T1', 'net-1/pump/PU1']);
    expect(nodes.features[0]!.properties).toMatchObject({ kind: 'water-element', ek: 'junction', eid: 'J1', net: 'net-1' });
    expect(links.features[0]!.properties!.d).toBe(300);
    // The pump's marker sits half way along it.
    const marker = nodes.features[2]!.geometry as GeoJSON.Point;
    expect(marker.coordinates[0]).toBeCloseTo(7.41, 9);
    expect(marker.coordinates[1]).toBeCloseTo(43.735, 9);
    expect(parseElementKey(elementKey('net-1', 'pipe', 'P/1'))).toEqual({ networkId: 'net-1', kind: 'pipe', id: 'P/1' });
    expect(parseElementKey('nonsense')).toBeNull();
    expect(boundsOf(map)).toEqual([[7.40, 43.72], [7.44, 43.75]]);
  });

  it('finds the ends of each link in the frame order; ends not in the frame are -1', () => {
    const frameNodes = ['J1', 'J1_break', 'R1', 'T1'];
    expect(linkEnds(map, frameNodes)).toEqual([
      { key: 'net-1/pipe/T1', kind: 'pipe', ends: [0, 3] },
      { key: 'net-1/pump/PU1', kind: 'pump', ends: [2, 0] },
    ]);
    expect(nodeKeys('net-1', frameNodes, ['junction', 'junction', 'reservoir', 'tank'])).toEqual(['net-1/junction/J1', 'net-1/junction/J1_break', 'net-1/reservoir/R1', 'net-1/tank/T1']);
  });

  it("shows an element's properties in the network's units", () => {
    expect(elementRows(map.features[1]!.properties)).toEqual([['Elevation', '50 m'], ['Level range', '0 m – 6.5 m'], ['Diameter', '12 m']]);
    expect(elementRows(map.features[2]!.properties)).toEqual([['From → to', 'J1 → T1'], ['Diameter', '300 mm'], ['Length', '1200 m'], ['Status', 'open']]);
    expect(elementRows(map.features[0]!.properties, false)[1]).toEqual(['Base demand', '1.5 gpm']);
  });
});
