import { cellKey, cellOf, distanceMetres } from './geo.js';
import type { GeoPoint } from './model.js';

/** Where and when a value (an indicator, a place) was last seen, and in which incident. */
export interface Sighting {
  incidentId: string;
  alertId: string;
  ownerOrgId: string;
  time: number;
}

interface IndicatorTrack {
  count: number;
  last: number;
  /** The latest sighting per organisation: a short list, since most values stay within one organisation. */
  sightings: Sighting[];
}

/**
 * The indicator values seen recently, how many alerts carried each within its window (for the cap), and
 * the latest sighting per organisation. A value's count restarts only after a whole window of silence, so a
 * value over the cap stays over it while it keeps appearing.
 */
export class IndicatorMemory {
  private readonly values = new Map<string, IndicatorTrack>();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.values.size;
  }

  /** Counts one more alert carrying `key`; returns the value's sightings, or null when it is over the cap. */
  count(key: string, time: number, windowMs: number): readonly Sighting[] | null {
    let track = this.values.get(key);
    if (!track || time - track.last > windowMs) {
      track = { count: 0, last: time, sightings: [] };
      this.values.set(key, track);
    }
    track.count++;
    track.last = Math.max(track.last, time);
    return track.count > this.cap ? null : track.sightings;
  }

  record(key: string, seen: Sighting): void {
    const track = this.values.get(key);
    if (!track) return;
    const at = track.sightings.findIndex((x) => x.ownerOrgId === seen.ownerOrgId);
    if (at >= 0) track.sightings[at] = seen;
    else track.sightings.push(seen);
  }

  forgetBefore(cutoff: number): void {
    for (const [key, track] of this.values) if (track.last < cutoff) this.values.delete(key);
  }
}

export interface PlaceSighting extends Sighting {
  point: GeoPoint;
  assetIds: readonly string[];
}

const PLACES_PER_CELL = 32;

/**
 * Recent alerts with a location, in square grid cells at least as wide as the largest radius, so that
 * "within r metres" needs the point's cell and its eight neighbours. Each cell keeps its latest sightings.
 */
export class PlaceMemory {
  private readonly cells = new Map<string, PlaceSighting[]>();

  constructor(private readonly cellMetres: number) {}

  get size(): number {
    let n = 0;
    for (const list of this.cells.values()) n += list.length;
    return n;
  }

  /** Sightings within `radiusMetres` and `windowMs` of a point and time, with their distance. */
  *near(point: GeoPoint, time: number, radiusMetres: number, windowMs: number): Generator<{ seen: PlaceSighting; metres: number }> {
    const { x, y } = cellOf(point, this.cellMetres);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const seen of this.cells.get(cellKey(x + dx, y + dy)) ?? []) {
          if (Math.abs(time - seen.time) > windowMs) continue;
          const metres = distanceMetres(point, seen.point);
          if (metres <= radiusMetres) yield { seen, metres };
        }
      }
    }
  }

  record(seen: PlaceSighting, windowMs: number): void {
    const { x, y } = cellOf(seen.point, this.cellMetres);
    const key = cellKey(x, y);
    const list = (this.cells.get(key) ?? []).filter((p) => seen.time - p.time <= windowMs);
    list.push(seen);
    if (list.length > PLACES_PER_CELL) list.shift();
    this.cells.set(key, list);
  }

  forgetBefore(cutoff: number): void {
    for (const [key, list] of this.cells) {
      const kept = list.filter((p) => p.time >= cutoff);
      if (kept.length === 0) this.cells.delete(key);
      else if (kept.length < list.length) this.cells.set(key, kept);
    }
  }
}
