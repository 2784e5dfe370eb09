import { randomUUID } from 'node:crypto';
import { tlpOfObject, type Tlp } from '../stix/markings.js';
import { parseIdentifier } from '../stix/ids.js';
import { timestampToMicros } from '../stix/timestamps.js';
import { defaultCategory, patternToAttributes } from './attributes.js';
import { tlpTag, vigilToMispDistribution, type VigilDistribution } from './distribution.js';
import type { MispAttribute, MispEvent, MispOrganisation, MispTag } from './model.js';

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
  const skipped: StixToMispResult['skipped'] = [];
  const eventTlp = options.tlp ?? (report ? tlpOfObject(report, markings) : undefined);
  for (const o of objects) {
    if (o.type !== 'indicator') continue;
    const id = String(o.id);
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
    Object: [],
    Tag: [...(eventTlp ? [tlpTag(eventTlp)] : []), ...labels.map((name) => ({ name }))],
    Galaxy: [],
  };
  return { event, skipped };
}

/** The MISP JSON of an event, in the `{"Event": …}` envelope MISP reads. */
export function writeMispEvent(event: MispEvent): { Event: MispEvent } {
  return { Event: event };
}

function secondsOf(timestamp: string, fallback: string): string {
  const micros = timestampToMicros(timestamp);
  return micros === undefined ? fallback : String(Math.floor(micros / 1_000_000));
}
