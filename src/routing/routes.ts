import type { FastifyPluginAsync } from 'fastify';
import type { Kernel } from '../kernel/kernel.js';
import { type VigilApp, actorFor, forbidden, principalOf } from '../kernel/http/index.js';
import type { Viewer } from '../kernel/sharing/index.js';
import { administersPlatform } from '../organisations/model.js';
import { honouredClosureIds } from './closure-queries.js';
import { parseLonLat, parseMinutes, routingProblem, tooFarProblem } from './http.js';
import type { LiveRoads } from './live-roads.js';
import type { ClosureFilter } from './router.js';
import * as S from './schemas.js';

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors (ODbL 1.0)';

/**
 * The closures a caller's query honours: those in force that the caller may see (the sharing policy decides,
 * as for any record), so a route never reveals a closure its caller may not see. `exceptIncident` leaves out an
 * incident's own closures, which its responders drive into.
 */
export async function closuresFor(kernel: Kernel, viewer: Viewer, now: number, exceptIncident?: string): Promise<{ filter: ClosureFilter; count: number }> {
  const ids = await honouredClosureIds(kernel.store.db, viewer, now, exceptIncident);
  return { filter: (id) => ids.has(id), count: ids.size };
}

/** `GET /routes`, `GET /isochrones`, `GET /roads`, `POST /roads/reload`. */
export function routingRoutes(kernel: Kernel, roads: LiveRoads): FastifyPluginAsync {
  return async (plain) => {
    const app = plain as VigilApp;

    app.get(
      '/routes',
      {
        schema: {
          tags: ['routing'],
          summary: 'Fastest route between two points: GeoJSON geometry, travel time, distance, turn-by-turn steps; honours the closures you may see',
          querystring: S.RouteQuery,
          response: { 200: S.RouteAnswer },
        },
      },
      async (request) => {
        const from = parseLonLat(request.query.from, 'from');
        const to = parseLonLat(request.query.to, 'to');
        const now = kernel.clock();
        try {
          const router = await roads.router();
          const closures = await closuresFor(kernel, principalOf(request), now);
          const answer = router.route({ from, to, profile: request.query.profile ?? 'car', now, closures: closures.filter });
          if (answer.status === 'too-far-from-road') throw tooFarProblem(answer);
          return { ...answer, closuresHonoured: closures.count };
        } catch (error) {
          return routingProblem(error);
        }
      },
    );

    app.get(
      '/isochrones',
      {
        schema: {
          tags: ['routing'],
          summary: 'Reachability polygons: where a vehicle from a point can be within each number of minutes (GeoJSON MultiPolygons)',
          querystring: S.IsochroneQuery,
          response: { 200: S.IsochroneAnswer },
        },
      },
      async (request) => {
        const at = parseLonLat(request.query.at, 'at');
        const minutes = parseMinutes(request.query.minutes);
        const now = kernel.clock();
        try {
          const router = await roads.router();
          const closures = await closuresFor(kernel, principalOf(request), now);
          const answer = router.isochrones({ at, minutes, profile: request.query.profile ?? 'car', now, closures: closures.filter });
          if (answer.status === 'too-far-from-road') throw tooFarProblem(answer);
          return { ...answer.isochrones, profile: answer.profile, origin: answer.origin, closuresHonoured: closures.count };
        } catch (error) {
          return routingProblem(error);
        }
      },
    );

    app.get(
      '/roads',
      { schema: { tags: ['routing'], summary: 'The road graph in service: source, import time, size, last load', response: { 200: S.RoadsStatus } } },
      async () => {
        const status = roads.status();
        return { ...status, attribution: OSM_ATTRIBUTION };
      },
    );

    app.post(
      '/roads/reload',
      {
        schema: {
          tags: ['routing'],
          summary: 'Load the road graph file again after `vigil roads import` (platform administrators); a file that does not load leaves the graph in service',
          response: { 200: S.RoadsStatus },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const org = await kernel.store.db.selectFrom('organisations').select('kind').where('id', '=', principal.orgId).executeTakeFirst();
        if (!org || !administersPlatform(org.kind, principal.role)) throw forbidden('Only an administrator of an authority organisation may reload the road graph');
        const outcome = await roads.reload('reload asked over the API');
        await kernel.write(actorFor(request), async (w) => {
          await w.audit({ action: 'roads.reload', targetKind: 'roads', targetId: null, details: { outcome: outcome?.outcome ?? null, error: outcome?.error ?? null } });
        });
        return { ...roads.status(), attribution: OSM_ATTRIBUTION };
      },
    );
  };
}
