import type { ComparisonExpression, Literal, ObjectPath, ObservationExpression, PropTest } from '../pattern/ast.js';
import type { ObservedObject } from './fields.js';
import { patternShape, type PatternShape } from './correlate.js';
import { ipv4ToInt, ipv6ToBigInt, normaliseValue } from './normalise.js';

/**
 * A STIX pattern compiled for matching single events: each observation expression (`[ … ]`) becomes a predicate
 * over the objects an event describes, plus "anchors" — exact values or networks at least one of which must be
 * in any event the predicate accepts — so the index finds candidates by hash lookup instead of trying every
 * indicator on every event.
 */
export type Anchor =
  | { kind: 'exact'; key: string; value: string }
  | { kind: 'cidr4'; key: string; network: number; prefix: number }
  | { kind: 'cidr6'; key: string; network: bigint; prefix: number };

export interface Hit {
  type: string;
  path: string;
  value: string;
}

export interface CompiledObservation {
  /** Position of this observation among the pattern's `[ … ]` (0-based, left to right). */
  index: number;
  /** Undefined when no anchor exists (LIKE, MATCHES, NOT, ordering only): the observation must be scanned. */
  anchors: Anchor[] | undefined;
  /** Object types the observation can match; scanning skips events without them. */
  types: ReadonlySet<string>;
  /** True when finding the anchor is the whole test (a lone `=`/`IN`/CIDR comparison). */
  anchorDecides: boolean;
  /**
   * For an observation without anchors that is a lone LIKE: a literal run (≥ 3 characters) every matching value
   * contains, so the index can find candidates by trigram instead of scanning.
   */
  substring?: { key: string; literal: string };
  evaluate(objects: readonly ObservedObject[], hits: Hit[]): boolean;
}

export interface CompiledPattern {
  observations: CompiledObservation[];
  /** True when one matching observation is a full match (observations joined only by OR, no qualifiers). */
  singleEvent: boolean;
  /** For the others: how the observations combine, for the correlator. */
  shape?: PatternShape;
}

export interface CompileLimits {
  /** MATCHES regexes longer than this are refused (default 512). */
  maxRegexLength: number;
  /** Values longer than this are not tested against LIKE/MATCHES (default 8192). */
  maxScannedValueLength: number;
}

export const DEFAULT_LIMITS: CompileLimits = { maxRegexLength: 512, maxScannedValueLength: 8192 };

export class PatternNotMatchable extends Error {}

/** Canonical object path: keys joined by '.', list steps as `[*]` (events are flat, indices do not survive). */
export function pathKey(path: ObjectPath): string {
  let out = '';
  for (const step of path.steps) {
    if (step.kind === 'key') out += out ? `.${step.name}` : step.name;
    else out += '[*]';
  }
  return out;
}

export function compilePattern(pattern: ObservationExpression, limits: CompileLimits = DEFAULT_LIMITS): CompiledPattern {
  const leaves: Array<{ comparison: ComparisonExpression }> = [];
  let singleEvent = true;
  const walk = (e: ObservationExpression): void => {
    if (e.kind === 'observation') leaves.push(e);
    else if (e.kind === 'qualified') {
      singleEvent = false;
      walk(e.expression);
    } else {
      if (e.operator !== 'OR') singleEvent = false;
      walk(e.left);
      walk(e.right);
    }
  };
  walk(pattern);
  return {
    singleEvent,
    observations: leaves.map((leaf, index) => compileObservation(leaf.comparison, index, limits)),
    ...(singleEvent ? {} : { shape: patternShape(pattern) }),
  };
}

const ALWAYS = (): boolean => true;
const TYPE_SETS = new Map<string, ReadonlySet<string>>();

function compileObservation(c: ComparisonExpression, index: number, limits: CompileLimits): CompiledObservation {
  const anchors = anchorsOf(c);
  const anchorDecides = c.kind === 'propTest' && !c.negated && (c.operator === '=' || c.operator === 'IN' || isCidrTest(c));
  if (anchorDecides && anchors) {
    // Most indicators are one comparison: the lookup is the test, so keep no closure (nor the syntax tree) alive.
    const type = (c as PropTest).path.objectType;
    let types = TYPE_SETS.get(type);
    if (!types) TYPE_SETS.set(type, (types = new Set([type])));
    return { index, anchors, types, anchorDecides, evaluate: ALWAYS };
  }
  const test = compileComparison(c, limits);
  const types = new Set<string>();
  collectTypes(c, types);
  const substring = !anchors ? likeLiteral(c) : undefined;
  return { index, anchors, types, anchorDecides: false, evaluate: test.any, ...(substring ? { substring } : {}) };
}

interface Test {
  /** Some object of the event satisfies it (objects of different types may satisfy different parts). */
  any(objects: readonly ObservedObject[], hits: Hit[]): boolean;
  /** This one object satisfies it (for AND over one object type). */
  one(object: ObservedObject, hits: Hit[]): boolean;
}

function compileComparison(c: ComparisonExpression, limits: CompileLimits): Test {
  if (c.kind === 'propTest') {
    const type = c.path.objectType;
    const one = compilePropTest(c, limits);
    return { one, any: (objects, hits) => objects.some((o) => o.type === type && one(o, hits)) };
  }
  const left = compileComparison(c.left, limits);
  const right = compileComparison(c.right, limits);
  const types = new Set<string>();
  collectTypes(c, types);
  if (c.operator === 'OR') {
    return { one: (o, h) => left.one(o, h) || right.one(o, h), any: (os, h) => left.any(os, h) || right.any(os, h) };
  }
  const one = (o: ObservedObject, h: Hit[]): boolean => left.one(o, h) && right.one(o, h);
  if (types.size === 1) {
    // Comparisons joined by AND on one object type must hold for the same object.
    const [type] = types;
    return { one, any: (os, h) => os.some((o) => o.type === type && one(o, h)) };
  }
  return { one, any: (os, h) => left.any(os, h) && right.any(os, h) };
}

function collectTypes(c: ComparisonExpression, into: Set<string>): void {
  if (c.kind === 'propTest') into.add(c.path.objectType);
  else {
    collectTypes(c.left, into);
    collectTypes(c.right, into);
  }
}

type ValueTest = (value: string) => boolean;

function compilePropTest(p: PropTest, limits: CompileLimits): (o: ObservedObject, hits: Hit[]) => boolean {
  const type = p.path.objectType;
  const path = pathKey(p.path);
  if (p.operator === 'EXISTS') {
    return (o) => o.values.has(path) !== p.negated;
  }
  const test = valueTest(p, type, path, limits);
  return (o, hits) => {
    const values = o.values.get(path);
    if (!values) return false; // a comparison on an absent property is false, negated or not
    for (const raw of values) {
      if (test(normaliseValue(type, path, raw)) !== p.negated) {
        hits.push({ type, path, value: raw });
        return true;
      }
    }
    return false;
  };
}

function literalText(type: string, path: string, l: Literal): string {
  return l.type === 'string' ? normaliseValue(type, path, l.value) : String(l.value);
}

function valueTest(p: PropTest, type: string, path: string, limits: CompileLimits): ValueTest {
  const literal = Array.isArray(p.value) ? undefined : p.value;
  switch (p.operator) {
    case '=':
    case '!=': {
      const cidr = isCidrTest(p) ? cidrTest(literal!.value as string) : undefined;
      const want = literalText(type, path, literal!);
      const eq: ValueTest = cidr ?? ((v) => v === want);
      return p.operator === '=' ? eq : (v) => !eq(v);
    }
    case 'IN': {
      const set = new Set((p.value as Literal[]).map((l) => literalText(type, path, l)));
      return (v) => set.has(v);
    }
    case '>':
    case '<':
    case '>=':
    case '<=': {
      const want = literal!.value;
      const cmp = (v: string): number =>
        typeof want === 'number' ? Number(v) - want : v < String(want) ? -1 : v > String(want) ? 1 : 0;
      const op = p.operator;
      return (v) => {
        const d = cmp(v);
        if (Number.isNaN(d)) return false;
        return op === '>' ? d > 0 : op === '<' ? d < 0 : op === '>=' ? d >= 0 : d <= 0;
      };
    }
    case 'LIKE': {
      const source = String(literal!.value)
        .split('')
        .map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
        .join('');
      const re = new RegExp(`^${source}$`, 's');
      return (v) => v.length <= limits.maxScannedValueLength && re.test(v);
    }
    case 'MATCHES': {
      const re = safeRegex(String(literal!.value), limits);
      return (v) => v.length <= limits.maxScannedValueLength && re.test(v);
    }
    case 'ISSUBSET': {
      const inside = cidrTest(String(literal!.value));
      if (!inside) throw new PatternNotMatchable(`ISSUBSET needs a CIDR network, not '${String(literal!.value)}'`);
      return inside;
    }
    case 'ISSUPERSET': {
      const target = String(literal!.value);
      return (v) => cidrTest(v)?.(target.split('/')[0]!) === true;
    }
    default:
      throw new PatternNotMatchable(`operator ${p.operator} is not supported`);
  }
}

/**
 * MATCHES takes PCRE; JavaScript runs a close subset. Refuse what could stall the matcher: very long
 * expressions and quantified groups that themselves contain quantifiers (the classic catastrophic backtracking).
 */
function safeRegex(source: string, limits: CompileLimits): RegExp {
  if (source.length > limits.maxRegexLength) throw new PatternNotMatchable(`regular expression longer than ${limits.maxRegexLength}`);
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(source)) {
    throw new PatternNotMatchable('regular expression with nested quantifiers refused (catastrophic backtracking)');
  }
  try {
    return new RegExp(source, 's');
  } catch (error) {
    throw new PatternNotMatchable(`regular expression does not compile: ${(error as Error).message}`);
  }
}

const IP_VALUE_PATHS = /(^value$|_ref\.value$|_refs\[\*\]\.value$)/;

function isCidrTest(p: PropTest): boolean {
  if (Array.isArray(p.value) || p.value?.type !== 'string') return false;
  if (p.operator === 'ISSUBSET') return true;
  const ipLike = p.path.objectType === 'ipv4-addr' || p.path.objectType === 'ipv6-addr' || p.path.objectType === 'network-traffic';
  // Feeds write `[ipv4-addr:value = '203.0.113.0/24']` meaning the network; read it as containment.
  return p.operator === '=' && ipLike && IP_VALUE_PATHS.test(pathKey(p.path)) && p.value.value.includes('/');
}

export function parseCidr(text: string): { v: 4; network: number; prefix: number } | { v: 6; network: bigint; prefix: number } | undefined {
  const [address, prefixText] = text.split('/');
  if (!address) return undefined;
  const v4 = ipv4ToInt(address);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
    return { v: 4, network: mask4(v4, prefix), prefix };
  }
  const v6 = ipv6ToBigInt(address);
  if (v6 !== undefined) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return undefined;
    return { v: 6, network: mask6(v6, prefix), prefix };
  }
  return undefined;
}

export function mask4(address: number, prefix: number): number {
  return prefix === 0 ? 0 : (address & (0xffffffff << (32 - prefix))) >>> 0;
}

export function mask6(address: bigint, prefix: number): bigint {
  const bits = 128n - BigInt(prefix);
  return (address >> bits) << bits;
}

function cidrTest(text: string): ValueTest | undefined {
  const net = parseCidr(text);
  if (!net) return undefined;
  if (net.v === 4) {
    return (v) => {
      const a = ipv4ToInt(v.split('/')[0]!);
      return a !== undefined && mask4(a, net.prefix) === net.network;
    };
  }
  return (v) => {
    const a = ipv6ToBigInt(v.split('/')[0]!);
    return a !== undefined && mask6(a, net.prefix) === net.network;
  };
}

/**
 * Values one of which must be present for the comparison to hold; undefined when none can be named.
 * AND needs only one side's anchors (the smaller set); OR needs both sides'.
 */
function anchorsOf(c: ComparisonExpression): Anchor[] | undefined {
  if (c.kind === 'comparisonExpression') {
    const left = anchorsOf(c.left);
    const right = anchorsOf(c.right);
    if (c.operator === 'OR') return left && right ? [...left, ...right] : undefined;
    if (!left) return right;
    if (!right) return left;
    return left.length <= right.length ? left : right;
  }
  if (c.negated) return undefined;
  const type = c.path.objectType;
  const path = pathKey(c.path);
  const key = `${type}:${path}`;
  if (isCidrTest(c)) {
    const net = parseCidr(String((c.value as Literal).value));
    if (!net) return undefined;
    return [net.v === 4 ? { kind: 'cidr4', key, network: net.network, prefix: net.prefix } : { kind: 'cidr6', key, network: net.network, prefix: net.prefix }];
  }
  if (c.operator === '=') return [{ kind: 'exact', key, value: literalText(type, path, c.value as Literal) }];
  if (c.operator === 'IN') return (c.value as Literal[]).map((l) => ({ kind: 'exact', key, value: literalText(type, path, l) }));
  return undefined;
}

/** The longest literal run of a lone, non-negated LIKE (between its % and _ wildcards), if 3 characters or more. */
function likeLiteral(c: ComparisonExpression): { key: string; literal: string } | undefined {
  if (c.kind !== 'propTest' || c.negated || c.operator !== 'LIKE') return undefined;
  const text = String((c.value as Literal).value);
  const longest = text.split(/[%_]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length < 3) return undefined;
  return { key: `${c.path.objectType}:${pathKey(c.path)}`, literal: longest };
}
