import { observeEvent, type SecurityEvent } from './matching/fields.js';
import { scoId, vigilStixId } from './stix/ids.js';
import { tlpMarkingDefinition, tlpMarkingId, type Tlp } from './stix/markings.js';

/**
 * Vigil's own records as STIX 2.1, so partners on OpenCTI or MISP can read them: organisations are identities,
 * places are locations, alerts and incidents are incidents carrying the OASIS Incident Core extension, what an
 * alert saw becomes observables, and a matched indicator becomes a sighting. Ids derive from the Vigil record
 * ids, so exporting the same record twice gives the same objects.
 */
export type StixObject = Record<string, unknown> & { type: string; id: string };

export const INCIDENT_CORE_EXTENSION_ID = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type AlertCategory = 'cyber' | 'physical' | 'cyber-physical' | 'hazard' | 'crowd' | 'social';

export interface VigilOrganisationRecord {
  id: string;
  name: string;
  sector?: string;
  kind?: 'operator' | 'practitioner' | 'authority';
  created: string;
  modified: string;
}

export interface VigilPlace {
  name?: string;
  latitude: number;
  longitude: number;
}

export interface VigilAlertRecord {
  id: string;
  title: string;
  description?: string;
  /** When it happened (ISO 8601, UTC). */
  time: string;
  category: AlertCategory;
  severity: Severity;
  /** A flat field map (ECS/Sysmon keys); observable values in it become SCOs. */
  evidence?: SecurityEvent;
  location?: VigilPlace;
  assetNames?: string[];
  owner: VigilOrganisationRecord;
  tlp: Tlp;
  created: string;
  modified: string;
}

export interface VigilIncidentRecord {
  id: string;
  title: string;
  description?: string;
  /** Vigil's lifecycle (open, triage, response, recovery, closed), or the older names. */
  status: 'new' | 'triage' | 'open' | 'response' | 'recovery' | 'contained' | 'resolved' | 'closed' | 'false-positive';
  severity: Severity;
  alerts: VigilAlertRecord[];
  owner: VigilOrganisationRecord;
  tlp: Tlp;
  created: string;
  modified: string;
}

/** A match of a STIX indicator against what an organisation saw. */
export interface IndicatorSightingRecord {
  indicatorId: string;
  /** The organisation that saw it (where_sighted). */
  seenBy: VigilOrganisationRecord;
  firstSeen: string;
  lastSeen: string;
  count: number;
  /** The alert the match raised, if any: its observables go into observed-data. */
  alert?: VigilAlertRecord;
  tlp: Tlp;
  created: string;
  modified: string;
}

const CRITICALITY: Readonly<Record<Severity, number>> = { info: 0, low: 25, medium: 50, high: 75, critical: 100 };

/** Vigil sectors in the STIX industry-sector-ov vocabulary (unknown sectors go through unchanged). */
const SECTORS: Readonly<Record<string, string>> = {
  water: 'water',
  energy: 'energy',
  electricity: 'utilities',
  gas: 'utilities',
  transport: 'transportation',
  health: 'healthcare',
  hospital: 'healthcare',
  police: 'government-emergency-services',
  fire: 'government-emergency-services',
  ems: 'government-emergency-services',
  'civil-protection': 'government-emergency-services',
  cert: 'government-public-services',
  city: 'government-local',
  telecom: 'telecommunications',
};

export function organisationToIdentity(org: VigilOrganisationRecord): StixObject {
  const sector = org.sector ? (SECTORS[org.sector.toLowerCase()] ?? org.sector.toLowerCase()) : undefined;
  return {
    type: 'identity',
    spec_version: '2.1',
    id: vigilStixId('identity', 'organisation', org.id),
    created: stix(org.created),
    modified: stix(org.modified),
    name: org.name,
    identity_class: 'organization',
    ...(sector ? { sectors: [sector] } : {}),
    ...(org.kind ? { x_vigil_kind: org.kind } : {}),
  };
}

export function placeToLocation(place: VigilPlace, owner: StixObject, created: string, tlp: Tlp): StixObject {
  return {
    type: 'location',
    spec_version: '2.1',
    id: vigilStixId('location', place.latitude.toFixed(6), place.longitude.toFixed(6), place.name ?? ''),
    created: stix(created),
    modified: stix(created),
    created_by_ref: owner.id,
    ...(place.name ? { name: place.name } : {}),
    latitude: place.latitude,
    longitude: place.longitude,
    object_marking_refs: [tlpMarkingId(tlp)],
  };
}

/** The observables (SCOs, deterministic ids) in a flat field map. */
export function evidenceToObservables(evidence: SecurityEvent, tlp: Tlp): StixObject[] {
  const out: StixObject[] = [];
  for (const o of observeEvent(evidence)) {
    const first = (path: string): string | undefined => o.values.get(path)?.[0];
    let sco: Record<string, unknown> | undefined;
    if (['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'mac-addr'].includes(o.type) && first('value')) {
      sco = { type: o.type, value: first('value') };
    } else if (o.type === 'file') {
      const hashes = Object.fromEntries(
        [...o.values].filter(([p]) => p.startsWith('hashes.')).map(([p, v]) => [p.slice('hashes.'.length), v[0]]),
      );
      const name = first('name');
      if (name || Object.keys(hashes).length) sco = { type: 'file', ...(name ? { name } : {}), ...(Object.keys(hashes).length ? { hashes } : {}) };
    } else if (o.type === 'user-account' && (first('account_login') || first('user_id'))) {
      sco = { type: 'user-account', ...(first('user_id') ? { user_id: first('user_id') } : {}), ...(first('account_login') ? { account_login: first('account_login') } : {}) };
    } else if (o.type === 'windows-registry-key' && first('key')) {
      sco = { type: 'windows-registry-key', key: first('key') };
    }
    if (!sco) continue;
    const object = { ...sco, spec_version: '2.1', object_marking_refs: [tlpMarkingId(tlp)] };
    out.push({ ...object, id: scoId(object) } as unknown as StixObject);
  }
  return dedupe(out);
}

function incidentCore(determination: string, status: string, severity: Severity, detection?: string): Record<string, unknown> {
  return {
    [INCIDENT_CORE_EXTENSION_ID]: {
      extension_type: 'property-extension',
      determination,
      investigation_status: status,
      criticality: CRITICALITY[severity],
      ...(detection ? { detection_methods: [detection] } : {}),
    },
  };
}

interface IncidentSource {
  id: string;
  title: string;
  description?: string;
  created: string;
  modified: string;
}

/** The incident SDO common to alerts and incidents; `kind` keeps their ids apart. */
function incidentObject(kind: 'alert' | 'incident', r: IncidentSource, owner: StixObject, marking: string[], rest: Record<string, unknown>): StixObject {
  return {
    type: 'incident',
    spec_version: '2.1',
    id: vigilStixId('incident', kind, r.id),
    created: stix(r.created),
    modified: stix(r.modified),
    created_by_ref: owner.id,
    name: r.title,
    ...(r.description ? { description: r.description } : {}),
    object_marking_refs: marking,
    ...rest,
    x_vigil_record: kind,
  };
}

function relationship(source: StixObject, relationshipType: string, target: StixObject, owner: StixObject, marking: string[]): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: vigilStixId('relationship', source.id, relationshipType, target.id),
    created: source.created,
    modified: source.modified,
    created_by_ref: owner.id,
    relationship_type: relationshipType,
    source_ref: source.id,
    target_ref: target.id,
    object_marking_refs: marking,
  };
}

/** An alert: an incident (determination "suspected") with its observables, place and owner. */
export function alertToStix(alert: VigilAlertRecord): StixObject[] {
  const owner = organisationToIdentity(alert.owner);
  const marking = [tlpMarkingId(alert.tlp)];
  const incident = incidentObject('alert', alert, owner, marking, {
    labels: [`vigil-category:${alert.category}`, `vigil-severity:${alert.severity}`, ...(alert.assetNames ?? []).map((a) => `vigil-asset:${a}`)],
    extensions: incidentCore('suspected', 'new', alert.severity, `vigil-${alert.category}`),
    x_vigil_time: stix(alert.time),
  });
  const out: StixObject[] = [tlpMarkingDefinition(alert.tlp) as unknown as StixObject, owner, incident];
  if (alert.location) {
    const location = placeToLocation(alert.location, owner, alert.created, alert.tlp);
    out.push(location, relationship(incident, 'located-at', location, owner, marking));
  }
  for (const sco of alert.evidence ? evidenceToObservables(alert.evidence, alert.tlp) : []) {
    out.push(sco, relationship(incident, 'related-to', sco, owner, marking));
  }
  return dedupe(out);
}

const DETERMINATION: Readonly<Record<VigilIncidentRecord['status'], string>> = {
  new: 'suspected', triage: 'suspected', open: 'suspected', response: 'successful-attempt', recovery: 'successful-attempt',
  contained: 'successful-attempt', resolved: 'successful-attempt', closed: 'successful-attempt', 'false-positive': 'false-positive',
};

/** The Incident Core extension's investigation status (new, open, closed) for Vigil's lifecycle. */
const INVESTIGATION: Readonly<Record<VigilIncidentRecord['status'], string>> = {
  new: 'new', open: 'new', triage: 'open', response: 'open', recovery: 'open', contained: 'open', resolved: 'closed', closed: 'closed',
  'false-positive': 'closed',
};

/** An incident: the Incident Core extension, and a `derived-from` relationship to each of its alerts. */
export function incidentToStix(record: VigilIncidentRecord): StixObject[] {
  const owner = organisationToIdentity(record.owner);
  const marking = [tlpMarkingId(record.tlp)];
  const incident = incidentObject('incident', record, owner, marking, {
    extensions: incidentCore(DETERMINATION[record.status], INVESTIGATION[record.status], record.severity),
  });
  const out: StixObject[] = [tlpMarkingDefinition(record.tlp) as unknown as StixObject, owner, incident];
  for (const alert of record.alerts) {
    const alertObjects = alertToStix(alert);
    const alertIncident = alertObjects.find((o) => o.type === 'incident')!;
    out.push(...alertObjects, relationship(incident, 'derived-from', alertIncident, owner, marking));
  }
  return dedupe(out);
}

/** A sighting of an indicator, where_sighted the organisation, with the alert's observables as observed-data. */
export function sightingToStix(s: IndicatorSightingRecord): StixObject[] {
  const seenBy = organisationToIdentity(s.seenBy);
  const marking = [tlpMarkingId(s.tlp)];
  const out: StixObject[] = [tlpMarkingDefinition(s.tlp) as unknown as StixObject, seenBy];
  const observables = s.alert?.evidence ? evidenceToObservables(s.alert.evidence, s.tlp) : [];
  let observedDataId: string | undefined;
  if (observables.length > 0) {
    const observed: StixObject = {
      type: 'observed-data',
      spec_version: '2.1',
      id: vigilStixId('observed-data', s.indicatorId, s.seenBy.id, s.firstSeen),
      created: stix(s.created),
      modified: stix(s.modified),
      created_by_ref: seenBy.id,
      first_observed: stix(s.firstSeen),
      last_observed: stix(s.lastSeen),
      number_observed: Math.max(1, s.count),
      object_refs: observables.map((o) => o.id),
      object_marking_refs: marking,
    };
    observedDataId = observed.id;
    out.push(...observables, observed);
  }
  out.push({
    type: 'sighting',
    spec_version: '2.1',
    id: vigilStixId('sighting', s.indicatorId, s.seenBy.id, s.firstSeen),
    created: stix(s.created),
    modified: stix(s.modified),
    created_by_ref: seenBy.id,
    first_seen: stix(s.firstSeen),
    last_seen: stix(s.lastSeen),
    count: s.count,
    sighting_of_ref: s.indicatorId,
    ...(observedDataId ? { observed_data_refs: [observedDataId] } : {}),
    where_sighted_refs: [seenBy.id],
    object_marking_refs: marking,
  });
  return out;
}

/** STIX timestamps need millisecond precision; Vigil stores ISO 8601. */
function stix(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${iso}`);
  return date.toISOString();
}

function dedupe(objects: StixObject[]): StixObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
}
