import type { FastifyPluginAsync } from 'fastify';
import { type Alert, getAlert } from '../alerts/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import { type VigilApp, actorFor, notFound, principalOf, requirePermission } from '../kernel/http/index.js';
import { IdParams, PageOf } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import { type Viewer, visibleTo } from '../kernel/sharing/index.js';
import { listImportedEvidence } from './evidence.js';
import * as L from './lifecycle-schemas.js';
import { mergeAlertsInto, mergeIncidentInto, splitIncident } from './merge.js';
import { getIncident } from './queries.js';
import { expectedVersion, holdAlertMoves, linkIncidents, requireOwner, reviseIncident, unlinkIncidents } from './revise.js';
import * as S from './schemas.js';

/** Reopen, links, merge and split, and the reasons each alert is in an incident. */
export function incidentLifecycleRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  const tags = ['incidents'];

  return async (plain) => {
    const app = plain as VigilApp;

    app.post(
      '/incidents/:id/reopen',
      { schema: { tags, summary: 'Reopen a closed incident of your organisation (back to triage, with a reason)', params: IdParams, body: L.Reopen, response: { 200: S.Incident } } },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const seen = expectedVersion(request, request.body.version);
        return kernel.write(actorFor(request), async (w) => {
          const current = await getIncident(w.tx, principal, request.params.id);
          if (!current) throw notFound('incident', request.params.id);
          requireOwner(current, principal, 'reopen this incident');
          return reviseIncident(w, principal, current, seen, { status: 'triage', reason: request.body.reason });
        });
      },
    );

    app.post(
      '/incidents/:id/links',
      { schema: { tags, summary: 'Link an incident of your organisation to another incident you see', params: IdParams, body: L.Link, response: { 200: S.Incident } } },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const seen = expectedVersion(request, request.body.version);
        return kernel.write(actorFor(request), async (w) => {
          const current = await getIncident(w.tx, principal, request.params.id);
          if (!current) throw notFound('incident', request.params.id);
          requireOwner(current, principal, 'link this incident');
          const other = await getIncident(w.tx, principal, request.body.incidentId);
          if (!other) throw notFound('incident', request.body.incidentId);
          return linkIncidents(w, principal, current, seen, other);
        });
      },
    );

    app.delete(
      '/incidents/:id/links/:linkedId',
      { schema: { tags, summary: 'Unlink two incidents (version as If-Match or ?version=)', params: L.LinkParams, querystring: L.VersionQuery, response: { 200: S.Incident } } },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const seen = expectedVersion(request, request.query.version);
        return kernel.write(actorFor(request), async (w) => {
          const current = await getIncident(w.tx, principal, request.params.id);
          if (!current) throw notFound('incident', request.params.id);
          requireOwner(current, principal, 'unlink this incident');
          // Only links the caller sees can be removed: an unseen incident stays unseen (404 like any other).
          if (!(await getIncident(w.tx, principal, request.params.linkedId))) throw notFound('incident', request.params.linkedId);
          return unlinkIncidents(w, principal, current, seen, request.params.linkedId);
        });
      },
    );

    app.post(
      '/incidents/:id/merge-alerts',
      {
        schema: {
          tags,
          summary: 'Merge alerts you see into an incident of your organisation, importing the evidence and indicators you choose',
          params: IdParams,
          body: L.MergeAlerts,
          response: { 200: L.MergeAlertsResult },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const seen = expectedVersion(request, request.body.version);
        return kernel.write(actorFor(request), async (w) => {
          await holdAlertMoves(w);
          const target = await getIncident(w.tx, principal, request.params.id);
          if (!target) throw notFound('incident', request.params.id);
          requireOwner(target, principal, 'merge alerts into this incident');
          const alerts = await seenAlerts(w.tx, principal, request.body.alertIds);
          return mergeAlertsInto(w, principal, target, seen, alerts, request.body.import ?? []);
        });
      },
    );

    app.post(
      '/incidents/:id/merge',
      {
        schema: {
          tags,
          summary: 'Merge this incident into another of your organisation: its alerts move, it closes as merged',
          params: IdParams,
          body: L.MergeIncident,
          response: { 200: L.MergeIncidentResult },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const seen = expectedVersion(request, request.body.version);
        return kernel.write(actorFor(request), async (w) => {
          await holdAlertMoves(w);
          const source = await getIncident(w.tx, principal, request.params.id);
          if (!source) throw notFound('incident', request.params.id);
          const target = await getIncident(w.tx, principal, request.body.intoIncidentId);
          if (!target) throw notFound('incident', request.body.intoIncidentId);
          requireOwner(source, principal, 'merge this incident');
          requireOwner(target, principal, 'merge into that incident');
          return mergeIncidentInto(w, principal, source, seen, target, request.body.intoVersion);
        });
      },
    );

    app.post(
      '/incidents/:id/split',
      { schema: { tags, summary: 'Move chosen alerts out of an incident of your organisation to a new incident', params: IdParams, body: L.Split, response: { 201: L.SplitResult } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const { alertIds, version, ...draft } = request.body;
        const seen = expectedVersion(request, version);
        const result = await kernel.write(actorFor(request), async (w) => {
          await holdAlertMoves(w);
          const source = await getIncident(w.tx, principal, request.params.id);
          if (!source) throw notFound('incident', request.params.id);
          requireOwner(source, principal, 'split this incident');
          return splitIncident(w, principal, source, seen, alertIds, draft);
        });
        return reply.code(201).send(result);
      },
    );

    app.get(
      '/incidents/:id/alerts',
      { schema: { tags, summary: 'Why each alert you see is in this incident (the rule and the shared value, or a person)', params: IdParams, response: { 200: PageOf(L.IncidentAlert) } } },
      async (request) => {
        const principal = principalOf(request);
        const incident = await getIncident(db, principal, request.params.id);
        if (!incident) throw notFound('incident', request.params.id);
        const rows = await db
          .selectFrom('incident_alerts')
          .innerJoin('alerts', 'alerts.id', 'incident_alerts.alert_id')
          .select(['incident_alerts.alert_id', 'incident_alerts.added_at', 'incident_alerts.reason'])
          .where('incident_alerts.incident_id', '=', incident.id)
          .where(visibleTo(principal, 'alerts'))
          .orderBy('incident_alerts.added_at')
          .execute();
        const reasons = rows.map((r) => JSON.parse(r.reason) as Record<string, unknown>);
        // A reason may name the earlier alert that shared the value; one the viewer may not see is not named.
        const named = [...new Set(reasons.flatMap(namedAlerts))];
        const seen = new Set(
          named.length === 0 ? [] : (await db.selectFrom('alerts').select('id').where('id', 'in', named).where(visibleTo(principal, 'alerts')).execute()).map((a) => a.id),
        );
        return {
          items: rows.map((r, i) => ({ alertId: r.alert_id, addedAt: new Date(Number(r.added_at)).toISOString(), reason: withoutUnseen(reasons[i]!, seen) })),
          nextCursor: null,
        };
      },
    );

    app.get(
      '/incidents/:id/evidence',
      { schema: { tags, summary: 'Evidence and indicators imported into this incident from alerts you see', params: IdParams, response: { 200: PageOf(L.ImportedEvidence) } } },
      async (request) => {
        const principal = principalOf(request);
        const incident = await getIncident(db, principal, request.params.id);
        if (!incident) throw notFound('incident', request.params.id);
        return { items: await listImportedEvidence(db, principal, incident.id), nextCursor: null };
      },
    );
  };
}

/** The alerts, read inside the write; one the caller may not see is answered exactly like one that does not exist. */
async function seenAlerts(db: Queryable, viewer: Viewer, ids: string[]): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (const id of ids) {
    const alert = await getAlert(db, viewer, id);
    if (!alert) throw notFound('alert', id);
    alerts.push(alert);
  }
  return alerts;
}


function namedAlerts(reason: Record<string, unknown>): string[] {
  const inner = Array.isArray(reason.reasons) ? (reason.reasons as Array<Record<string, unknown>>) : [];
  return [reason.sharedWithAlertId, reason.alertId, ...inner.map((r) => r.alertId)].filter((v): v is string => typeof v === 'string');
}

function withoutUnseen(reason: Record<string, unknown>, seen: Set<string>): Record<string, unknown> {
  const hide = (v: unknown) => typeof v === 'string' && !seen.has(v);
  const out: Record<string, unknown> = { ...reason };
  for (const key of ['sharedWithAlertId', 'alertId']) if (hide(out[key])) delete out[key];
  if (Array.isArray(out.reasons)) {
    out.reasons = (out.reasons as Array<Record<string, unknown>>).map((r) => {
      if (!hide(r.alertId)) return r;
      const { alertId: _hidden, ...rest } = r;
      return rest;
    });
  }
  return out;
}
