import type { SelectQueryBuilder } from 'kysely';
import type { Queryable } from '../../kernel/db/connection.js';
import type { Database } from '../../kernel/db/schema.js';
import { after, textMatches } from '../../kernel/db/list.js';
import { audienceOf } from '../../kernel/events/index.js';
import { type Position, type Slice, sliceOf } from '../../kernel/http/cursor.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { type Distribution, type Sharing, type Tlp, type Viewer, sharingColumns, sharingOf, visibleTo } from '../../kernel/sharing/index.js';
import type { Scenario } from '../scenario/model.js';

/** A scenario as the API shows it: the record and one of its versions (the newest by default). */
export interface WaterScenarioRecord {
  id: string;
  networkId: string;
  name: string;
  description: string;
  sourceIncidentId: string | null;
  /** The newest version; PUT with this number to add the next one. */
  version: number;
  /** The version whose definition is shown. */
  shownVersion: number;
  networkVersion: number;
  definition: Scenario;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  versionCreatedAt: string;
}

type ScenarioRow = Database['water_scenarios'];
type VersionRow = Database['water_scenario_versions'];

export interface ScenarioFilters {
  network?: string;
  owner?: string;
  q?: string;
  sourceIncident?: string;
}

function filtered(db: Queryable, viewer: Viewer, f: ScenarioFilters): SelectQueryBuilder<Database, 'water_scenarios', {}> {
  let q = db.selectFrom('water_scenarios').where(visibleTo(viewer, 'water_scenarios'));
  if (f.network) q = q.where('network_id', '=', f.network);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.sourceIncident) q = q.where('source_incident_id', '=', f.sourceIncident);
  if (f.q) q = q.where(textMatches(['water_scenarios.name', 'water_scenarios.description'], f.q));
  return q;
}

async function toRecords(db: Queryable, rows: ScenarioRow[], versionOf: (row: ScenarioRow) => number): Promise<WaterScenarioRecord[]> {
  if (rows.length === 0) return [];
  const out: WaterScenarioRecord[] = [];
  for (const row of rows) {
    const v = await db.selectFrom('water_scenario_versions').selectAll().where('scenario_id', '=', row.id).where('version', '=', versionOf(row)).executeTakeFirst();
    if (!v) continue;
    const sharing = sharingOf(row);
    out.push({
      id: row.id,
      networkId: row.network_id,
      name: row.name,
      description: row.description,
      sourceIncidentId: row.source_incident_id,
      version: row.version,
      shownVersion: v.version,
      networkVersion: v.network_version,
      definition: JSON.parse(v.definition) as Scenario,
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
      versionCreatedAt: new Date(Number(v.created_at)).toISOString(),
    });
  }
  return out;
}

export async function getScenario(db: Queryable, viewer: Viewer, id: string, version?: number): Promise<WaterScenarioRecord | null> {
  const row = await filtered(db, viewer, {}).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return (await toRecords(db, [row], (r) => version ?? r.version))[0] ?? null;
}

export async function listScenarios(db: Queryable, viewer: Viewer, f: ScenarioFilters, limit: number, cursor: Position | null): Promise<Slice<WaterScenarioRecord>> {
  const rows = await filtered(db, viewer, f)
    .selectAll()
    .where(after('water_scenarios.created_at', 'water_scenarios.id', cursor))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.created_at), id: r.id }));
  return { items: await toRecords(db, slice.items, (r) => r.version), next: slice.next };
}

export async function listScenarioVersions(db: Queryable, scenarioId: string): Promise<Array<{ version: number; networkVersion: number; name: string; createdAt: string; createdByOrgId: string | null }>> {
  const rows = await db.selectFrom('water_scenario_versions').selectAll().where('scenario_id', '=', scenarioId).orderBy('version', 'desc').execute();
  return rows.map((r: VersionRow) => ({
    version: r.version,
    networkVersion: r.network_version,
    name: (JSON.parse(r.definition) as Scenario).name,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    createdByOrgId: r.created_by_org,
  }));
}

async function addVersion(w: Write, scenarioId: string, version: number, networkVersion: number, definition: Scenario): Promise<void> {
  await w.tx
    .insertInto('water_scenario_versions')
    .values({
      scenario_id: scenarioId, version, network_version: networkVersion, definition: JSON.stringify(definition),
      created_at: w.now, created_by_org: w.actor.orgId, created_by_user: w.actor.userId,
    })
    .execute();
}

export interface NewScenario {
  networkId: string;
  networkVersion: number;
  /** Validated (validateScenario). */
  definition: Scenario;
  sourceIncidentId?: string | null;
}

export async function createScenario(w: Write, viewer: Viewer, input: NewScenario, sharing: Sharing): Promise<WaterScenarioRecord> {
  const id = newId(w.now);
  await w.tx
    .insertInto('water_scenarios')
    .values({
      id, ...sharingColumns(sharing), network_id: input.networkId, name: input.definition.name, description: input.definition.description ?? '',
      source_incident_id: input.sourceIncidentId ?? null, version: 1, created_at: w.now, updated_at: w.now,
    })
    .execute();
  await addVersion(w, id, 1, input.networkVersion, input.definition);
  const record = (await getScenario(w.tx, viewer, id))!;
  await w.emit({ type: 'water-scenario.created', recordKind: 'water-scenario', recordId: id, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: record });
  await w.audit({ action: 'water-scenario.create', targetKind: 'water-scenario', targetId: id, details: { name: record.name, networkId: input.networkId, tlp: sharing.tlp, sourceIncidentId: input.sourceIncidentId ?? null } });
  return record;
}

/** Adds the next version of a scenario (a new definition); runs of earlier versions keep theirs. */
export async function reviseScenario(w: Write, viewer: Viewer, current: WaterScenarioRecord, networkVersion: number, definition: Scenario): Promise<WaterScenarioRecord> {
  const version = current.version + 1;
  await w.tx
    .updateTable('water_scenarios')
    .set({ version, name: definition.name, description: definition.description ?? '', updated_at: w.now })
    .where('id', '=', current.id)
    .execute();
  await addVersion(w, current.id, version, networkVersion, definition);
  const record = (await getScenario(w.tx, viewer, current.id))!;
  await w.emit({ type: 'water-scenario.updated', recordKind: 'water-scenario', recordId: current.id, actorOrgId: w.actor.orgId, audience: audienceOf(record), data: record });
  await w.audit({ action: 'water-scenario.revise', targetKind: 'water-scenario', targetId: current.id, details: { version, networkVersion } });
  return record;
}
