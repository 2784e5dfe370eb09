import { approvalReasons, authoringReasons, type Actor, type ApprovalPolicy, type Reason } from './approval.js';
import type { WarningContent } from './authoring.js';
import { formatCapDateTime } from './datetime.js';
import type { Alert, MsgType } from './model.js';
import type { CapProblem } from './rules.js';

/**
 * The life of a public warning, as pure transitions. A warning is a chain of CAP messages: one Alert, then
 * Updates, ended by a Cancel (withdrawn) or an all-clear (an Update whose responseType is AllClear). Each
 * message is first a proposal (draft → awaiting approval) and is published only when a second person
 * approves it (approval.ts). Every transition returns the new warning and the event to record on the audit
 * log and the incident timeline, or the reasons it is refused.
 */

export type MessageKind = 'alert' | 'update' | 'cancel' | 'all-clear';

export interface Proposal {
  kind: MessageKind;
  content: WarningContent;
  /** Everyone who wrote or edited this message: none of them may approve it. */
  authors: string[];
  state: 'draft' | 'awaiting-approval';
  updatedAt: string;
  submittedAt?: string;
  rejection?: { by: string; at: string; reason: string };
}

export interface PublishedMessage {
  kind: MessageKind;
  alert: Alert;
  authors: string[];
  approvedBy: string;
  approverOrganisationId: string;
  publishedAt: string;
}

export interface Warning {
  id: string;
  ownerOrganisationId: string;
  incidentId?: string;
  createdBy: string;
  createdAt: string;
  /** The published chain, oldest first. */
  published: PublishedMessage[];
  proposal?: Proposal;
}

export type WarningPhase = 'draft' | 'awaiting-approval' | 'published' | 'updated' | 'cancelled' | 'all-clear';

export interface WarningEvent {
  type: 'warning.drafted' | 'warning.edited' | 'warning.submitted' | 'warning.rejected' | 'warning.published';
  warningId: string;
  incidentId?: string;
  kind: MessageKind;
  actor: string;
  organisationId: string;
  at: string;
  /** Present on warning.published. */
  message?: { identifier: string; msgType: MsgType; sent: string; references?: string };
  reason?: string;
}

export type Transition = { ok: true; warning: Warning; event: WarningEvent } | { ok: false; reasons: Reason[] };

export interface PublicationSettings {
  /** CAP <sender>, globally unique, e.g. "protection-civile@gouv.mc". */
  sender: string;
  /** Start of every <identifier>, e.g. "MC-VIGIL"; the rest is the warning id and the message's number. */
  identifierPrefix: string;
  /** IANA time zone in which <sent> is written; UTC when absent. */
  timeZone?: string;
  /** Schema and §3 checks of the message about to be published (validate.ts: validateAlert). */
  validate: (alert: Alert) => CapProblem[];
}

export function warningPhase(warning: Warning): WarningPhase {
  const last = warning.published[warning.published.length - 1];
  if (!last) return warning.proposal?.state ?? 'draft';
  return last.kind === 'cancel' ? 'cancelled' : last.kind === 'all-clear' ? 'all-clear' : last.kind === 'update' ? 'updated' : 'published';
}

export function isEnded(warning: Warning): boolean {
  const phase = warningPhase(warning);
  return phase === 'cancelled' || phase === 'all-clear';
}

export function draftWarning(
  input: { id: string; actor: Actor; now: Date; content: WarningContent; incidentId?: string },
  policy: ApprovalPolicy,
): Transition {
  const reasons = [...authoringReasons(input.actor, input.actor.organisationId, policy), ...contentReasons('alert', input.content)];
  if (reasons.length > 0) return { ok: false, reasons };
  const at = input.now.toISOString();
  const warning: Warning = {
    id: input.id,
    ownerOrganisationId: input.actor.organisationId,
    ...(input.incidentId ? { incidentId: input.incidentId } : {}),
    createdBy: input.actor.userId,
    createdAt: at,
    published: [],
    proposal: { kind: 'alert', content: input.content, authors: [input.actor.userId], state: 'draft', updatedAt: at },
  };
  return { ok: true, warning, event: event(warning, 'warning.drafted', 'alert', input.actor, at) };
}

/** Proposes the next message of a published warning: an update, its cancellation or its all-clear. */
export function proposeMessage(
  warning: Warning,
  actor: Actor,
  kind: Exclude<MessageKind, 'alert'>,
  content: WarningContent,
  now: Date,
  policy: ApprovalPolicy,
): Transition {
  const reasons = authoringReasons(actor, warning.ownerOrganisationId, policy);
  if (warning.published.length === 0) reasons.push({ code: 'not-published', message: 'only a published warning can be updated, cancelled or cleared' });
  if (isEnded(warning)) reasons.push({ code: 'warning-ended', message: `the warning has ended (${warningPhase(warning)})` });
  if (warning.proposal) reasons.push({ code: 'proposal-pending', message: 'another message of this warning is still pending: edit it or have it approved or rejected first' });
  reasons.push(...contentReasons(kind, content));
  if (reasons.length > 0) return { ok: false, reasons };
  const at = now.toISOString();
  const next: Warning = { ...warning, proposal: { kind, content, authors: [actor.userId], state: 'draft', updatedAt: at } };
  return { ok: true, warning: next, event: event(next, 'warning.drafted', kind, actor, at) };
}

/** Edits the pending message. Editing a submitted message sends it back to draft: approval is of what was read. */
export function editProposal(warning: Warning, actor: Actor, content: WarningContent, now: Date, policy: ApprovalPolicy): Transition {
  const proposal = warning.proposal;
  if (!proposal) return refuse('nothing-to-approve', 'this warning has no pending message to edit');
  const reasons = [...authoringReasons(actor, warning.ownerOrganisationId, policy), ...contentReasons(proposal.kind, content)];
  if (reasons.length > 0) return { ok: false, reasons };
  const at = now.toISOString();
  const authors = proposal.authors.includes(actor.userId) ? proposal.authors : [...proposal.authors, actor.userId];
  const next: Warning = { ...warning, proposal: { kind: proposal.kind, content, authors, state: 'draft', updatedAt: at } };
  return { ok: true, warning: next, event: event(next, 'warning.edited', proposal.kind, actor, at) };
}

export function submitProposal(warning: Warning, actor: Actor, now: Date, policy: ApprovalPolicy): Transition {
  const proposal = warning.proposal;
  if (!proposal) return refuse('nothing-to-approve', 'this warning has no pending message to submit');
  if (proposal.state !== 'draft') return refuse('not-a-draft', 'the message is already awaiting approval');
  const reasons = authoringReasons(actor, warning.ownerOrganisationId, policy);
  if (reasons.length > 0) return { ok: false, reasons };
  const at = now.toISOString();
  const { rejection: _previous, ...rest } = proposal;
  const next: Warning = { ...warning, proposal: { ...rest, state: 'awaiting-approval', submittedAt: at } };
  return { ok: true, warning: next, event: event(next, 'warning.submitted', proposal.kind, actor, at) };
}

/** Sends the pending message back to its authors with the reviewer's reason. Same eligibility as approving. */
export function rejectProposal(warning: Warning, reviewer: Actor, reason: string, now: Date, policy: ApprovalPolicy): Transition {
  const proposal = warning.proposal;
  if (!proposal || proposal.state !== 'awaiting-approval') return refuse('not-awaiting-approval', 'no message of this warning is awaiting approval');
  const reasons = approvalReasons(reviewer, proposal.authors, policy);
  if (reason.trim() === '') reasons.push({ code: 'invalid-content', message: 'say why the message is rejected' });
  if (reasons.length > 0) return { ok: false, reasons };
  const at = now.toISOString();
  const { submittedAt: _submitted, ...rest } = proposal;
  const next: Warning = { ...warning, proposal: { ...rest, state: 'draft', rejection: { by: reviewer.userId, at, reason } } };
  return { ok: true, warning: next, event: { ...event(next, 'warning.rejected', proposal.kind, reviewer, at), reason } };
}

/**
 * The four-eyes release: a second, authorised person approves the pending message and it is published
 * as the next CAP message of the chain. Refused with the validation errors if it would not be valid CAP.
 */
export function approveProposal(
  warning: Warning,
  approver: Actor,
  now: Date,
  policy: ApprovalPolicy,
  settings: PublicationSettings,
): Transition {
  const proposal = warning.proposal;
  if (!proposal || proposal.state !== 'awaiting-approval') return refuse('not-awaiting-approval', 'no message of this warning is awaiting approval');
  const reasons = approvalReasons(approver, proposal.authors, policy);
  if (reasons.length > 0) return { ok: false, reasons };
  const alert = nextMessage(warning, proposal, settings, now);
  const errors = settings.validate(alert).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    return { ok: false, reasons: errors.map((p) => ({ code: 'invalid-message', message: `${p.path}: ${p.message}` })) };
  }
  const at = now.toISOString();
  const message: PublishedMessage = {
    kind: proposal.kind,
    alert,
    authors: proposal.authors,
    approvedBy: approver.userId,
    approverOrganisationId: approver.organisationId,
    publishedAt: at,
  };
  const { proposal: _done, ...rest } = warning;
  const next: Warning = { ...rest, published: [...warning.published, message] };
  const published = event(next, 'warning.published', proposal.kind, approver, at);
  published.message = {
    identifier: alert.identifier,
    msgType: alert.msgType,
    sent: alert.sent,
    ...(alert.references ? { references: alert.references } : {}),
  };
  return { ok: true, warning: next, event: published };
}

const MSG_TYPE_OF: Record<MessageKind, MsgType> = { alert: 'Alert', update: 'Update', 'all-clear': 'Update', cancel: 'Cancel' };

/** The CAP message the pending proposal becomes when published at `now`. */
export function nextMessage(warning: Warning, proposal: Proposal, settings: PublicationSettings, now: Date): Alert {
  const references = referencesOf(warning.published.map((m) => m.alert));
  const { content } = proposal;
  return {
    identifier: `${settings.identifierPrefix}.${warning.id}.${warning.published.length + 1}`,
    sender: settings.sender,
    sent: formatCapDateTime(now, settings.timeZone),
    status: content.status,
    msgType: MSG_TYPE_OF[proposal.kind],
    ...(content.source ? { source: content.source } : {}),
    scope: content.scope,
    code: content.code,
    ...(content.note ? { note: content.note } : {}),
    ...(references ? { references } : {}),
    ...(content.incidents ? { incidents: content.incidents } : {}),
    info: content.info,
  };
}

/** CAP <references>: every earlier message of the chain as "sender,identifier,sent", space-separated. */
export function referencesOf(earlier: ReadonlyArray<Pick<Alert, 'sender' | 'identifier' | 'sent'>>): string | undefined {
  return earlier.length === 0 ? undefined : earlier.map((m) => `${m.sender},${m.identifier},${m.sent}`).join(' ');
}

function contentReasons(kind: MessageKind, content: WarningContent): Reason[] {
  const reasons: Reason[] = [];
  if (content.scope !== 'Public') reasons.push({ code: 'invalid-content', message: 'public warnings have scope "Public"' });
  if (kind !== 'cancel' && content.info.length === 0) reasons.push({ code: 'invalid-content', message: 'a warning needs at least one info block' });
  // A public warning says where it applies; CAP allows an info block without area, a warning to the public should not.
  if (kind !== 'cancel' && content.info.some((i) => i.area.length === 0)) {
    reasons.push({ code: 'invalid-content', message: 'say where the warning applies: every info block needs at least one area' });
  }
  const allClear = content.info.length > 0 && content.info.every((i) => i.responseType.includes('AllClear'));
  if (kind === 'all-clear' && !allClear) reasons.push({ code: 'invalid-content', message: 'an all-clear has responseType "AllClear" in every info block' });
  if ((kind === 'alert' || kind === 'update') && content.info.some((i) => i.responseType.includes('AllClear'))) {
    reasons.push({ code: 'invalid-content', message: 'responseType "AllClear" ends the warning: propose an all-clear instead' });
  }
  return reasons;
}

function event(warning: Warning, type: WarningEvent['type'], kind: MessageKind, actor: Actor, at: string): WarningEvent {
  return {
    type,
    warningId: warning.id,
    ...(warning.incidentId ? { incidentId: warning.incidentId } : {}),
    kind,
    actor: actor.userId,
    organisationId: actor.organisationId,
    at,
  };
}

function refuse(code: Reason['code'], message: string): Transition {
  return { ok: false, reasons: [{ code, message }] };
}
