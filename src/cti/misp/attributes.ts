import { isIP } from 'node:net';
import type { ComparisonExpression, ObservationExpression } from '../pattern/ast.js';
import { parsePattern } from '../pattern/parser.js';
import { pathKey } from '../matching/compile.js';

/**
 * MISP attribute types ↔ STIX patterns, for the types indicators are made of. Composite types (`filename|md5`,
 * `ip-dst|port`) become comparisons joined by AND inside one observation, as the MISP-STIX mapping does.
 */
type Part = { path: string; quoted: boolean; value: (v: string) => string };

const HASHES: Readonly<Record<string, string>> = {
  md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512', 'sha3-256': 'SHA3-256', 'sha3-512': 'SHA3-512',
  ssdeep: 'SSDEEP', tlsh: 'TLSH',
};

const ipFamily = (v: string): string => (isIP(v.split('/')[0]!) === 6 ? 'ipv6-addr' : 'ipv4-addr');
const same = (v: string): string => v;
const q = (path: string): Part => ({ path, quoted: true, value: same });

/** One MISP type → the `type:path` of each `|`-separated component (the type prefix may depend on the value). */
const SINGLE: Readonly<Record<string, (value: string) => Part[]>> = {
  'ip-src': (v) => [
    { path: 'network-traffic:src_ref.type', quoted: true, value: () => ipFamily(v) },
    q('network-traffic:src_ref.value'),
  ],
  'ip-dst': (v) => [
    { path: 'network-traffic:dst_ref.type', quoted: true, value: () => ipFamily(v) },
    q('network-traffic:dst_ref.value'),
  ],
  domain: () => [q('domain-name:value')],
  hostname: () => [q('domain-name:value')],
  url: () => [q('url:value')],
  uri: () => [q('url:value')],
  filename: () => [q('file:name')],
  email: () => [q('email-addr:value')],
  'email-src': () => [q('email-message:from_ref.value')],
  'email-dst': () => [q('email-message:to_refs[*].value')],
  'email-subject': () => [q('email-message:subject')],
  'user-agent': () => [q("network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'")],
  regkey: () => [q('windows-registry-key:key')],
  mutex: () => [q('mutex:name')],
  'mac-address': () => [q('mac-addr:value')],
  AS: () => [{ path: 'autonomous-system:number', quoted: false, value: (v) => v.replace(/^AS/i, '') }],
  ...Object.fromEntries(Object.entries(HASHES).map(([type, name]) => [type, () => [q(`file:hashes.'${name}'`)]])),
};

const COMPOSITE: Readonly<Record<string, (parts: string[]) => Part[] | undefined>> = {
  'ip-src|port': ([ip]) => [...SINGLE['ip-src']!(ip!), { path: 'network-traffic:src_port', quoted: false, value: same }],
  'ip-dst|port': ([ip]) => [...SINGLE['ip-dst']!(ip!), { path: 'network-traffic:dst_port', quoted: false, value: same }],
  'domain|ip': () => [q('domain-name:value'), q('domain-name:resolves_to_refs[*].value')],
  'regkey|value': () => [q('windows-registry-key:key'), q('windows-registry-key:values[*].data')],
  ...Object.fromEntries(
    Object.entries(HASHES).map(([type, name]) => [`filename|${type}`, () => [q('file:name'), q(`file:hashes.'${name}'`)]]),
  ),
};

/** Pattern languages MISP stores as attributes; they travel as indicators with that pattern_type. */
const FOREIGN_PATTERNS: Readonly<Record<string, string>> = { snort: 'snort', yara: 'yara', sigma: 'sigma', 'pattern-in-traffic': 'pcre' };

export function escapePatternString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/** The pattern for one attribute, or undefined when its type has no STIX form here. */
export function attributeToPattern(type: string, value: string): { pattern: string; pattern_type: string } | undefined {
  const foreign = FOREIGN_PATTERNS[type];
  if (foreign) return { pattern: value, pattern_type: foreign };
  let parts: Part[] | undefined;
  let values: string[];
  if (type.includes('|')) {
    values = value.split('|');
    parts = COMPOSITE[type]?.(values);
    if (parts && parts.length === values.length + (type.startsWith('ip-') ? 1 : 0)) {
      if (type.startsWith('ip-')) values = [values[0]!, ...values];
    } else parts = undefined;
  } else {
    parts = SINGLE[type]?.(value);
    values = parts ? parts.map(() => value) : [];
  }
  if (!parts) return undefined;
  const comparisons = parts.map((p, i) => {
    const v = p.value(values[i]!);
    if (!p.quoted && !/^-?\d+$/.test(v)) return undefined;
    return `${p.path} = ${p.quoted ? `'${escapePatternString(v)}'` : v}`;
  });
  if (comparisons.some((c) => c === undefined)) return undefined;
  return { pattern: `[${comparisons.join(' AND ')}]`, pattern_type: 'stix' };
}

/** Default MISP categories, for attributes made from STIX (STIX has no category). */
export function defaultCategory(type: string): string {
  if (/^(md5|sha|ssdeep|tlsh|filename)/.test(type)) return 'Payload delivery';
  if (type.startsWith('email')) return 'Payload delivery';
  if (type === 'regkey' || type === 'regkey|value' || type === 'mutex') return 'Artifacts dropped';
  if (type in FOREIGN_PATTERNS) return 'Network activity';
  return 'Network activity';
}

export interface AttributeValue {
  type: string;
  value: string;
}

/**
 * Attributes equivalent to a STIX pattern, for the shapes `attributeToPattern` produces (and the plain
 * `ipv4-addr:value =` form). Each OR branch gives one attribute. Undefined when any branch has no MISP form.
 */
export function patternToAttributes(pattern: string, patternType = 'stix'): AttributeValue[] | undefined {
  if (patternType !== 'stix') {
    const type = Object.entries(FOREIGN_PATTERNS).find(([, t]) => t === patternType)?.[0];
    return type ? [{ type, value: pattern }] : undefined;
  }
  const parsed = parsePattern(pattern);
  if (!parsed.ok) return undefined;
  const branches: Array<Map<string, string>> = [];
  const visitObservation = (e: ObservationExpression): boolean => {
    if (e.kind === 'observation') return collectBranches(e.comparison, branches);
    if (e.kind === 'observationExpressions' && e.operator === 'OR') return visitObservation(e.left) && visitObservation(e.right);
    return false;
  };
  if (!visitObservation(parsed.pattern)) return undefined;
  const out: AttributeValue[] = [];
  for (const branch of branches) {
    const attribute = branchToAttribute(branch);
    if (!attribute) return undefined;
    out.push(attribute);
  }
  return out;
}

function collectBranches(c: ComparisonExpression, into: Array<Map<string, string>>): boolean {
  if (c.kind === 'comparisonExpression' && c.operator === 'OR') return collectBranches(c.left, into) && collectBranches(c.right, into);
  const conjunct = new Map<string, string>();
  const walk = (x: ComparisonExpression): boolean => {
    if (x.kind === 'comparisonExpression') return x.operator === 'AND' && walk(x.left) && walk(x.right);
    if (x.negated || x.operator !== '=' || Array.isArray(x.value) || !x.value) return false;
    conjunct.set(`${x.path.objectType}:${pathKey(x.path)}`, String(x.value.value));
    return true;
  };
  if (!walk(c)) return false;
  into.push(conjunct);
  return true;
}

function branchToAttribute(b: Map<string, string>): AttributeValue | undefined {
  const keys = [...b.keys()].sort().join(',');
  const get = (k: string): string => b.get(k)!;
  const hashOf = (prefix: string): [string, string] | undefined => {
    for (const [type, name] of Object.entries(HASHES)) if (b.has(`${prefix}${name}`)) return [type, get(`${prefix}${name}`)];
    return undefined;
  };
  for (const side of ['src', 'dst'] as const) {
    const t = `network-traffic:${side}_ref.type`;
    const v = `network-traffic:${side}_ref.value`;
    const port = `network-traffic:${side}_port`;
    if (keys === [t, v].sort().join(',') || keys === v) return { type: `ip-${side}`, value: get(v) };
    if (keys === [port, t, v].sort().join(',') || keys === [port, v].sort().join(',')) return { type: `ip-${side}|port`, value: `${get(v)}|${get(port)}` };
  }
  if (keys === 'ipv4-addr:value' || keys === 'ipv6-addr:value') return { type: 'ip-dst', value: get(keys) };
  if (keys === 'domain-name:value') return { type: 'domain', value: get(keys) };
  if (keys === 'domain-name:resolves_to_refs[*].value,domain-name:value') {
    return { type: 'domain|ip', value: `${get('domain-name:value')}|${get('domain-name:resolves_to_refs[*].value')}` };
  }
  if (keys === 'url:value') return { type: 'url', value: get(keys) };
  if (keys === 'file:name') return { type: 'filename', value: get(keys) };
  if (b.size === 1) {
    const hash = hashOf('file:hashes.');
    if (hash) return { type: hash[0], value: hash[1] };
  }
  if (b.size === 2 && b.has('file:name')) {
    const hash = hashOf('file:hashes.');
    if (hash) return { type: `filename|${hash[0]}`, value: `${get('file:name')}|${hash[1]}` };
  }
  const simple: Readonly<Record<string, string>> = {
    'email-addr:value': 'email',
    'email-message:from_ref.value': 'email-src',
    'email-message:to_refs[*].value': 'email-dst',
    'email-message:subject': 'email-subject',
    'network-traffic:extensions.http-request-ext.request_header.User-Agent': 'user-agent',
    'windows-registry-key:key': 'regkey',
    'mutex:name': 'mutex',
    'mac-addr:value': 'mac-address',
  };
  if (simple[keys]) return { type: simple[keys]!, value: get(keys) };
  if (keys === 'autonomous-system:number') return { type: 'AS', value: `AS${get(keys)}` };
  if (keys === 'windows-registry-key:key,windows-registry-key:values[*].data') {
    return { type: 'regkey|value', value: `${get('windows-registry-key:key')}|${get('windows-registry-key:values[*].data')}` };
  }
  return undefined;
}
