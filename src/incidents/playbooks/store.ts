import type { Queryable } from '../../kernel/db/connection.js';
import { audienceOf } from '../../kernel/events/index.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { type Distribution, type Sharing, type Tlp, type Viewer, sharingColumns, sharingOf, visibleTo } from '../../kernel/sharing/index.js';
import type { Playbook } from './model.js';
import type { PlaybookTable } from './schema.js';

/** A playbook as stored for an organisation: the procedure, its version, and who may use it (the sharing policy). */
export interface StoredPlaybook {
  id: string;
  slug: string;
  version: number;
  title: string;
  description: string;
  incidentTypes: string[];
  steps: Playbook['steps'];
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
}

export function storedOf(row: PlaybookTable): StoredPlaybook {
  const p = JSON.parse(row.definition) as Playbook;
  const sharing = sharingOf(row);
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    title: p.title,
    description: p.description,
    incidentTypes: p.incidentTypes,
    steps: p.steps,
    ownerOrgId: sharing.ownerOrgId,
    tlp: sharing.tlp,
    distribution: sharing.distribution,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** The procedure itself (the slug is the playbook's id inside its YAML). */
export function definitionOf(p: StoredPlaybook): Playbook {
  return { id: p.slug, version: p.version, title: p.title, description: p.description, incidentTypes: p.incidentTypes, steps: p.steps };
}

export async function listPlaybooks(db: Queryable, viewer: Viewer, incidentType?: string): Promise<StoredPlaybook[]> {
  const rows = await db.selectFrom('playbooks').selectAll().where(visibleTo(viewer, 'playbooks')).orderBy('title').orderBy('id').execute();
  const all = rows.map(storedOf);
  return incidentType ? all.filter((p) => p.incidentTypes.includes(incidentType)) : all;
}

export async function getPlaybook(db: Queryable, viewer: Viewer, id: string): Promise<StoredPlaybook | null> {
  const row = await db.selectFrom('playbooks').selectAll().where(visibleTo(viewer, 'playbooks')).where('id', '=', id).executeTakeFirst();
  return row ? storedOf(row) : null;
}

/** A playbook by its slug: the viewer's own organisation's first, else one shared with it (the shipped templates). */
export async function findPlaybookBySlug(db: Queryable, viewer: Viewer, slug: string): Promise<StoredPlaybook | null> {
  const rows = await db.selectFrom('playbooks').selectAll().where(visibleTo(viewer, 'playbooks')).where('slug', '=', slug).orderBy('created_at').execute();
  const own = rows.find((r) => r.owner_org_id === viewer.orgId);
  const row = own ?? rows[0];
  return row ? storedOf(row) : null;
}

/** The exact version a run follows (kept after the playbook changes or is deleted). */
export async function playbookVersion(db: Queryable, playbookId: string, version: number): Promise<Playbook | null> {
  const row = await db.selectFrom('playbook_versions').select('definition').where('playbook_id', '=', playbookId).where('version', '=', version).executeTakeFirst();
  return row ? (JSON.parse(row.definition) as Playbook) : null;
}

export async function ownSlugTaken(db: Queryable, ownerOrgId: string, slug: string): Promise<boolean> {
  return !!(await db.selectFrom('playbooks').select('id').where('owner_org_id', '=', ownerOrgId).where('slug', '=', slug).executeTakeFirst());
}

async function emitPlaybook(w: Write, type: string, p: StoredPlaybook): Promise<void> {
  await w.emit({ type, recordKind: 'playbook', recordId: p.id, actorOrgId: w.actor.orgId, audience: audienceOf(p), data: { id: p.id, slug: p.slug, version: p.version, title: p.title } });
}

export async function createPlaybook(w: Write, playbook: Playbook, sharing: Sharing): Promise<StoredPlaybook> {
  const id = newId(w.now);
  const definition = JSON.stringify(playbook);
  await w.tx
    .insertInto('playbooks')
    .values({
      id,
      ...sharingColumns(sharing),
      slug: playbook.id,
      version: playbook.version,
      title: playbook.title,
      incident_types: JSON.stringify(playbook.incidentTypes),
      definition,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  await w.tx.insertInto('playbook_versions').values({ playbook_id: id, version: playbook.version, definition, created_at: w.now }).execute();
  const row = await w.tx.selectFrom('playbooks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const stored = storedOf(row);
  await w.audit({ action: 'playbook.create', targetKind: 'playbook', targetId: id, details: { slug: playbook.id, version: playbook.version } });
  await emitPlaybook(w, 'playbook.created', stored);
  return stored;
}

/**
 * Replaces a playbook with a new version. The version is the one written in the YAML when it is newer,
 * else the next one: a run keeps the version it started with, so versions only go up.
 */
export async function replacePlaybook(w: Write, current: StoredPlaybook, playbook: Playbook): Promise<StoredPlaybook> {
  const version = Math.max(playbook.version, current.version + 1);
  const next: Playbook = { ...playbook, id: current.slug, version };
  const definition = JSON.stringify(next);
  await w.tx
    .updateTable('playbooks')
    .set({ version, title: next.title, incident_types: JSON.stringify(next.incidentTypes), definition, updated_at: w.now })
    .where('id', '=', current.id)
    .execute();
  await w.tx.insertInto('playbook_versions').values({ playbook_id: current.id, version, definition, created_at: w.now }).execute();
  const stored = storedOf(await w.tx.selectFrom('playbooks').selectAll().where('id', '=', current.id).executeTakeFirstOrThrow());
  await w.audit({ action: 'playbook.update', targetKind: 'playbook', targetId: current.id, details: { slug: current.slug, from: current.version, to: version } });
  await emitPlaybook(w, 'playbook.updated', stored);
  return stored;
}

/** Removes a playbook from the catalogue; its versions stay, so runs already started can finish. */
export async function deletePlaybook(w: Write, current: StoredPlaybook): Promise<void> {
  await w.tx.deleteFrom('playbooks').where('id', '=', current.id).execute();
  await w.audit({ action: 'playbook.delete', targetKind: 'playbook', targetId: current.id, details: { slug: current.slug, version: current.version } });
  await emitPlaybook(w, 'playbook.deleted', current);
}
