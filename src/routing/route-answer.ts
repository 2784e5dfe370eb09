import { bearing, metresBetween, type LonLat } from './geometry.js';
import type { RouteLeg } from './profile-engine.js';
import { SEGMENT_ROUNDABOUT, type RoadNetwork } from './road-network.js';

/** Turn-by-turn steps in the shape of OSRM's (maneuver + modifier), with an English instruction. */
export type TurnModifier = 'straight' | 'slight right' | 'right' | 'sharp right' | 'uturn' | 'sharp left' | 'left' | 'slight left';

export interface RouteStep {
  maneuver: 'depart' | 'turn' | 'continue' | 'roundabout' | 'arrive';
  modifier?: TurnModifier;
  /** For a roundabout: which exit to take (1 = first). */
  exit?: number;
  /** Street name ("" when the road has none). */
  name: string;
  instruction: string;
  /** Distance and time driven from this step to the next one. */
  distanceM: number;
  durationS: number;
  location: LonLat;
}

export interface LineString {
  type: 'LineString';
  coordinates: LonLat[];
}

/** Points of segment `s` between two fractions of its length, in driving order. */
export function segmentSlice(network: RoadNetwork, s: number, from: number, to: number): LonLat[] {
  if (from > to) return segmentSlice(network, s, to, from).reverse();
  const { geometryStart, geometryLon: gx, geometryLat: gy } = network;
  const first = geometryStart[s]!;
  const last = geometryStart[s + 1]! - 1;
  if (from === 0 && to === 1) {
    const whole: LonLat[] = [];
    for (let p = first; p <= last; p++) whole.push([gx[p]!, gy[p]!]);
    return whole;
  }
  const total = network.segmentLength[s]!;
  const start = from * total;
  const end = to * total;
  const points: LonLat[] = [];
  let along = 0;
  for (let p = first; p < last; p++) {
    const piece = metresBetween(gx[p]!, gy[p]!, gx[p + 1]!, gy[p + 1]!);
    const next = along + piece;
    const at = (metres: number): LonLat => {
      const t = piece > 0 ? Math.min(1, Math.max(0, (metres - along) / piece)) : 0;
      return [gx[p]! + t * (gx[p + 1]! - gx[p]!), gy[p]! + t * (gy[p + 1]! - gy[p]!)];
    };
    if (points.length === 0 && start <= next) points.push(at(start));
    if (points.length > 0) {
      if (end <= next) {
        points.push(at(end));
        break;
      }
      points.push([gx[p + 1]!, gy[p + 1]!]);
    }
    along = next;
  }
  if (points.length === 0) points.push([gx[last]!, gy[last]!], [gx[last]!, gy[last]!]);
  return points;
}

interface LegShape {
  points: LonLat[];
  name: string;
  metres: number;
  ms: number;
  roundabout: boolean;
  arc: number;
}

/**
 * Geometry, length and steps of a route given as legs. `exitsAt(arc)` says whether the intersection at the
 * end of an arc offers a way off a roundabout (to count exits).
 */
export function describeRoute(
  network: RoadNetwork,
  legs: RouteLeg[],
  exitsAt: (arc: number) => boolean,
  start: LonLat,
): { geometry: LineString; distanceM: number; steps: RouteStep[] } {
  if (legs.length === 0) {
    const location: LonLat = [start[0], start[1]];
    const here = (maneuver: 'depart' | 'arrive', instruction: string): RouteStep => ({ maneuver, name: '', instruction, distanceM: 0, durationS: 0, location });
    return { geometry: { type: 'LineString', coordinates: [location, location] }, distanceM: 0, steps: [here('depart', 'Depart'), here('arrive', 'Arrive at the destination')] };
  }
  const shapes: LegShape[] = legs.map((leg) => ({
    points: segmentSlice(network, leg.segment, leg.fromFraction, leg.toFraction),
    name: nameOf(network, leg.segment),
    metres: legMetres(network, leg),
    ms: leg.ms,
    roundabout: (network.segmentFlags[leg.segment]! & SEGMENT_ROUNDABOUT) !== 0,
    arc: leg.arc,
  }));
  const { geometry, distanceM } = joinLegs(shapes.map((s) => s.points), shapes.map((s) => s.metres));
  const coordinates = geometry.coordinates;

  // Legs too short to have a direction are folded into their neighbours for turn angles.
  const moving = shapes.filter((s) => s.metres > 0.5);
  const steps: RouteStep[] = [];
  const first = moving[0] ?? shapes[0]!;
  let current: RouteStep = {
    maneuver: 'depart',
    name: first.name,
    instruction: `Head ${compass(startBearing(first.points))}${onto(' on', first.name)}`,
    distanceM: 0,
    durationS: 0,
    location: coordinates[0]!,
  };
  steps.push(current);
  let previous: LegShape | undefined;
  let roundabout: RouteStep | undefined;
  for (const shape of moving) {
    if (previous) {
      if (shape.roundabout && !previous.roundabout) {
        roundabout = { maneuver: 'roundabout', exit: 1, name: '', instruction: '', distanceM: 0, durationS: 0, location: shape.points[0]! };
        current = roundabout;
        steps.push(current);
      } else if (shape.roundabout && roundabout) {
        if (exitsAt(previous.arc)) roundabout.exit!++;
      } else if (!shape.roundabout && roundabout) {
        roundabout.name = shape.name;
        roundabout.instruction = `At the roundabout, take exit ${roundabout.exit}${onto(' onto', shape.name)}`;
        roundabout = undefined;
        current.name = shape.name;
      } else {
        const angle = turnAngle(endBearing(previous.points), startBearing(shape.points));
        const modifier = modifierOf(angle);
        if (shape.name !== current.name || (modifier !== 'straight' && modifier !== 'slight left' && modifier !== 'slight right')) {
          current = {
            maneuver: modifier === 'straight' ? 'continue' : 'turn',
            modifier,
            name: shape.name,
            instruction: modifier === 'straight' ? `Continue straight${onto(' onto', shape.name)}` : `Turn ${modifier}${onto(' onto', shape.name)}`,
            distanceM: 0,
            durationS: 0,
            location: shape.points[0]!,
          };
          steps.push(current);
        }
      }
    }
    current.distanceM += shape.metres;
    current.durationS += shape.ms / 1000;
    previous = shape;
  }
  if (roundabout) roundabout.instruction = 'Enter the roundabout; the destination is on it';
  steps.push({ maneuver: 'arrive', name: current.name, instruction: 'Arrive at the destination', distanceM: 0, durationS: 0, location: coordinates[coordinates.length - 1]! });
  for (const step of steps) {
    step.distanceM = Math.round(step.distanceM * 10) / 10;
    step.durationS = Math.round(step.durationS * 10) / 10;
  }
  return { geometry, distanceM, steps };
}

/** Just the line and length of a route (no steps): what a dispatch list needs per unit. */
export function routeLine(network: RoadNetwork, legs: RouteLeg[], start: LonLat): { geometry: LineString; distanceM: number } {
  if (legs.length === 0) return { geometry: { type: 'LineString', coordinates: [start, start] }, distanceM: 0 };
  return joinLegs(
    legs.map((leg) => segmentSlice(network, leg.segment, leg.fromFraction, leg.toFraction)),
    legs.map((leg) => legMetres(network, leg)),
  );
}

export function legMetres(network: RoadNetwork, leg: RouteLeg): number {
  return Math.abs(leg.toFraction - leg.fromFraction) * network.segmentLength[leg.segment]!;
}

function joinLegs(pieces: LonLat[][], metres: number[]): { geometry: LineString; distanceM: number } {
  const coordinates: LonLat[] = [];
  for (const points of pieces) {
    for (const point of points) {
      const rounded: LonLat = [Math.round(point[0] * 1e7) / 1e7, Math.round(point[1] * 1e7) / 1e7];
      const last = coordinates[coordinates.length - 1];
      if (!last || last[0] !== rounded[0] || last[1] !== rounded[1]) coordinates.push(rounded);
    }
  }
  if (coordinates.length === 1) coordinates.push(coordinates[0]!);
  return { geometry: { type: 'LineString', coordinates }, distanceM: metres.reduce((a, b) => a + b, 0) };
}

function nameOf(network: RoadNetwork, segment: number): string {
  const index = network.segmentName[segment]!;
  return index >= 0 ? network.names[index]! : '';
}

function onto(word: string, name: string): string {
  return name ? `${word} ${name}` : '';
}

function startBearing(points: LonLat[]): number {
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] !== points[0]![0] || points[i]![1] !== points[0]![1]) return bearing(...points[0]!, ...points[i]!);
  }
  return 0;
}

function endBearing(points: LonLat[]): number {
  const last = points[points.length - 1]!;
  for (let i = points.length - 2; i >= 0; i--) {
    if (points[i]![0] !== last[0] || points[i]![1] !== last[1]) return bearing(...points[i]!, ...last);
  }
  return 0;
}

/** Signed change of heading in degrees, (-180, 180]: positive turns right. */
export function turnAngle(inBearing: number, outBearing: number): number {
  let angle = outBearing - inBearing;
  while (angle <= -180) angle += 360;
  while (angle > 180) angle -= 360;
  return angle;
}

export function modifierOf(angle: number): TurnModifier {
  const a = Math.abs(angle);
  const side = angle > 0 ? 'right' : 'left';
  if (a < 20) return 'straight';
  if (a < 60) return `slight ${side}`;
  if (a < 135) return side;
  if (a < 170) return `sharp ${side}`;
  return 'uturn';
}

function compass(degrees: number): string {
  return ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'][Math.round(degrees / 45) % 8]!;
}
