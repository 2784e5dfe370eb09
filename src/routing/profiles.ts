import type { Tags } from './osm/elements.js';

/**
 * Who may drive where and how fast. Two profiles: `car` (an ordinary motor car obeying every rule) and
 * `emergency` (fire engines, ambulances, police cars on an emergency run: may use bus and PSV lanes and
 * roads closed to the public, and exceed posted speeds by a configurable factor).
 */
export type ProfileName = 'car' | 'emergency';
export const PROFILE_NAMES: readonly ProfileName[] = ['car', 'emergency'];

export interface ProfileSettings {
  /** Emergency speed = posted limit (or class default) × this factor. */
  emergencySpeedFactor: number;
  /** Emergency vehicles never plan above this speed, whatever the factor says. */
  emergencyMaxSpeedKmh: number;
  /** Cars plan at this share of the posted limit: city traffic rarely drives at the limit. */
  postedSpeedShare: number;
}

export const DEFAULT_PROFILE_SETTINGS: ProfileSettings = {
  emergencySpeedFactor: 1.2,
  emergencyMaxSpeedKmh: 130,
  postedSpeedShare: 0.8,
};

/** Highway classes in the order of their numeric code in the graph file; speeds are planning speeds in km/h. */
export const ROAD_CLASSES = [
  ['motorway', 90], ['motorway_link', 45], ['trunk', 85], ['trunk_link', 40], ['primary', 65], ['primary_link', 30],
  ['secondary', 55], ['secondary_link', 25], ['tertiary', 40], ['tertiary_link', 20], ['unclassified', 25],
  ['residential', 25], ['living_street', 10], ['service', 15], ['road', 20], ['busway', 30], ['pedestrian', 10], ['track', 10],
] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number][0];
const CLASS_CODE = new Map<string, number>(ROAD_CLASSES.map(([name], code) => [name, code]));
/** Classes open to cars by default; the others only to emergency vehicles, and only when a tag grants it. */
const PUBLIC_CLASSES = new Set<string>(ROAD_CLASSES.slice(0, 15).map(([name]) => name));
const CODE_BUSWAY = CLASS_CODE.get('busway')!;

export function roadClassCode(highway: string | undefined): number | undefined {
  return highway === undefined ? undefined : CLASS_CODE.get(highway);
}

/** Planning speed in each direction of a way (km/h); 0 means the profile may not drive that way. */
export interface DirectionSpeeds {
  forward: number;
  backward: number;
}

const CLOSED: DirectionSpeeds = { forward: 0, backward: 0 };
const ALLOW = new Set(['yes', 'designated', 'permissive', 'destination', 'customers', 'official']);
const DENY = new Set(['no', 'private', 'agricultural', 'forestry', 'delivery', 'use_sidepath', 'discouraged', 'psv', 'bus', 'emergency']);
const GRANT = new Set(['yes', 'designated', 'permissive', 'official']);

export function directionSpeeds(tags: Tags, profile: ProfileName, settings: ProfileSettings = DEFAULT_PROFILE_SETTINGS): DirectionSpeeds {
  const highway = tags.highway;
  const code = roadClassCode(highway);
  if (code === undefined || tags.area === 'yes' || tags.impassable === 'yes') return CLOSED;
  if (!(profile === 'car' ? carMayUse(tags, highway!) : emergencyMayUse(tags, highway!, code))) return CLOSED;
  const direction = onewayDirection(tags, profile);
  if (direction === undefined) return CLOSED;
  const classSpeed = ROAD_CLASSES[code]![1];
  const speed = (posted: number | undefined): number => {
    if (profile === 'car') return posted !== undefined ? Math.max(1, posted * settings.postedSpeedShare) : classSpeed;
    return Math.max(1, Math.min(settings.emergencyMaxSpeedKmh, (posted ?? classSpeed) * settings.emergencySpeedFactor));
  };
  const posted = parseMaxspeed(tags.maxspeed ?? tags['maxspeed:type'] ?? tags['source:maxspeed']);
  const forward = speed(parseMaxspeed(tags['maxspeed:forward']) ?? posted);
  const backward = speed(parseMaxspeed(tags['maxspeed:backward']) ?? posted);
  return { forward: direction >= 0 ? forward : 0, backward: direction <= 0 ? backward : 0 };
}

/** The most specific access tag decides (motorcar over motor_vehicle over vehicle over access). */
function firstOf(tags: Tags, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = tags[key];
    if (value !== undefined) return value.split(';')[0]!.trim();
  }
  return undefined;
}

function carMayUse(tags: Tags, highway: string): boolean {
  if (!PUBLIC_CLASSES.has(highway) || tags.service === 'emergency_access') return false;
  const access = firstOf(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']);
  return access === undefined || ALLOW.has(access) || !DENY.has(access);
}

function emergencyMayUse(tags: Tags, highway: string, code: number): boolean {
  const own = firstOf(tags, ['emergency']);
  if (own !== undefined) return own !== 'no';
  const publicTransport = firstOf(tags, ['bus', 'psv']);
  if (publicTransport !== undefined && GRANT.has(publicTransport)) return true;
  const access = firstOf(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']);
  if (!PUBLIC_CLASSES.has(highway)) return code === CODE_BUSWAY ? access !== 'no' : access !== undefined && GRANT.has(access);
  // Private roads, delivery-only streets and emergency accesses are where responders are expected to go.
  return access !== 'no';
}

/** +1 forward only, -1 backward only, 0 both ways, undefined not routable (reversible, alternating). */
export function onewayDirection(tags: Tags, profile: ProfileName): number | undefined {
  if (profile === 'emergency') {
    const exempt = ['oneway:emergency', 'oneway:psv', 'oneway:bus'].some((key) => tags[key] === 'no');
    const contraflowBusLane = ['busway', 'busway:both', 'busway:left', 'busway:right'].some((key) => tags[key] === 'opposite_lane');
    if (exempt || contraflowBusLane) return 0;
  }
  const oneway = tags.oneway;
  switch (oneway) {
    case 'yes':
    case 'true':
    case '1':
      return 1;
    case '-1':
    case 'reverse':
      return -1;
    case 'no':
    case 'false':
    case '0':
      return 0;
    case 'reversible':
    case 'alternating':
      return undefined;
  }
  const junction = tags.junction;
  if (junction === 'roundabout' || junction === 'circular') return 1;
  if (tags.highway === 'motorway' || tags.highway === 'motorway_link') return 1;
  return 0;
}

/** Implicit limits ("FR:urban") by zone kind, in km/h; country-specific exceptions where they differ. */
const ZONE_SPEEDS: Record<string, number> = {
  urban: 50, rural: 90, motorway: 130, trunk: 110, living_street: 20, walk: 6, pedestrian: 6, bicycle_road: 30,
  'DE:rural': 100, 'FR:rural': 80, 'MC:rural': 80, 'IT:rural': 90, 'GB:nsl_single': 96.6, 'GB:nsl_dual': 112.7,
  'GB:motorway': 112.7, 'UK:nsl_single': 96.6, 'UK:nsl_dual': 112.7, 'RU:urban': 60,
};

/** A posted limit in km/h, or undefined when the tag gives none (absent, "none", "signals", unreadable). */
export function parseMaxspeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let lowest: number | undefined;
  for (const part of value.split(';')) {
    const speed = parseOneSpeed(part.trim());
    if (speed !== undefined && speed > 0 && (lowest === undefined || speed < lowest)) lowest = speed;
  }
  return lowest;
}

function parseOneSpeed(value: string): number | undefined {
  const numeric = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(value);
  if (numeric) {
    const n = Number(numeric[1]);
    const unit = numeric[2]?.toLowerCase();
    return unit === 'mph' ? n * 1.609344 : unit === 'knots' ? n * 1.852 : n;
  }
  if (value === 'walk') return 6;
  const zone = /^([A-Z]{2})(?:-[A-Z0-9]+)?:(.+)$/.exec(value);
  if (!zone) return undefined;
  const kind = zone[2]!;
  const zoneNumber = /^zone:?(\d+)$/.exec(kind);
  if (zoneNumber) return Number(zoneNumber[1]);
  return ZONE_SPEEDS[`${zone[1]}:${kind}`] ?? ZONE_SPEEDS[kind];
}

/** Barriers a vehicle can pass (gates open on request, toll booths, cattle grids, …). */
const PASSABLE_BARRIERS = new Set([
  'gate', 'lift_gate', 'swing_gate', 'sliding_gate', 'cattle_grid', 'border_control', 'toll_booth', 'entrance',
  'height_restrictor', 'sally_port', 'no', 'kerb', 'speed_bump', 'hampshire_gate',
]);
/** Bollards an emergency crew can lower or remove. */
const REMOVABLE_BOLLARDS = new Set(['rising', 'removable', 'foldable', 'flexible']);

/** Whether a barrier on a node stops the profile from driving through that node (it may still start or end there). */
export function barrierBlocks(tags: Tags, profile: ProfileName): boolean {
  const barrier = tags.barrier;
  if (barrier === undefined) return false;
  if (profile === 'emergency') {
    const own = firstOf(tags, ['emergency']);
    if (own !== undefined) return own === 'no';
  }
  const access = firstOf(tags, ['motorcar', 'motor_vehicle', 'vehicle', 'access']);
  if (access !== undefined) {
    if (ALLOW.has(access)) return false;
    if (DENY.has(access)) return profile === 'car' || access === 'no';
  }
  if (PASSABLE_BARRIERS.has(barrier)) return false;
  return !(profile === 'emergency' && barrier === 'bollard' && REMOVABLE_BOLLARDS.has(tags.bollard ?? ''));
}
