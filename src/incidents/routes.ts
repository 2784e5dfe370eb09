import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import { type Alert, getAlert } from '../alerts/index.js';
import { invisibleAssets } from '../assets/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import { type Geometry, geometryProblem } from '../kernel/geo.js';
import {
  type VigilApp,
  actorFor,
  asPage,
  badRequest,
  commonListQuery,
  decodeCursor,
  forbidden,
  initialSharing,
  recordReadRoutes,
  notFound,
  principalOf,
  requirePermission,
  shareRoute,
  unprocessable,
} from '../kernel/http/index.js';
import { IdParams, PageOf } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Viewer } from '../kernel/sharing/index.js';
import type { IncidentFilters } from './model.js';
import { addLabelledNote } from './evidence.js';
import { requestedLabel } from './evidence-sharing.js';
import { mergeAlertsInto, releaseFromOtherIncidents } from './merge.js';
import { countIncidents, getIncident, listIncidents, openIncident, readTimeline } from './queries.js';
import { expectedVersion, holdAlertMoves, reviseIncident } from './revise.js';
import * as S from './schemas.js';

export function incidentRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;

  async function filtersOf(query: Static<typeof S.IncidentQuery>) {
    const common = await commonListQuery(db, query);
    const filters: IncidentFilters = {};
    for (const key of ['from', 'to', 'bbox', 'owner', 'q'] as const) if (common[key] !== undefined) (filters as Record<string, unknown>)[key] = common[key];
    if (query.severity) filters.severity = query.severity;
    if (query.status) filters.status = query.status;
    if (query.type) filters.type = query.type;
    return { common, filters };
  }

  return async (plain) => {
    const app = plain as VigilApp;

    recordReadRoutes(app, kernel, { kind: 'incident', plural: 'incidents', path: '/incidents', tag: 'incidents', query: S.IncidentQuery, record: S.Incident, filtersOf, list: listIncidents, count: countIncidents, load: getIncident });

    app.get(
      '/incidents/:id/timeline',
      { schema: { tags: ['incidents'], summary: "An incident's timeline, oldest first", params: IdParams, querystring: S.TimelineQuery, response: { 200: PageOf(S.TimelineEntry) } } },
      async (request) => {
        const incident = await getIncident(db, principalOf(request), request.params.id);
        if (!incident) throw notFound('incident', request.params.id);
        return asPage(await readTimeline(db, incident.id, request.query.limit ?? 200, decodeCursor(request.query.cursor), principalOf(request)));
      },
    );

    app.post('/incidents', { schema: { tags: ['incidents'], summary: 'Open an incident for your organisation, optionally from alerts', body: S.NewIncident, response: { 201: S.Incident } } }, async (request, reply) => {
      const principal = requirePermission(request, 'records:write');
      const body = request.body;
      let location: Geometry | null = null;
      if (body.location) {
        const problem = geometryProblem(body.location);
        if (problem) throw badRequest(`Invalid GeoJSON location: ${problem}`);
        location = body.location as Geometry;
      }
      const missingAssets = await invisibleAssets(db, principal, body.assetIds ?? []);
      if (missingAssets.length > 0) throw unprocessable(`These assets do not exist: ${missingAssets.join(', ')}`);
      const alerts = await visibleAlerts(db, principal, body.alertIds ?? []);
      const sharing = await initialSharing(db, principal, body);
      const draft = {
        title: body.title,
        description: body.description ?? '',
        severity: body.severity,
        status: body.status ?? 'open',
        type: body.type ?? 'general',
        location,
        assetIds: body.assetIds ?? [],
      } as const;
      const incident = await kernel.write(actorFor(request), async (w) => {
        if (alerts.length === 0) return openIncident(w, principal, draft, [], sharing);
        // An alert already in another incident of the organisation moves to the new one: each stays in exactly one.
        await holdAlertMoves(w);
        const opened = await openIncident(w, principal, draft, alerts, sharing);
        await releaseFromOtherIncidents(w, principal, opened, alerts.map((a) => a.id));
        return opened;
      });
      return reply.code(201).send(incident);
    });

    app.patch('/incidents/:id', { schema: { tags: ['incidents'], summary: 'Change an incident of your organisation', params: IdParams, body: S.IncidentChange, response: { 200: S.Incident } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      const { version, ...change } = request.body;
      const seen = expectedVersion(request, version);
      return kernel.write(actorFor(request), async (w) => {
        const current = await getIncident(w.tx, principal, request.params.id);
        if (!current) throw notFound('incident', request.params.id);
        if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may change this incident');
        return reviseIncident(w, principal, current, seen, change);
      });
    });

    app.post(
      '/incidents/:id/notes',
      { schema: { tags: ['incidents'], summary: 'Add a note to an incident you may see (partners too)', params: IdParams, body: S.NewNote, response: { 201: S.TimelineEntry } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:contribute');
        const entry = await kernel.write(actorFor(request), async (w) => {
          const incident = await getIncident(w.tx, principal, request.params.id);
          if (!incident) throw notFound('incident', request.params.id);
          const { text, tlp, distribution } = request.body;
          return addLabelledNote(w, incident, text, requestedLabel(incident, tlp, distribution));
        });
        return reply.code(201).send(entry);
      },
    );

    app.post(
      '/incidents/:id/alerts',
      { schema: { tags: ['incidents'], summary: 'Add alerts you may see to an incident of your organisation', params: IdParams, body: S.AddAlerts, response: { 200: S.Incident } } },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const alerts = await visibleAlerts(db, principal, request.body.alertIds);
        return kernel.write(actorFor(request), async (w) => {
          // Adding is merging without evidence: alerts in another incident of the organisation move here.
          await holdAlertMoves(w);
          const incident = await getIncident(w.tx, principal, request.params.id);
          if (!incident) throw notFound('incident', request.params.id);
          if (incident.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may add alerts to this incident');
          return (await mergeAlertsInto(w, principal, incident, incident.version, alerts, [])).incident;
        });
      },
    );

    shareRoute(app, kernel, { kind: 'incident', table: 'incidents', path: '/incidents', response: S.Incident, load: getIncident });
  };
}

async function visibleAlerts(db: Queryable, viewer: Viewer, ids: string[]): Promise<Alert[]> {
  const alerts: Alert[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const alert = await getAlert(db, viewer, id);
    if (alert) alerts.push(alert);
    else missing.push(id);
  }
  if (missing.length > 0) throw unprocessable(`These alerts do not exist: ${missing.join(', ')}`);
  return alerts;
}
