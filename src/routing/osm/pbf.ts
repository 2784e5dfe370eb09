import { inflateSync } from 'node:zlib';
import { ProtoReader } from './protobuf.js';
import { RoadDataError, type OsmMember, type OsmSink, type ReadProgress, type Tags } from './elements.js';

/**
 * Reads an OpenStreetMap PBF file (https://wiki.openstreetmap.org/wiki/PBF_Format): a sequence of
 * length-prefixed BlobHeader + Blob pairs, each blob a zlib-compressed (or raw) protobuf block.
 * Only what routing needs is decoded: node coordinates, way refs and tags, relation members and tags.
 */
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes', 'HistoricalInformation']);
const MEMBER_TYPES = ['node', 'way', 'relation'] as const;

export function readOsmPbf(data: Uint8Array, sink: OsmSink, progress?: ReadProgress): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  let blobs = 0;
  let sawHeader = false;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw truncated(pos);
    const headerLength = view.getUint32(pos);
    pos += 4;
    if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) {
      throw new RoadDataError(`not an OSM PBF file (bad block header length ${headerLength} at byte ${pos - 4})`);
    }
    if (pos + headerLength > data.length) throw truncated(pos);
    const header = readBlobHeader(data.subarray(pos, pos + headerLength), pos);
    pos += headerLength;
    if (header.dataSize > MAX_BLOB_BYTES) throw new RoadDataError(`block at byte ${pos} is larger than the PBF limit`);
    if (pos + header.dataSize > data.length) throw truncated(pos);
    const block = unpackBlob(data.subarray(pos, pos + header.dataSize), pos);
    pos += header.dataSize;
    if (header.type === 'OSMHeader') {
      checkHeaderBlock(block);
      sawHeader = true;
    } else if (header.type === 'OSMData') {
      if (!sawHeader) throw new RoadDataError('not an OSM PBF file (data block before the OSMHeader block)');
      readPrimitiveBlock(block, sink);
    }
    blobs++;
    progress?.(pos, data.length);
  }
  if (blobs === 0) throw new RoadDataError('empty PBF file');
}

function truncated(pos: number): RoadDataError {
  return new RoadDataError(`truncated PBF file (ends inside the block starting near byte ${pos})`);
}

function readBlobHeader(buf: Uint8Array, at: number): { type: string; dataSize: number } {
  const r = new ProtoReader(buf);
  let type = '';
  let dataSize = -1;
  while (!r.eof()) {
    const key = r.key();
    if (key >>> 3 === 1 && (key & 7) === 2) type = utf8.decode(r.bytes());
    else if (key >>> 3 === 3 && (key & 7) === 0) dataSize = r.varint();
    else r.skip(key & 7);
  }
  if (!type || dataSize < 0) throw new RoadDataError(`not an OSM PBF file (malformed block header at byte ${at})`);
  return { type, dataSize };
}

function unpackBlob(buf: Uint8Array, at: number): Uint8Array {
  const r = new ProtoReader(buf);
  let raw: Uint8Array | undefined;
  let zlibData: Uint8Array | undefined;
  let rawSize = -1;
  let other = 0;
  while (!r.eof()) {
    const key = r.key();
    const field = key >>> 3;
    if (field === 1) raw = r.bytes();
    else if (field === 2) rawSize = r.varint();
    else if (field === 3) zlibData = r.bytes();
    else {
      if (field >= 4 && field <= 7) other = field;
      r.skip(key & 7);
    }
  }
  if (raw) return raw;
  if (zlibData) {
    let out: Buffer;
    try {
      out = inflateSync(zlibData);
    } catch (error) {
      throw new RoadDataError(`corrupt compressed block at byte ${at}: ${(error as Error).message}`);
    }
    if (rawSize >= 0 && out.length !== rawSize) {
      throw new RoadDataError(`corrupt block at byte ${at}: ${out.length} bytes unpacked, ${rawSize} announced`);
    }
    return out;
  }
  if (other) throw new RoadDataError(`unsupported PBF compression (blob field ${other}) at byte ${at}; use zlib`);
  throw new RoadDataError(`empty PBF blob at byte ${at}`);
}

function checkHeaderBlock(buf: Uint8Array): void {
  const r = new ProtoReader(buf);
  while (!r.eof()) {
    const key = r.key();
    if (key >>> 3 === 4) {
      const feature = utf8.decode(r.bytes());
      if (!SUPPORTED_FEATURES.has(feature)) throw new RoadDataError(`PBF file requires unsupported feature "${feature}"`);
    } else r.skip(key & 7);
  }
}

const utf8 = new TextDecoder('utf-8');

interface Block {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

function readPrimitiveBlock(buf: Uint8Array, sink: OsmSink): void {
  const r = new ProtoReader(buf);
  const block: Block = { strings: [], granularity: 100, latOffset: 0, lonOffset: 0 };
  const groups: Uint8Array[] = [];
  while (!r.eof()) {
    const key = r.key();
    switch (key >>> 3) {
      case 1:
        block.strings = readStringTable(r.bytes());
        break;
      case 2:
        groups.push(r.bytes());
        break;
      case 17:
        block.granularity = r.varint();
        break;
      case 19:
        block.latOffset = r.int64();
        break;
      case 20:
        block.lonOffset = r.int64();
        break;
      default:
        r.skip(key & 7);
    }
  }
  for (const group of groups) readGroup(group, block, sink);
}

function readStringTable(buf: Uint8Array): string[] {
  const r = new ProtoReader(buf);
  const strings: string[] = [];
  while (!r.eof()) {
    const key = r.key();
    if (key >>> 3 === 1) strings.push(utf8.decode(r.bytes()));
    else r.skip(key & 7);
  }
  return strings;
}

function readGroup(buf: Uint8Array, block: Block, sink: OsmSink): void {
  const r = new ProtoReader(buf);
  while (!r.eof()) {
    const key = r.key();
    switch (key >>> 3) {
      case 1:
        readNode(r.bytes(), block, sink);
        break;
      case 2:
        readDenseNodes(r.bytes(), block, sink);
        break;
      case 3:
        readWay(r.bytes(), block, sink);
        break;
      case 4:
        readRelation(r.bytes(), block, sink);
        break;
      default:
        r.skip(key & 7);
    }
  }
}

function coordinate(offset: number, granularity: number, value: number): number {
  return (offset + granularity * value) * 1e-9;
}

function readNode(buf: Uint8Array, block: Block, sink: OsmSink): void {
  const r = new ProtoReader(buf);
  let id = 0;
  let lat = 0;
  let lon = 0;
  const keys: number[] = [];
  const values: number[] = [];
  while (!r.eof()) {
    const key = r.key();
    const field = key >>> 3;
    if (field === 1) id = r.sint();
    else if (field === 2) r.packed(key & 7, keys);
    else if (field === 3) r.packed(key & 7, values);
    else if (field === 8) lat = r.sint();
    else if (field === 9) lon = r.sint();
    else r.skip(key & 7);
  }
  const tags = keys.length > 0 ? tagsOf(keys, values, block.strings) : undefined;
  sink.node(id, coordinate(block.lonOffset, block.granularity, lon), coordinate(block.latOffset, block.granularity, lat), tags);
}

function readDenseNodes(buf: Uint8Array, block: Block, sink: OsmSink): void {
  const r = new ProtoReader(buf);
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const keysValues: number[] = [];
  while (!r.eof()) {
    const key = r.key();
    const field = key >>> 3;
    if (field === 1) r.packed(key & 7, ids, true, true);
    else if (field === 8) r.packed(key & 7, lats, true, true);
    else if (field === 9) r.packed(key & 7, lons, true, true);
    else if (field === 10) r.packed(key & 7, keysValues);
    else r.skip(key & 7);
  }
  if (lats.length !== ids.length || lons.length !== ids.length) {
    throw new RoadDataError('corrupt dense node group (ids and coordinates differ in count)');
  }
  // keys_vals: for each node, key/value string indices, then a 0; absent when no node in the group has tags.
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    let tags: Tags | undefined;
    while (at < keysValues.length && keysValues[at] !== 0) {
      const k = block.strings[keysValues[at]!];
      const v = block.strings[keysValues[at + 1]!];
      if (k === undefined || v === undefined) throw new RoadDataError('corrupt dense node tags');
      (tags ??= {})[k] = v;
      at += 2;
    }
    at++;
    sink.node(ids[i]!, coordinate(block.lonOffset, block.granularity, lons[i]!), coordinate(block.latOffset, block.granularity, lats[i]!), tags);
  }
}

function tagsOf(keys: number[], values: number[], strings: string[]): Tags {
  if (keys.length !== values.length) throw new RoadDataError('corrupt element tags (keys and values differ in count)');
  const tags: Tags = {};
  for (let i = 0; i < keys.length; i++) {
    const k = strings[keys[i]!];
    const v = strings[values[i]!];
    if (k === undefined || v === undefined) throw new RoadDataError('corrupt element tags (string index out of range)');
    tags[k] = v;
  }
  return tags;
}

function readWay(buf: Uint8Array, block: Block, sink: OsmSink): void {
  const r = new ProtoReader(buf);
  let id = 0;
  const keys: number[] = [];
  const values: number[] = [];
  const refs: number[] = [];
  while (!r.eof()) {
    const key = r.key();
    const field = key >>> 3;
    if (field === 1) id = r.int64();
    else if (field === 2) r.packed(key & 7, keys);
    else if (field === 3) r.packed(key & 7, values);
    else if (field === 8) r.packed(key & 7, refs, true, true);
    else r.skip(key & 7);
  }
  sink.way(id, refs, tagsOf(keys, values, block.strings));
}

function readRelation(buf: Uint8Array, block: Block, sink: OsmSink): void {
  const r = new ProtoReader(buf);
  let id = 0;
  const keys: number[] = [];
  const values: number[] = [];
  const roles: number[] = [];
  const memberIds: number[] = [];
  const types: number[] = [];
  while (!r.eof()) {
    const key = r.key();
    const field = key >>> 3;
    if (field === 1) id = r.int64();
    else if (field === 2) r.packed(key & 7, keys);
    else if (field === 3) r.packed(key & 7, values);
    else if (field === 8) r.packed(key & 7, roles);
    else if (field === 9) r.packed(key & 7, memberIds, true, true);
    else if (field === 10) r.packed(key & 7, types);
    else r.skip(key & 7);
  }
  if (roles.length !== memberIds.length || types.length !== memberIds.length) {
    throw new RoadDataError(`corrupt relation ${id} (member fields differ in count)`);
  }
  const members: OsmMember[] = memberIds.map((ref, i) => {
    const type = MEMBER_TYPES[types[i]!];
    const role = block.strings[roles[i]!];
    if (type === undefined || role === undefined) throw new RoadDataError(`corrupt relation ${id} (bad member)`);
    return { type, ref, role };
  });
  sink.relation(id, members, tagsOf(keys, values, block.strings));
}
