import type { FastifyPluginAsync } from 'fastify';
import { getAsset } from '../../assets/index.js';
import { getIncident } from '../../incidents/index.js';
import type { Principal } from '../../kernel/auth/index.js';
import type { Queryable } from '../../kernel/db/connection.js';
import { type VigilApp, actorFor, asPage, commonListQuery, conflict, forbidden, initialSharing, notFound, principalOf, requirePermission, shareRoute, unprocessable } from '../../kernel/http/index.js';
import { IdParams, PageOf } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { draftFromIncident, type IncidentAsset } from '../from-incident.js';
import type { CriticalConsumer, Scenario } from '../scenario/model.js';
import { validateScenario } from '../scenario/validate.js';
import type { WaterRuntime } from '../runtime.js';
import { getNetwork, listNetworks, loadNetworkVersion, type LoadedNetwork, type WaterNetworkRecord } from '../store/networks.js';
import { countActiveRuns, insertRun } from '../store/runs.js';
import { createScenario, getScenario, listScenarios, listScenarioVersions, reviseScenario } from '../store/scenarios.js';
import * as S from '../http-schemas.js';
import { asProblem, tooBusy } from './problems.js';

export function scenarioRoutes(kernel: Kernel, runtime: WaterRuntime): FastifyPluginAsync {
  const db = kernel.store.db;

  /** Checks a definition against the network version it will run on; 422 lists every problem. */
  function validated(definition: unknown, loaded: LoadedNetwork): Scenario {
    try {
      return validateScenario(definition, loaded.network, loaded.layout);
    } catch (error) {
      asProblem(error, 'scenario');
    }
  }

  async function visibleNetwork(viewer: Principal, id: string): Promise<{ record: WaterNetworkRecord; loaded: LoadedNetwork }> {
    const record = await getNetwork(db, viewer, id);
    if (!record) throw unprocessable(`No water network with id ${id} exists`);
    return { record, loaded: (await loadNetworkVersion(db, record.id, record.version))! };
  }

  return async (plain) => {
    const app = plain as VigilApp;

    app.get('/water/scenarios', { schema: { tags: ['water'], summary: 'What-if scenarios you may see, newest first', querystring: S.ScenarioQuery, response: { 200: PageOf(S.Scenario) } } }, async (request) => {
      const common = await commonListQuery(db, request.query);
      const q = request.query;
      return asPage(
        await listScenarios(
          db,
          principalOf(request),
          { ...(q.network ? { network: q.network } : {}), ...(q.incident ? { sourceIncident: q.incident } : {}), ...(common.owner ? { owner: common.owner } : {}), ...(common.q ? { q: common.q } : {}) },
          common.limit,
          common.cursor,
        ),
      );
    });

    app.post('/water/scenarios', { schema: { tags: ['water'], summary: 'Create a scenario on a water model you may see (validated against it; 422 lists the problems)', body: S.NewScenario, response: { 201: S.Scenario } } }, async (request, reply) => {
      const principal = requirePermission(request, 'records:write');
      const { record, loaded } = await visibleNetwork(principal, request.body.networkId);
      const definition = validated(request.body.definition, loaded);
      const sharing = await initialSharing(db, principal, request.body);
      const scenario = await kernel.write(actorFor(request), (w) => createScenario(w, principal, { networkId: record.id, networkVersion: loaded.version, definition }, sharing));
      return reply.code(201).header('Location', `/api/v1/water/scenarios/${scenario.id}`).send(scenario);
    });

    app.post(
      '/water/scenarios/from-incident',
      { schema: { tags: ['water'], summary: "Draft a scenario from an incident: its water assets become events, the network's critical consumers are watched", body: S.ScenarioFromIncident, response: { 201: S.Scenario } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const body = request.body;
        const incident = await getIncident(db, principal, body.incidentId);
        if (!incident) throw unprocessable(`No incident with id ${body.incidentId} exists`);
        const networkId = body.networkId ?? (await networkOfIncident(db, principal, incident.assetIds));
        const { record, loaded } = await visibleNetwork(principal, networkId);
        const assets = await incidentAssets(db, principal, record.id, incident.assetIds);
        const consumers: CriticalConsumer[] = loaded.consumers.map((c) => ({ node: c.node, name: c.name, ...(c.assetId ? { assetId: c.assetId } : {}), ...(c.minPressure !== undefined ? { minPressure: c.minPressure } : {}) }));
        const draft = draftFromIncident({ incident, assets, network: loaded.network, layout: loaded.layout, consumers, hours: body.hours ?? 24 });
        if (draft.scenario.events.length === 0) {
          throw unprocessable(`None of the incident's assets gives an event on water network ${record.name}: ${draft.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') || 'the incident has no assets you may see'}`, { problems: draft.skipped.map((s) => `${s.name}: ${s.reason}`) });
        }
        const definition = validated(draft.scenario, loaded);
        const sharing = await initialSharing(db, principal, body);
        const scenario = await kernel.write(actorFor(request), (w) => createScenario(w, principal, { networkId: record.id, networkVersion: loaded.version, definition, sourceIncidentId: incident.id }, sharing));
        return reply.code(201).header('Location', `/api/v1/water/scenarios/${scenario.id}`).send(scenario);
      },
    );

    app.get('/water/scenarios/:id', { schema: { tags: ['water'], summary: 'One scenario (its newest version, or ?version=)', params: IdParams, querystring: S.VersionQuery, response: { 200: S.Scenario } } }, async (request) => {
      const scenario = await getScenario(db, principalOf(request), request.params.id, request.query.version);
      if (!scenario) throw notFound('water scenario', request.params.id);
      return scenario;
    });

    app.put(
      '/water/scenarios/:id',
      { schema: { tags: ['water'], summary: 'Replace the definition of a scenario of your organisation: adds its next version (checked against the newest network version)', params: IdParams, body: S.ScenarioRevision, response: { 200: S.Scenario } } },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const current = await getScenario(db, principal, request.params.id);
        if (!current) throw notFound('water scenario', request.params.id);
        if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may change this scenario');
        const { record, loaded } = await visibleNetwork(principal, current.networkId).catch(() => {
          throw conflict('The network of this scenario is no longer visible to you');
        });
        const definition = validated(request.body.definition, loaded);
        return kernel.write(actorFor(request), async (w) => {
          const fresh = (await getScenario(w.tx, principal, current.id))!;
          const expected = request.body.version;
          if (expected !== undefined && expected !== fresh.version) {
            throw conflict(`The scenario changed since you read it (your version ${expected}, now ${fresh.version}); reload and try again`, { currentVersion: fresh.version });
          }
          return reviseScenario(w, principal, fresh, record.version, definition);
        });
      },
    );

    app.get('/water/scenarios/:id/versions', { schema: { tags: ['water'], summary: 'The versions of a scenario, newest first', params: IdParams, response: { 200: S.ScenarioVersions } } }, async (request) => {
      const scenario = await getScenario(db, principalOf(request), request.params.id);
      if (!scenario) throw notFound('water scenario', request.params.id);
      return { items: await listScenarioVersions(db, scenario.id) };
    });

    app.post(
      '/water/scenarios/:id/run',
      {
        schema: {
          tags: ['water'],
          summary: 'Simulate a scenario (its newest version, or {"version": n}) in the background: 202 with the run; progress and the outcome arrive on the live stream',
          params: IdParams,
          body: S.RunBody,
          response: { 202: S.Run },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const scenario = await getScenario(db, principal, request.params.id, request.body?.version);
        if (!scenario) {
          if (request.body?.version && (await getScenario(db, principal, request.params.id))) throw unprocessable(`The scenario has no version ${request.body.version}`);
          throw notFound('water scenario', request.params.id);
        }
        if ((await countActiveRuns(db)) >= kernel.config.water.maxActive) throw tooBusy(kernel.config.water.maxActive);
        const run = await kernel.write(actorFor(request), (w) =>
          insertRun(w, { scenarioId: scenario.id, scenarioVersion: scenario.shownVersion, networkId: scenario.networkId, networkVersion: scenario.networkVersion }),
        );
        runtime.startRun(run);
        return reply.code(202).header('Location', `/api/v1/water/runs/${run.id}`).send(run);
      },
    );

    shareRoute(app, kernel, { kind: 'water-scenario', table: 'water_scenarios', path: '/water/scenarios', response: S.Scenario, load: (q, viewer, id) => getScenario(q, viewer, id) });
  };
}

/** The water network an incident's assets belong to, among those the viewer sees; 422 when it is not clear. */
async function networkOfIncident(db: Queryable, viewer: Principal, assetIds: string[]): Promise<string> {
  if (assetIds.length > 0) {
    const rows = await db.selectFrom('water_network_assets').select('network_id').distinct().where('asset_id', 'in', assetIds).execute();
    for (const r of rows) if (await getNetwork(db, viewer, r.network_id)) return r.network_id;
  }
  const own = await listNetworks(db, viewer, { owner: viewer.orgId }, 2, null);
  if (own.items.length === 1) return own.items[0]!.id;
  throw unprocessable('No water network holds the assets of this incident: give networkId');
}

async function incidentAssets(db: Queryable, viewer: Principal, networkId: string, assetIds: string[]): Promise<IncidentAsset[]> {
  if (assetIds.length === 0) return [];
  const mapped = await db.selectFrom('water_network_assets').select(['asset_id', 'kind', 'element']).where('network_id', '=', networkId).execute();
  const byAsset = new Map(mapped.map((m) => [m.asset_id, m]));
  const out: IncidentAsset[] = [];
  for (const id of assetIds) {
    const asset = await getAsset(db, viewer, id);
    if (!asset) continue;
    const m = byAsset.get(id);
    const feedsPumps = asset.dependencies
      .filter((d) => d.kind === 'feeds')
      .flatMap((d) => {
        const target = byAsset.get(d.assetId);
        return target?.kind === 'water-pump' ? [target.element] : [];
      });
    out.push({ id, name: asset.name, type: asset.type, ...(m ? { element: { kind: m.kind, ref: m.element } } : {}), ...(feedsPumps.length ? { feedsPumps } : {}) });
  }
  return out;
}
