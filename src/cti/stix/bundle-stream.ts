/**
 * Streaming reader of a STIX bundle: hands out the elements of `objects` one at a time as bytes arrive, so a
 * bundle of hundreds of thousands of objects never sits whole in memory. The scanner only tracks strings and
 * bracket nesting; each element's bytes go to JSON.parse on their own, so one broken object is reported alone
 * while a broken bundle structure stops the read with the byte offset.
 */
export interface BundleItem {
  /** Position in `objects`. */
  index: number;
  /** Byte offset of the element in the input. */
  offset: number;
  object?: unknown;
  /** Set instead of `object` when the element is not valid JSON or is too large. */
  error?: string;
}

export class BundleSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'BundleSyntaxError';
  }
}

export interface BundleReaderOptions {
  /** Elements larger than this are reported as errors instead of parsed (default 32 MiB). */
  maxObjectBytes?: number;
}

const enum State {
  BeforeRoot,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  AfterValue,
  ArrayElementOrEnd,
  ArrayElement,
  AfterObjects,
  Done,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export class BundleReader {
  private state = State.BeforeRoot;
  private offset = 0;
  private inString = false;
  private escaped = false;
  private readonly stack: number[] = [];
  private capture: Buffer[] = [];
  private captureBytes = 0;
  private capturing = false;
  private oversize = false;
  private elementOffset = 0;
  private key = '';
  private index = 0;
  /** A ',' was read in `objects`: an element must follow (JSON has no trailing commas). */
  private afterComma = false;
  private readonly maxObjectBytes: number;
  /** Top-level members other than `objects` (type, id, spec_version, …), parsed. */
  readonly header: Record<string, unknown> = {};

  constructor(options: BundleReaderOptions = {}) {
    this.maxObjectBytes = options.maxObjectBytes ?? 32 * 1024 * 1024;
  }

  /** Feeds the next chunk; returns the objects completed in it. */
  push(chunk: Uint8Array): BundleItem[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: BundleItem[] = [];
    let start = 0; // where the current capture resumes in this chunk
    let i = 0;
    if (this.offset === 0 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    const base = this.offset;
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.state === State.Key) {
            this.appendCapture(buf, start, i + 1);
            this.key = JSON.parse(this.takeCapture().toString('utf8')) as string;
            this.state = State.Colon;
          }
        } else if (b < 0x20 && !this.capturing) this.fail('control character in string', base + i);
        continue;
      }
      switch (this.state) {
        case State.BeforeRoot:
          if (isSpace(b)) continue;
          if (b !== 0x7b) this.fail('a STIX bundle must be a JSON object', base + i);
          this.state = State.KeyOrEnd;
          continue;
        case State.KeyOrEnd:
          if (isSpace(b)) continue;
          if (b === 0x7d) {
            this.state = State.Done;
            continue;
          }
          if (b !== QUOTE) this.fail('expected a member name', base + i);
          this.beginCapture(base + i);
          start = i;
          this.inString = true;
          this.state = State.Key;
          continue;
        case State.Colon:
          if (isSpace(b)) continue;
          if (b !== 0x3a) this.fail("expected ':'", base + i);
          this.state = State.Value;
          continue;
        case State.Value:
          if (isSpace(b)) continue;
          if (this.key === 'objects' && b === 0x5b) {
            this.state = State.ArrayElementOrEnd;
            continue;
          }
          this.beginCapture(base + i);
          start = i;
          this.state = State.AfterValue;
          i = this.scanValue(buf, i, base) - 1;
          continue;
        case State.AfterValue:
          // Scanning a member value; it ends at ',' or '}' back at the root's depth.
          if (this.stack.length === 0 && (b === 0x2c || b === 0x7d)) {
            this.appendCapture(buf, start, i);
            this.header[this.key] = this.parseHeaderValue(this.takeCapture(), this.elementOffset);
            this.state = b === 0x2c ? State.KeyOrEnd : State.Done;
            continue;
          }
          if (this.stack.length === 0 && b === 0x5d) this.fail('mismatched bracket', base + i);
          i = this.scanValue(buf, i, base) - 1;
          continue;
        case State.ArrayElementOrEnd:
          if (isSpace(b)) continue;
          if (b === 0x5d) {
            if (this.afterComma) this.fail("expected an object after ','", base + i);
            this.state = State.AfterObjects;
            continue;
          }
          this.afterComma = false;
          // Everything up to the next ',' or ']' at this depth is one element (JSON.parse judges it).
          this.beginCapture(base + i);
          start = i;
          this.state = State.ArrayElement;
          i = this.scanValue(buf, i, base) - 1;
          continue;
        case State.ArrayElement:
          if (this.stack.length === 0 && (b === 0x2c || b === 0x5d)) {
            this.appendCapture(buf, start, i);
            out.push(this.finishElement());
            this.afterComma = b === 0x2c;
            if (b === 0x2c) this.state = State.ArrayElementOrEnd;
            else this.state = State.AfterObjects;
            continue;
          }
          if (this.stack.length === 0 && b === 0x7d) this.fail('mismatched bracket', base + i);
          i = this.scanValue(buf, i, base) - 1;
          continue;
        case State.AfterObjects:
          if (isSpace(b)) continue;
          if (b === 0x2c) this.state = State.KeyOrEnd;
          else if (b === 0x7d) this.state = State.Done;
          else this.fail("expected ',' or '}' after objects", base + i);
          continue;
        case State.Done:
          if (!isSpace(b)) this.fail('unexpected content after the bundle', base + i);
          continue;
        default:
          continue;
      }
    }
    if (this.capturing) this.appendCapture(buf, start, buf.length);
    this.offset += buf.length;
    return out;
  }

  /** Ends the input; throws if the bundle is incomplete. Returns the top-level members. */
  end(): Record<string, unknown> {
    if (this.state !== State.Done) this.fail('unexpected end of input', this.offset);
    return this.header;
  }

  /**
   * Advances through one value's bytes from `i` (strings and nesting), returning the index of the first byte
   * that may end the value at the current level (',' '}' ']' at depth zero) or the end of the chunk.
   */
  private scanValue(buf: Buffer, i: number, base: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (b === 0x7b || b === 0x5b) this.stack.push(b);
      else if (b === 0x7d || b === 0x5d) {
        if (this.stack.length === 0) return i;
        const open = this.stack.pop()!;
        if ((open === 0x7b) !== (b === 0x7d)) this.fail('mismatched bracket', base + i);
      } else if (b === 0x2c && this.stack.length === 0) return i;
    }
    return i;
  }

  private beginCapture(at: number): void {
    this.capturing = true;
    this.capture = [];
    this.captureBytes = 0;
    this.oversize = false;
    this.elementOffset = at;
  }

  private appendCapture(buf: Buffer, from: number, to: number): void {
    if (!this.capturing || to <= from || this.oversize) return;
    this.captureBytes += to - from;
    if (this.captureBytes > this.maxObjectBytes) {
      this.oversize = true;
      this.capture = [];
      return;
    }
    this.capture.push(buf.subarray(from, to));
  }

  private takeCapture(): Buffer {
    const bytes = this.capture.length === 1 ? this.capture[0]! : Buffer.concat(this.capture);
    this.capturing = false;
    this.capture = [];
    return bytes;
  }

  private finishElement(): BundleItem {
    const index = this.index++;
    const offset = this.elementOffset;
    if (this.oversize) {
      this.takeCapture();
      return { index, offset, error: `object larger than ${this.maxObjectBytes} bytes` };
    }
    const text = this.takeCapture().toString('utf8');
    try {
      return { index, offset, object: JSON.parse(text) as unknown };
    } catch (error) {
      return { index, offset, error: `invalid JSON: ${(error as Error).message}` };
    }
  }

  private parseHeaderValue(bytes: Buffer, offset: number): unknown {
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (error) {
      return this.fail(`invalid JSON in member '${this.key}': ${(error as Error).message}`, offset);
    }
  }

  private fail(message: string, offset: number): never {
    throw new BundleSyntaxError(message, offset);
  }
}

/** Reads a bundle from any byte source (a file stream, an HTTP body), yielding objects as they complete. */
export async function* streamBundle(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: BundleReaderOptions = {},
): AsyncGenerator<BundleItem, Record<string, unknown>> {
  const reader = new BundleReader(options);
  for await (const chunk of source) {
    const items = reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    for (const item of items) yield item;
  }
  return reader.end();
}
