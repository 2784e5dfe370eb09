import { randomUUID } from 'node:crypto';
import { BundleSyntaxError, streamBundle, type BundleReaderOptions } from './bundle-stream.js';
import { isIdentifier } from './ids.js';
import { BundleValidator, type ObjectReport, type Reason, type ValidationOptions } from './validate.js';

/**
 * A bundle read and validated in one pass, object by object, in constant memory (only the reports of invalid
 * objects are kept unless asked). Valid objects are handed to `onObject` as they come, so an importer can stage
 * them; because a marking definition may follow the objects it marks, an object can still turn invalid at the
 * end — `invalidatedLate` lists those, and an importer that promises all-or-nothing must check it before commit.
 */
export interface BundleReport {
  /** Top-level members other than `objects` (type, id, …). */
  header: Record<string, unknown>;
  /** Reasons about the bundle itself (not one of its objects). */
  bundleReasons: Reason[];
  total: number;
  valid: number;
  invalid: number;
  /** Invalid objects' reports, plus the valid ones when `includeValid`. In input order. */
  objects: ObjectReport[];
  /** Objects reported valid to `onObject` that a later marking check made invalid. */
  invalidatedLate: ObjectReport[];
  /** Set when the bytes are not a readable bundle at all; nothing after `offset` was read. */
  syntaxError?: { message: string; offset: number };
}

export interface BundleValidationOptions extends ValidationOptions, BundleReaderOptions {
  includeValid?: boolean;
  onObject?: (object: unknown, report: ObjectReport) => void | Promise<void>;
  onProgress?: (objects: number) => void;
}

export async function validateBundleStream(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: BundleValidationOptions = {},
): Promise<BundleReport> {
  const validator = new BundleValidator(options);
  const report: BundleReport = {
    header: {},
    bundleReasons: [],
    total: 0,
    valid: 0,
    invalid: 0,
    objects: [],
    invalidatedLate: [],
  };
  const stream = streamBundle(source, options);
  try {
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        report.header = next.value;
        break;
      }
      const item = next.value;
      const objectReport: ObjectReport = item.error
        ? {
            index: item.index,
            valid: false,
            reasons: [{ code: 'json', path: `$.objects[${item.index}]`, message: item.error }],
            warnings: [],
          }
        : validator.check(item.object, item.index);
      report.total++;
      if (objectReport.valid && options.onObject) await options.onObject(item.object, objectReport);
      if (!objectReport.valid || options.includeValid) report.objects.push(objectReport);
      if (report.total % 1000 === 0) options.onProgress?.(report.total);
    }
  } catch (error) {
    if (!(error instanceof BundleSyntaxError)) throw error;
    report.syntaxError = { message: error.message, offset: error.offset };
  }
  if (report.total === 0 && !report.syntaxError && report.header.type !== 'bundle' && 'type' in report.header) {
    // A lone STIX object rather than a bundle: read it as a bundle of one, and say so.
    const single = validator.check(report.header, 0);
    report.total = 1;
    report.bundleReasons.push({ code: 'schema', path: '$', message: 'not a bundle: read as a single STIX object' });
    if (!single.valid || options.includeValid) report.objects.push(single);
    if (single.valid && options.onObject) await options.onObject(report.header, single);
  } else if (!report.syntaxError) {
    checkBundleHeader(report.header, report.bundleReasons);
  }
  for (const late of validator.finish()) {
    report.invalidatedLate.push(late);
    if (!options.includeValid) report.objects.push(late);
  }
  report.objects.sort((a, b) => a.index - b.index);
  report.invalid = report.objects.filter((o) => !o.valid).length;
  report.valid = report.total - report.invalid;
  return report;
}

/** Validates a bundle already in memory (a parsed JSON value). */
export async function validateBundle(bundle: unknown, options: BundleValidationOptions = {}): Promise<BundleReport> {
  return validateBundleStream([Buffer.from(JSON.stringify(bundle), 'utf8')], options);
}

function checkBundleHeader(header: Record<string, unknown>, reasons: Reason[]): void {
  if (header.type !== 'bundle') reasons.push({ code: 'schema', path: '$.type', message: "a bundle's type must be 'bundle'" });
  if (!isIdentifier(header.id) || !String(header.id).startsWith('bundle--')) {
    reasons.push({ code: 'identifier', path: '$.id', message: 'a bundle needs an id of the form bundle--UUID' });
  }
}

/** A bundle object around some STIX objects (`id` defaults to a fresh bundle id). */
export function makeBundle(objects: readonly unknown[], id = `bundle--${randomUUID()}`): { type: 'bundle'; id: string; objects: unknown[] } {
  return { type: 'bundle', id, objects: [...objects] };
}

/**
 * Serialises a bundle piece by piece, for exports too large to build as one string. The output is the same JSON
 * as `JSON.stringify(makeBundle(objects, id))`.
 */
export async function* serializeBundle(
  objects: Iterable<unknown> | AsyncIterable<unknown>,
  id = `bundle--${randomUUID()}`,
): AsyncGenerator<string> {
  yield `{"type":"bundle","id":${JSON.stringify(id)},"objects":[`;
  let first = true;
  for await (const object of objects) {
    yield (first ? '' : ',') + JSON.stringify(object);
    first = false;
  }
  yield ']}';
}
