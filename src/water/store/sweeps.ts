import type { Queryable } from '../../kernel/db/connection.js';
import type { Database } from '../../kernel/db/schema.js';
import { after } from '../../kernel/db/list.js';
import { audienceOf } from '../../kernel/events/index.js';
import { type Position, type Slice, sliceOf } from '../../kernel/http/cursor.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { type Distribution, type Sharing, type Tlp, type Viewer, readSharing, sharingColumns, sharingOf, visibleTo } from '../../kernel/sharing/index.js';
import type { SweepKind, SweepResult } from '../sweep.js';
import { ACTIVE_STATUSES, type RunStatus } from './runs.js';

export interface SweepSettingsRecord {
  /** Settings every scenario shares (hours, demand model, critical consumers, ...). */
  settings: Record<string, unknown>;
  limit?: number;
  minDiameter?: number;
}

export interface WaterSweepRecord {
  id: string;
  networkId: string;
  networkVersion: number;
  kind: SweepKind;
  settings: SweepSettingsRecord;
  status: RunStatus;
  progress: number;
  scenarios: number;
  note: string;
  /** The ranking, worst first, once completed. */
  result: SweepResult | null;
  failure: { message: string } | null;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  version: number;
}

type SweepRow = Database['water_sweeps'];
const iso = (t: number | null): string | null => (t === null ? null : new Date(Number(t)).toISOString());

async function toRecords(db: Queryable, rows: SweepRow[]): Promise<WaterSweepRecord[]> {
  return rows.map((row) => {
    const sharing = sharingOf(row);
    return {
      id: row.id,
      networkId: row.network_id,
      networkVersion: row.network_version,
      kind: row.kind as SweepKind,
      settings: JSON.parse(row.settings) as SweepSettingsRecord,
      status: row.status as RunStatus,
      progress: Number(row.progress),
      scenarios: row.scenarios,
      note: row.note,
      result: row.result ? (JSON.parse(row.result) as SweepResult) : null,
      failure: row.failure ? (JSON.parse(row.failure) as { message: string }) : null,
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: iso(row.created_at)!,
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      updatedAt: iso(row.updated_at)!,
      version: row.version,
    };
  });
}

export async function getSweep(db: Queryable, viewer: Viewer, id: string): Promise<WaterSweepRecord | null> {
  const row = await db.selectFrom('water_sweeps').selectAll().where(visibleTo(viewer, 'water_sweeps')).where('id', '=', id).executeTakeFirst();
  return row ? ((await toRecords(db, [row]))[0] ?? null) : null;
}

export async function listSweeps(db: Queryable, viewer: Viewer, f: { network?: string }, limit: number, cursor: Position | null): Promise<Slice<WaterSweepRecord>> {
  let q = db.selectFrom('water_sweeps').selectAll().where(visibleTo(viewer, 'water_sweeps'));
  if (f.network) q = q.where('network_id', '=', f.network);
  const rows = await q.where(after('water_sweeps.created_at', 'water_sweeps.id', cursor)).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.created_at), id: r.id }));
  return { items: await toRecords(db, slice.items), next: slice.next };
}

async function reload(w: Write, id: string): Promise<WaterSweepRecord> {
  const row = await w.tx.selectFrom('water_sweeps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return (await toRecords(w.tx, [row]))[0]!;
}

async function emitSweep(w: Write, type: string, sweep: WaterSweepRecord): Promise<void> {
  const sharing = await readSharing(w.tx, 'water_sweeps', sweep.id);
  if (sharing) await w.emit({ type, recordKind: 'water-sweep', recordId: sweep.id, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: sweep });
}

export async function insertSweep(
  w: Write,
  input: { networkId: string; networkVersion: number; kind: SweepKind; settings: SweepSettingsRecord; scenarios: number },
  sharing: Sharing,
): Promise<WaterSweepRecord> {
  const id = newId(w.now);
  await w.tx
    .insertInto('water_sweeps')
    .values({
      id, ...sharingColumns(sharing), network_id: input.networkId, network_version: input.networkVersion, kind: input.kind,
      settings: JSON.stringify(input.settings), status: 'queued', progress: 0, scenarios: input.scenarios, note: 'waiting for simulation workers',
      requested_by_user: w.actor.userId, result: null, failure: null, created_at: w.now, started_at: null, finished_at: null, updated_at: w.now, version: 1,
    })
    .execute();
  const sweep = await reload(w, id);
  await emitSweep(w, 'water-sweep.queued', sweep);
  await w.audit({ action: 'water-sweep.start', targetKind: 'water-sweep', targetId: id, details: { networkId: input.networkId, kind: input.kind, scenarios: input.scenarios, tlp: sharing.tlp } });
  return sweep;
}

export async function updateSweep(
  w: Write,
  id: string,
  change: { status?: RunStatus; progress?: number; note?: string; result?: SweepResult; failure?: { message: string } },
  eventType: string,
): Promise<WaterSweepRecord | null> {
  const finished = change.status !== undefined && !ACTIVE_STATUSES.includes(change.status);
  const done = await w.tx
    .updateTable('water_sweeps')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.status === 'running' ? { started_at: w.now } : {}),
      ...(finished ? { finished_at: w.now } : {}),
      ...(change.progress !== undefined ? { progress: change.progress } : {}),
      ...(change.note !== undefined ? { note: change.note } : {}),
      ...(change.result ? { result: JSON.stringify(change.result) } : {}),
      ...(change.failure ? { failure: JSON.stringify(change.failure) } : {}),
      updated_at: w.now,
    })
    .where('id', '=', id)
    .where('status', 'in', ACTIVE_STATUSES)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return null;
  const sweep = await reload(w, id);
  await emitSweep(w, eventType, sweep);
  return sweep;
}

export async function activeSweepIds(db: Queryable): Promise<string[]> {
  return (await db.selectFrom('water_sweeps').select('id').where('status', 'in', ACTIVE_STATUSES).execute()).map((r) => r.id);
}
