import { type Distribution, type Tlp, labelAllows } from '../../kernel/sharing/policy.js';
import { strictestTlp, tlpMarkingId, tlpOfMarkingDefinition, tlpOfMarkingId } from '../stix/markings.js';
import { microsToTimestamp, timestampToMicros } from '../stix/timestamps.js';

/**
 * What the store keeps beside each object (pure): its TAXII version, the label its markings give, and the
 * distribution it gets. The label bounds the distribution whoever chooses it: what the importer asks for is
 * narrowed to the owner organisation when the object's label forbids it (RED to the community, AMBER to the
 * public, …) — narrowing never leaks, widening would.
 */
export interface ObjectFacts {
  stixId: string;
  type: string;
  /** modified, else created, else '' (not versioned). */
  version: string;
  versionMicros: number;
  specVersion: string;
  revoked: boolean;
  /** Every marking the object refers to, object-level and granular. */
  markingRefs: string[];
}

export function objectFacts(object: Record<string, unknown>): ObjectFacts {
  const modified = typeof object.modified === 'string' ? object.modified : undefined;
  const created = typeof object.created === 'string' ? object.created : undefined;
  const version = modified ?? created ?? '';
  const refs = new Set<string>();
  if (Array.isArray(object.object_marking_refs)) for (const r of object.object_marking_refs) if (typeof r === 'string') refs.add(r);
  if (Array.isArray(object.granular_markings)) {
    for (const g of object.granular_markings as Array<{ marking_ref?: unknown }>) if (typeof g?.marking_ref === 'string') refs.add(g.marking_ref);
  }
  return {
    stixId: String(object.id),
    type: String(object.type),
    version,
    versionMicros: version ? (timestampToMicros(version) ?? 0) : 0,
    specVersion: typeof object.spec_version === 'string' ? object.spec_version : '2.1',
    revoked: object.revoked === true,
    markingRefs: [...refs],
  };
}

/** The TAXII version of a stored row: its own version, or when it has none, when it was added. */
export function taxiiVersion(version: string, dateAddedMicros: number): string {
  return version || microsToTimestamp(dateAddedMicros);
}

export type MarkingLookup = (id: string) => Record<string, unknown> | undefined;

/**
 * The label of an object from its markings (the strictest wins; statements and other markings do not count).
 * `undefined` when a marking it uses is not known yet (it may come later in the bundle); `null` when it carries
 * no TLP marking at all.
 */
export function labelOf(facts: ObjectFacts, lookup: MarkingLookup): Tlp | null | undefined {
  const levels: Tlp[] = [];
  for (const ref of facts.markingRefs) {
    const known = tlpOfMarkingId(ref);
    if (known) {
      levels.push(known);
      continue;
    }
    const definition = lookup(ref);
    if (!definition) return undefined;
    const tlp = tlpOfMarkingDefinition(definition);
    if (tlp) levels.push(tlp);
  }
  return strictestTlp(levels) ?? null;
}

/** The distribution an object gets: the one asked for, or the owner organisation when its label forbids that. */
export function boundedDistribution(tlp: Tlp, requested: Distribution): { distribution: Distribution; narrowed: boolean } {
  if (labelAllows(tlp, requested).allowed) return { distribution: requested, narrowed: false };
  return { distribution: { scope: 'owner' }, narrowed: true };
}

/**
 * The object as it leaves Vigil (TAXII, exports): as received, except that when Vigil holds it under a label its
 * own markings do not state (an unmarked object imported as AMBER, a label raised since), that label's marking is
 * added, so the recipient knows how it may be shared.
 */
export function servedObject(row: { object: string; tlp: string; marked_tlp: string | null }): string {
  if (row.tlp === 'clear' || row.marked_tlp === row.tlp) return row.object;
  const object = JSON.parse(row.object) as Record<string, unknown>;
  const refs = Array.isArray(object.object_marking_refs) ? (object.object_marking_refs as string[]) : [];
  const marking = tlpMarkingId(row.tlp as Tlp);
  if (!refs.includes(marking)) object.object_marking_refs = [...refs, marking];
  return JSON.stringify(object);
}
