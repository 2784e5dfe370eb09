import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { type VigilApp, actorFor, asPage, decodeCursor, notFound, requirePermission, unprocessable } from '../kernel/http/index.js';
import { IdParams, PageOf } from '../kernel/http/schemas.js';
import type { Kernel, Write } from '../kernel/kernel.js';
import * as S from './api-schemas.js';
import { channelView, failPendingOfChannel, getChannel, insertChannel, listChannels, listDeliveries, updateChannel, type ChannelView } from './webhook-queries.js';
import { webhookChannelProblems } from './webhooks.js';

/**
 * Webhook channels: an organisation's admins register the endpoints that receive every published CAP message,
 * signed. The secret is shown once; deliveries and their attempts can be read back per channel.
 */
export function webhookRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  const tags = ['warnings', 'webhooks'];

  const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

  async function changed(w: Write, action: string, channel: ChannelView, details: Record<string, unknown> = {}): Promise<void> {
    await w.audit({ action, targetKind: 'webhook-channel', targetId: channel.id, details: { name: channel.name, url: channel.url, active: channel.active, ...details } });
    await w.emit({
      type: 'webhook-channel.changed',
      recordKind: 'webhook-channel',
      recordId: channel.id,
      actorOrgId: w.actor.orgId,
      audience: { ownerOrgId: channel.orgId, distribution: { scope: 'owner' } },
      data: { ...channel, action },
    });
  }

  return async (plain) => {
    const app = plain as VigilApp;

    app.get('/warnings/webhooks', { schema: { tags, summary: "Your organisation's webhook channels (admins)", response: { 200: Type.Array(S.Channel) } } }, async (request) => {
      const principal = requirePermission(request, 'org:admin');
      return (await listChannels(db, principal.orgId)).map(channelView);
    });

    app.post(
      '/warnings/webhooks',
      { schema: { tags, summary: 'Register a webhook channel: every published CAP message is POSTed to it, signed with HMAC-SHA256 (admins); the secret is shown once', body: S.NewChannel, response: { 201: S.Channel } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'org:admin');
        const secret = request.body.secret ?? newSecret();
        const problems = webhookChannelProblems({ url: request.body.url, secret });
        if (problems.length > 0) throw unprocessable(`The channel cannot be used: ${problems.join('; ')}`, { errors: problems.map((message) => ({ path: 'body', message })) });
        const row = await kernel.write(actorFor(request), async (w) => {
          const created = await insertChannel(w.tx, { orgId: principal.orgId, name: request.body.name, url: request.body.url, secret, active: request.body.active ?? true, createdBy: principal.userId, now: w.now });
          await changed(w, 'webhook-channel.create', channelView(created));
          return created;
        });
        return reply.code(201).send({ ...channelView(row), secret });
      },
    );

    app.patch(
      '/warnings/webhooks/:id',
      { schema: { tags, summary: 'Rename, re-point, pause or resume a channel, or replace its secret (admins)', params: IdParams, body: S.ChannelChange, response: { 200: S.Channel } } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const body = request.body;
        const secret = body.rotateSecret ? newSecret() : undefined;
        const row = await kernel.write(actorFor(request), async (w) => {
          const current = await getChannel(w.tx, principal.orgId, request.params.id);
          if (!current) throw notFound('webhook channel', request.params.id);
          const problems = webhookChannelProblems({ url: body.url ?? current.url, secret: secret ?? current.secret });
          if (problems.length > 0) throw unprocessable(`The channel cannot be used: ${problems.join('; ')}`);
          await updateChannel(
            w.tx,
            current.id,
            {
              ...(body.name !== undefined ? { name: body.name } : {}),
              ...(body.url !== undefined ? { url: body.url } : {}),
              ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
              ...(secret ? { secret } : {}),
            },
            w.now,
          );
          const updated = (await getChannel(w.tx, principal.orgId, current.id))!;
          await changed(w, 'webhook-channel.update', channelView(updated), { secretRotated: Boolean(secret) });
          return updated;
        });
        return { ...channelView(row), ...(secret ? { secret } : {}) };
      },
    );

    app.delete('/warnings/webhooks/:id', { schema: { tags, summary: 'Delete a channel; its pending deliveries end as failed, and every delivery record stays (admins)', params: IdParams } }, async (request, reply) => {
      const principal = requirePermission(request, 'org:admin');
      await kernel.write(actorFor(request), async (w) => {
        const current = await getChannel(w.tx, principal.orgId, request.params.id);
        if (!current) throw notFound('webhook channel', request.params.id);
        await updateChannel(w.tx, current.id, { deleted_at: w.now, active: 0 }, w.now);
        const ended = await failPendingOfChannel(w.tx, current.id, 'the channel was deleted', w.now);
        await changed(w, 'webhook-channel.delete', { ...channelView(current), active: false }, { pendingEnded: ended });
      });
      return reply.code(204).send();
    });

    app.get(
      '/warnings/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: "A channel's deliveries, newest first, each with every attempt (status or error, duration, outcome) (admins)",
          params: IdParams,
          querystring: Type.Object(
            {
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
              cursor: Type.Optional(Type.String({ maxLength: 512 })),
              state: Type.Optional(Type.Enum(['pending', 'delivered', 'failed'])),
            },
            { additionalProperties: false },
          ),
          response: { 200: PageOf(S.DeliveryOut) },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const channel = await db
          .selectFrom('webhook_channels')
          .select('id')
          .where('id', '=', request.params.id)
          .where('org_id', '=', principal.orgId)
          .executeTakeFirst();
        if (!channel) throw notFound('webhook channel', request.params.id);
        return asPage(await listDeliveries(db, channel.id, request.query.limit ?? 100, decodeCursor(request.query.cursor), request.query.state));
      },
    );
  };
}
