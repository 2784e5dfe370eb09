// The shapes of the warnings API (docs/warnings.md). CAP's vocabularies come from the server's own model, so
// the selects of the editor offer exactly the values the server accepts.
import type { Distribution, Tlp } from '../api/types';

export { CATEGORIES, CERTAINTIES, RESPONSE_TYPES, SEVERITIES as CAP_SEVERITIES, STATUSES, URGENCIES } from '../../../src/warnings/model.js';
export type { Category, Certainty, ResponseType, Severity as CapSeverity, Status as CapStatus, Urgency } from '../../../src/warnings/model.js';

export const PHASES = ['draft', 'awaiting-approval', 'published', 'updated', 'cancelled', 'all-clear'] as const;
export type WarningPhase = (typeof PHASES)[number];
export const TEMPLATE_LANGUAGES = ['fr', 'en', 'it'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

/** A CAP area as the server keeps it: polygons "lat,lon lat,lon …", circles "lat,lon radius-km". */
export interface CapArea {
  areaDesc: string;
  polygon?: string[];
  circle?: string[];
  geocode?: Array<{ valueName: string; value: string }>;
  altitude?: number;
  ceiling?: number;
}

export interface CapInfo {
  language?: string;
  category: string[];
  event: string;
  responseType?: string[];
  urgency: string;
  severity: string;
  certainty: string;
  audience?: string;
  eventCode?: Array<{ valueName: string; value: string }>;
  effective?: string;
  onset?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameter?: Array<{ valueName: string; value: string }>;
  resource?: unknown[];
  area: CapArea[];
}

export interface CapContent {
  status?: string;
  scope?: 'Public';
  code?: string[];
  note?: string;
  source?: string;
  info: CapInfo[];
}

export interface PublishedMessage {
  sequence: number;
  kind: string;
  identifier: string;
  msgType: string;
  sender: string;
  sent: string;
  references: string | null;
  status: string;
  url: string;
  authors: string[];
  approvedBy: string;
  approverOrgId: string;
  publishedAt: string;
  deliveries: { pending: number; delivered: number; failed: number };
}

export interface Proposal {
  kind: 'alert' | 'update' | 'cancel' | 'all-clear';
  state: 'draft' | 'awaiting-approval';
  content: CapContent;
  authors: string[];
  updatedAt: string;
  submittedAt: string | null;
  rejection: { by: string; at: string; reason: string } | null;
}

export interface Warning {
  id: string;
  phase: WarningPhase;
  headline: string;
  incidentId: string | null;
  template: string | null;
  live: boolean;
  messages: PublishedMessage[];
  proposal: Proposal | null;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Approval {
  sequence: number;
  kind: string;
  decision: 'approved' | 'rejected';
  userId: string;
  orgId: string;
  at: string;
  reason: string | null;
  identifier: string | null;
}

export type WarningWithApprovals = Warning & { approvals: Approval[] };

export interface CapProblem {
  severity: 'error' | 'warning';
  rule: string;
  path: string;
  line?: number;
  message: string;
}

export interface Preview {
  identifier: string;
  xml: string;
  valid: boolean;
  problems: CapProblem[];
}

export interface TemplateText {
  event: string;
  headline: string;
  description: string;
  instruction: string;
  [field: string]: string;
}

export interface WarningTemplate {
  id: string;
  incidentTypes: string[];
  defaultDurationHours: number;
  category: string[];
  responseType: string[];
  urgency: string;
  severity: string;
  certainty: string;
  languages: string[];
  placeholders: { alert: string[]; allClear: string[]; cancel: string[] };
  text: { alert: Record<string, TemplateText>; allClear: Record<string, TemplateText> };
}

export interface WarningPolicy {
  authorRoles: string[];
  approverRoles: string[];
  approverOrganisations: Array<{ id: string; name: string }>;
  /** The templates' {{contact}} when none is given; null: the author must give one. */
  defaultContact: string | null;
}

export interface WebhookChannel {
  id: string;
  orgId: string;
  name: string;
  url: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

export interface WebhookDelivery {
  id: string;
  channelId: string;
  identifier: string;
  warningId: string;
  event: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Array<{ attempt: number; at: string; status: number | null; error: string | null; durationMs: number; outcome: string }>;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An area as drawn or chosen in the editor; the server turns it into CAP polygons and circles. */
export type AreaDraft =
  | { kind: 'circle'; areaDesc: string; center: [number, number]; radiusMeters: number }
  | { kind: 'polygon'; areaDesc: string; ring: Array<[number, number]> }
  | { kind: 'incident'; areaDesc: string; bufferMeters: number };
