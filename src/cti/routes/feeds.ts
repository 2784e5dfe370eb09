import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { actorFor, badRequest, notFound, principalOf, requirePermission, unprocessable } from '../../kernel/http/index.js';
import { Distribution, IdParams, Tlp } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { type Distribution as Dist, type Tlp as Label, checkInitialSharing, defaultsFromSettings, loadSharingWorld } from '../../kernel/sharing/index.js';
import { MIN_EVERY_SECONDS, checkFeedUrl } from '../feeds/model.js';
import { type FeedChange, changeFeed, createFeed, deleteFeed, feedOf, getFeedRow, listFeeds } from '../feeds/queries.js';
import type { CtiService } from '../service.js';

/** Feeds of the caller's organisation: TAXII 2.1 collections and MISP feeds pulled on a schedule. */
const FeedFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  url: Type.String({ minLength: 8, maxLength: 2000, description: 'TAXII: the API root (…/taxii2/api/) or discovery (…/taxii2/) URL; MISP: the feed folder (with manifest.json)' }),
  collectionId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
  username: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  secret: Type.Optional(Type.Union([Type.String({ maxLength: 2000, description: 'token or password; never shown again' }), Type.Null()])),
  everySeconds: Type.Optional(Type.Integer({ minimum: MIN_EVERY_SECONDS, maximum: 7 * 24 * 3600 })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
  enabled: Type.Optional(Type.Boolean()),
};

export function feedRoutes(kernel: Kernel, cti: CtiService): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (app) => {
    app.get('/cti/feeds', { schema: { tags: ['threat intelligence'], summary: "Your organisation's feeds, with their last pull and error" } }, async (request) => {
      return { items: await listFeeds(db, principalOf(request).orgId) };
    });

    app.post(
      '/cti/feeds',
      { schema: { tags: ['threat intelligence'], summary: 'Add a feed (first pull right away, then on its schedule)', body: Type.Object({ kind: Type.Enum(['taxii', 'misp']), ...FeedFields }, { additionalProperties: false }) } },
      async (request, reply) => {
        const principal = requirePermission(request, 'intel:write');
        const body = request.body as { kind: 'taxii' | 'misp'; url: string; collectionId?: string | null; tlp?: Label; distribution?: Dist } & FeedChange;
        const urlProblem = checkFeedUrl(body.url);
        if (urlProblem) throw badRequest(`url: ${urlProblem}`);
        if (body.kind === 'taxii' && !body.collectionId) throw badRequest('A TAXII feed needs collectionId');
        const sharing = await feedSharing(principal.orgId, body.tlp, body.distribution);
        const feed = await kernel.write(actorFor(request), (w) => createFeed(w, principal.orgId, { ...body, ...sharing }));
        cti.feeds.nudge();
        return reply.code(201).send(feed);
      },
    );

    app.get('/cti/feeds/:id', { schema: { tags: ['threat intelligence'], summary: 'One feed', params: IdParams } }, async (request) => {
      const row = await getFeedRow(db, (request.params as { id: string }).id);
      if (!row || row.owner_org_id !== principalOf(request).orgId) throw notFound('feed', (request.params as { id: string }).id);
      return feedOf(row);
    });

    app.patch(
      '/cti/feeds/:id',
      { schema: { tags: ['threat intelligence'], summary: 'Change a feed', params: IdParams, body: Type.Object({ ...FeedFields, url: Type.Optional(FeedFields.url) }, { additionalProperties: false }) } },
      async (request) => {
        const principal = requirePermission(request, 'intel:write');
        const id = (request.params as { id: string }).id;
        const change = request.body as FeedChange;
        if (change.url) {
          const urlProblem = checkFeedUrl(change.url);
          if (urlProblem) throw badRequest(`url: ${urlProblem}`);
        }
        if (change.tlp || change.distribution) {
          const row = await getFeedRow(db, id);
          const current = row ? feedOf(row) : undefined;
          Object.assign(change, await feedSharing(principal.orgId, change.tlp ?? current?.tlp, change.distribution ?? current?.distribution));
        }
        return kernel.write(actorFor(request), async (w) => {
          const row = await getFeedRow(w.tx, id);
          if (!row || row.owner_org_id !== principal.orgId) throw notFound('feed', id);
          return changeFeed(w, row, change);
        });
      },
    );

    app.delete('/cti/feeds/:id', { schema: { tags: ['threat intelligence'], summary: 'Remove a feed (what it brought stays)', params: IdParams } }, async (request, reply) => {
      const principal = requirePermission(request, 'intel:write');
      const id = (request.params as { id: string }).id;
      await kernel.write(actorFor(request), async (w) => {
        const row = await getFeedRow(w.tx, id);
        if (!row || row.owner_org_id !== principal.orgId) throw notFound('feed', id);
        await deleteFeed(w, row);
      });
      return reply.code(204).send();
    });

    app.post('/cti/feeds/:id/pull', { schema: { tags: ['threat intelligence'], summary: 'Pull a feed now and wait for the outcome', params: IdParams } }, async (request) => {
      const principal = requirePermission(request, 'intel:write');
      const id = (request.params as { id: string }).id;
      const row = await getFeedRow(db, id);
      if (!row || row.owner_org_id !== principal.orgId) throw notFound('feed', id);
      const outcome = await cti.feeds.pull(id);
      return { outcome, feed: feedOf((await getFeedRow(db, id))!) };
    });
  };

  /** A feed's label and distribution: given, else the organisation's defaults; the structure is checked. */
  async function feedSharing(orgId: string, tlp?: Label, distribution?: Dist): Promise<{ tlp: Label; distribution: Dist }> {
    const org = await db.selectFrom('organisations').select('settings').where('id', '=', orgId).executeTakeFirstOrThrow();
    const defaults = defaultsFromSettings(JSON.parse(org.settings));
    const chosen = { tlp: tlp ?? defaults.tlp, distribution: distribution ?? defaults.distribution };
    const decision = checkInitialSharing({ ownerOrgId: orgId, tlp: 'clear', distribution: chosen.distribution }, orgId, await loadSharingWorld(db));
    if (!decision.allowed) throw unprocessable(decision.reason);
    return chosen;
  }
}
