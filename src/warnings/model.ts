/**
 * The CAP 1.2 alert message (OASIS Common Alerting Protocol 1.2, §3.2 data dictionary), typed.
 * Element and value names are the specification's own, so a field maps one-to-one onto its XML element.
 * Geometry keeps CAP's wire form (strings such as "43.73,7.42 0.5"): geometry.ts builds and reads them,
 * rules.ts checks them.
 */

export const CAP12_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP11_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.1';
export type CapVersion = '1.1' | '1.2';

export const STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export type Status = (typeof STATUSES)[number];

export const MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export type MsgType = (typeof MSG_TYPES)[number];

export const SCOPES = ['Public', 'Restricted', 'Private'] as const;
export type Scope = (typeof SCOPES)[number];

export const CATEGORIES = [
  'Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const RESPONSE_TYPES = [
  'Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None',
] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;
export type Certainty = (typeof CERTAINTIES)[number];

/** eventCode, parameter and geocode: a user-assigned domain (valueName) and its value. */
export interface ValuePair {
  valueName: string;
  value: string;
}

export interface Resource {
  resourceDesc: string;
  mimeType: string;
  size?: number;
  uri?: string;
  derefUri?: string;
  digest?: string;
}

export interface Area {
  areaDesc: string;
  /** Whitespace-separated "lat,lon" pairs, closed, at least 4 pairs. */
  polygon: string[];
  /** "lat,lon radius", radius in kilometres. */
  circle: string[];
  geocode: ValuePair[];
  /** Feet above mean sea level (WGS 84). */
  altitude?: number;
  ceiling?: number;
}

export interface Info {
  /** RFC 3066 language tag; CAP's default is en-US when absent. */
  language?: string;
  category: Category[];
  event: string;
  responseType: ResponseType[];
  urgency: Urgency;
  severity: Severity;
  certainty: Certainty;
  audience?: string;
  eventCode: ValuePair[];
  effective?: string;
  onset?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameter: ValuePair[];
  resource: Resource[];
  area: Area[];
}

export interface Alert {
  identifier: string;
  sender: string;
  /** CAP dateTime, e.g. "2025-03-01T10:15:00+01:00"; UTC is written "-00:00". */
  sent: string;
  status: Status;
  msgType: MsgType;
  source?: string;
  scope: Scope;
  restriction?: string;
  addresses?: string;
  code: string[];
  note?: string;
  /** Space-separated "sender,identifier,sent" triples of the earlier messages this one refers to. */
  references?: string;
  incidents?: string;
  info: Info[];
}

/** A message as received: its CAP version comes from the namespace of its root element. */
export interface ReceivedAlert {
  version: CapVersion;
  alert: Alert;
}

/** The triple CAP uses to name an earlier message in `references`. */
export interface MessageReference {
  sender: string;
  identifier: string;
  sent: string;
}

export function referenceOf(alert: Pick<Alert, 'sender' | 'identifier' | 'sent'>): MessageReference {
  return { sender: alert.sender, identifier: alert.identifier, sent: alert.sent };
}

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
