import type { FastifyPluginAsync } from 'fastify';
import { type VigilApp, actorFor, asPage, conflict, decodeCursor, forbidden, initialSharing, notFound, principalOf, requirePermission, shareRoute, unprocessable } from '../../kernel/http/index.js';
import { IdParams, PageOf } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { WaterRuntime } from '../runtime.js';
import { validateScenario } from '../scenario/validate.js';
import { getNetwork, loadNetworkVersion } from '../store/networks.js';
import { ACTIVE_STATUSES, countActiveRuns } from '../store/runs.js';
import { getSweep, insertSweep, activeSweepIds, listSweeps, updateSweep } from '../store/sweeps.js';
import { planSweep, type SweepSettings } from '../sweep.js';
import * as S from '../http-schemas.js';
import { asProblem, tooBusy } from './problems.js';

/** Sweeps at most this many scenarios (an n-1 sweep of a large network would otherwise run for hours). */
const MAX_SWEEP = 2000;

export function sweepRoutes(kernel: Kernel, runtime: WaterRuntime): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;

    app.post(
      '/water/sweeps',
      {
        schema: {
          tags: ['water'],
          summary: 'Run a batch on a water model (every pump off, every PLC spoofed, N-1 pipes) on the worker pool and rank by impact: 202, progress on the live stream',
          body: S.NewSweep,
          response: { 202: S.Sweep },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const body = request.body;
        const record = await getNetwork(db, principal, body.networkId);
        if (!record) throw unprocessable(`No water network with id ${body.networkId} exists`);
        const loaded = (await loadNetworkVersion(db, record.id, record.version))!;
        const { name: _n, events, ...rest } = (body.settings ?? {}) as Record<string, unknown>;
        if (events !== undefined) throw unprocessable('settings may not contain events: a sweep makes its own');
        const settings = { ...rest, ...(body.hours !== undefined ? { hours: body.hours } : {}) } as SweepSettings;
        try {
          validateScenario({ ...settings, name: 'sweep settings', events: [] }, loaded.network, loaded.layout);
        } catch (error) {
          asProblem(error, 'sweep settings');
        }
        const scenarios = planSweep(body.kind, loaded.network, loaded.layout, settings, {
          ...(body.minDiameter !== undefined ? { minDiameter: body.minDiameter } : {}),
          limit: Math.min(body.limit ?? MAX_SWEEP, MAX_SWEEP),
        });
        if (scenarios.length === 0) throw unprocessable(`Nothing to sweep: the network has no ${body.kind === 'n-1' ? 'pipe wide enough' : body.kind === 'pump-off' ? 'pump' : 'PLC reading a tank level'}`);
        const active = (await countActiveRuns(db)) + (await activeSweepIds(db)).length;
        if (active >= kernel.config.water.maxActive) throw tooBusy(kernel.config.water.maxActive);
        const sharing = await initialSharing(db, principal, body);
        const sweep = await kernel.write(actorFor(request), (w) =>
          insertSweep(
            w,
            {
              networkId: record.id,
              networkVersion: loaded.version,
              kind: body.kind,
              settings: { settings: settings as Record<string, unknown>, ...(body.limit !== undefined ? { limit: body.limit } : {}), ...(body.minDiameter !== undefined ? { minDiameter: body.minDiameter } : {}) },
              scenarios: scenarios.length,
            },
            sharing,
          ),
        );
        runtime.startSweep(sweep, loaded.network, loaded.layout, scenarios);
        return reply.code(202).header('Location', `/api/v1/water/sweeps/${sweep.id}`).send(sweep);
      },
    );

    app.get('/water/sweeps', { schema: { tags: ['water'], summary: 'Sweeps you may see, newest first', querystring: S.SweepQuery, response: { 200: PageOf(S.Sweep) } } }, async (request) => {
      const q = request.query;
      return asPage(await listSweeps(db, principalOf(request), { ...(q.network ? { network: q.network } : {}) }, q.limit ?? 100, decodeCursor(q.cursor)));
    });

    app.get('/water/sweeps/:id', { schema: { tags: ['water'], summary: 'One sweep, with its ranking once completed', params: IdParams, response: { 200: S.Sweep } } }, async (request) => {
      const sweep = await getSweep(db, principalOf(request), request.params.id);
      if (!sweep) throw notFound('water sweep', request.params.id);
      return sweep;
    });

    app.delete('/water/sweeps/:id', { schema: { tags: ['water'], summary: 'Cancel a sweep of your organisation that is waiting or running', params: IdParams, response: { 200: S.Sweep } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      const sweep = await getSweep(db, principal, request.params.id);
      if (!sweep) throw notFound('water sweep', request.params.id);
      if (sweep.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may cancel this sweep');
      if (!ACTIVE_STATUSES.includes(sweep.status)) throw conflict(`The sweep has already finished (${sweep.status})`);
      if (runtime.cancel(sweep.id)) await runtime.settled(sweep.id);
      else await kernel.write(actorFor(request), (w) => updateSweep(w, sweep.id, { status: 'cancelled', note: 'cancelled' }, 'water-sweep.cancelled'));
      return (await getSweep(db, principal, sweep.id))!;
    });

    shareRoute(app, kernel, { kind: 'water-sweep', table: 'water_sweeps', path: '/water/sweeps', response: S.Sweep, load: (q, viewer, id) => getSweep(q, viewer, id) });
  };
}
