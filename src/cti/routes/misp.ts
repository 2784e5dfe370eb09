import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { actorFor, badRequest, notFound, principalOf, requirePermission, unprocessable } from '../../kernel/http/index.js';
import type { Kernel } from '../../kernel/kernel.js';
import { type Tlp, tlpRank } from '../../kernel/sharing/index.js';
import { importMispEvent, exportMispEvent } from '../misp/store.js';
import type { CtiService } from '../service.js';
import { importBody } from './stix.js';
import { type SharingQuery, SharingQueryFields, importSharing } from './sharing-params.js';

/** MISP events in and out. */
async function groupMap(memberOf: ReadonlySet<string>, text: string | undefined): Promise<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [misp, vigil] = pair.split('=').map((s) => s.trim());
    if (!misp || !vigil) throw badRequest('sharingGroups is mispId=vigilGroupId,…');
    if (!memberOf.has(vigil)) throw unprocessable(`You can only share with a sharing group your organisation belongs to (${vigil})`);
    map[misp] = vigil;
  }
  return map;
}

const MISP_BODY_LIMIT = 64 * 1024 * 1024;

export function mispRoutes(kernel: Kernel, cti: CtiService): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (app) => {
    app.post(
      '/misp/events',
      {
        bodyLimit: MISP_BODY_LIMIT,
        schema: {
          tags: ['threat intelligence'],
          summary:
            'Import a MISP event ({"Event": …}): attributes, objects, tags and galaxies become STIX; each keeps the distribution its MISP level maps to unless scope is given',
          querystring: Type.Object(
            {
              partial: Type.Optional(Type.Boolean({ default: false })),
              ...SharingQueryFields,
              sharingGroups: Type.Optional(Type.String({ maxLength: 4000, description: 'MISP sharing group → Vigil sharing group: mispId=vigilGroupId,…' })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'intel:write');
        const q = request.query as SharingQuery & { partial?: boolean; sharingGroups?: string };
        const sharing = await importSharing(db, principal, q);
        const sharingGroups = await groupMap(principal.groupIds, q.sharingGroups);
        const outcome = await importMispEvent(cti, request.body, {
          ownerOrgId: principal.orgId,
          actor: actorFor(request),
          viewer: principal,
          source: 'misp',
          defaultTlp: sharing.defaultTlp,
          ...(q.scope ? { distribution: sharing.distribution } : {}),
          sharingGroups,
          partial: q.partial === true,
        });
        const body = { eventUuid: outcome.eventUuid ?? null, problems: outcome.problems, skipped: outcome.skipped, ...(outcome.result ? { import: importBody(outcome.result) } : {}) };
        if (!outcome.result) throw unprocessable('This is not a MISP event Vigil can read', body);
        if (outcome.result.status === 'rejected') throw unprocessable(`The event was not imported: ${outcome.result.reason}`, body);
        return body;
      },
    );

    app.get(
      '/misp/events/:uuid',
      { schema: { tags: ['threat intelligence'], summary: 'A MISP event back out of the store (the report made from it and what it refers to)', params: Type.Object({ uuid: Type.String({ format: 'uuid' }) }) } },
      async (request) => {
        const uuid = (request.params as { uuid: string }).uuid;
        const found = await exportMispEvent(db, principalOf(request), uuid, kernel.clock());
        if (!found) throw notFound('MISP event', uuid);
        if (Object.keys(found.labels).some((tlp) => tlpRank(tlp as Tlp) >= tlpRank('amber'))) {
          await kernel.write(actorFor(request), (w) => w.audit({ action: 'misp.export', targetKind: 'misp-event', targetId: uuid, details: { objects: found.labels } }));
        }
        return found.event;
      },
    );
  };
}
