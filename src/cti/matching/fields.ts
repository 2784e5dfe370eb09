import { isIP } from 'node:net';
import { ipv4ToInt } from './normalise.js';

/**
 * Security events arrive as flat field maps (Elastic Common Schema, Sysmon, Wazuh…). This table says which
 * STIX object and property each field is, so STIX patterns (`ipv4-addr:value`, `process:command_line`, …) can be
 * evaluated on events. Object paths use the canonical form of `pathKey`: keys joined by '.', list steps `[*]`.
 */
export type SecurityEvent = Readonly<Record<string, unknown>>;

/** One STIX object seen in an event: its type and the values at each object path. */
export interface ObservedObject {
  type: string;
  /** `role` tells apart objects of one type in one event (source and destination address). */
  role: string;
  values: Map<string, string[]>;
  /** The event fields that produced each path, to say where a match came from. */
  fields: Map<string, string>;
}

type Target = { type: string; path: string; role?: string; transform?: (v: string) => string | undefined };
type Rule = readonly Target[] | 'ip-src' | 'ip-dst' | 'hash-list';

const basename = (v: string): string => v.slice(Math.max(v.lastIndexOf('\\'), v.lastIndexOf('/')) + 1);
const dirname = (v: string): string | undefined => {
  const at = Math.max(v.lastIndexOf('\\'), v.lastIndexOf('/'));
  return at > 0 ? v.slice(0, at) : undefined;
};
const accountName = (v: string): string => v.slice(v.lastIndexOf('\\') + 1);

const FILE_PATH: Target[] = [
  { type: 'file', path: 'name', transform: basename },
  { type: 'file', path: 'parent_directory_ref.path', transform: dirname },
];
const IMAGE: Target[] = [
  { type: 'process', path: 'image_ref.name', transform: basename },
  { type: 'file', path: 'name', role: 'image', transform: basename },
];
const hash = (algorithm: string, type = 'file', prefix = 'hashes'): Target[] => [{ type, path: `${prefix}.${algorithm}` }];
const USER: Target[] = [
  { type: 'user-account', path: 'account_login', transform: accountName },
  { type: 'user-account', path: 'user_id' },
];
const EMAIL_FROM: Target[] = [
  { type: 'email-addr', path: 'value', role: 'from' },
  { type: 'email-message', path: 'from_ref.value' },
];
const EMAIL_TO: Target[] = [
  { type: 'email-addr', path: 'value', role: 'to' },
  { type: 'email-message', path: 'to_refs[*].value' },
];
const DOMAIN: Target[] = [{ type: 'domain-name', path: 'value' }];
const URL_FULL: Target[] = [{ type: 'url', path: 'value' }];

/** Field name (exact, as the event spells it) → what it is in STIX. */
export const FIELD_MAP: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ...['source.ip', 'src_ip', 'srcip', 'SourceIp', 'SourceAddress', 'client.ip', 'src', 'sourceIp', 'srcIp', 'clientIp'].map((f): [string, Rule] => [f, 'ip-src']),
  ...['destination.ip', 'dst_ip', 'dstip', 'DestinationIp', 'DestAddress', 'server.ip', 'dst', 'destinationIp', 'dstIp'].map((f): [string, Rule] => [f, 'ip-dst']),
  ...['source.port', 'src_port', 'SourcePort'].map((f): [string, Rule] => [f, [{ type: 'network-traffic', path: 'src_port' }]]),
  ...['destination.port', 'dst_port', 'DestinationPort'].map((f): [string, Rule] => [f, [{ type: 'network-traffic', path: 'dst_port' }]]),
  ...['network.transport', 'Protocol', 'proto'].map((f): [string, Rule] => [
    f,
    [{ type: 'network-traffic', path: 'protocols[*]', transform: (v) => v.toLowerCase() }],
  ]),
  ...['destination.domain', 'server.domain', 'url.domain', 'dns.question.name', 'QueryName', 'DestinationHostname', 'domain', 'senderDomain', 'sender_domain', 'hostname', 'host.hostname'].map(
    (f): [string, Rule] => [f, DOMAIN],
  ),
  ...['url.full', 'url.original', 'URL', 'url', 'http.url'].map((f): [string, Rule] => [f, URL_FULL]),
  ['file.hash.md5', hash('MD5')],
  ['file.hash.sha1', hash('SHA-1')],
  ['file.hash.sha256', hash('SHA-256')],
  ['file.hash.sha512', hash('SHA-512')],
  ['process.hash.md5', hash('MD5', 'process', 'image_ref.hashes')],
  ['process.hash.sha1', hash('SHA-1', 'process', 'image_ref.hashes')],
  ['process.hash.sha256', hash('SHA-256', 'process', 'image_ref.hashes')],
  ['MD5', hash('MD5')],
  ['SHA1', hash('SHA-1')],
  ['SHA256', hash('SHA-256')],
  ['Hashes', 'hash-list'],
  ['file.name', [{ type: 'file', path: 'name' }]],
  ['file.path', FILE_PATH],
  ['TargetFilename', FILE_PATH],
  ['file.directory', [{ type: 'file', path: 'parent_directory_ref.path' }]],
  ['process.command_line', [{ type: 'process', path: 'command_line' }]],
  ['CommandLine', [{ type: 'process', path: 'command_line' }]],
  ['process.parent.command_line', [{ type: 'process', path: 'parent_ref.command_line' }]],
  ['ParentCommandLine', [{ type: 'process', path: 'parent_ref.command_line' }]],
  ['process.executable', IMAGE],
  ['Image', IMAGE],
  ['process.name', [{ type: 'process', path: 'image_ref.name' }]],
  ['process.pid', [{ type: 'process', path: 'pid' }]],
  ['ProcessId', [{ type: 'process', path: 'pid' }]],
  ...['user.name', 'User', 'TargetUserName', 'SubjectUserName', 'username', 'dstuser', 'srcuser'].map((f): [string, Rule] => [f, USER]),
  ['user.id', [{ type: 'user-account', path: 'user_id' }]],
  ['user.domain', [{ type: 'user-account', path: 'x_domain' }]],
  ...['email.from.address', 'user.email', 'source.user.email', 'sender'].map((f): [string, Rule] => [f, EMAIL_FROM]),
  ...['email.to.address', 'recipient'].map((f): [string, Rule] => [f, EMAIL_TO]),
  ['email.subject', [{ type: 'email-message', path: 'subject' }]],
  ['registry.path', [{ type: 'windows-registry-key', path: 'key' }]],
  ['TargetObject', [{ type: 'windows-registry-key', path: 'key' }]],
  ['user_agent.original', [{ type: 'network-traffic', path: "extensions.http-request-ext.request_header.User-Agent" }]],
  ['source.mac', [{ type: 'mac-addr', path: 'value', role: 'src', transform: (v) => v.toLowerCase().replace(/-/g, ':') }]],
  ['destination.mac', [{ type: 'mac-addr', path: 'value', role: 'dst', transform: (v) => v.toLowerCase().replace(/-/g, ':') }]],
]);

/** Sysmon `Hashes`: "SHA1=…,MD5=…,SHA256=…,IMPHASH=…". */
const HASH_NAMES: Readonly<Record<string, string>> = { MD5: 'MD5', SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512', IMPHASH: 'IMPHASH' };

/** Receives each (object, property, value) an event describes; an interface, so hot callers allocate no closure. */
export interface EventVisitor {
  observe(type: string, role: string, path: string, value: string, field: string): void;
}

/** Walks the fields of an event that FIELD_MAP knows, reporting what each is in STIX. */
export function visitEvent(event: SecurityEvent, visitor: EventVisitor): void {
  for (const field in event) {
    const rule = FIELD_MAP.get(field);
    if (rule === undefined) continue;
    const raw = event[field];
    if (Array.isArray(raw)) for (const item of raw) visitValue(rule, item, field, visitor);
    else visitValue(rule, raw, field, visitor);
  }
}

function visitValue(rule: Rule, item: unknown, field: string, visitor: EventVisitor): void {
  if (item === null || item === undefined || typeof item === 'object') return;
  const value = String(item);
  if (value === '') return;
  if (rule === 'ip-src' || rule === 'ip-dst') {
    const family = ipv4ToInt(value) !== undefined ? 'ipv4-addr' : value.includes(':') && isIP(value) === 6 ? 'ipv6-addr' : undefined;
    if (family === undefined) return;
    const src = rule === 'ip-src';
    visitor.observe(family, src ? 'src' : 'dst', 'value', value, field);
    visitor.observe('network-traffic', '', src ? 'src_ref.value' : 'dst_ref.value', value, field);
    visitor.observe('network-traffic', '', src ? 'src_ref.type' : 'dst_ref.type', family, field);
  } else if (rule === 'hash-list') {
    for (const part of value.split(',')) {
      const eq = part.indexOf('=');
      const name = HASH_NAMES[part.slice(0, eq).trim().toUpperCase()];
      if (eq > 0 && name) visitor.observe('file', '', `hashes.${name}`, part.slice(eq + 1).trim(), field);
    }
  } else {
    for (const target of rule) {
      const v = target.transform ? target.transform(value) : value;
      if (v !== undefined && v !== '') visitor.observe(target.type, target.role ?? '', target.path, v, field);
    }
  }
}

class ObjectCollector implements EventVisitor {
  readonly objects = new Map<string, ObservedObject>();

  observe(type: string, role: string, path: string, value: string, field: string): void {
    const key = `${type}\u0000${role}`;
    let o = this.objects.get(key);
    if (!o) {
      o = { type, role, values: new Map(), fields: new Map() };
      this.objects.set(key, o);
    }
    const list = o.values.get(path);
    if (list) {
      if (!list.includes(value)) list.push(value);
    } else {
      o.values.set(path, [value]);
      o.fields.set(path, field);
    }
  }
}

/** The STIX objects an event describes (fields not in FIELD_MAP are ignored). */
export function observeEvent(event: SecurityEvent): ObservedObject[] {
  const collector = new ObjectCollector();
  visitEvent(event, collector);
  return [...collector.objects.values()];
}
