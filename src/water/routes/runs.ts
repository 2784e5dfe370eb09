import type { FastifyPluginAsync } from 'fastify';
import { type VigilApp, actorFor, asPage, badRequest, conflict, decodeCursor, forbidden, notFound, principalOf, requirePermission } from '../../kernel/http/index.js';
import { IdParams, PageOf } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { decimationIndices } from '../results/decimate.js';
import { FRAME_LEGEND } from '../results/frames.js';
import { decodeFloats, decodeFrames } from '../results/pack.js';
import type { WaterRuntime } from '../runtime.js';
import type { ImpactReport } from '../sim/impact.js';
import { ACTIVE_STATUSES, endRun, getRun, getRunRow, listRuns, readElementSeries, readFrameChunks, type FrameIndex, type RunSummary } from '../store/runs.js';
import { getScenario } from '../store/scenarios.js';
import * as S from '../http-schemas.js';

export function runRoutes(kernel: Kernel, runtime: WaterRuntime): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;

    app.get('/water/runs', { schema: { tags: ['water'], summary: 'Runs of the scenarios you may see, newest first', querystring: S.RunQuery, response: { 200: PageOf(S.Run) } } }, async (request) => {
      const q = request.query;
      return asPage(await listRuns(db, principalOf(request), { ...(q.scenario ? { scenario: q.scenario } : {}), ...(q.status ? { status: q.status } : {}) }, q.limit ?? 100, decodeCursor(q.cursor)));
    });

    app.get('/water/runs/:id', { schema: { tags: ['water'], summary: 'One run: status, progress, failure, impact summary', params: IdParams, response: { 200: S.Run } } }, async (request) => {
      const run = await getRun(db, principalOf(request), request.params.id);
      if (!run) throw notFound('water run', request.params.id);
      return run;
    });

    app.delete('/water/runs/:id', { schema: { tags: ['water'], summary: 'Cancel a run that is waiting or running (its requester or the scenario owner)', params: IdParams, response: { 200: S.Run } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      const run = await getRun(db, principal, request.params.id);
      if (!run) throw notFound('water run', request.params.id);
      const scenario = await getScenario(db, principal, run.scenarioId);
      if (run.requestedByOrgId !== principal.orgId && scenario?.ownerOrgId !== principal.orgId) throw forbidden('Only the organisation that started the run or owns the scenario may cancel it');
      if (!ACTIVE_STATUSES.includes(run.status)) throw conflict(`The run has already finished (${run.status})`);
      // The worker stops between two time steps; the run records "cancelled" itself.
      if (runtime.cancel(run.id)) await runtime.settled(run.id);
      else await kernel.write(actorFor(request), (w) => endRun(w, run.id, 'cancelled', null, 'cancelled'));
      return (await getRun(db, principal, run.id))!;
    });

    app.get('/water/runs/:id/report', { schema: { tags: ['water'], summary: 'The full impact report of a finished run (docs/water.md "Impact metrics")', params: IdParams } }, async (request, reply) => {
      const row = await getRunRow(db, principalOf(request), request.params.id);
      if (!row) throw notFound('water run', request.params.id);
      if (!row.report) throw conflict(`The run has no report (${row.status})`);
      return reply.type('application/json; charset=utf-8').send(row.report);
    });

    app.get(
      '/water/runs/:id/impact',
      { schema: { tags: ['water'], summary: 'The impact for the map and charts: summary, critical consumers, tanks, timeline, and every junction that lost service or saw the contaminant', params: IdParams, response: { 200: S.ImpactOut } } },
      async (request) => {
        const row = await getRunRow(db, principalOf(request), request.params.id);
        if (!row) throw notFound('water run', request.params.id);
        if (!row.report) throw conflict(`The run has no report (${row.status})`);
        const report = JSON.parse(row.report) as ImpactReport;
        const junctions = row.junctions ? (JSON.parse(row.junctions) as Array<{ hoursWithoutService: number; unserved: number; contaminantAbove?: number | null }>) : [];
        return {
          runId: row.id,
          status: row.status,
          scenario: report.scenario,
          summary: report.summary,
          criticalConsumers: report.criticalConsumers,
          tanks: report.tanks,
          contamination: report.contamination ?? null,
          events: report.events,
          timeline: report.timeline,
          junctions: junctions.filter((j) => j.hoursWithoutService > 0 || j.unserved > 0 || (j.contaminantAbove ?? null) !== null),
          failure: row.failure ? JSON.parse(row.failure) : null,
        };
      },
    );

    app.get(
      '/water/runs/:id/series',
      { schema: { tags: ['water'], summary: 'Time series of one element (?node= or ?link=), decimated for charts (?points=, default 500)', params: IdParams, querystring: S.SeriesQuery, response: { 200: S.SeriesOut } } },
      async (request) => {
        const { node, link, points } = request.query;
        if ((node === undefined) === (link === undefined)) throw badRequest('Give either node or link');
        const row = await getRunRow(db, principalOf(request), request.params.id);
        if (!row) throw notFound('water run', request.params.id);
        if (row.series_state !== 'stored' || !row.frame_index) throw conflict(row.series_state === 'purged' ? 'The series of this run were dropped (only the newest runs of a scenario keep them): run the scenario again' : `The run has no series (${row.status})`);
        const kind = node !== undefined ? 'node' : 'link';
        const element = (node ?? link)!;
        const stored = await readElementSeries(db, row.id, kind, element);
        if (!stored) throw notFound(kind, element);
        const index = JSON.parse(row.frame_index) as FrameIndex;
        const quantities = stored.quantities.split(',');
        const columns = decodeFloats(stored.data, quantities.length, stored.points);
        const keep = decimationIndices(index.times, columns[0]!, points ?? 500);
        const units = unitsOf(row.summary ? (JSON.parse(row.summary) as RunSummary) : null);
        const value = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);
        return {
          runId: row.id,
          element,
          kind,
          type: stored.element_type,
          points: stored.points,
          returned: keep.length,
          units: Object.fromEntries(quantities.map((q) => [q, units[q] ?? ''])),
          times: keep.map((i) => index.times[i]!),
          series: Object.fromEntries(quantities.map((q, c) => [q, keep.map((i) => value(columns[c]![i]!))])),
        };
      },
    );

    app.get(
      '/water/runs/:id/frames',
      {
        schema: {
          tags: ['water'],
          summary: 'Node states per report time for the map animation: one byte per node (pressure class, service, contaminant, affected), base64 per frame',
          params: IdParams,
          querystring: S.FramesQuery,
          response: { 200: S.FramesOut },
        },
      },
      async (request) => {
        const row = await getRunRow(db, principalOf(request), request.params.id);
        if (!row) throw notFound('water run', request.params.id);
        if (row.series_state !== 'stored' || !row.frame_index) throw conflict(row.series_state === 'purged' ? 'The frames of this run were dropped (only the newest runs of a scenario keep them): run the scenario again' : `The run has no frames (${row.status})`);
        const index = JSON.parse(row.frame_index) as FrameIndex;
        const last = index.times.length - 1;
        const from = Math.min(request.query.from ?? 0, last);
        const to = Math.min(request.query.to ?? last, last);
        if (to < from) throw badRequest('"to" is before "from"');
        const every = request.query.every ?? 1;
        const steps: number[] = [];
        for (let s = from; s <= to; s += every) steps.push(s);
        const wanted = new Set(steps);
        const frames = new Map<number, string>();
        for (const chunk of await readFrameChunks(db, row.id, from, to)) {
          decodeFrames({ data: chunk.data, steps: chunk.steps }, index.nodes.length).forEach((codes, i) => {
            const step = chunk.first_step + i;
            if (wanted.has(step)) frames.set(step, Buffer.from(codes).toString('base64'));
          });
        }
        return {
          runId: row.id,
          encoding: 'base64' as const,
          nodes: index.nodes,
          nodeTypes: { junctions: index.junctions, reservoirs: index.reservoirs, tanks: index.tanks },
          legend: FRAME_LEGEND,
          steps,
          times: steps.map((s) => index.times[s]!),
          frames: steps.map((s) => frames.get(s) ?? ''),
        };
      },
    );
  };
}

function unitsOf(summary: RunSummary | null): Record<string, string> {
  const u = summary?.units;
  if (!u) return {};
  const quality = summary.contamination ? summary.contamination.units : '';
  return { pressure: u.pressure, demand: u.flow, expectedDemand: u.flow, flow: u.flow, level: u.length, quality, status: '1 open, 0 closed' };
}
