import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleReader, serializeBundle, validateBundleStream } from '../../src/cti/index.js';
import { chunks, exampleFiles, HAVE_EXAMPLES } from './helpers.js';

const files = exampleFiles();
/** An interop test object: its second marking ref (…5ec) names no marking definition anywhere. */
const NEGATIVE = 'interop-objectmarking-test.json';

describe.skipIf(!HAVE_EXAMPLES)('the official STIX 2.1 examples', () => {
  it('are all found', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files.filter((f) => basename(f) !== NEGATIVE).map((f) => [basename(f), f]))('%s validates object by object', async (_name, path) => {
    const report = await validateBundleStream([readFileSync(path)], { includeValid: true });
    const invalid = report.objects.filter((o) => !o.valid);
    expect(invalid, JSON.stringify(invalid, null, 1)).toEqual([]);
    expect(report.bundleReasons).toEqual([]);
    expect(report.total).toBe((JSON.parse(readFileSync(path, 'utf8')) as { objects: unknown[] }).objects.length);
  });

  it('rejects the interop object whose marking reference resolves to nothing, naming the reference', async () => {
    const report = await validateBundleStream([readFileSync(files.find((f) => basename(f) === NEGATIVE)!)]);
    expect(report.invalid).toBe(1);
    const reasons = report.objects[0]!.reasons;
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ code: 'marking-unknown', path: '$.objects[0].object_marking_refs[1]' });
  });

  it.each(files.filter((f) => basename(f) !== NEGATIVE).map((f) => [basename(f), f]))(
    '%s round-trips through the streaming reader and the serialiser',
    async (_name, path) => {
      const bytes = readFileSync(path);
      const original = JSON.parse(bytes.toString('utf8')) as { id: string; objects: unknown[] };
      for (const size of [1, 13, 4096]) {
        const reader = new BundleReader();
        const objects: unknown[] = [];
        for (const chunk of chunks(bytes, size)) for (const item of reader.push(chunk)) objects.push(item.object);
        const header = reader.end();
        expect(header.id).toBe(original.id);
        expect(objects).toEqual(original.objects);
        let text = '';
        for await (const piece of serializeBundle(objects, String(header.id))) text += piece;
        expect(JSON.parse(text)).toEqual(original);
      }
    },
  );
});
