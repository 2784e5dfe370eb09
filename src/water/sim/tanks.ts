import { flowUnitInVolumePerSecond, isMetric, type Tank, type WaterNetwork } from '../network/model.js';

/** Tank geometry as EPANET uses it to time tank events: volume at a level, and time to reach a level. */
export class TankGeometry {
  private readonly area: number;
  private readonly curve?: Array<[number, number]>;

  constructor(
    readonly tank: Tank,
    network: WaterNetwork,
  ) {
    this.area = (Math.PI * tank.diameter * tank.diameter) / 4;
    const curve = tank.volumeCurve ? network.curves.find((c) => c.id === tank.volumeCurve) : undefined;
    if (curve) this.curve = curve.points;
  }

  /** Stored volume at a water level above the tank bottom (m³ or ft³). */
  volumeAt(level: number): number {
    if (!this.curve) return this.tank.minVolume + (level - this.tank.minLevel) * this.area;
    return interpolate(this.curve, level);
  }

  /** Level change of one second of flow q (in volume per second) — EPANET's control tolerance. */
  levelOf(volume: number): number {
    if (!this.curve) return this.tank.minLevel + (volume - this.tank.minVolume) / this.area;
    const inverse = this.curve.map(([x, y]) => [y, x] as [number, number]);
    return interpolate(inverse, volume);
  }
}

/** EPANET's interpolation: linear inside the curve, flat beyond its ends. */
function interpolate(points: Array<[number, number]>, x: number): number {
  const first = points[0];
  if (!first || x <= first[0]) return first?.[1] ?? 0;
  for (let k = 1; k < points.length; k++) {
    const [x1, y1] = points[k]!;
    if (x1 >= x) {
      const [x0, y0] = points[k - 1]!;
      const dx = x1 - x0;
      return Math.abs(dx) < 1e-6 ? y1 : y1 - ((x1 - x) * (y1 - y0)) / dx;
    }
  }
  return points[points.length - 1]![1];
}

/** EPANET's ROUND. */
export function roundSeconds(x: number): number {
  return x >= 0 ? Math.trunc(x + 0.5) : Math.trunc(x - 0.5);
}

/** Net flow below which EPANET treats a tank as still (QZERO = 1e-6 cfs), in the network's volume per second. */
export function stillFlow(network: WaterNetwork): number {
  return isMetric(network.options.flowUnits) ? 1e-6 * 0.0283168466 : 1e-6;
}

export function volumePerSecond(network: WaterNetwork, flow: number): number {
  return flow * flowUnitInVolumePerSecond(network.options.flowUnits);
}

/**
 * Seconds until a tank at `level`, with net inflow `inflow` (volume per second), reaches `target`, if it
 * is moving towards it; undefined otherwise. Rounded as EPANET does.
 */
export function secondsToLevel(geometry: TankGeometry, level: number, inflow: number, target: number, stillBelow: number): number | undefined {
  if (Math.abs(inflow) <= stillBelow) return undefined;
  const rising = inflow > 0;
  if ((rising && level >= target) || (!rising && level <= target)) return undefined;
  const t = roundSeconds((geometry.volumeAt(target) - geometry.volumeAt(level)) / inflow);
  return t > 0 ? t : undefined;
}
