import { addTimelineEntry } from '../incidents/index.js';
import { type EventAudience, audienceOf } from '../kernel/events/index.js';
import { conflict } from '../kernel/http/index.js';
import type { Write } from '../kernel/kernel.js';
import { type Sharing, type Viewer, readSharing } from '../kernel/sharing/index.js';
import type { PlaceholderValues } from './authoring.js';
import { headlineOf } from './compose.js';
import type { Transition, Warning, WarningEvent } from './lifecycle.js';
import { getWarning, insertApproval, insertMessage, insertWarning, updateWarning, type StoredWarning } from './queries.js';
import { planDeliveries } from './webhook-queries.js';

/**
 * Records one step of a warning's life through the kernel's write path, in the caller's transaction: the
 * warning's new state, on publication its CAP message (the exact XML to serve), its public sharing and one
 * pending webhook delivery per active channel; the approval decision; the event on the live stream; the audit
 * entry; and a line on the incident's timeline when the warning was drafted from one.
 */

/** A published warning is TLP:CLEAR and public: that is what publication means. */
export const PUBLIC_SHARING = (ownerOrgId: string): Sharing => ({ ownerOrgId, tlp: 'clear', distribution: { scope: 'public' } });

export interface StepContext {
  /** Organisations that approve: they receive the events of messages pending approval. */
  approverOrgIds: readonly string[];
  /** Language of headlines in lists and on the timeline. */
  language: string;
  viewer: Viewer;
}

export async function recordStep(
  w: Write,
  ctx: StepContext,
  before: StoredWarning | null,
  transition: Extract<Transition, { ok: true }>,
  extra: { sharing?: Sharing; template?: string | null; templateValues?: PlaceholderValues } = {},
): Promise<StoredWarning> {
  const { warning, event } = transition;
  const published = event.type === 'warning.published' ? warning.published[warning.published.length - 1]! : null;
  const headline = headlineOf((warning.published.length > 0 ? warning.published[warning.published.length - 1]!.alert.info : warning.proposal?.content.info) ?? [], ctx.language);
  const firstPublication = published !== null && warning.published.length === 1;

  if (!before) {
    if (!extra.sharing) throw new Error('a new warning needs its sharing');
    await insertWarning(w.tx, { warning, sharing: extra.sharing, template: extra.template ?? null, templateValues: extra.templateValues ?? {}, headline, now: w.now });
  } else {
    const saved = await updateWarning(w.tx, before, warning, {
      headline,
      now: w.now,
      ...(extra.template !== undefined ? { template: extra.template } : {}),
      ...(extra.templateValues ? { templateValues: extra.templateValues } : {}),
      ...(firstPublication ? { sharing: PUBLIC_SHARING(warning.ownerOrganisationId) } : {}),
    });
    if (!saved) throw conflict('The warning changed while you were acting on it; reload it and try again', { currentVersion: before.version + 1 });
  }

  let deliveries = 0;
  if (published) {
    await insertMessage(w.tx, warning.id, warning.published.length, published);
    await insertApproval(w.tx, {
      warningId: warning.id,
      sequence: warning.published.length,
      kind: published.kind,
      decision: 'approved',
      userId: published.approvedBy,
      orgId: published.approverOrganisationId,
      at: w.now,
      identifier: published.alert.identifier,
    });
    deliveries = await planDeliveries(w.tx, { identifier: published.alert.identifier, warningId: warning.id, event: `warning.${published.kind}`, now: w.now });
  }
  if (event.type === 'warning.rejected') {
    await insertApproval(w.tx, {
      warningId: warning.id,
      sequence: warning.published.length + 1,
      kind: event.kind,
      decision: 'rejected',
      userId: event.actor,
      orgId: event.organisationId,
      at: w.now,
      reason: event.reason ?? '',
    });
  }

  const stored = (await getWarning(w.tx, ctx.viewer, warning.id)) ?? (await getWarning(w.tx, { orgId: warning.ownerOrganisationId, groupIds: new Set() }, warning.id));
  if (!stored) throw new Error(`warning ${warning.id} vanished while being written`);
  await w.emit({
    type: event.type,
    recordKind: 'warning',
    recordId: warning.id,
    actorOrgId: w.actor.orgId,
    audience: audienceFor(stored, ctx),
    data: eventData(event, stored),
  });
  await w.audit({
    action: event.type,
    targetKind: 'warning',
    targetId: warning.id,
    details: {
      kind: event.kind,
      phase: stored.phase,
      headline,
      ...(warning.incidentId ? { incidentId: warning.incidentId } : {}),
      ...(event.message ? { message: event.message, authors: published?.authors, deliveriesPlanned: deliveries } : {}),
      ...(event.reason ? { reason: event.reason } : {}),
      ...(!before ? { tlp: stored.sharing.tlp, distribution: stored.sharing.distribution } : {}),
    },
  });
  if (warning.incidentId) await onTimeline(w, warning, event, headline);
  return stored;
}

/**
 * Who hears of a step on the live stream: before publication, the warning's own audience; a publication,
 * everyone; a later message still pending approval, the owner and the approving organisations only (it is
 * not public until approved).
 */
function audienceFor(stored: StoredWarning, ctx: StepContext): EventAudience {
  if (stored.warning.published.length === 0) return audienceOf(stored.sharing);
  if (!stored.warning.proposal) return { ownerOrgId: stored.sharing.ownerOrgId, distribution: { scope: 'public' } };
  const orgIds = ctx.approverOrgIds.filter((id) => id !== stored.sharing.ownerOrgId);
  return { ownerOrgId: stored.sharing.ownerOrgId, distribution: orgIds.length ? { scope: 'orgs', orgIds: [...orgIds] } : { scope: 'owner' } };
}

/** What the stream carries: the step, not the warning's content (the incident id stays with the incident). */
function eventData(event: WarningEvent, stored: StoredWarning): Record<string, unknown> {
  return {
    id: stored.warning.id,
    phase: stored.phase,
    headline: stored.headline,
    kind: event.kind,
    actor: event.actor,
    organisationId: event.organisationId,
    at: event.at,
    version: stored.version,
    ...(event.message ? { message: event.message } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
  };
}

const STEP_TEXT: Record<WarningEvent['type'], string> = {
  'warning.drafted': 'Public warning drafted',
  'warning.edited': 'Public warning edited',
  'warning.submitted': 'Public warning submitted for approval',
  'warning.rejected': 'Public warning sent back by the approver',
  'warning.published': 'Public warning approved and published',
};

async function onTimeline(w: Write, warning: Warning, event: WarningEvent, headline: string): Promise<void> {
  const incidentId = warning.incidentId!;
  const sharing = await readSharing(w.tx, 'incidents', incidentId);
  if (!sharing) return;
  const detail = event.message ? `${event.message.msgType} ${event.message.identifier}` : event.reason ? `reason: ${event.reason}` : headline;
  const entry = await addTimelineEntry(
    w,
    { id: incidentId, ownerOrgId: sharing.ownerOrgId, distribution: sharing.distribution },
    {
      kind: 'warning',
      text: `${STEP_TEXT[event.type]} (${event.kind}): ${detail}`,
      data: { warningId: warning.id, step: event.type, kind: event.kind, ...(event.message ? { message: event.message } : {}), ...(event.reason ? { reason: event.reason } : {}) },
    },
  );
  await w.emit({ type: 'incident.timeline', recordKind: 'incident', recordId: incidentId, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: entry });
}
