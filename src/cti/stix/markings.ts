/**
 * TLP as STIX marking definitions. TLP 2.0 is published by OASIS as marking-definition objects carrying the
 * TLP 2.0 extension (cti-stix-common-objects, extension-definition--60a3c5c5-…); TLP 1.0 is predefined by the
 * STIX 2.1 specification itself (section 7.2.1.4). Vigil writes TLP 2.0 and reads both.
 */
import { type Tlp, TLP_LABELS, isTlp } from '../../kernel/sharing/policy.js';

/** The kernel's labels (its sharing policy), least to most restrictive. */
export type { Tlp };
export { isTlp };
export const TLP_LEVELS: readonly Tlp[] = TLP_LABELS;

export const TLP_2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP_2_CREATED = '2022-10-01T00:00:00.000Z';
const TLP_1_CREATED = '2017-01-20T00:00:00.000Z';

export const TLP_2_MARKING_IDS: Readonly<Record<Tlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 as predefined by STIX 2.1; WHITE is read as TLP 2.0 CLEAR. */
export const TLP_1_MARKING_IDS: Readonly<Record<'white' | 'green' | 'amber' | 'red', string>> = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

const TLP_BY_MARKING_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...(Object.entries(TLP_2_MARKING_IDS) as Array<[Tlp, string]>).map(([tlp, id]): [string, Tlp] => [id, tlp]),
  [TLP_1_MARKING_IDS.white, 'clear'],
  [TLP_1_MARKING_IDS.green, 'green'],
  [TLP_1_MARKING_IDS.amber, 'amber'],
  [TLP_1_MARKING_IDS.red, 'red'],
]);

/** Marking definitions every STIX consumer knows without being sent them. */
export const WELL_KNOWN_MARKING_IDS: ReadonlySet<string> = new Set(TLP_BY_MARKING_ID.keys());

export interface MarkingDefinition {
  type: 'marking-definition';
  spec_version: '2.1';
  id: string;
  created: string;
  name: string;
  definition_type?: 'tlp';
  definition?: { tlp: string };
  extensions?: Record<string, { extension_type: 'property-extension'; tlp_2_0: Tlp }>;
}

const TLP_2_NAMES: Readonly<Record<Tlp, string>> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

/** The official TLP 2.0 marking-definition object, exactly as OASIS publishes it. */
export function tlpMarkingDefinition(tlp: Tlp): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_2_MARKING_IDS[tlp],
    created: TLP_2_CREATED,
    name: TLP_2_NAMES[tlp],
    extensions: { [TLP_2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

/** The STIX 2.1 predefined TLP 1.0 object (for peers that only know TLP 1.0). */
export function tlp1MarkingDefinition(level: keyof typeof TLP_1_MARKING_IDS): MarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_1_MARKING_IDS[level],
    created: TLP_1_CREATED,
    name: `TLP:${level.toUpperCase()}`,
    definition_type: 'tlp',
    definition: { tlp: level },
  };
}

export function tlpMarkingId(tlp: Tlp): string {
  return TLP_2_MARKING_IDS[tlp];
}

/** The TLP a marking definition id stands for, TLP 1.0 ids included; undefined if it is not a TLP marking. */
export function tlpOfMarkingId(id: string): Tlp | undefined {
  return TLP_BY_MARKING_ID.get(id);
}

/**
 * The TLP of a marking-definition object that is not one of the well-known ids: a TLP 2.0 extension value or a
 * TLP 1.0 `definition`. Some producers mint their own ids for TLP markings; their meaning still counts.
 */
export function tlpOfMarkingDefinition(object: Record<string, unknown>): Tlp | undefined {
  const known = tlpOfMarkingId(String(object.id));
  if (known) return known;
  const ext = (object.extensions as Record<string, { tlp_2_0?: unknown }> | undefined)?.[TLP_2_EXTENSION_ID];
  if (ext && isTlp(ext.tlp_2_0)) return ext.tlp_2_0;
  const def = object.definition as { tlp?: unknown } | undefined;
  if (object.definition_type === 'tlp' && def && typeof def.tlp === 'string') return parseTlp(def.tlp);
  return undefined;
}

/** Reads `TLP:AMBER+STRICT`, `amber+strict`, `white`, … into a TLP 2.0 level. */
export function parseTlp(text: string): Tlp | undefined {
  const level = text.trim().toLowerCase().replace(/^tlp:\s*/, '');
  if (level === 'white') return 'clear';
  return isTlp(level) ? level : undefined;
}

/** The strictest of several TLP levels: an object marked twice is as restricted as its strictest marking. */
export function strictestTlp(levels: Iterable<Tlp>): Tlp | undefined {
  let best: Tlp | undefined;
  for (const level of levels) {
    if (best === undefined || TLP_LEVELS.indexOf(level) > TLP_LEVELS.indexOf(best)) best = level;
  }
  return best;
}

/** The TLP of an object from its object_marking_refs (and the bundle's own marking definitions, if any). */
export function tlpOfObject(
  object: Record<string, unknown>,
  markingDefinitions: ReadonlyMap<string, Record<string, unknown>> = new Map(),
): Tlp | undefined {
  const refs = Array.isArray(object.object_marking_refs) ? (object.object_marking_refs as unknown[]) : [];
  const levels: Tlp[] = [];
  for (const ref of refs) {
    if (typeof ref !== 'string') continue;
    const defined = markingDefinitions.get(ref);
    const tlp = tlpOfMarkingId(ref) ?? (defined ? tlpOfMarkingDefinition(defined) : undefined);
    if (tlp) levels.push(tlp);
  }
  return strictestTlp(levels);
}
