import { parsePattern } from '../pattern/parser.js';
import {
  compilePattern,
  DEFAULT_LIMITS,
  mask4,
  mask6,
  PatternNotMatchable,
  type CompileLimits,
  type CompiledObservation,
  type Hit,
} from './compile.js';
import { observeEvent, visitEvent, type EventVisitor, type ObservedObject, type SecurityEvent } from './fields.js';
import { ipv4ToInt, ipv6ToBigInt, normaliseValue } from './normalise.js';
import { SubstringIndex } from './substrings.js';
import { PatternCorrelator, type CorrelatorOptions, type PatternShape } from './correlate.js';

/**
 * The indicator index: STIX patterns compiled once, looked up per event mostly by hash (exact values), by
 * prefix for networks (one hash probe per distinct prefix length) and, for the few patterns with nothing to
 * look up (LIKE, MATCHES, ordering), by a bounded scan restricted to events that have the right object types.
 */
export interface IndicatorMatch {
  indicatorId: string;
  /** Which `[ … ]` of the pattern matched (0-based). */
  observation: number;
  /**
   * True when the whole pattern holds: this event alone, or — for patterns of several observations, when the
   * index correlates — this event completing an occurrence with earlier ones. False for a part only.
   */
  complete: boolean;
  /** The event values that satisfied it, with the event field each came from. */
  matched: Array<Hit & { field?: string }>;
  /** True when the matched value has matched too often in the cap window: report, do not raise. */
  capped: boolean;
}

export interface MatchCap {
  /** Matches allowed per value (per indicator) inside one window before they stop raising. */
  maxPerValue: number;
  windowMs: number;
}

export interface IndicatorIndexOptions {
  limits?: Partial<CompileLimits>;
  /** At most this many scan-only observations (default 10,000): each costs time on every event. */
  maxScanObservations?: number;
  cap?: MatchCap;
  /** Correlate the observations of multi-observation patterns across events (off: report parts only). */
  correlate?: CorrelatorOptions | boolean;
}

interface Entry {
  indicatorId: string;
  observation: CompiledObservation;
  complete: boolean;
  shape?: PatternShape;
}

type FieldHit = Hit & { field?: string };

type Bucket = Entry | Entry[];

interface Networks<N> {
  prefix: number;
  nets: Map<N, Bucket>;
}

function networksFor<N>(list: Array<Networks<N>>, prefix: number): Map<N, Bucket> {
  let found = list.find((n) => n.prefix === prefix);
  if (!found) {
    found = { prefix, nets: new Map() };
    list.push(found);
    list.sort((a, b) => b.prefix - a.prefix);
  }
  return found.nets;
}

export type AddResult = { ok: true; observations: number; scanned: number } | { ok: false; reason: string };

export class IndicatorIndex {
  private readonly exact = new Map<string, Map<string, Bucket>>();
  /** Networks: object path → one map per prefix length in use (an array: probed once per address). */
  private readonly cidr4 = new Map<string, Array<Networks<number>>>();
  private readonly cidr6 = new Map<string, Array<Networks<bigint>>>();
  private readonly scan: Entry[] = [];
  /** LIKE observations by their longest literal: object path → substring automaton. */
  private readonly substrings = new Map<string, SubstringIndex<Entry>>();
  private readonly lookup = new Lookup(this.exact, this.cidr4, this.cidr6, this.substrings);
  private readonly byIndicator = new Map<string, Entry[]>();
  private readonly limits: CompileLimits;
  private readonly maxScan: number;
  private readonly cap: MatchCap | undefined;
  private readonly capCounts = new Map<string, { count: number; since: number }>();
  private readonly correlator: PatternCorrelator | undefined;

  constructor(options: IndicatorIndexOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.maxScan = options.maxScanObservations ?? 10_000;
    this.cap = options.cap;
    this.correlator = options.correlate ? new PatternCorrelator(options.correlate === true ? {} : options.correlate) : undefined;
  }

  get size(): number {
    return this.byIndicator.size;
  }

  /** Adds (or replaces) an indicator by its STIX pattern. */
  add(indicatorId: string, pattern: string): AddResult {
    const parsed = parsePattern(pattern);
    if (!parsed.ok) return { ok: false, reason: `invalid pattern at column ${parsed.error.column}: ${parsed.error.message}` };
    let compiled;
    try {
      compiled = compilePattern(parsed.pattern, this.limits);
    } catch (error) {
      if (error instanceof PatternNotMatchable) return { ok: false, reason: error.message };
      throw error;
    }
    const scanned = compiled.observations.filter((o) => !o.anchors && !o.substring).length;
    if (scanned > 0 && this.scan.length + scanned > this.maxScan) {
      return { ok: false, reason: `pattern needs scanning and the scan budget (${this.maxScan}) is spent` };
    }
    if (this.byIndicator.has(indicatorId)) this.remove(indicatorId);
    const entries = compiled.observations.map(
      (observation): Entry => ({ indicatorId, observation, complete: compiled.singleEvent, ...(compiled.shape ? { shape: compiled.shape } : {}) }),
    );
    for (const entry of entries) this.insert(entry);
    this.byIndicator.set(indicatorId, entries);
    return { ok: true, observations: entries.length, scanned };
  }

  remove(indicatorId: string): boolean {
    const entries = this.byIndicator.get(indicatorId);
    if (!entries) return false;
    this.byIndicator.delete(indicatorId);
    this.correlator?.forget(indicatorId);
    const drop = (bucket: Bucket | undefined): Bucket | undefined => {
      if (!bucket) return undefined;
      const list = (Array.isArray(bucket) ? bucket : [bucket]).filter((e) => e.indicatorId !== indicatorId);
      return list.length === 0 ? undefined : list.length === 1 ? list[0] : list;
    };
    for (const entry of entries) {
      for (const anchor of entry.observation.anchors ?? []) {
        if (anchor.kind === 'exact') update(this.exact.get(anchor.key), anchor.value, drop);
        else if (anchor.kind === 'cidr4') update(this.cidr4.get(anchor.key)?.find((n) => n.prefix === anchor.prefix)?.nets, anchor.network, drop);
        else update(this.cidr6.get(anchor.key)?.find((n) => n.prefix === anchor.prefix)?.nets, anchor.network, drop);
      }
      const sub = entry.observation.substring;
      if (sub) this.substrings.get(sub.key)?.remove(entry);
    }
    for (let i = this.scan.length - 1; i >= 0; i--) if (this.scan[i]!.indicatorId === indicatorId) this.scan.splice(i, 1);
    return true;
  }

  /** Indicators that match one event. `now` (ms) drives the cap window; pass the event's time. */
  match(event: SecurityEvent, now = 0): IndicatorMatch[] {
    const run = this.lookup;
    run.reset(this.scan.length > 0);
    visitEvent(event, run);
    if (this.scan.length > 0) {
      for (const entry of this.scan) {
        for (const t of entry.observation.types) {
          if (run.types!.has(t)) {
            run.note(entry, null);
            break;
          }
        }
      }
    }
    const candidates = run.candidates;
    if (candidates === undefined) return [];
    let objects: ObservedObject[] | undefined;
    const matches: IndicatorMatch[] = [];
    for (const [entry, found] of candidates) {
      let matched: FieldHit[];
      if (found) matched = [found];
      else {
        objects ??= observeEvent(event);
        const hits: Hit[] = [];
        if (!entry.observation.evaluate(objects, hits)) continue;
        matched = hits.map((h) => ({ ...h, field: fieldOf(objects!, h) }));
      }
      const complete = entry.complete || (this.correlator !== undefined && entry.shape !== undefined && this.correlator.observe(entry.indicatorId, entry.shape, entry.observation.index, now));
      matches.push({
        indicatorId: entry.indicatorId,
        observation: entry.observation.index,
        complete,
        matched,
        capped: this.capped(entry.indicatorId, matched, now),
      });
    }
    return matches;
  }

  private insert(entry: Entry): void {
    const paths = this.exact.size + this.cidr4.size + this.cidr6.size + this.substrings.size;
    this.place(entry);
    if (this.exact.size + this.cidr4.size + this.cidr6.size + this.substrings.size !== paths) this.lookup.invalidate();
  }

  private place(entry: Entry): void {
    const anchors = entry.observation.anchors;
    const sub = entry.observation.substring;
    if (!anchors && sub) {
      getOrCreate(this.substrings, sub.key, () => new SubstringIndex<Entry>()).add(sub.literal, entry);
      return;
    }
    if (!anchors) {
      this.scan.push(entry);
      return;
    }
    for (const anchor of anchors) {
      if (anchor.kind === 'exact') {
        put(getOrCreate(this.exact, anchor.key, () => new Map()), anchor.value, entry);
      } else if (anchor.kind === 'cidr4') {
        put(networksFor(getOrCreate(this.cidr4, anchor.key, () => []), anchor.prefix), anchor.network, entry);
      } else {
        put(networksFor(getOrCreate(this.cidr6, anchor.key, () => []), anchor.prefix), anchor.network, entry);
      }
    }
  }

  private capped(indicatorId: string, matched: readonly Hit[], now: number): boolean {
    if (!this.cap || matched.length === 0) return false;
    const { maxPerValue, windowMs } = this.cap;
    const key = `${indicatorId}\u0000${matched.map((h) => h.value).join('\u0000')}`;
    let counter = this.capCounts.get(key);
    if (!counter || now - counter.since >= windowMs) {
      counter = { count: 0, since: now };
      this.capCounts.set(key, counter);
      if (this.capCounts.size > 100_000) this.sweep(now);
    }
    counter.count++;
    return counter.count > maxPerValue;
  }

  private sweep(now: number): void {
    for (const [key, counter] of this.capCounts) {
      if (now - counter.since >= this.cap!.windowMs) this.capCounts.delete(key);
    }
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Buckets hold one entry unboxed: most values name a single indicator, and a million arrays cost memory. */
function put<K>(map: Map<K, Bucket>, key: K, entry: Entry): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, entry);
  else if (Array.isArray(bucket)) bucket.push(entry);
  else map.set(key, [bucket, entry]);
}

function update<K>(map: Map<K, Bucket> | undefined, key: K, change: (b: Bucket | undefined) => Bucket | undefined): void {
  if (!map) return;
  const next = change(map.get(key));
  if (next === undefined) map.delete(key);
  else map.set(key, next);
}

/** What the index holds for one object path: found with two map lookups per event value instead of five. */
interface PathPlan {
  exact: Map<string, Bucket> | undefined;
  c4: Array<Networks<number>> | undefined;
  c6: Array<Networks<bigint>> | undefined;
  sub: SubstringIndex<Entry> | undefined;
  empty: boolean;
}

/** Per-event lookup state, reused from event to event (matching is synchronous). */
class Lookup implements EventVisitor {
  candidates: Map<Entry, FieldHit | null> | undefined;
  types: Set<string> | undefined;
  private plans = new Map<string, Map<string, PathPlan>>();

  constructor(
    private readonly exact: Map<string, Map<string, Bucket>>,
    private readonly cidr4: Map<string, Array<Networks<number>>>,
    private readonly cidr6: Map<string, Array<Networks<bigint>>>,
    private readonly substrings: Map<string, SubstringIndex<Entry>>,
  ) {}

  private readonly foundSubstring = (entry: Entry): void => this.note(entry, null);

  reset(trackTypes: boolean): void {
    this.candidates = undefined;
    this.types = trackTypes ? new Set() : undefined;
  }

  /** The index changed shape (a path gained or lost its first indicator): plans are worked out again. */
  invalidate(): void {
    this.plans = new Map();
  }

  private plan(type: string, path: string): PathPlan {
    let byPath = this.plans.get(type);
    if (byPath === undefined) this.plans.set(type, (byPath = new Map()));
    let plan = byPath.get(path);
    if (plan === undefined) {
      const key = pathKeyOf(type, path);
      const exact = this.exact.get(key);
      const c4 = this.cidr4.get(key);
      const c6 = this.cidr6.get(key);
      const sub = this.substrings.get(key);
      plan = { exact, c4, c6, sub, empty: !exact && !c4 && !c6 && !sub };
      byPath.set(path, plan);
    }
    return plan;
  }

  observe(type: string, _role: string, path: string, raw: string, field: string): void {
    this.types?.add(type);
    const plan = this.plan(type, path);
    if (plan.empty) return;
    const exact = plan.exact;
    if (exact !== undefined) this.collect(exact.get(normaliseValue(type, path, raw)), type, path, raw, field);
    const c4 = plan.c4;
    if (c4 !== undefined) {
      const address = ipv4ToInt(raw);
      if (address !== undefined) {
        for (let i = 0; i < c4.length; i++) this.collect(c4[i]!.nets.get(mask4(address, c4[i]!.prefix)), type, path, raw, field);
      }
    }
    const c6 = plan.c6;
    if (c6 !== undefined) {
      const address = ipv6ToBigInt(raw);
      if (address !== undefined) {
        for (let i = 0; i < c6.length; i++) this.collect(c6[i]!.nets.get(mask6(address, c6[i]!.prefix)), type, path, raw, field);
      }
    }
    const substrings = plan.sub;
    if (substrings !== undefined && raw.length <= 8192) substrings.search(raw, this.foundSubstring);
  }

  note(entry: Entry, hit: FieldHit | null): void {
    this.candidates ??= new Map();
    if (!this.candidates.has(entry)) this.candidates.set(entry, hit);
  }

  private collect(bucket: Bucket | undefined, type: string, path: string, value: string, field: string): void {
    if (bucket === undefined) return;
    if (Array.isArray(bucket)) {
      for (const e of bucket) this.note(e, e.observation.anchorDecides ? { type, path, value, field } : null);
    } else {
      this.note(bucket, bucket.observation.anchorDecides ? { type, path, value, field } : null);
    }
  }
}

/** `type:path` strings, interned: building them per event value costs more than two map lookups. */
const PATH_KEYS = new Map<string, Map<string, string>>();

function pathKeyOf(type: string, path: string): string {
  let byPath = PATH_KEYS.get(type);
  if (!byPath) PATH_KEYS.set(type, (byPath = new Map()));
  let key = byPath.get(path);
  if (key === undefined) byPath.set(path, (key = `${type}:${path}`));
  return key;
}

function fieldOf(objects: readonly ObservedObject[], hit: Hit): string | undefined {
  for (const o of objects) {
    if (o.type === hit.type && o.values.get(hit.path)?.includes(hit.value)) return o.fields.get(hit.path);
  }
  return undefined;
}
