import { crc32 } from 'node:zlib';
import type { Hierarchy } from './contraction.js';
import type { ProfileGraph } from './profile-graph.js';
import { PROFILE_NAMES } from './profiles.js';
import type { RoadGraph, RoadGraphAbout } from './road-graph.js';
import type { RoadNetwork, TurnRestrictions } from './road-network.js';

/**
 * The graph file: "VIGILRG\0", format version (u32 LE), header length (u32 LE), a JSON header (counts, names,
 * settings, provenance and the section table), then every typed array as a little-endian section aligned to
 * 8 bytes, then a CRC-32 of all preceding bytes. Loading checks magic, version, length and checksum before
 * trusting anything, then maps the sections without copying.
 */
const MAGIC = 'VIGILRG\0';
export const GRAPH_FORMAT_VERSION = 1;

type Kind = 'f64' | 'f32' | 'i32' | 'u32' | 'u8';
type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;
const CONSTRUCTORS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array } as const;

interface Section {
  name: string;
  kind: Kind;
  offset: number;
  length: number;
}

interface Header {
  format: number;
  totalBytes: number;
  about: RoadGraphAbout;
  names: string[];
  settings: RoadNetwork['settings'];
  counts: Record<string, number>;
  sections: Section[];
}

export class GraphFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphFileError';
  }
}

function kindOf(array: Typed): Kind {
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint32Array) return 'u32';
  return 'u8';
}

const NETWORK_ARRAYS = [
  'nodeLon', 'nodeLat', 'nodeOsmId', 'segmentFrom', 'segmentTo', 'segmentLength', 'segmentWayId', 'segmentName',
  'segmentClass', 'segmentFlags', 'geometryStart', 'geometryLon', 'geometryLat',
] as const;
const RESTRICTION_ARRAYS = ['fromSegment', 'fromBackward', 'via', 'toSegment', 'toBackward', 'only', 'profiles'] as const;
const GRAPH_ARRAYS = ['copyOf', 'firstOut', 'arcHead', 'arcWeight', 'arcSegment', 'arcBackward'] as const;
const HIERARCHY_ARRAYS = ['rank', 'edgeTail', 'edgeHead', 'edgeWeight', 'edgeChildA', 'edgeChildB'] as const;

function sectionsOf(graph: RoadGraph): Array<[string, Typed]> {
  const { network } = graph;
  const list: Array<[string, Typed]> = [];
  for (const key of NETWORK_ARRAYS) list.push([`network.${key}`, network[key]]);
  for (const key of RESTRICTION_ARRAYS) list.push([`restrictions.${key}`, network.restrictions[key]]);
  for (const profile of PROFILE_NAMES) {
    list.push([`${profile}.speedForward`, network.speeds[profile].forward], [`${profile}.speedBackward`, network.speeds[profile].backward]);
    const { graph: g, hierarchy: h } = graph.profiles[profile];
    for (const key of GRAPH_ARRAYS) list.push([`${profile}.${key}`, g[key]]);
    for (const key of HIERARCHY_ARRAYS) list.push([`${profile}.${key}`, h[key]]);
  }
  return list;
}

export function encodeRoadGraph(graph: RoadGraph): Uint8Array {
  const arrays = sectionsOf(graph);
  const counts: Record<string, number> = {
    nodes: graph.network.nodeCount,
    segments: graph.network.segmentCount,
    restrictions: graph.network.restrictions.count,
  };
  for (const profile of PROFILE_NAMES) counts[`${profile}.nodes`] = graph.profiles[profile].graph.nodeCount;
  const header: Header = {
    format: GRAPH_FORMAT_VERSION,
    totalBytes: 0,
    about: graph.about,
    names: graph.network.names,
    settings: graph.network.settings,
    counts,
    sections: [],
  };
  // Offsets depend on the header's length, which depends on the offsets: fix the point by iterating.
  let headerBytes = new Uint8Array();
  for (let attempt = 0; attempt < 5; attempt++) {
    let offset = align(16 + headerBytes.length);
    header.sections = arrays.map(([name, array]) => {
      const section: Section = { name, kind: kindOf(array), offset, length: array.length };
      offset = align(offset + array.byteLength);
      return section;
    });
    header.totalBytes = offset + 4;
    const next = new TextEncoder().encode(JSON.stringify(header));
    const stable = next.length === headerBytes.length;
    headerBytes = next;
    if (stable) break;
  }
  if (header.sections.length > 0 && header.sections[0]!.offset !== align(16 + headerBytes.length)) {
    throw new GraphFileError('graph file header did not settle');
  }
  const bytes = new Uint8Array(header.totalBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, GRAPH_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  bytes.set(headerBytes, 16);
  header.sections.forEach((section, i) => {
    const array = arrays[i]![1];
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), section.offset);
  });
  view.setUint32(header.totalBytes - 4, crc32(bytes.subarray(0, header.totalBytes - 4)), true);
  return bytes;
}

function align(n: number): number {
  return (n + 7) & ~7;
}

export function decodeRoadGraph(input: Uint8Array): RoadGraph {
  if (input.length < 20 || new TextDecoder().decode(input.subarray(0, 8)) !== MAGIC) {
    throw new GraphFileError('not a Vigil road graph file (bad magic); import the roads again with `vigil roads import`');
  }
  // Sections are mapped as typed-array views, which need 8-byte alignment of the underlying buffer.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== GRAPH_FORMAT_VERSION) {
    throw new GraphFileError(`road graph file format ${format} is not supported (this Vigil reads ${GRAPH_FORMAT_VERSION}); import the roads again`);
  }
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) throw new GraphFileError('truncated road graph file (header cut short)');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as Header;
  } catch {
    throw new GraphFileError('corrupt road graph file (unreadable header)');
  }
  if (header.totalBytes !== bytes.length) {
    throw new GraphFileError(`truncated or padded road graph file (${bytes.length} bytes, header says ${header.totalBytes})`);
  }
  if (view.getUint32(bytes.length - 4, true) !== crc32(bytes.subarray(0, bytes.length - 4))) {
    throw new GraphFileError('corrupt road graph file (checksum mismatch)');
  }
  const sections = new Map<string, Typed>();
  for (const s of header.sections) {
    const Ctor = CONSTRUCTORS[s.kind];
    sections.set(s.name, new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + s.offset, s.length));
  }
  const get = <T extends Typed>(name: string): T => {
    const array = sections.get(name);
    if (!array) throw new GraphFileError(`corrupt road graph file (section ${name} missing)`);
    return array as T;
  };
  const pick = <K extends string>(prefix: string, keys: readonly K[]): Record<K, Typed> =>
    Object.fromEntries(keys.map((k) => [k, get(`${prefix}.${k}`)])) as Record<K, Typed>;

  const restrictions = { count: header.counts.restrictions!, ...pick('restrictions', RESTRICTION_ARRAYS) } as unknown as TurnRestrictions;
  const network = {
    nodeCount: header.counts.nodes!,
    segmentCount: header.counts.segments!,
    ...pick('network', NETWORK_ARRAYS),
    names: header.names,
    settings: header.settings,
    restrictions,
    speeds: Object.fromEntries(
      PROFILE_NAMES.map((p) => [p, { forward: get<Float32Array>(`${p}.speedForward`), backward: get<Float32Array>(`${p}.speedBackward`) }]),
    ),
  } as unknown as RoadNetwork;
  const profiles = Object.fromEntries(
    PROFILE_NAMES.map((profile) => {
      const graph = {
        profile,
        nodeCount: header.counts[`${profile}.nodes`]!,
        networkNodeCount: network.nodeCount,
        ...pick(profile, GRAPH_ARRAYS),
      } as unknown as ProfileGraph;
      const hierarchy = { ...pick(profile, HIERARCHY_ARRAYS) } as unknown as Hierarchy;
      hierarchy.edgeCount = hierarchy.edgeTail.length;
      return [profile, { graph, hierarchy }];
    }),
  ) as RoadGraph['profiles'];
  const result: RoadGraph = { network, profiles, about: header.about };
  checkConsistency(result);
  return result;
}

/** Cheap structural checks, so a file that passed the checksum but was written by a defect cannot crash a query. */
function checkConsistency(graph: RoadGraph): void {
  const { network } = graph;
  const fail = (what: string): never => {
    throw new GraphFileError(`inconsistent road graph file (${what})`);
  };
  const inRange = (array: Int32Array, limit: number, what: string, allowNegative = false): void => {
    for (let i = 0; i < array.length; i++) {
      const v = array[i]!;
      if (v >= limit || (v < 0 && !(allowNegative && v === -1))) fail(what);
    }
  };
  if (network.nodeLon.length !== network.nodeCount || network.segmentFrom.length !== network.segmentCount) fail('counts');
  if (network.geometryStart.length !== network.segmentCount + 1) fail('geometry index');
  if (network.geometryStart[network.segmentCount] !== network.geometryLon.length) fail('geometry length');
  inRange(network.segmentFrom, network.nodeCount, 'segment ends');
  inRange(network.segmentTo, network.nodeCount, 'segment ends');
  for (const profile of PROFILE_NAMES) {
    const { graph: g, hierarchy: h } = graph.profiles[profile];
    const arcs = g.arcHead.length;
    if (g.firstOut.length !== g.nodeCount + 1 || g.firstOut[g.nodeCount] !== arcs) fail(`${profile} arc index`);
    if (g.copyOf.length !== g.nodeCount - g.networkNodeCount) fail(`${profile} node copies`);
    inRange(g.arcHead, g.nodeCount, `${profile} arcs`);
    inRange(g.arcSegment, network.segmentCount, `${profile} arc segments`);
    if (h.rank.length !== g.nodeCount) fail(`${profile} ranks`);
    inRange(h.edgeTail, g.nodeCount, `${profile} hierarchy`);
    inRange(h.edgeHead, g.nodeCount, `${profile} hierarchy`);
    inRange(h.edgeChildA, h.edgeCount, `${profile} shortcuts`, true);
    for (let e = 0; e < h.edgeCount; e++) {
      const child = h.edgeChildB[e]!;
      if (child < 0 || child >= (h.edgeChildA[e]! < 0 ? arcs : h.edgeCount)) fail(`${profile} shortcuts`);
    }
  }
}
