import { closestOnSegment, LocalProjection, metresBetween } from './geometry.js';
import type { RoadNetwork } from './road-network.js';

/**
 * A uniform grid over the road geometry (each piece = two consecutive geometry points of a segment) for
 * snapping and for finding the roads inside a closure area. Cells are square in a local metric projection.
 */
export interface RoadPosition {
  segment: number;
  /** Share of the segment's length from its `from` node (0..1). */
  fraction: number;
  lon: number;
  lat: number;
  /** Distance in metres from the asked point to the road. */
  distanceM: number;
}

export class RoadIndex {
  readonly projection: LocalProjection;
  private readonly cellSize: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  /** Piece ids: the geometry index of the piece's first point. */
  private readonly cellPieces: Int32Array;
  private readonly pointSegment: Int32Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;

  constructor(private readonly network: RoadNetwork) {
    const { geometryLon, geometryLat, geometryStart, segmentCount } = network;
    const points = geometryLon.length;
    let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
    for (let i = 0; i < points; i++) {
      minLon = Math.min(minLon, geometryLon[i]!);
      maxLon = Math.max(maxLon, geometryLon[i]!);
      minLat = Math.min(minLat, geometryLat[i]!);
      maxLat = Math.max(maxLat, geometryLat[i]!);
    }
    if (points === 0) minLon = maxLon = minLat = maxLat = 0;
    this.projection = new LocalProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);
    this.x = new Float64Array(points);
    this.y = new Float64Array(points);
    for (let i = 0; i < points; i++) {
      this.x[i] = this.projection.x(geometryLon[i]!);
      this.y[i] = this.projection.y(geometryLat[i]!);
    }
    this.pointSegment = new Int32Array(points).fill(-1);
    for (let s = 0; s < segmentCount; s++) for (let i = geometryStart[s]!; i < geometryStart[s + 1]! - 1; i++) this.pointSegment[i] = s;
    this.minX = this.projection.x(minLon);
    this.minY = this.projection.y(minLat);
    const width = Math.max(1, this.projection.x(maxLon) - this.minX);
    const height = Math.max(1, this.projection.y(maxLat) - this.minY);
    // About four pieces per cell on average, never finer than 25 m.
    this.cellSize = Math.max(25, Math.sqrt((width * height) / Math.max(1, points / 4)));
    this.columns = Math.floor(width / this.cellSize) + 1;
    this.rows = Math.floor(height / this.cellSize) + 1;
    const counts = new Int32Array(this.columns * this.rows + 1);
    this.forEachPieceCell((cell) => counts[cell + 1]!++);
    for (let c = 0; c < this.columns * this.rows; c++) counts[c + 1]! += counts[c]!;
    this.cellStart = counts;
    this.cellPieces = new Int32Array(counts[this.columns * this.rows]!);
    const fill = counts.slice(0, this.columns * this.rows);
    this.forEachPieceCell((cell, piece) => (this.cellPieces[fill[cell]!++] = piece));
  }

  private forEachPieceCell(visit: (cell: number, piece: number) => void): void {
    for (let p = 0; p < this.pointSegment.length; p++) {
      if (this.pointSegment[p]! < 0) continue;
      const c0 = this.column(Math.min(this.x[p]!, this.x[p + 1]!));
      const c1 = this.column(Math.max(this.x[p]!, this.x[p + 1]!));
      const r0 = this.row(Math.min(this.y[p]!, this.y[p + 1]!));
      const r1 = this.row(Math.max(this.y[p]!, this.y[p + 1]!));
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * this.columns + c, p);
    }
  }

  private column(x: number): number {
    return Math.min(this.columns - 1, Math.max(0, Math.floor((x - this.minX) / this.cellSize)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cellSize)));
  }

  /**
   * The nearest point on a segment accepted by `accept`, searching outwards ring by ring up to `radiusM`;
   * beyond that radius (when `beyondRadius`), a full scan still reports how far the nearest road is.
   */
  nearest(lon: number, lat: number, accept: (segment: number) => boolean, radiusM = 5000, beyondRadius = true): RoadPosition | null {
    const px = this.projection.x(lon);
    const py = this.projection.y(lat);
    const c0 = Math.floor((px - this.minX) / this.cellSize);
    const r0 = Math.floor((py - this.minY) / this.cellSize);
    let best = -1;
    let bestD2 = Infinity;
    let bestT = 0;
    const consider = (piece: number): void => {
      if (!accept(this.pointSegment[piece]!)) return;
      const { t, d2 } = closestOnSegment(px, py, this.x[piece]!, this.y[piece]!, this.x[piece + 1]!, this.y[piece + 1]!);
      if (d2 < bestD2 || (d2 === bestD2 && piece < best)) {
        bestD2 = d2;
        best = piece;
        bestT = t;
      }
    };
    const outside = c0 < 0 || r0 < 0 || c0 >= this.columns || r0 >= this.rows;
    const maxRing = Math.ceil(radiusM / this.cellSize) + 1;
    if (!outside) {
      for (let ring = 0; ring <= maxRing; ring++) {
        for (let r = r0 - ring; r <= r0 + ring; r++) {
          if (r < 0 || r >= this.rows) continue;
          const step = r === r0 - ring || r === r0 + ring ? 1 : 2 * ring;
          for (let c = c0 - ring; c <= c0 + ring; c += Math.max(1, step)) {
            if (c < 0 || c >= this.columns) continue;
            const cell = r * this.columns + c;
            for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) consider(this.cellPieces[i]!);
          }
        }
        // Everything in the next ring is at least `ring` cells away from the point.
        if (best >= 0 && Math.sqrt(bestD2) <= ring * this.cellSize) break;
      }
    }
    if (best < 0 && beyondRadius) for (let p = 0; p < this.pointSegment.length; p++) if (this.pointSegment[p]! >= 0) consider(p);
    return best < 0 ? null : this.position(best, bestT, lon, lat);
  }

  private position(piece: number, t: number, lon: number, lat: number): RoadPosition {
    const { geometryLon: gx, geometryLat: gy, geometryStart, segmentLength } = this.network;
    const segment = this.pointSegment[piece]!;
    const pointLon = gx[piece]! + t * (gx[piece + 1]! - gx[piece]!);
    const pointLat = gy[piece]! + t * (gy[piece + 1]! - gy[piece]!);
    let along = 0;
    for (let p = geometryStart[segment]!; p < piece; p++) along += metresBetween(gx[p]!, gy[p]!, gx[p + 1]!, gy[p + 1]!);
    along += t * metresBetween(gx[piece]!, gy[piece]!, gx[piece + 1]!, gy[piece + 1]!);
    const total = segmentLength[segment]!;
    return {
      segment,
      fraction: total > 0 ? Math.min(1, Math.max(0, along / total)) : 0,
      lon: pointLon,
      lat: pointLat,
      distanceM: metresBetween(lon, lat, pointLon, pointLat),
    };
  }

  /** Visits every (segment, piece) filed in the grid cells that cover the given lon/lat box (a piece may come twice). */
  piecesNear(minLon: number, minLat: number, maxLon: number, maxLat: number, visit: (segment: number, piece: number) => void): void {
    const c0 = this.column(this.projection.x(minLon));
    const c1 = this.column(this.projection.x(maxLon));
    const r0 = this.row(this.projection.y(minLat));
    const r1 = this.row(this.projection.y(maxLat));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.columns + c;
        for (let i = this.cellStart[cell]!; i < this.cellStart[cell + 1]!; i++) {
          const piece = this.cellPieces[i]!;
          visit(this.pointSegment[piece]!, piece);
        }
      }
    }
  }
}
