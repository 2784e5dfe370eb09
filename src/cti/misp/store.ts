import type { Queryable } from '../../kernel/db/connection.js';
import type { Distribution, Viewer } from '../../kernel/sharing/policy.js';
import type { CtiService } from '../service.js';
import { makeBundle } from '../stix/bundle.js';
import type { ImportRequest, ImportResult } from '../store/import.js';
import { type StoredRow, selectObjects, visibleScope } from '../store/queries.js';
import { servedObject } from '../store/rows.js';
import { mispToVigilDistribution, tlpFromTags, type VigilDistribution } from './distribution.js';
import { stixToMispEvent, writeMispEvent } from './from-stix.js';
import { type MispEvent, type MispProblem, readMispEvent } from './model.js';
import { mispEventToStix, stixIdFromUuid } from './to-stix.js';

/**
 * MISP events in and out of the store. In: the event becomes STIX (a report, indicators, observables) and is
 * imported like any bundle; each object gets the distribution its MISP level maps to (your organisation only →
 * owner, this community → community, connected/all communities → community/public, sharing group → the Vigil
 * group it is mapped to, else the owner), bounded by its label. Out: a report in the store and what it refers to
 * become one MISP event again.
 */
export interface MispImportRequest extends Omit<ImportRequest, 'distribution' | 'distributionFor'> {
  /** One distribution for everything, instead of the event's own levels. */
  distribution?: Distribution;
  /** MISP sharing group id → Vigil sharing group id. */
  sharingGroups?: Record<string, string>;
}

export interface MispImportResult {
  eventUuid?: string;
  problems: MispProblem[];
  skipped: Array<{ uuid: string; reason: string }>;
  result?: ImportResult;
}

export async function importMispEvent(cti: CtiService, json: unknown, request: MispImportRequest): Promise<MispImportResult> {
  const { event, problems } = readMispEvent(json);
  if (!event || problems.some((p) => !p.path.includes('.Attribute[') && !p.path.includes('.Object['))) return { problems, skipped: [] };
  const { objects, skipped } = mispEventToStix(event);
  if (objects.length === 0) return { eventUuid: event.uuid, problems, skipped };
  const groups = request.sharingGroups ?? {};
  const toVigil = (level: string, sharingGroupId?: string): Distribution => {
    const mapped = mispToVigilDistribution(level, event.distribution, sharingGroupId ?? event.sharing_group_id);
    return vigilDistribution(mapped.distribution, mapped.mispSharingGroupId ? groups[mapped.mispSharingGroupId] : undefined);
  };
  const attributeGroups = sharingGroupsByObject(event);
  const { distribution, sharingGroups: _groups, ...rest } = request;
  const result = await cti.importStix([JSON.stringify(makeBundle(objects))], {
    ...rest,
    defaultTlp: tlpFromTags(event.Tag) ?? request.defaultTlp,
    distribution: distribution ?? toVigil(event.distribution),
    ...(distribution
      ? {}
      : {
          distributionFor: (object: Record<string, unknown>) =>
            typeof object.x_misp_distribution === 'string' ? toVigil(object.x_misp_distribution, attributeGroups.get(String(object.id))) : undefined,
        }),
  });
  return { eventUuid: event.uuid, problems, skipped, result };
}

function vigilDistribution(scope: VigilDistribution, groupId: string | undefined): Distribution {
  switch (scope) {
    case 'community':
      return { scope: 'community' };
    case 'public':
      return { scope: 'public' };
    case 'group':
      // A MISP sharing group with no Vigil group mapped to it stays with the owner: narrowing never leaks.
      return groupId ? { scope: 'group', groupId } : { scope: 'owner' };
    default:
      return { scope: 'owner' };
  }
}

/** The MISP sharing group of each attribute/object, by the STIX id it becomes. */
function sharingGroupsByObject(event: MispEvent): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of event.Attribute) if (a.sharing_group_id) out.set(stixIdFromUuid('indicator', a.uuid), a.sharing_group_id);
  for (const o of event.Object) if (o.sharing_group_id) out.set(stixIdFromUuid('indicator', o.uuid), o.sharing_group_id);
  return out;
}

/**
 * A MISP event back out of the store: the report made from it (or any report, by the uuid its id carries) and
 * the objects it refers to, as the viewer sees them. Null when the viewer sees no such report.
 */
export async function exportMispEvent(db: Queryable, viewer: Viewer, eventUuid: string, now: number): Promise<{ event: unknown; skipped: Array<{ id: string; reason: string }>; labels: Record<string, number> } | null> {
  const scope = visibleScope(viewer);
  const reportId = stixIdFromUuid('report', eventUuid);
  const { rows: reports } = await selectObjects(db, { scope, ids: [reportId], limit: 1 });
  const reportRow = reports[0];
  if (!reportRow) return null;
  const report = JSON.parse(servedObject(reportRow)) as Record<string, unknown>;
  const refs = Array.isArray(report.object_refs) ? (report.object_refs as string[]) : [];
  const rows: StoredRow[] = [reportRow];
  for (let i = 0; i < refs.length; i += 500) rows.push(...(await selectObjects(db, { scope, ids: refs.slice(i, i + 500), limit: 500 })).rows);
  const objects = rows.map((r) => JSON.parse(servedObject(r)) as Record<string, unknown>);
  const creator = typeof report.created_by_ref === 'string' ? (await selectObjects(db, { scope, ids: [report.created_by_ref], limit: 1 })).rows[0] : undefined;
  const orgc = creator ? (JSON.parse(creator.object) as { name?: string }) : undefined;
  const { event, skipped } = stixToMispEvent(objects, {
    info: String(report.name ?? 'Vigil export'),
    uuid: typeof report.x_misp_event_uuid === 'string' ? report.x_misp_event_uuid : eventUuid,
    timestamp: String(Math.floor(now / 1000)),
    ...(orgc?.name ? { orgc: { name: orgc.name } } : {}),
    // The event's own level comes back unless the report has been shared differently in Vigil since.
    ...(typeof report.x_misp_distribution === 'string' && mispToVigilDistribution(report.x_misp_distribution).distribution === scopeName(reportRow.dist_scope)
      ? {}
      : { distribution: scopeName(reportRow.dist_scope) }),
  });
  const labels: Record<string, number> = {};
  for (const r of rows) labels[r.tlp] = (labels[r.tlp] ?? 0) + 1;
  return { event: writeMispEvent(event), skipped, labels };
}

function scopeName(scope: string): VigilDistribution {
  return scope as VigilDistribution;
}
