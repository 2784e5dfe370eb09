import type { SelectQueryBuilder } from 'kysely';
import type { Queryable } from '../../kernel/db/connection.js';
import type { Database } from '../../kernel/db/schema.js';
import { after } from '../../kernel/db/list.js';
import { audienceOf } from '../../kernel/events/index.js';
import { type Position, type Slice, sliceOf } from '../../kernel/http/cursor.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { type Viewer, readSharing, visibleTo } from '../../kernel/sharing/index.js';
import type { PackedResults } from '../results/pack.js';
import type { ImpactReport } from '../sim/impact.js';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_STATUSES: RunStatus[] = ['queued', 'running'];

/** Why a run did not complete: EPANET's code, the simulated time and the element at fault when known. */
export interface RunFailure {
  message: string;
  run?: 'baseline' | 'scenario';
  time?: number;
  code?: number;
  element?: { kind: 'node' | 'link'; id: string };
  problems?: string[];
}

/** What lists and the live stream show of a finished run. */
export interface RunSummary {
  scenarioName: string;
  hours: number;
  impactScore: number;
  population: number;
  populationAffected: number;
  junctionsAffected: number;
  personHoursAdded: number;
  waterServiceAvailability: { scenario: number; baseline: number };
  unservedAdded: number;
  units: ImpactReport['scenario']['units'];
  tanksEmptied: string[];
  criticalConsumers: Array<{ node: string; name: string; assetId?: string; timeToImpact: number | null; contaminantArrival?: number | null; text: string }>;
  contamination?: { kind: 'chemical' | 'age'; units: string; threshold: number; junctionsExposed: number; populationExposed: number };
  timing: ImpactReport['timing'] & { packMs?: number };
}

export interface WaterRunRecord {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  networkId: string;
  networkVersion: number;
  status: RunStatus;
  /** 0..1 */
  progress: number;
  note: string;
  requestedByOrgId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  failure: RunFailure | null;
  summary: RunSummary | null;
  /** What is stored: the report, and the series and frames (kept for the newest runs of a scenario). */
  results: { report: boolean; series: 'none' | 'stored' | 'purged'; seriesBytes: number; reportTimes: number };
}

type RunRow = Database['water_runs'];

/** What a run's series and frames are indexed by: report times, and the nodes of a frame in order. */
export interface FrameIndex {
  times: number[];
  nodes: string[];
  junctions: number;
  reservoirs: number;
  tanks: number;
}

function frameIndexOf(packed: PackedResults): FrameIndex {
  const count = (type: string): number => packed.elements.filter((e) => e.type === type).length;
  return { times: packed.times, nodes: packed.frames.nodes, junctions: count('junction'), reservoirs: count('reservoir'), tanks: count('tank') };
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(Number(t)).toISOString());

export function runOf(row: RunRow): WaterRunRecord {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    scenarioVersion: row.scenario_version,
    networkId: row.network_id,
    networkVersion: row.network_version,
    status: row.status as RunStatus,
    progress: Number(row.progress),
    note: row.note,
    requestedByOrgId: row.requested_by_org,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    failure: row.failure ? (JSON.parse(row.failure) as RunFailure) : null,
    summary: row.summary ? (JSON.parse(row.summary) as RunSummary) : null,
    results: {
      report: row.report !== null,
      series: row.series_state as 'none' | 'stored' | 'purged',
      seriesBytes: Number(row.series_bytes),
      reportTimes: row.frame_index ? (JSON.parse(row.frame_index) as FrameIndex).times.length : 0,
    },
  };
}

/** Runs of the scenarios the viewer may see. */
function visibleRuns(db: Queryable, viewer: Viewer): SelectQueryBuilder<Database, 'water_runs' | 'water_scenarios', {}> {
  return db.selectFrom('water_runs').innerJoin('water_scenarios', 'water_scenarios.id', 'water_runs.scenario_id').where(visibleTo(viewer, 'water_scenarios'));
}

export async function getRun(db: Queryable, viewer: Viewer, id: string): Promise<WaterRunRecord | null> {
  const row = await visibleRuns(db, viewer).selectAll('water_runs').where('water_runs.id', '=', id).executeTakeFirst();
  return row ? runOf(row) : null;
}

/** A visible run's stored columns (report, junctions, times) for the results endpoints. */
export async function getRunRow(db: Queryable, viewer: Viewer, id: string): Promise<RunRow | null> {
  return (await visibleRuns(db, viewer).selectAll('water_runs').where('water_runs.id', '=', id).executeTakeFirst()) ?? null;
}

export async function listRuns(db: Queryable, viewer: Viewer, f: { scenario?: string; status?: RunStatus[] }, limit: number, cursor: Position | null): Promise<Slice<WaterRunRecord>> {
  let q = visibleRuns(db, viewer).selectAll('water_runs');
  if (f.scenario) q = q.where('water_runs.scenario_id', '=', f.scenario);
  if (f.status?.length) q = q.where('water_runs.status', 'in', f.status);
  const rows = await q.where(after('water_runs.created_at', 'water_runs.id', cursor)).orderBy('water_runs.created_at', 'desc').orderBy('water_runs.id', 'desc').limit(limit + 1).execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.created_at), id: r.id }));
  return { items: slice.items.map(runOf), next: slice.next };
}

export async function countActiveRuns(db: Queryable): Promise<number> {
  const row = await db.selectFrom('water_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ACTIVE_STATUSES).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Emits a run event to the scenario's audience as it is now. */
async function emitRun(w: Write, type: string, run: WaterRunRecord): Promise<void> {
  const sharing = await readSharing(w.tx, 'water_scenarios', run.scenarioId);
  if (!sharing) return;
  await w.emit({ type, recordKind: 'water-run', recordId: run.id, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: run });
}

async function reload(w: Write, id: string): Promise<WaterRunRecord> {
  return runOf(await w.tx.selectFrom('water_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

export async function insertRun(w: Write, input: { scenarioId: string; scenarioVersion: number; networkId: string; networkVersion: number }): Promise<WaterRunRecord> {
  const id = newId(w.now);
  await w.tx
    .insertInto('water_runs')
    .values({
      id, scenario_id: input.scenarioId, scenario_version: input.scenarioVersion, network_id: input.networkId, network_version: input.networkVersion,
      status: 'queued', progress: 0, note: 'waiting for a simulation worker', requested_by_org: w.actor.orgId, requested_by_user: w.actor.userId,
      created_at: w.now, started_at: null, finished_at: null, updated_at: w.now, failure: null, summary: null, report: null, junctions: null, frame_index: null,
      series_state: 'none', series_bytes: 0,
    })
    .execute();
  const run = await reload(w, id);
  await emitRun(w, 'water-run.queued', run);
  await w.audit({ action: 'water-run.start', targetKind: 'water-run', targetId: id, details: { scenarioId: input.scenarioId, scenarioVersion: input.scenarioVersion } });
  return run;
}

export async function markRunning(w: Write, id: string): Promise<WaterRunRecord | null> {
  const done = await w.tx.updateTable('water_runs').set({ status: 'running', started_at: w.now, updated_at: w.now, note: 'simulating' }).where('id', '=', id).where('status', '=', 'queued').executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return null;
  const run = await reload(w, id);
  await emitRun(w, 'water-run.started', run);
  return run;
}

export async function markProgress(w: Write, id: string, progress: number, note: string): Promise<void> {
  const done = await w.tx.updateTable('water_runs').set({ progress, note, updated_at: w.now }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
  if (Number(done.numUpdatedRows) > 0) await emitRun(w, 'water-run.progress', await reload(w, id));
}

/** Ends a run that produced no report: failed (with why) or cancelled. Only an active run changes. */
export async function endRun(w: Write, id: string, status: 'failed' | 'cancelled', failure: RunFailure | null, note: string): Promise<WaterRunRecord | null> {
  const done = await w.tx
    .updateTable('water_runs')
    .set({ status, failure: failure ? JSON.stringify(failure) : null, note, finished_at: w.now, updated_at: w.now })
    .where('id', '=', id)
    .where('status', 'in', ACTIVE_STATUSES)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return null;
  const run = await reload(w, id);
  await emitRun(w, `water-run.${status}`, run);
  return run;
}

export function summaryOf(report: ImpactReport, packMs?: number): RunSummary {
  const s = report.summary;
  return {
    scenarioName: report.scenario.name,
    hours: report.scenario.hours,
    impactScore: s.impactScore,
    population: s.population,
    populationAffected: s.populationAffected,
    junctionsAffected: s.junctionsAffected,
    personHoursAdded: s.personHoursWithoutService.added,
    waterServiceAvailability: s.waterServiceAvailability,
    unservedAdded: s.unservedDemand.added,
    units: report.scenario.units,
    tanksEmptied: report.tanks.filter((t) => t.emptiedAt !== null && t.baseline.emptiedAt === null).map((t) => t.tank),
    criticalConsumers: report.criticalConsumers.map((c) => ({
      node: c.node, name: c.name, ...(c.assetId ? { assetId: c.assetId } : {}), timeToImpact: c.timeToImpact,
      ...(c.contaminantArrival !== undefined ? { contaminantArrival: c.contaminantArrival } : {}), text: c.text,
    })),
    ...(report.contamination
      ? { contamination: { kind: report.contamination.kind, units: report.contamination.units, threshold: report.contamination.threshold, junctionsExposed: report.contamination.junctionsExposed, populationExposed: report.contamination.populationExposed } }
      : {}),
    timing: { ...report.timing, ...(packMs !== undefined ? { packMs } : {}) },
  };
}

function failureOf(report: ImpactReport): RunFailure | null {
  const f = report.failure;
  if (!f) return null;
  return { message: f.message, run: f.run, time: f.time, code: f.code, ...(f.element ? { element: f.element } : {}) };
}

const SERIES_BATCH = 200;

/**
 * Stores a finished simulation: the report and the summary on the run, the series per element and the
 * animation frames in their own rows. A report whose status is "failed" (EPANET stopped at some time
 * step) is stored as well, with what was simulated until then, and the run is failed with the reason.
 */
export async function completeRun(w: Write, id: string, report: ImpactReport, packed: PackedResults | undefined, packMs?: number): Promise<WaterRunRecord | null> {
  const status: RunStatus = report.status === 'completed' ? 'completed' : report.status === 'cancelled' ? 'cancelled' : 'failed';
  const failure = failureOf(report);
  const note = status === 'completed' ? 'done' : failure ? `failed at ${Math.round((failure.time ?? 0) / 60)} min: ${failure.message}` : status;
  const done = await w.tx
    .updateTable('water_runs')
    .set({
      status, progress: status === 'completed' ? 1 : undefined, note, finished_at: w.now, updated_at: w.now,
      failure: failure ? JSON.stringify(failure) : null,
      summary: JSON.stringify(summaryOf(report, packMs)),
      report: JSON.stringify(report),
      junctions: packed ? JSON.stringify(packed.junctions) : null,
      frame_index: packed ? JSON.stringify(frameIndexOf(packed)) : null,
      series_state: packed ? 'stored' : 'none',
      series_bytes: packed?.bytes ?? 0,
    })
    .where('id', '=', id)
    .where('status', 'in', ACTIVE_STATUSES)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return null;
  if (packed) {
    for (let i = 0; i < packed.elements.length; i += SERIES_BATCH) {
      const batch = packed.elements.slice(i, i + SERIES_BATCH);
      await w.tx
        .insertInto('water_run_series')
        .values(batch.map((e) => ({ run_id: id, element_kind: e.kind, element: e.id, element_type: e.type, quantities: e.quantities.join(','), points: e.points, data: Buffer.from(e.data) })))
        .execute();
    }
    if (packed.frames.chunks.length) {
      await w.tx
        .insertInto('water_run_frames')
        .values(packed.frames.chunks.map((c, k) => ({ run_id: id, chunk: k, first_step: c.firstStep, steps: c.steps, data: Buffer.from(c.data) })))
        .execute();
    }
  }
  const run = await reload(w, id);
  await emitRun(w, `water-run.${status}`, run);
  return run;
}

/** Drops the series and frames of all but the newest `keep` runs of a scenario that have them. */
export async function purgeOldSeries(w: Write, scenarioId: string, keep: number): Promise<number> {
  const rows = await w.tx.selectFrom('water_runs').select('id').where('scenario_id', '=', scenarioId).where('series_state', '=', 'stored').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const old = rows.slice(keep).map((r) => r.id);
  if (old.length === 0) return 0;
  await w.tx.deleteFrom('water_run_series').where('run_id', 'in', old).execute();
  await w.tx.deleteFrom('water_run_frames').where('run_id', 'in', old).execute();
  await w.tx.updateTable('water_runs').set({ series_state: 'purged', series_bytes: 0 }).where('id', 'in', old).execute();
  return old.length;
}

/** Runs left queued or running by a server that stopped: they will never finish, so they are failed. */
export async function activeRunIds(db: Queryable): Promise<string[]> {
  const rows = await db.selectFrom('water_runs').select('id').where('status', 'in', ACTIVE_STATUSES).execute();
  return rows.map((r) => r.id);
}

export async function readElementSeries(db: Queryable, runId: string, kind: 'node' | 'link', element: string): Promise<Database['water_run_series'] | null> {
  return (await db.selectFrom('water_run_series').selectAll().where('run_id', '=', runId).where('element_kind', '=', kind).where('element', '=', element).executeTakeFirst()) ?? null;
}

export async function readFrameChunks(db: Queryable, runId: string, fromStep: number, toStep: number): Promise<Array<Database['water_run_frames']>> {
  return db
    .selectFrom('water_run_frames')
    .selectAll()
    .where('run_id', '=', runId)
    .where('first_step', '<=', toStep)
    .orderBy('chunk')
    .execute()
    .then((rows) => rows.filter((r) => r.first_step + r.steps > fromStep));
}
