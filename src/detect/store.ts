/** Stored detector settings and trained models of each organisation (the detection capability's queries). */
import type { Queryable } from '../kernel/db/connection.js';
import { newId } from '../kernel/ids.js';
import type { Write } from '../kernel/kernel.js';
import { parseScadaModel, type ScadaModel } from './scada/model.js';

export interface StoredSettings {
  detectors: unknown[];
  version: number;
  updatedAt: string | null;
}

export async function readSettings(db: Queryable, orgId: string): Promise<StoredSettings> {
  const row = await db.selectFrom('detector_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!row) return { detectors: [], version: 0, updatedAt: null };
  return { detectors: JSON.parse(row.settings) as unknown[], version: row.version, updatedAt: new Date(Number(row.updated_at)).toISOString() };
}

export async function saveSettings(w: Write, orgId: string, detectors: unknown[], previous: number): Promise<StoredSettings> {
  const version = previous + 1;
  const values = { settings: JSON.stringify(detectors), version, updated_at: w.now, updated_by: w.actor.userId ?? w.actor.tokenId };
  if (previous === 0) await w.tx.insertInto('detector_settings').values({ org_id: orgId, ...values }).execute();
  else await w.tx.updateTable('detector_settings').set(values).where('org_id', '=', orgId).execute();
  await w.audit({ orgId, action: 'detectors.update', targetKind: 'detector-settings', targetId: orgId, details: { version, detectors: detectors.length } });
  return { detectors, version, updatedAt: new Date(w.now).toISOString() };
}

export interface ModelInfo {
  name: string;
  version: number;
  fingerprint: string;
  tags: number;
  checks: number;
  trainingHours: number;
  trainedFrom: string;
  trainedTo: string;
  createdAt: string;
}

function infoOf(row: { name: string; version: number; fingerprint: string; created_at: number }, model: ScadaModel): ModelInfo {
  return {
    name: row.name,
    version: row.version,
    fingerprint: row.fingerprint,
    tags: model.tags.length,
    checks: model.checks.length,
    trainingHours: model.training.hours,
    trainedFrom: model.training.from,
    trainedTo: model.training.to,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

/** Stores a (checked) model as the next version of `name`. */
export async function saveModel(w: Write, orgId: string, name: string, model: ScadaModel): Promise<ModelInfo> {
  const last = await w.tx.selectFrom('detector_models').select('version').where('org_id', '=', orgId).where('name', '=', name).orderBy('version', 'desc').executeTakeFirst();
  const row = {
    id: newId(w.now),
    org_id: orgId,
    name,
    version: (last?.version ?? 0) + 1,
    fingerprint: model.training.fingerprint,
    model: JSON.stringify(model),
    created_at: w.now,
    created_by: w.actor.userId ?? w.actor.tokenId,
  };
  await w.tx.insertInto('detector_models').values(row).execute();
  await w.audit({ orgId, action: 'detector-model.store', targetKind: 'detector-model', targetId: row.id, details: { name, version: row.version, fingerprint: row.fingerprint } });
  return infoOf(row, model);
}

export async function listModels(db: Queryable, orgId: string): Promise<ModelInfo[]> {
  const rows = await db.selectFrom('detector_models').selectAll().where('org_id', '=', orgId).orderBy('name').orderBy('version', 'desc').execute();
  return rows.map((r) => infoOf(r, JSON.parse(r.model) as ScadaModel));
}

/** `name` (its newest version) or `name@version`. */
export function modelReference(ref: string): { name: string; version: number | null } {
  const at = ref.lastIndexOf('@');
  if (at > 0 && /^\d+$/.test(ref.slice(at + 1))) return { name: ref.slice(0, at), version: Number(ref.slice(at + 1)) };
  return { name: ref, version: null };
}

/** Every model the settings name, parsed; a model that no longer parses is left out (the settings then name a missing model). */
export async function loadModels(db: Queryable, orgId: string, refs: string[]): Promise<Map<string, ScadaModel>> {
  const out = new Map<string, ScadaModel>();
  for (const ref of new Set(refs)) {
    const { name, version } = modelReference(ref);
    let q = db.selectFrom('detector_models').select('model').where('org_id', '=', orgId).where('name', '=', name);
    q = version === null ? q.orderBy('version', 'desc') : q.where('version', '=', version);
    const row = await q.executeTakeFirst();
    if (!row) continue;
    try {
      out.set(ref, parseScadaModel(JSON.parse(row.model)));
    } catch {
      // reported as a settings problem by the caller
    }
  }
  return out;
}

export async function readModel(db: Queryable, orgId: string, ref: string): Promise<ScadaModel | null> {
  return (await loadModels(db, orgId, [ref])).get(ref) ?? null;
}
