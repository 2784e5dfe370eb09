import { Problem, badRequest, unprocessable } from '../kernel/http/index.js';
import { ClosureError } from './closures.js';
import type { LonLat } from './geometry.js';
import { RoadsUnavailableError } from './live-roads.js';
import { RoutingInputError, type TooFarFromRoad } from './router.js';

/**
 * What the routing routes and the dispatch routes share at the HTTP edge: reading `lon,lat` parameters and
 * turning the router's refusals into problem+json.
 */
export function parseLonLat(text: string, name: string): LonLat {
  const parts = text.split(',').map((s) => s.trim());
  const [lon, lat] = parts.map(Number) as [number, number];
  if (parts.length !== 2 || parts.some((p) => p === '') || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw badRequest(`${name} must be lon,lat in WGS 84 degrees (for example 7.4246,43.7384), not "${text.slice(0, 60)}"`);
  }
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) throw badRequest(`${name}: longitude must lie in -180..180 and latitude in -90..90`);
  return [lon, lat];
}

/** `3,6,9` → [3, 6, 9]: one to eight durations in minutes, each in (0, 180]. */
export function parseMinutes(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const minutes = parts.map(Number);
  if (parts.length === 0 || parts.length > 8 || parts.some((p) => p === '') || minutes.some((m) => !Number.isFinite(m) || m <= 0 || m > 180)) {
    throw badRequest(`minutes must be one to eight numbers in (0, 180], separated by commas (for example 3,6,9), not "${text.slice(0, 60)}"`);
  }
  return [...new Set(minutes)].sort((a, b) => a - b);
}

/** A point the router will not use because it lies too far from any road: 422 with the distance to the nearest road. */
export function tooFarProblem(answer: TooFarFromRoad): Problem {
  return unprocessable(`The ${answer.point} point is off the road network: ${answer.message}`, {
    point: answer.point,
    distanceM: Number.isFinite(answer.distanceM) ? answer.distanceM : null,
    maxDistanceM: answer.maxDistanceM,
  });
}

/** The router's own error types, as the problems a client can act on; anything else is rethrown. */
export function routingProblem(error: unknown): never {
  if (error instanceof RoutingInputError) throw badRequest(error.message);
  if (error instanceof ClosureError) throw unprocessable(error.message);
  if (error instanceof RoadsUnavailableError) throw new Problem(503, error.message);
  throw error;
}
