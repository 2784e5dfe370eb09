import { RoadDataError } from './elements.js';

/**
 * Just enough of the protobuf wire format to read OSM PBF blocks: varints, zigzag, length-delimited
 * fields and packed repeated fields. Every read is bounds-checked so a truncated block is an error,
 * never a silent short read.
 */
export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  /** Returns the field key: field number << 3 | wire type. */
  key(): number {
    return this.varint();
  }

  /** An unsigned varint as a Number (exact up to 2^53, which covers OSM ids and deltas). */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RoadDataError('truncated protobuf varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new RoadDataError('malformed protobuf varint');
  }

  /** A two's-complement int64 (negative values take ten bytes on the wire). */
  int64(): number {
    const value = this.varint();
    return value >= 2 ** 63 ? Number(BigInt.asIntN(64, BigInt(value))) : value;
  }

  /** A zigzag-encoded sint32/sint64. */
  sint(): number {
    return zigzag(this.varint());
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.end) throw new RoadDataError('truncated protobuf field');
    const slice = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new RoadDataError(`unsupported protobuf wire type ${wireType}`);
    }
  }

  /** A packed repeated varint field (or a single unpacked value, which the spec also allows). */
  packed(wireType: number, into: number[], signed = false, delta = false): void {
    let last = 0;
    const push = (raw: number): void => {
      let value = signed ? zigzag(raw) : raw;
      if (delta) value = last += value;
      into.push(value);
    };
    if (wireType === 0) {
      push(this.varint());
      return;
    }
    const slice = this.bytes();
    const inner = new ProtoReader(slice);
    while (!inner.eof()) push(inner.varint());
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new RoadDataError('truncated protobuf field');
    this.pos += n;
  }
}

function zigzag(value: number): number {
  return value % 2 === 1 ? -(value + 1) / 2 : value / 2;
}
