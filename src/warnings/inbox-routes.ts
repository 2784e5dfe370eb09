import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { changeAlert, getAlert, raiseAlert } from '../alerts/index.js';
import type { Principal } from '../kernel/auth/index.js';
import { type VigilApp, Problem, actorFor, initialSharing, requirePermission, unprocessable } from '../kernel/http/index.js';
import { newId } from '../kernel/ids.js';
import type { Kernel, Write } from '../kernel/kernel.js';
import * as S from './api-schemas.js';
import { hazardOf, inboxActionOf, referencedMessages } from './inbox.js';
import type { Alert } from './model.js';
import type { WarningSettings } from './settings.js';
import { validateCap } from './validate.js';
import { DEFAULT_MAX_BYTES } from './xml-read.js';

const XML_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];

/**
 * POST /cap/inbox: CAP 1.1 or 1.2 from another agency. Read safely and validated (a DOCTYPE is refused before
 * any parser sees it); invalid → 422 with every error; valid → alerts of category hazard owned by the receiving
 * organisation under its default sharing, one per message, deduplicated by sender and identifier; an Update
 * changes, a Cancel (or an all-clear) closes the alerts of the messages it references.
 */
export function inboxRoutes(kernel: Kernel, settings: WarningSettings): FastifyPluginAsync {
  return async (plain) => {
    const app = plain as VigilApp;
    // Encapsulated in this plugin: only the inbox reads XML bodies, as raw bytes for the safe reader.
    app.addContentTypeParser(XML_TYPES, { parseAs: 'buffer', bodyLimit: DEFAULT_MAX_BYTES }, (_request, body, done) => done(null, body));
    // The kernel's message names VIGIL_BODY_LIMIT; the inbox has its own limit. Everything else goes on to the kernel.
    app.setErrorHandler((error: Error & { code?: string }) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new Problem(413, `A CAP message is at most ${DEFAULT_MAX_BYTES} bytes (5 MiB)`);
      throw error;
    });

    app.post(
      '/cap/inbox',
      {
        bodyLimit: DEFAULT_MAX_BYTES,
        schema: {
          tags: ['warnings'],
          summary: 'Receive a CAP 1.1/1.2 message from another agency (body: the XML, application/cap+xml, up to 5 MiB); it becomes a hazard alert of your organisation',
          consumes: XML_TYPES,
          // Documentation only: any bytes pass here; the safe reader and the CAP validator judge them.
          body: Type.Any({ description: 'the CAP 1.1 or 1.2 message, XML' }),
          response: { 200: S.InboxResult, 201: S.InboxResult, 422: S.InboxProblem },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        if (!Buffer.isBuffer(request.body)) throw new Problem(415, `Send the CAP message itself as the body, with Content-Type ${XML_TYPES.join(', ')}`);
        const bytes = request.body;
        const result = validateCap(bytes);
        if (!result.valid || !result.alert || !result.version) {
          const errors = result.problems.filter((p) => p.severity === 'error');
          throw unprocessable(`The CAP message is not valid: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was raised`, {
            problems: result.problems,
            errors: errors.map((p) => ({ path: p.path, message: `${p.rule}${p.line ? ` (line ${p.line})` : ''}: ${p.message}` })),
          });
        }
        const alert = result.alert;
        const version = result.version;
        const xml = bytes.toString('utf8');
        const sharing = await initialSharing(kernel.store.db, principal, {});
        const outcome = await kernel.write(actorFor(request), (w) => receive(w, principal, alert, version, xml, sharing));
        const body = {
          identifier: alert.identifier,
          sender: alert.sender,
          version,
          msgType: alert.msgType,
          action: outcome.action,
          alertIds: outcome.alertIds,
          warnings: result.problems.filter((p) => p.severity === 'warning') as unknown as Record<string, unknown>[],
        };
        return reply.code(outcome.action === 'created' ? 201 : 200).send(body);
      },
    );
  };

  async function receive(
    w: Write,
    principal: Principal,
    alert: Alert,
    version: string,
    xml: string,
    sharing: Awaited<ReturnType<typeof initialSharing>>,
  ): Promise<{ action: 'created' | 'updated' | 'closed' | 'duplicate' | 'ignored'; alertIds: string[] }> {
    const seen = await w.tx
      .selectFrom('cap_inbox')
      .select('alert_id')
      .where('org_id', '=', principal.orgId)
      .where('sender', '=', alert.sender)
      .where('identifier', '=', alert.identifier)
      .executeTakeFirst();
    if (seen) return { action: 'duplicate', alertIds: seen.alert_id ? [seen.alert_id] : [] };

    const hazard = hazardOf(alert, version, xml, settings.feed.language);
    let action: InboxOutcome = 'ignored';
    let alertIds: string[] = [];
    const kind = inboxActionOf(alert);
    if (kind === 'update' || kind === 'close') {
      alertIds = await referencedAlerts(w, principal, alert);
      for (const id of alertIds) {
        const current = await getAlert(w.tx, principal, id);
        if (!current) continue;
        if (kind === 'close') await changeAlert(w, principal, current, { status: 'dismissed' });
        else await changeAlert(w, principal, current, { severity: hazard.severity, title: hazard.title, description: hazard.description });
      }
      if (alertIds.length > 0) action = kind === 'close' ? 'closed' : 'updated';
    }
    // An Alert, or an Update of a message this organisation never received, raises a new alert.
    if (kind === 'raise' || (kind === 'update' && alertIds.length === 0)) {
      const { alert: raised } = await raiseAlert(
        w,
        principal,
        {
          source: `cap:${alert.sender}`.slice(0, 200),
          category: 'hazard',
          severity: hazard.severity,
          title: hazard.title,
          description: hazard.description,
          time: capTime(alert.sent) ?? w.now,
          location: hazard.location,
          evidence: hazard.evidence,
          dedupKey: `cap:${alert.sender},${alert.identifier}`,
        },
        sharing,
      );
      alertIds = [raised.id];
      action = 'created';
    }
    await w.tx
      .insertInto('cap_inbox')
      .values({
        id: newId(w.now),
        org_id: principal.orgId,
        sender: alert.sender,
        identifier: alert.identifier,
        sent: alert.sent,
        msg_type: alert.msgType,
        status: alert.status,
        alert_id: alertIds[0] ?? null,
        received_at: w.now,
      })
      .execute();
    await w.audit({
      action: 'cap.received',
      targetKind: 'alert',
      targetId: alertIds[0] ?? null,
      details: { identifier: alert.identifier, sender: alert.sender, sent: alert.sent, msgType: alert.msgType, status: alert.status, version, action, alertIds },
    });
    return { action, alertIds };
  }
}

type InboxOutcome = 'created' | 'updated' | 'closed' | 'duplicate' | 'ignored';

/** The alerts this organisation raised for the messages `alert` references. */
async function referencedAlerts(w: Write, principal: Principal, alert: Alert): Promise<string[]> {
  const refs = referencedMessages(alert);
  if (refs.length === 0) return [];
  const rows = await w.tx
    .selectFrom('cap_inbox')
    .select(['alert_id', 'sender', 'identifier'])
    .where('org_id', '=', principal.orgId)
    .where('identifier', 'in', refs.map((r) => r.identifier))
    .where('alert_id', 'is not', null)
    .execute();
  const wanted = new Set(refs.map((r) => `${r.sender}\u0000${r.identifier}`));
  return [...new Set(rows.filter((r) => wanted.has(`${r.sender}\u0000${r.identifier}`)).map((r) => r.alert_id!))];
}

function capTime(sent: string): number | null {
  const ms = Date.parse(sent);
  return Number.isNaN(ms) ? null : ms;
}
