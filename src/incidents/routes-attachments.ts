import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type VigilApp, Problem, actorFor, notFound, principalOf, requirePermission, unprocessable } from '../kernel/http/index.js';
import { IdParams, PageOf } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Distribution, Tlp } from '../kernel/sharing/index.js';
import { requestedLabel } from './evidence-sharing.js';
import { AttachmentStore } from './attachment-store.js';
import { addAttachment, getAttachment, listAttachments } from './evidence.js';
import * as L from './lifecycle-schemas.js';
import { checkMedia, cleanFilename } from './media.js';
import { getIncident } from './queries.js';

/**
 * Attachments: the body is the file itself (no multipart), its type in Content-Type and its name in
 * ?filename= or X-Filename. Content is checked against the declared type, stored by SHA-256 under the data
 * directory, and may carry a stricter label than the incident (?tlp=, ?scope=…).
 */
export function incidentAttachmentRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  const store = AttachmentStore.under(kernel.config.dataDir);
  const max = kernel.config.attachmentMaxBytes;
  const tags = ['incidents'];
  const tooLarge = () => new Problem(413, `An attachment may be at most ${max} bytes (VIGIL_ATTACHMENT_MAX_BYTES)`);

  return async (plain) => {
    const app = plain as VigilApp;

    app.get(
      '/incidents/:id/attachments',
      { schema: { tags, summary: "An incident's attachments you may see", params: IdParams, response: { 200: PageOf(L.Attachment) } } },
      async (request) => {
        const principal = principalOf(request);
        const incident = await getIncident(db, principal, request.params.id);
        if (!incident) throw notFound('incident', request.params.id);
        return { items: await listAttachments(db, principal, incident.id), nextCursor: null };
      },
    );

    app.get(
      '/incidents/:id/attachments/:attachmentId',
      { schema: { tags, summary: "One attachment's description", params: L.AttachmentParams, response: { 200: L.Attachment } } },
      async (request) => {
        const principal = principalOf(request);
        const incident = await getIncident(db, principal, request.params.id);
        if (!incident) throw notFound('incident', request.params.id);
        const attachment = await getAttachment(db, principal, incident.id, request.params.attachmentId);
        if (!attachment) throw notFound('attachment', request.params.attachmentId);
        return attachment;
      },
    );

    app.get(
      '/incidents/:id/attachments/:attachmentId/content',
      { schema: { tags, summary: "Download an attachment's content", params: L.AttachmentParams } },
      async (request, reply) => {
        const principal = principalOf(request);
        const incident = await getIncident(db, principal, request.params.id);
        if (!incident) throw notFound('incident', request.params.id);
        const attachment = await getAttachment(db, principal, incident.id, request.params.attachmentId);
        if (!attachment) throw notFound('attachment', request.params.attachmentId);
        const content = await store.read(attachment.sha256).catch(() => null);
        // A file changed or lost on disk is said so, never served as if it were the evidence.
        if (!content || createHash('sha256').update(content).digest('hex') !== attachment.sha256) {
          throw new Problem(500, `The stored content of attachment ${attachment.id} is missing or damaged`);
        }
        const ascii = attachment.filename.replace(/[^\x20-\x7e]/g, '_');
        return reply
          .header('content-type', attachment.mediaType)
          .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(content);
      },
    );

    // The upload reads any content type as bytes, counting as it goes: its own scope and parser.
    await app.register(async (upload) => {
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser('*', (_request, payload, done) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        payload.on('data', (chunk: Buffer) => {
          if (failed) return;
          size += chunk.length;
          if (size > max) {
            failed = true;
            payload.resume();
            done(tooLarge(), undefined);
            return;
          }
          chunks.push(chunk);
        });
        payload.on('end', () => {
          if (!failed) done(null, Buffer.concat(chunks));
        });
        payload.on('error', (error) => {
          if (!failed) {
            failed = true;
            done(error, undefined);
          }
        });
      });
      upload.post(
        '/incidents/:id/attachments',
        {
          bodyLimit: max + 1,
          schema: {
            tags,
            summary: 'Attach a file (the raw body; Content-Type says what it is) to an incident you may see',
            params: IdParams,
            querystring: L.AttachmentUpload,
            response: { 201: L.Attachment },
          },
        },
        async (request: FastifyRequest<{ Params: { id: string }; Querystring: { filename?: string; tlp?: string; scope?: string; group?: string; orgs?: string } }>, reply) => {
          const principal = requirePermission(request, 'records:contribute');
          if (Number(request.headers['content-length'] ?? 0) > max) throw tooLarge();
          const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const header = request.headers['x-filename'];
          const filename = cleanFilename(request.query.filename ?? (typeof header === 'string' ? decodeURIComponent(header) : undefined));
          if (!filename) throw unprocessable('Name the file with ?filename= or the X-Filename header');
          const verdict = checkMedia(request.headers['content-type'], content);
          if (!verdict.ok) throw new Problem(verdict.status, verdict.problem);
          const q = request.query;
          const attachment = await kernel.write(actorFor(request), async (w) => {
            const incident = await getIncident(w.tx, principal, request.params.id);
            if (!incident) throw notFound('incident', request.params.id);
            let distribution: Distribution | undefined;
            if (q.scope === 'group') {
              if (!q.group) throw unprocessable('scope=group needs group=<sharing group id>');
              distribution = { scope: 'group', groupId: q.group };
            } else if (q.scope === 'orgs') {
              const orgIds = (q.orgs ?? '').split(',').map((s) => s.trim()).filter(Boolean);
              if (orgIds.length === 0) throw unprocessable('scope=orgs needs orgs=<organisation id>,…');
              distribution = { scope: 'orgs', orgIds };
            } else if (q.scope) distribution = { scope: q.scope } as Distribution;
            const label = requestedLabel(incident, q.tlp as Tlp | undefined, distribution);
            // The file is in place (written and renamed) before the row that names it can commit.
            const stored = await store.put(content);
            return addAttachment(w, incident, { ...stored, filename, mediaType: verdict.mediaType }, label);
          });
          return reply.code(201).send(attachment);
        },
      );
    });
  };
}
