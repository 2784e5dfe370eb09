import { pathKey } from '../matching/compile.js';
import type { ComparisonExpression } from '../pattern/ast.js';
import { parsePattern } from '../pattern/parser.js';
import { escapePatternString } from './attributes.js';
import type { MispObject } from './model.js';

/**
 * MISP objects group attributes that describe one thing (a file, a process, a user account); their `to_ids`
 * attributes become one STIX observation, each relation a comparison on the matching object path.
 */
const RELATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  file: {
    filename: 'file:name',
    md5: "file:hashes.'MD5'",
    sha1: "file:hashes.'SHA-1'",
    sha256: "file:hashes.'SHA-256'",
    sha512: "file:hashes.'SHA-512'",
    ssdeep: "file:hashes.'SSDEEP'",
    tlsh: "file:hashes.'TLSH'",
    'size-in-bytes': 'file:size',
  },
  'domain-ip': { domain: 'domain-name:value', hostname: 'domain-name:value', ip: 'domain-name:resolves_to_refs[*].value' },
  url: { url: 'url:value' },
  'ip-port': { 'ip-dst': 'network-traffic:dst_ref.value', 'ip-src': 'network-traffic:src_ref.value', 'dst-port': 'network-traffic:dst_port', 'src-port': 'network-traffic:src_port' },
  email: { from: 'email-message:from_ref.value', to: 'email-message:to_refs[*].value', subject: 'email-message:subject' },
  process: { 'command-line': 'process:command_line', pid: 'process:pid', image: 'process:image_ref.name', name: 'process:image_ref.name' },
  'user-account': { username: 'user-account:account_login', 'user-id': 'user-account:user_id', 'account-type': 'user-account:account_type' },
  'registry-key': { key: 'windows-registry-key:key', data: 'windows-registry-key:values[*].data' },
};

const NUMERIC = new Set(['file:size', 'network-traffic:dst_port', 'network-traffic:src_port', 'process:pid']);

/** The pattern of an object's IDS attributes, or undefined when the object has none we can express. */
export function mispObjectToPattern(object: MispObject): string | undefined {
  const relations = RELATIONS[object.name];
  if (!relations) return undefined;
  const comparisons: string[] = [];
  for (const a of object.Attribute) {
    if (!a.to_ids || a.deleted || !a.object_relation) continue;
    const path = relations[a.object_relation];
    if (!path) continue;
    if (NUMERIC.has(path)) {
      if (/^\d+$/.test(a.value)) comparisons.push(`${path} = ${a.value}`);
    } else {
      comparisons.push(`${path} = '${escapePatternString(a.value)}'`);
    }
  }
  return comparisons.length > 0 ? `[${comparisons.join(' AND ')}]` : undefined;
}

/** The MISP attribute type of each object relation, for objects rebuilt from STIX. */
const RELATION_TYPES: Readonly<Record<string, string>> = {
  filename: 'filename', md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512', ssdeep: 'ssdeep', tlsh: 'tlsh',
  'size-in-bytes': 'size-in-bytes', domain: 'domain', hostname: 'hostname', ip: 'ip-dst', url: 'url', 'ip-dst': 'ip-dst',
  'ip-src': 'ip-src', 'dst-port': 'port', 'src-port': 'port', from: 'email-src', to: 'email-dst', subject: 'email-subject',
  'command-line': 'text', pid: 'text', image: 'filename', name: 'text', username: 'text', 'user-id': 'text',
  'account-type': 'text', key: 'regkey', data: 'text',
};

export interface ObjectAttributeValue {
  relation: string;
  type: string;
  value: string;
}

/**
 * The attributes of a MISP object of kind `name` that a pattern written by `mispObjectToPattern` stands for:
 * one observation, comparisons `=` joined by AND, each on a path the object's template knows.
 */
export function patternToMispObjectAttributes(name: string, pattern: string): ObjectAttributeValue[] | undefined {
  const relations = RELATIONS[name];
  if (!relations) return undefined;
  const byPath = new Map(Object.entries(relations).map(([relation, path]) => [path.replace(/'/g, ''), relation]));
  const parsed = parsePattern(pattern);
  if (!parsed.ok || parsed.pattern.kind !== 'observation') return undefined;
  const out: ObjectAttributeValue[] = [];
  const walk = (c: ComparisonExpression): boolean => {
    if (c.kind === 'comparisonExpression') return c.operator === 'AND' && walk(c.left) && walk(c.right);
    if (c.negated || c.operator !== '=' || Array.isArray(c.value) || !c.value) return false;
    const relation = byPath.get(`${c.path.objectType}:${pathKey(c.path)}`);
    if (!relation) return false;
    out.push({ relation, type: RELATION_TYPES[relation] ?? 'text', value: String(c.value.value) });
    return true;
  };
  return walk(parsed.pattern.comparison) ? out : undefined;
}
