import { SCO_TYPES, identifierType } from './ids.js';

/**
 * Which object types a reference property may point to (STIX 2.1 sections 4–6: "MUST be an identifier of type …").
 * Keys are `type.property` for properties whose meaning depends on the object, else the property name alone.
 * `SDO`, `SCO`, `SRO` stand for whole families; `*` means any STIX object.
 */
export type TargetClass = 'SDO' | 'SCO' | 'SRO' | '*';
type Targets = readonly string[];

const RULES: Readonly<Record<string, Targets>> = {
  created_by_ref: ['identity'],
  object_marking_refs: ['marking-definition'],
  marking_ref: ['marking-definition'],
  'relationship.source_ref': ['SDO', 'SCO'],
  'relationship.target_ref': ['SDO', 'SCO'],
  sighting_of_ref: ['SDO'],
  observed_data_refs: ['observed-data'],
  where_sighted_refs: ['identity', 'location'],
  'observed-data.object_refs': ['SCO', 'SRO'],
  'report.object_refs': ['*'],
  'note.object_refs': ['*'],
  'opinion.object_refs': ['*'],
  'grouping.object_refs': ['*'],
  'language-content.object_ref': ['*'],
  'malware.sample_refs': ['file', 'artifact'],
  operating_system_refs: ['software'],
  host_vm_ref: ['software'],
  operating_system_ref: ['software'],
  installed_software_refs: ['software'],
  analysis_sco_refs: ['SCO'],
  'malware-analysis.sample_ref': ['file', 'artifact', 'network-traffic'],
  'email-message.from_ref': ['email-addr'],
  'email-message.sender_ref': ['email-addr'],
  to_refs: ['email-addr'],
  cc_refs: ['email-addr'],
  bcc_refs: ['email-addr'],
  raw_email_ref: ['artifact'],
  body_raw_ref: ['artifact', 'file'],
  'email-addr.belongs_to_ref': ['user-account'],
  'ipv4-addr.resolves_to_refs': ['mac-addr'],
  'ipv6-addr.resolves_to_refs': ['mac-addr'],
  'ipv4-addr.belongs_to_refs': ['autonomous-system'],
  'ipv6-addr.belongs_to_refs': ['autonomous-system'],
  'domain-name.resolves_to_refs': ['ipv4-addr', 'ipv6-addr', 'domain-name'],
  'directory.contains_refs': ['file', 'directory'],
  'file.contains_refs': ['SCO'],
  'archive-ext.contains_refs': ['file', 'directory'],
  content_ref: ['artifact'],
  parent_directory_ref: ['directory'],
  'network-traffic.src_ref': ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
  'network-traffic.dst_ref': ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
  src_payload_ref: ['artifact'],
  dst_payload_ref: ['artifact'],
  encapsulates_refs: ['network-traffic'],
  encapsulated_by_ref: ['network-traffic'],
  message_body_data_ref: ['artifact'],
  opened_connection_refs: ['network-traffic'],
  creator_user_ref: ['user-account'],
  image_ref: ['file'],
  parent_ref: ['process'],
  child_refs: ['process'],
  service_dll_refs: ['file'],
};

const SRO_TYPES = new Set(['relationship', 'sighting']);
const META_TYPES = new Set(['marking-definition', 'language-content', 'extension-definition', 'bundle']);

function familyOf(type: string): 'SDO' | 'SCO' | 'SRO' | 'META' {
  if (SRO_TYPES.has(type)) return 'SRO';
  if (META_TYPES.has(type)) return 'META';
  return SCO_TYPES.has(type) ? 'SCO' : 'SDO';
}

/**
 * The allowed target types for a reference property, or undefined when the specification sets none we know.
 * `owner` is the object type, or the extension name for properties inside `extensions`.
 */
export function referenceTargets(owner: string, property: string): Targets | undefined {
  return RULES[`${owner}.${property}`] ?? RULES[property];
}

/**
 * Whether an id may be the target. Custom object types (not defined by the specification) count as SDOs unless
 * `scoTypes` says otherwise — the id alone cannot tell, so a custom type is never rejected as a family mismatch.
 */
export function targetAllowed(targets: Targets, id: string, isCustomType: (type: string) => boolean): boolean {
  const type = identifierType(id);
  if (targets.includes('*') || targets.includes(type)) return true;
  const family = familyOf(type);
  if (family === 'META') return false;
  if (isCustomType(type)) return targets.includes('SDO') || targets.includes('SCO');
  return targets.includes(family);
}
