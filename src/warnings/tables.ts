import type { SharedColumns } from '../kernel/db/schema.js';

/**
 * The warnings' tables, added to the kernel's Database type. (`schema.ts` in this folder is the CAP XML
 * schema, hence the name.) Times are epoch milliseconds; JSON is text.
 */

/**
 * A public warning: the chain of CAP messages it published and the one message pending approval. Until its
 * first message is published it is a shared record of the authoring organisation under the sharing
 * policy; from then on it is TLP:CLEAR, distribution public.
 */
export interface WarningTable extends SharedColumns {
  id: string;
  incident_id: string | null;
  /** Template the warning started from; its cancel and all-clear texts are offered later. */
  template: string | null;
  /** JSON: the placeholder values used with the template (issuer, contact, areaDesc, …). */
  template_values: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
  /** draft | awaiting-approval | published | updated | cancelled | all-clear */
  phase: string;
  /** JSON Proposal, or null when no message is pending. */
  proposal: string | null;
  /** Headline of the latest message (or of the proposal before publication), for lists. */
  headline: string;
  messages: number;
  first_published_at: number | null;
  last_published_at: number | null;
  /** 1 while published and not ended: a candidate for the Atom feed (expiry and status decide the rest). */
  live: number;
  /** When the latest published message stops being in force; null when it never expires. */
  expires_at: number | null;
  /** CAP status of the latest published message (Actual, Exercise, …). */
  status: string | null;
}

/** One published CAP message: the exact XML served, byte for byte, at its public URL. */
export interface CapMessageTable {
  identifier: string;
  warning_id: string;
  sequence: number;
  /** alert | update | cancel | all-clear */
  kind: string;
  msg_type: string;
  sender: string;
  sent: string;
  refs: string | null;
  status: string;
  xml: string;
  /** SHA-256 of the XML (hex): its ETag. */
  sha256: string;
  /** JSON: the typed CAP alert the XML was written from. */
  alert: string;
  /** JSON array of user ids (or token:<id>) who wrote or edited the message. */
  authors: string;
  approved_by: string;
  approver_org_id: string;
  published_at: number;
}

/** Every approval decision, for the record: who released or sent back which message, when, and why. */
export interface WarningApprovalTable {
  id: string;
  warning_id: string;
  /** The message number in the chain the decision was about. */
  sequence: number;
  kind: string;
  /** approved | rejected */
  decision: string;
  user_id: string;
  org_id: string;
  at: number;
  reason: string | null;
  identifier: string | null;
}

/** A webhook endpoint of an organisation; every published message is delivered to every active channel. */
export interface WebhookChannelTable {
  id: string;
  org_id: string;
  name: string;
  url: string;
  /** Signing secret; needed in clear to sign, never shown again after creation. */
  secret: string;
  active: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  /** Deleted channels are kept so their delivery records stay readable. */
  deleted_at: number | null;
}

export interface WebhookDeliveryTable {
  id: string;
  channel_id: string;
  identifier: string;
  warning_id: string;
  event: string;
  /** pending | delivered | failed */
  state: string;
  attempts: number;
  /** When the worker may try next (also the lease of an attempt in progress); null once final. */
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
  last_status: number | null;
  last_error: string | null;
}

export interface WebhookAttemptTable {
  delivery_id: string;
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  /** delivered | retry | failed */
  outcome: string;
}

/** CAP messages received on the inbox, per receiving organisation: deduplication and references. */
export interface CapInboxTable {
  id: string;
  org_id: string;
  sender: string;
  identifier: string;
  sent: string;
  msg_type: string;
  status: string;
  /** The alert the message raised, updated or closed; null when it touched none. */
  alert_id: string | null;
  received_at: number;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    warnings: WarningTable;
    cap_messages: CapMessageTable;
    warning_approvals: WarningApprovalTable;
    webhook_channels: WebhookChannelTable;
    webhook_deliveries: WebhookDeliveryTable;
    webhook_attempts: WebhookAttemptTable;
    cap_inbox: CapInboxTable;
  }
}
