/**
 * What the correlation engine reads and what it decides. Pure data: the platform maps its stored
 * alerts, assets and incidents onto these shapes (see index.ts) and applies the decisions.
 */

export const ALERT_CATEGORIES = ['cyber', 'physical', 'cyber-physical', 'hazard', 'crowd', 'social'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How one asset depends on another, read "from <kind> to": a PLC controls a pump. */
export const DEPENDENCY_KINDS = ['controls', 'feeds', 'supplies', 'monitors', 'located-in'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

/** A GeoJSON (RFC 7946) point: longitude, latitude in WGS 84. */
export interface GeoPoint {
  type: 'Point';
  coordinates: [number, number] | [number, number, number];
}

export interface CorrelationAlert {
  id: string;
  ownerOrgId: string;
  /** Milliseconds since the epoch: when the detected thing happened. */
  time: number;
  category: AlertCategory;
  severity: Severity;
  /**
   * What was detected: the detector's rule name ("Wazuh: sshd: authentication success") or the alert
   * type ("tank-level-anomaly"). Alerts of one kind on one asset are "the same thing again".
   */
  kind: string;
  assetIds: readonly string[];
  location?: GeoPoint | null;
  /** The detector's evidence, any JSON; indicators are extracted from it. */
  evidence?: unknown;
}

export interface AssetDependency {
  kind: DependencyKind;
  assetId: string;
}

export interface CorrelationAsset {
  id: string;
  name?: string;
  /**
   * The asset's own identity on the network (addresses, host names, device ids). Indicators equal to the
   * alert's own asset identity describe the asset, not the threat, and never correlate.
   */
  identifiers?: readonly string[];
  /** What this asset acts on: a PLC `controls` a pump. */
  dependencies?: readonly AssetDependency[];
}

/** An incident that is open in the platform, with the alerts already in it (to warm the engine up). */
export interface OpenIncident {
  id: string;
  ownerOrgId: string;
  alerts: readonly CorrelationAlert[];
}

export const CORRELATION_RULES = [
  'same-asset',
  'asset-dependency',
  'place-time',
  'shared-indicator',
  'recurrence',
] as const;
export type CorrelationRule = (typeof CORRELATION_RULES)[number];

/** Why an alert joined an incident (or why two incidents became one): the rule and the value shared. */
export interface CorrelationReason {
  rule: CorrelationRule;
  /** The shared value: an asset id, `ip:203.0.113.7`, a place `lat,lon`, a kind mix. */
  value: string;
  /** One sentence a person on the incident can read. */
  detail: string;
  /** The earlier alert that shares the value, when there is one. */
  alertId?: string;
}

/** A value the alert carried that did not correlate, and why (shown so nobody wonders). */
export interface IgnoredValue {
  value: string;
  because: 'excluded' | 'over-cap' | 'own-asset';
}

export type CorrelationDecision =
  | {
      kind: 'open';
      alertId: string;
      incidentId: string;
      category: AlertCategory;
      reasons: CorrelationReason[];
      ignored: IgnoredValue[];
    }
  | {
      kind: 'attach';
      alertId: string;
      incidentId: string;
      /** The incident's category after this alert: cyber + physical become cyber-physical. */
      category: AlertCategory;
      reasons: CorrelationReason[];
      ignored: IgnoredValue[];
    }
  | {
      /** Incident `incidentId` is the same incident as `intoIncidentId`: move its alerts there. */
      kind: 'merge';
      incidentId: string;
      intoIncidentId: string;
      category: AlertCategory;
      reasons: CorrelationReason[];
    };

/**
 * Combines alert categories into the incident's category: a cyber alert and a physical (or hazard)
 * alert in one incident make it cyber-physical; otherwise the incident keeps its first category.
 */
export function combineCategory(current: AlertCategory, added: AlertCategory): AlertCategory {
  if (current === added || current === 'cyber-physical') return current;
  if (added === 'cyber-physical') return added;
  const physicalSide = (c: AlertCategory): boolean => c === 'physical' || c === 'hazard';
  if ((current === 'cyber' && physicalSide(added)) || (physicalSide(current) && added === 'cyber')) {
    return 'cyber-physical';
  }
  return current;
}
