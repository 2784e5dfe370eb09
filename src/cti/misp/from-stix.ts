import { randomUUID } from 'node:crypto';
import { tlpOfObject, type Tlp } from '../stix/markings.js';
import { parseIdentifier } from '../stix/ids.js';
import { timestampToMicros } from '../stix/timestamps.js';
import { defaultCategory, patternToAttributes } from './attributes.js';
import { tlpTag, vigilToMispDistribution, type VigilDistribution } from './distribution.js';
import type { MispAttribute, MispEvent, MispObject, MispOrganisation, MispTag } from './model.js';
import { patternToMispObjectAttributes } from './objects.js';

/**
 * STIX indicators as one MISP event (what a MISP instance pulls from Vigil): each indicator whose pattern has a
 * MISP form becomes IDS attributes; x_misp_* properties written by `mispEventToStix` are honoured, so an event
 * that went MISP → STIX → MISP comes back with its uuids, types, categories and distributions.
 */
export interface StixToMispOptions {
  info: string;
  uuid?: string;
  /** Seconds since the epoch, as a string (MISP's form); pass it in — pure code reads no clock. */
  timestamp: string;
  orgc?: MispOrganisation;
  distribution?: VigilDistribution;
  tlp?: Tlp;
  uuidFactory?: () => string;
}

export interface StixToMispResult {
  event: MispEvent;
  skipped: Array<{ id: string; reason: string }>;
}

export function stixToMispEvent(objects: readonly Record<string, unknown>[], options: StixToMispOptions): StixToMispResult {
  const newUuid = options.uuidFactory ?? randomUUID;
  const markings = new Map<string, Record<string, unknown>>();
  for (const o of objects) if (o.type === 'marking-definition') markings.set(String(o.id), o);
  const report = objects.find((o) => o.type === 'report' && typeof o.x_misp_event_uuid === 'string');
  const attributes: MispAttribute[] = [];
  const mispObjects: MispObject[] = [];
  const skipped: StixToMispResult['skipped'] = [];
  const eventTlp = options.tlp ?? (report ? tlpOfObject(report, markings) : undefined);
  for (const o of objects) {
    if (o.type !== 'indicator') continue;
    const id = String(o.id);
    if (typeof o.x_misp_object === 'string') {
      const rebuilt = rebuildObject(o, options.timestamp, newUuid);
      if (rebuilt) {
        mispObjects.push(rebuilt);
        continue;
      }
    }
    const values = patternToAttributes(String(o.pattern), String(o.pattern_type ?? 'stix'));
    if (!values) {
      skipped.push({ id, reason: 'pattern has no MISP attribute form' });
      continue;
    }
    const tlp = tlpOfObject(o, markings);
    const tags: MispTag[] = [
      ...(tlp && tlp !== eventTlp ? [tlpTag(tlp)] : []),
      ...(Array.isArray(o.labels) ? o.labels.map((l) => ({ name: String(l) })) : []),
    ];
    const timestamp = secondsOf(String(o.modified ?? o.created ?? ''), options.timestamp);
    values.forEach((v, i) => {
      const fromMisp = typeof o.x_misp_type === 'string' && o.x_misp_type === v.type;
      const uuid = values.length === 1 ? (parseIdentifier(id)?.uuid ?? newUuid()) : newUuid();
      attributes.push({
        uuid: i === 0 ? uuid : newUuid(),
        type: v.type,
        category: fromMisp && typeof o.x_misp_category === 'string' ? o.x_misp_category : defaultCategory(v.type),
        value: v.value,
        to_ids: true,
        distribution: typeof o.x_misp_distribution === 'string' ? o.x_misp_distribution : '5',
        timestamp,
        ...(typeof o.description === 'string' ? { comment: o.description } : {}),
        ...(tags.length ? { Tag: tags } : {}),
      });
    });
  }
  const distribution = options.distribution
    ? vigilToMispDistribution(options.distribution)
    : typeof report?.x_misp_distribution === 'string'
      ? report.x_misp_distribution
      : '0';
  const labels = Array.isArray(report?.labels) ? (report.labels as unknown[]).map(String) : [];
  const event: MispEvent = {
    uuid: options.uuid ?? (typeof report?.x_misp_event_uuid === 'string' ? report.x_misp_event_uuid : newUuid()),
    info: options.info,
    date:
      typeof report?.x_misp_date === 'string'
        ? report.x_misp_date
        : new Date(Number(options.timestamp) * 1000).toISOString().slice(0, 10),
    threat_level_id: typeof report?.x_misp_threat_level_id === 'string' ? report.x_misp_threat_level_id : '4',
    analysis: typeof report?.x_misp_analysis === 'string' ? report.x_misp_analysis : '0',
    distribution,
    published: false,
    timestamp: options.timestamp,
    ...(options.orgc ? { Orgc: options.orgc } : {}),
    Attribute: attributes,
    Object: mispObjects,
    Tag: [...(eventTlp ? [tlpTag(eventTlp)] : []), ...labels.map((name) => ({ name }))],
    Galaxy: [],
  };
  return { event, skipped };
}

/** The MISP JSON of an event, in the `{"Event": …}` envelope MISP reads. */
export function writeMispEvent(event: MispEvent): { Event: MispEvent } {
  return { Event: event };
}

/** A MISP object back from an indicator `mispEventToStix` made of one (x_misp_object, x_misp_attributes). */
function rebuildObject(o: Record<string, unknown>, fallbackTimestamp: string, newUuid: () => string): MispObject | undefined {
  const name = String(o.x_misp_object);
  const values = patternToMispObjectAttributes(name, String(o.pattern));
  if (!values) return undefined;
  const known = Array.isArray(o.x_misp_attributes) ? (o.x_misp_attributes as Array<Record<string, unknown>>) : [];
  const timestamp = secondsOf(String(o.modified ?? ''), fallbackTimestamp);
  const used = new Set<Record<string, unknown>>();
  const attributes = values.map((v): MispAttribute => {
    const prior = known.find((k) => !used.has(k) && k.object_relation === v.relation && String(k.value) === v.value);
    if (prior) used.add(prior);
    return {
      uuid: typeof prior?.uuid === 'string' ? prior.uuid : newUuid(),
      type: typeof prior?.type === 'string' ? prior.type : v.type,
      category: typeof prior?.category === 'string' ? prior.category : 'Other',
      value: v.value,
      to_ids: true,
      distribution: '5',
      timestamp,
      object_relation: v.relation,
    };
  });
  const uuid = parseIdentifier(String(o.id))?.uuid ?? newUuid();
  return {
    uuid,
    name,
    ...(typeof o.x_misp_meta_category === 'string' ? { 'meta-category': o.x_misp_meta_category } : {}),
    distribution: typeof o.x_misp_distribution === 'string' ? o.x_misp_distribution : '5',
    timestamp,
    ...(typeof o.description === 'string' ? { comment: o.description } : {}),
    Attribute: attributes,
  };
}

function secondsOf(timestamp: string, fallback: string): string {
  const micros = timestampToMicros(timestamp);
  return micros === undefined ? fallback : String(Math.floor(micros / 1_000_000));
}
