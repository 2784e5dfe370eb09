import { describe, expect, it } from 'vitest';
import { BundleReader, BundleSyntaxError } from '../../src/cti/index.js';
import { chunks } from './helpers.js';

const read = (text: string | Buffer, size = 3, maxObjectBytes?: number) => {
  const reader = new BundleReader(maxObjectBytes ? { maxObjectBytes } : {});
  const items = [];
  for (const chunk of chunks(Buffer.isBuffer(text) ? text : Buffer.from(text), size)) items.push(...reader.push(chunk));
  return { items, header: reader.end() };
};

describe('the streaming bundle reader', () => {
  it('reads members in any order, strings with escapes and brackets, and non-ASCII split across chunks', () => {
    const objects = [{ a: 'x"]},{[' }, { b: ['é', '日本', { c: '\\\\' }] }, 7, null];
    const text = `{"objects":${JSON.stringify(objects)},"id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","type":"bundle"}`;
    for (const size of [1, 2, 5, 1000]) {
      const { items, header } = read(text, size);
      expect(items.map((i) => i.object)).toEqual(objects);
      expect(header).toEqual({ id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', type: 'bundle' });
    }
  });

  it('skips a UTF-8 byte order mark and handles an empty objects list', () => {
    const { items, header } = read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"type":"bundle","objects":[ ]}')]));
    expect(items).toEqual([]);
    expect(header).toEqual({ type: 'bundle' });
  });

  it('reports an oversize element without holding it, and goes on', () => {
    const text = `{"objects":[{"big":"${'x'.repeat(5000)}"},{"small":1}]}`;
    const { items } = read(text, 64, 1024);
    expect(items[0]).toMatchObject({ index: 0, error: 'object larger than 1024 bytes' });
    expect(items[1]).toMatchObject({ index: 1, object: { small: 1 } });
  });

  it("reports an element that is not one JSON value as that element's error", () => {
    expect(read('{"objects":[1 2,3]}').items).toEqual([
      { index: 0, offset: 12, error: expect.stringMatching(/^invalid JSON/) },
      { index: 1, offset: 16, object: 3 },
    ]);
  });

  it('gives element byte offsets', () => {
    const { items } = read('{"objects":[{"a":1}, {"b":2}]}');
    expect(items.map((i) => i.offset)).toEqual([12, 21]);
  });

  it.each([
    ['', 'unexpected end of input', 0],
    ['{"objects":[{"a":1}', 'unexpected end of input', 19],
    ['{"objects":[{"a":1}}', 'mismatched bracket', 19],
    ['{"type" "bundle"}', "expected ':'", 8],
    ['{"objects":[{"a":1}, ]}', "expected an object after ','", 21],
    ['{"type":"bundle"} x', 'unexpected content after the bundle', 18],
    ['{"type":bundle}', "invalid JSON in member 'type'", 8],
  ])('rejects %j: %s at byte %i', (text, message, offset) => {
    try {
      read(text);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(BundleSyntaxError);
      expect((e as BundleSyntaxError).offset).toBe(offset);
      expect((e as Error).message).toContain(message);
    }
  });
});
