import { isIdentifier, scoId, vigilStixId } from '../stix/ids.js';
import { tlpMarkingDefinition, tlpMarkingId, type Tlp } from '../stix/markings.js';
import { attributeToPattern } from './attributes.js';
import { nonTlpTags, tlpFromTags } from './distribution.js';
import type { MispAttribute, MispEvent } from './model.js';
import { mispObjectToPattern } from './objects.js';

/**
 * A MISP event as STIX 2.1, the way MISP's own exporter shapes it: a report (the event) whose object_refs are
 * indicators (IDS attributes and objects, ids taken from the MISP uuids so re-exports are stable), observables
 * for the other attributes, the creator organisation as an identity, TLP as marking definitions and the other
 * tags (galaxies included) as labels. MISP-only facts travel in x_misp_* properties so the way back is exact.
 */
export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface MispToStixResult {
  objects: StixObject[];
  /** Attributes that have no STIX form here (by uuid, with the reason). */
  skipped: Array<{ uuid: string; reason: string }>;
}

const SCO_OF_TYPE: Readonly<Record<string, (v: string) => Record<string, unknown> | undefined>> = {
  'ip-src': (v) => ({ type: v.includes(':') ? 'ipv6-addr' : 'ipv4-addr', value: v }),
  'ip-dst': (v) => ({ type: v.includes(':') ? 'ipv6-addr' : 'ipv4-addr', value: v }),
  domain: (v) => ({ type: 'domain-name', value: v }),
  hostname: (v) => ({ type: 'domain-name', value: v }),
  url: (v) => ({ type: 'url', value: v }),
  email: (v) => ({ type: 'email-addr', value: v }),
  'email-src': (v) => ({ type: 'email-addr', value: v }),
  'email-dst': (v) => ({ type: 'email-addr', value: v }),
  filename: (v) => ({ type: 'file', name: v }),
  md5: (v) => ({ type: 'file', hashes: { MD5: v } }),
  sha1: (v) => ({ type: 'file', hashes: { 'SHA-1': v } }),
  sha256: (v) => ({ type: 'file', hashes: { 'SHA-256': v } }),
  mutex: (v) => ({ type: 'mutex', name: v }),
  'mac-address': (v) => ({ type: 'mac-addr', value: v.toLowerCase() }),
};

export function secondsToStix(seconds: string): string {
  const n = Number(seconds);
  return new Date((Number.isFinite(n) ? n : 0) * 1000).toISOString();
}

export function mispEventToStix(event: MispEvent): MispToStixResult {
  const objects: StixObject[] = [];
  const skipped: MispToStixResult['skipped'] = [];
  const eventTlp = tlpFromTags(event.Tag);
  const markings = new Set<Tlp>();
  const created = event.date ? `${event.date}T00:00:00.000Z` : secondsToStix(event.timestamp);
  const modified = maxTimestamp(created, secondsToStix(event.timestamp));
  const creator = event.Orgc
    ? {
        type: 'identity',
        spec_version: '2.1',
        id: vigilStixId('identity', 'misp-organisation', event.Orgc.uuid ?? event.Orgc.name),
        created,
        modified: created,
        name: event.Orgc.name,
        identity_class: 'organization',
      }
    : undefined;
  if (creator) objects.push(creator);
  const common = (tlp: Tlp | undefined): Record<string, unknown> => {
    if (tlp) markings.add(tlp);
    return {
      ...(creator ? { created_by_ref: creator.id } : {}),
      ...(tlp ? { object_marking_refs: [tlpMarkingId(tlp)] } : {}),
    };
  };
  const refs: string[] = [];

  const fromAttribute = (a: MispAttribute, extra: Record<string, unknown> = {}): void => {
    if (a.deleted) return;
    const tlp = tlpFromTags(a.Tag) ?? eventTlp;
    const time = secondsToStix(a.timestamp);
    const labels = nonTlpTags(a.Tag).map((t) => t.name);
    if (a.to_ids) {
      const pattern = attributeToPattern(a.type, a.value);
      if (!pattern) {
        skipped.push({ uuid: a.uuid, reason: `MISP type '${a.type}' has no STIX pattern mapping` });
        return;
      }
      const indicator: StixObject = {
        type: 'indicator',
        spec_version: '2.1',
        id: stixIdFromUuid('indicator', a.uuid),
        created: time,
        modified: time,
        name: a.value,
        ...(a.comment ? { description: a.comment } : {}),
        indicator_types: ['malicious-activity'],
        pattern: pattern.pattern,
        pattern_type: pattern.pattern_type,
        valid_from: a.first_seen ? toStixTime(a.first_seen) : time,
        ...(a.last_seen ? { valid_until: toStixTime(a.last_seen) } : {}),
        ...(labels.length ? { labels } : {}),
        ...common(tlp),
        x_misp_type: a.type,
        x_misp_category: a.category,
        x_misp_distribution: a.distribution,
        ...extra,
      };
      if (indicator.valid_until && String(indicator.valid_until) <= String(indicator.valid_from)) delete indicator.valid_until;
      objects.push(indicator);
      refs.push(indicator.id);
      return;
    }
    const sco = SCO_OF_TYPE[a.type]?.(a.value);
    if (!sco) {
      skipped.push({ uuid: a.uuid, reason: `non-IDS attribute of type '${a.type}' has no observable mapping` });
      return;
    }
    const observable = { ...sco, spec_version: '2.1', ...(tlp ? common(tlp) : {}) } as Record<string, unknown>;
    delete observable.created_by_ref; // SCOs have no created_by_ref
    const withId = { ...observable, id: scoId(observable) } as StixObject;
    objects.push(withId);
    refs.push(withId.id);
  };

  for (const a of event.Attribute) fromAttribute(a);
  for (const o of event.Object) {
    const pattern = mispObjectToPattern(o);
    if (pattern) {
      const time = secondsToStix(o.timestamp);
      const tlp = eventTlp;
      const indicator: StixObject = {
        type: 'indicator',
        spec_version: '2.1',
        id: stixIdFromUuid('indicator', o.uuid),
        created: time,
        modified: time,
        name: o.name,
        ...(o.comment ? { description: o.comment } : {}),
        indicator_types: ['malicious-activity'],
        pattern,
        pattern_type: 'stix',
        valid_from: time,
        ...common(tlp),
        x_misp_object: o.name,
        x_misp_distribution: o.distribution,
        ...(o['meta-category'] ? { x_misp_meta_category: o['meta-category'] } : {}),
        // The attributes' own identities, so MISP → STIX → MISP gives the same object back.
        x_misp_attributes: o.Attribute.filter((a) => a.to_ids && !a.deleted).map((a) => ({
          uuid: a.uuid,
          object_relation: a.object_relation,
          type: a.type,
          category: a.category,
          value: a.value,
        })),
      };
      objects.push(indicator);
      refs.push(indicator.id);
    } else {
      for (const a of o.Attribute) if (!a.to_ids) fromAttribute(a);
      if (!o.Attribute.some((a) => !a.to_ids)) skipped.push({ uuid: o.uuid, reason: `MISP object '${o.name}' has no STIX pattern mapping` });
    }
  }

  const labels = [
    ...nonTlpTags(event.Tag).map((t) => t.name),
    ...event.Galaxy.flatMap((g) => g.GalaxyCluster.map((c) => c.tag_name)),
  ];
  const report: StixObject = {
    type: 'report',
    spec_version: '2.1',
    id: stixIdFromUuid('report', event.uuid),
    created,
    modified,
    name: event.info,
    report_types: ['threat-report'],
    published: event.publish_timestamp && event.publish_timestamp !== '0' ? secondsToStix(event.publish_timestamp) : modified,
    object_refs: refs.length > 0 ? [...new Set(refs)] : creator ? [creator.id] : [],
    ...(labels.length ? { labels: [...new Set(labels)] } : {}),
    ...common(eventTlp),
    x_misp_event_uuid: event.uuid,
    x_misp_threat_level_id: event.threat_level_id,
    x_misp_analysis: event.analysis,
    x_misp_distribution: event.distribution,
    x_misp_date: event.date,
  };
  if ((report.object_refs as string[]).length === 0) {
    skipped.push({ uuid: event.uuid, reason: 'event has nothing STIX can reference; no report produced' });
  } else {
    objects.push(report);
  }
  for (const tlp of markings) objects.unshift(tlpMarkingDefinition(tlp) as unknown as StixObject);
  return { objects: dedupe(objects), skipped };
}

function toStixTime(value: string): string {
  if (/^\d+$/.test(value)) return secondsToStix(value);
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function maxTimestamp(a: string, b: string): string {
  return a > b ? a : b;
}

function dedupe(objects: StixObject[]): StixObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
}

/** MISP uuids become STIX ids as they are when they are RFC 4122 UUIDs STIX accepts; others are hashed (v5). */
export function stixIdFromUuid(type: string, uuid: string): string {
  const direct = `${type}--${uuid.toLowerCase()}`;
  return isIdentifier(direct) ? direct : vigilStixId(type, 'misp', uuid);
}
