import { createHash, randomUUID } from 'node:crypto';

/**
 * STIX 2.1 identifiers (section 2.9): `object-type--UUID`. SCOs get deterministic UUIDv5 ids in the
 * OASIS namespace over the canonical JSON (RFC 8785) of their "ID Contributing Properties", so two
 * producers that see the same observable name it the same way.
 */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

const IDENTIFIER = /^([a-z][a-z0-9-]+[a-z0-9])--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$/;

/** The ID Contributing Properties of each SCO type, as listed in the STIX 2.1 specification (section 6). */
export const SCO_ID_CONTRIBUTING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

export const SCO_TYPES: ReadonlySet<string> = new Set(Object.keys(SCO_ID_CONTRIBUTING_PROPERTIES));

/** When `hashes` contributes to an id only one hash is used, chosen in this order. */
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

export interface ParsedIdentifier {
  type: string;
  uuid: string;
}

export function parseIdentifier(id: string): ParsedIdentifier | undefined {
  const m = IDENTIFIER.exec(id);
  return m ? { type: m[1]!, uuid: m[2]! } : undefined;
}

export function isIdentifier(id: unknown): id is string {
  return typeof id === 'string' && IDENTIFIER.test(id);
}

/** The object type an identifier names, without validating the rest. */
export function identifierType(id: string): string {
  const at = id.indexOf('--');
  return at < 0 ? '' : id.slice(0, at);
}

/** RFC 8785 JSON Canonicalization Scheme: ECMAScript number and string forms, keys sorted by UTF-16 code units. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('JCS cannot encode a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`not a UUID namespace: ${namespace}`);
  const digest = createHash('sha1').update(ns).update(name, 'utf8').digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The properties that contribute to an SCO's id, as they are canonicalised. Returns undefined when the type has
 * none or none is present (the specification then asks for a UUIDv4).
 */
export function scoContributingProperties(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const names = SCO_ID_CONTRIBUTING_PROPERTIES[String(object.type)];
  if (!names || names.length === 0) return undefined;
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    const value = object[name];
    if (value === undefined) continue;
    picked[name] = name === 'hashes' ? oneHash(value) : value;
  }
  return Object.keys(picked).length > 0 ? picked : undefined;
}

function oneHash(hashes: unknown): unknown {
  if (!hashes || typeof hashes !== 'object') return hashes;
  const record = hashes as Record<string, unknown>;
  for (const algorithm of HASH_PREFERENCE) {
    if (record[algorithm] !== undefined) return { [algorithm]: record[algorithm] };
  }
  const first = Object.keys(record).sort()[0];
  return first === undefined ? record : { [first]: record[first] };
}

/**
 * The id an SCO should carry: UUIDv5 over its contributing properties, or a UUIDv4 (from `randomUuid`,
 * injectable so pure callers stay deterministic) when it has none.
 */
export function scoId(object: Record<string, unknown>, randomUuid: () => string = randomUUID): string {
  const type = String(object.type);
  const contributing = scoContributingProperties(object);
  return `${type}--${contributing ? uuidV5(canonicalJson(contributing), STIX_SCO_NAMESPACE) : randomUuid()}`;
}

/**
 * A stable id for a Vigil-produced SDO/SRO. The specification forbids the SCO namespace for these, so Vigil
 * uses its own namespace; the same Vigil record always exports under the same id.
 */
export const VIGIL_STIX_NAMESPACE = '5d3b6c1e-0f4a-4c8e-9a57-7a1c0e2b9f64';

export function vigilStixId(type: string, ...parts: string[]): string {
  return `${type}--${uuidV5(`${type}|${parts.join('|')}`, VIGIL_STIX_NAMESPACE)}`;
}
