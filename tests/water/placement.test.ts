import { describe, expect, it } from 'vitest';
import {
  applyTransform, drawingBounds, fitPlacement, networkGeoJson, placementTransform, planWaterAssets, validateLayout, type Placement,
} from '../../src/water/index.js';
import { ctown, seedText } from './helpers.js';

describe('placing a network on the city', () => {
  const { network, layout } = ctown();
  const placement = JSON.parse(seedText('ctown-placement.json')) as Placement;
  const t = placementTransform(network, placement);
  const box = drawingBounds(network);

  it('puts the centre of the drawing on the chosen point and scales to metres', () => {
    const centre = applyTransform(t, (box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2);
    expect(centre[0]).toBeCloseTo(7.42, 6);
    expect(centre[1]).toBeCloseTo(43.736, 6);
    // 1000 drawing units east = 650 m = 650 / (111320 · cos 43.736°) degrees of longitude
    const east = applyTransform(t, box.minX + 1000, box.minY)[0] - applyTransform(t, box.minX, box.minY)[0];
    expect(east).toBeCloseTo(650 / (111320 * Math.cos((43.736 * Math.PI) / 180)), 7);
    const north = applyTransform(t, box.minX, box.minY + 1000)[1] - applyTransform(t, box.minX, box.minY)[1];
    expect(north).toBeCloseTo(650 / 111320, 7);
  });

  it('rotates clockwise and fits a box', () => {
    const rotated = placementTransform(network, { ...placement, rotationDegrees: 90 });
    const a = applyTransform(rotated, box.minX, box.minY);
    const b = applyTransform(rotated, box.minX + 1000, box.minY);
    expect(b[1]).toBeLessThan(a[1]); // east in the drawing points south on the map
    expect(b[0]).toBeCloseTo(a[0], 7);
    const fit = fitPlacement(network, { lon: 7.42, lat: 43.736 }, 2500);
    expect(fit.metresPerUnit * Math.max(box.maxX - box.minX, box.maxY - box.minY)).toBeCloseTo(2500, 6);
  });

  it('C-Town as GeoJSON: a point per node, a line per link, all within Monaco', () => {
    const geo = networkGeoJson(network, t);
    const points = geo.features.filter((f) => f.geometry.type === 'Point');
    const lines = geo.features.filter((f) => f.geometry.type === 'LineString');
    expect(points.length).toBe(388 + 7 + 1);
    expect(lines.length).toBe(429 + 11 + 4);
    for (const f of points) {
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(lon).toBeGreaterThan(7.40);
      expect(lon).toBeLessThan(7.44);
      expect(lat).toBeGreaterThan(43.72);
      expect(lat).toBeLessThan(43.75);
    }
    expect(geo.features.find((f) => f.id === 'T1')?.properties).toMatchObject({ kind: 'tank', maxLevel: 6.5 });
  });

  it('plans the assets an import creates, with who controls and monitors them', () => {
    const assets = planWaterAssets('ctown', network, validateLayout(layout, network), t);
    const count = (kind: string): number => assets.filter((a) => a.kind === kind).length;
    expect([count('water-pump'), count('water-valve'), count('water-tank'), count('water-reservoir'), count('plc'), count('scada-server')]).toEqual([11, 4, 7, 1, 9, 1]);
    const pu1 = assets.find((a) => a.key === 'ctown/water-pump/PU1')!;
    expect(pu1.dependsOn).toEqual([
      { key: 'ctown/plc/PLC1', relation: 'controlled-by' },
      { key: 'ctown/plc/PLC1', relation: 'monitored-by' },
    ]);
    const plc1 = assets.find((a) => a.key === 'ctown/plc/PLC1')!;
    expect(plc1.properties.controls).toBe('C1 C2 C3 C4');
    expect(plc1.dependsOn).toContainEqual({ key: 'ctown/plc/PLC2', relation: 'receives-from' });
    expect(plc1.dependsOn).toContainEqual({ key: 'ctown/scada-server/SCADA', relation: 'reports-to' });
    expect(assets.every((a) => a.geometry !== null)).toBe(true);
  });
});
