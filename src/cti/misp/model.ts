/**
 * The MISP core format (draft-dulaunoy-misp-core-format): an Event with Attributes, Objects (groups of
 * attributes), Tags and Galaxies. Numbers travel as strings in MISP's own output; both forms are read.
 */
export interface MispTag {
  name: string;
  colour?: string;
  exportable?: boolean;
}

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  distribution: string;
  sharing_group_id?: string;
  comment?: string;
  timestamp: string;
  first_seen?: string;
  last_seen?: string;
  object_relation?: string;
  deleted?: boolean;
  Tag?: MispTag[];
}

export interface MispObject {
  uuid: string;
  name: string;
  'meta-category'?: string;
  template_uuid?: string;
  template_version?: string;
  description?: string;
  distribution: string;
  sharing_group_id?: string;
  comment?: string;
  timestamp: string;
  Attribute: MispAttribute[];
}

export interface MispGalaxyCluster {
  uuid?: string;
  type?: string;
  value: string;
  tag_name: string;
  description?: string;
}

export interface MispGalaxy {
  uuid?: string;
  name: string;
  type: string;
  GalaxyCluster: MispGalaxyCluster[];
}

export interface MispOrganisation {
  uuid?: string;
  name: string;
}

export interface MispEvent {
  uuid: string;
  info: string;
  /** YYYY-MM-DD */
  date: string;
  threat_level_id: string;
  analysis: string;
  distribution: string;
  sharing_group_id?: string;
  published: boolean;
  timestamp: string;
  publish_timestamp?: string;
  Orgc?: MispOrganisation;
  Org?: MispOrganisation;
  Attribute: MispAttribute[];
  Object: MispObject[];
  Tag: MispTag[];
  Galaxy: MispGalaxy[];
}

export interface MispProblem {
  /** JSONPath, e.g. `$.Event.Attribute[3].distribution`. */
  path: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

const str = (v: unknown, fallback = ''): string => (v === undefined || v === null ? fallback : String(v));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

/**
 * Reads `{"Event": {…}}` (or a bare event) into a normalised MispEvent, with every problem found. Problems make
 * the affected attribute unusable; the caller decides whether a problem anywhere rejects the whole event.
 */
export function readMispEvent(json: unknown): { event?: MispEvent; problems: MispProblem[] } {
  const problems: MispProblem[] = [];
  const root = json && typeof json === 'object' && 'Event' in json ? (json as { Event: unknown }).Event : json;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    return { problems: [{ path: '$', message: 'not a MISP event: expected {"Event": {...}}' }] };
  }
  const e = root as Record<string, unknown>;
  const at = '$.Event';
  if (!isUuid(e.uuid)) problems.push({ path: `${at}.uuid`, message: 'an event needs a uuid' });
  if (typeof e.info !== 'string' || e.info === '') problems.push({ path: `${at}.info`, message: 'an event needs an info text' });
  const date = str(e.date);
  if (date && !DATE.test(date)) problems.push({ path: `${at}.date`, message: 'date must be YYYY-MM-DD' });
  const distribution = str(e.distribution, '0');
  if (!/^[0-4]$/.test(distribution)) problems.push({ path: `${at}.distribution`, message: 'event distribution must be 0–4' });
  const attributes = arrayOf(e.Attribute).map((a, i) => readAttribute(a, `${at}.Attribute[${i}]`, problems));
  const objects = arrayOf(e.Object).map((o, i) => readObject(o, `${at}.Object[${i}]`, problems));
  const event: MispEvent = {
    uuid: str(e.uuid),
    info: str(e.info),
    date: date || new Date(Number(str(e.timestamp, '0')) * 1000).toISOString().slice(0, 10),
    threat_level_id: str(e.threat_level_id, '4'),
    analysis: str(e.analysis, '0'),
    distribution,
    sharing_group_id: e.sharing_group_id === undefined ? undefined : str(e.sharing_group_id),
    published: bool(e.published),
    timestamp: str(e.timestamp, '0'),
    publish_timestamp: e.publish_timestamp === undefined ? undefined : str(e.publish_timestamp),
    Orgc: readOrg(e.Orgc),
    Org: readOrg(e.Org),
    Attribute: attributes.filter((a): a is MispAttribute => a !== undefined),
    Object: objects.filter((o): o is MispObject => o !== undefined),
    Tag: readTags(e.Tag),
    Galaxy: arrayOf(e.Galaxy).map((g) => {
      const r = g as Record<string, unknown>;
      return {
        uuid: r.uuid === undefined ? undefined : str(r.uuid),
        name: str(r.name),
        type: str(r.type),
        GalaxyCluster: arrayOf(r.GalaxyCluster).map((c) => {
          const cr = c as Record<string, unknown>;
          return { uuid: cr.uuid === undefined ? undefined : str(cr.uuid), type: str(cr.type), value: str(cr.value), tag_name: str(cr.tag_name), description: cr.description === undefined ? undefined : str(cr.description) };
        }),
      };
    }),
  };
  return { event, problems };
}

function readAttribute(a: unknown, at: string, problems: MispProblem[]): MispAttribute | undefined {
  if (!a || typeof a !== 'object') {
    problems.push({ path: at, message: 'an attribute must be an object' });
    return undefined;
  }
  const r = a as Record<string, unknown>;
  const before = problems.length;
  if (!isUuid(r.uuid)) problems.push({ path: `${at}.uuid`, message: 'an attribute needs a uuid' });
  if (typeof r.type !== 'string' || !r.type) problems.push({ path: `${at}.type`, message: 'an attribute needs a type' });
  if (r.value === undefined || r.value === null || str(r.value) === '') problems.push({ path: `${at}.value`, message: 'an attribute needs a value' });
  const distribution = str(r.distribution, '5');
  if (!/^[0-5]$/.test(distribution)) problems.push({ path: `${at}.distribution`, message: 'attribute distribution must be 0–5' });
  if (problems.length > before) return undefined;
  return {
    uuid: str(r.uuid),
    type: str(r.type),
    category: str(r.category, 'Other'),
    value: str(r.value),
    to_ids: bool(r.to_ids),
    distribution,
    sharing_group_id: r.sharing_group_id === undefined ? undefined : str(r.sharing_group_id),
    comment: r.comment ? str(r.comment) : undefined,
    timestamp: str(r.timestamp, '0'),
    first_seen: r.first_seen ? str(r.first_seen) : undefined,
    last_seen: r.last_seen ? str(r.last_seen) : undefined,
    object_relation: r.object_relation ? str(r.object_relation) : undefined,
    deleted: bool(r.deleted),
    Tag: readTags(r.Tag),
  };
}

function readObject(o: unknown, at: string, problems: MispProblem[]): MispObject | undefined {
  if (!o || typeof o !== 'object') {
    problems.push({ path: at, message: 'an object must be an object' });
    return undefined;
  }
  const r = o as Record<string, unknown>;
  if (!isUuid(r.uuid) || typeof r.name !== 'string') {
    problems.push({ path: at, message: 'an object needs a uuid and a name' });
    return undefined;
  }
  return {
    uuid: str(r.uuid),
    name: str(r.name),
    'meta-category': r['meta-category'] === undefined ? undefined : str(r['meta-category']),
    template_uuid: r.template_uuid === undefined ? undefined : str(r.template_uuid),
    template_version: r.template_version === undefined ? undefined : str(r.template_version),
    description: r.description === undefined ? undefined : str(r.description),
    distribution: str(r.distribution, '5'),
    sharing_group_id: r.sharing_group_id === undefined ? undefined : str(r.sharing_group_id),
    comment: r.comment ? str(r.comment) : undefined,
    timestamp: str(r.timestamp, '0'),
    Attribute: arrayOf(r.Attribute)
      .map((a, i) => readAttribute(a, `${at}.Attribute[${i}]`, problems))
      .filter((a): a is MispAttribute => a !== undefined),
  };
}

function readOrg(v: unknown): MispOrganisation | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const r = v as Record<string, unknown>;
  return { name: str(r.name), uuid: r.uuid === undefined ? undefined : str(r.uuid) };
}

function readTags(v: unknown): MispTag[] {
  return arrayOf(v)
    .filter((t) => t && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string')
    .map((t) => {
      const r = t as Record<string, unknown>;
      const tag: MispTag = { name: str(r.name) };
      if (r.colour !== undefined) tag.colour = str(r.colour);
      if (r.exportable !== undefined) tag.exportable = bool(r.exportable);
      return tag;
    });
}

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
