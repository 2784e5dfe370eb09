import { parsePattern } from '../pattern/parser.js';
import { isIdentifier, parseIdentifier, scoId, SCO_TYPES } from './ids.js';
import { WELL_KNOWN_MARKING_IDS } from './markings.js';
import { referenceTargets, targetAllowed } from './references.js';
import { stixSchemas, type StixSchemas } from './schemas.js';
import { compareTimestamps } from './timestamps.js';

/**
 * Validation of STIX 2.1 objects: the official JSON schemas plus the rules a schema cannot state. A bundle is
 * reported object by object, every reason with the JSON path of the offending value.
 */
export type ReasonCode =
  | 'json'
  | 'schema'
  | 'identifier'
  | 'custom-property'
  | 'timestamp-order'
  | 'reference-type'
  | 'marking-unknown'
  | 'granular-selector'
  | 'pattern';

export interface Reason {
  code: ReasonCode;
  /** JSONPath of the value, from the bundle root: `$.objects[3].modified`. */
  path: string;
  message: string;
}

export interface ObjectReport {
  index: number;
  id?: string;
  type?: string;
  valid: boolean;
  reasons: Reason[];
  /** Things the specification only recommends (SHOULD); they never make an object invalid. */
  warnings: Reason[];
}

export interface ValidationOptions {
  schemas?: StixSchemas;
  /** Marking definitions known outside the bundle (e.g. already in the store); TLP 1.0/2.0 are always known. */
  knownMarkingIds?: Iterable<string>;
}

const ORDER_RULES: ReadonlyArray<{ earlier: string; later: string; strict: boolean; types?: readonly string[] }> = [
  { earlier: 'created', later: 'modified', strict: false },
  { earlier: 'valid_from', later: 'valid_until', strict: true, types: ['indicator'] },
  { earlier: 'first_seen', later: 'last_seen', strict: false },
  { earlier: 'first_observed', later: 'last_observed', strict: false, types: ['observed-data'] },
  { earlier: 'start_time', later: 'stop_time', strict: true, types: ['relationship'] },
  { earlier: 'start', later: 'end', strict: false, types: ['network-traffic'] },
  { earlier: 'analysis_started', later: 'analysis_ended', strict: false, types: ['malware-analysis'] },
];

interface PendingMarkings {
  report: ObjectReport;
  refs: Array<{ ref: string; path: string }>;
}

/**
 * Validates the objects of one bundle, in any order. Marking definitions may come after the objects they mark,
 * so references to markings not yet seen are settled by `finish()`.
 */
export class BundleValidator {
  private readonly schemas: StixSchemas;
  private readonly markingIds: Set<string>;
  private readonly pending: PendingMarkings[] = [];

  constructor(options: ValidationOptions = {}) {
    this.schemas = options.schemas ?? stixSchemas();
    this.markingIds = new Set([...WELL_KNOWN_MARKING_IDS, ...(options.knownMarkingIds ?? [])]);
  }

  /** Checks one object; `report.valid` may still turn false in `finish()` for an unknown marking. */
  check(object: unknown, index: number): ObjectReport {
    const base = `$.objects[${index}]`;
    const report: ObjectReport = { index, valid: true, reasons: [], warnings: [] };
    if (!object || typeof object !== 'object' || Array.isArray(object)) {
      report.reasons.push({ code: 'schema', path: base, message: 'a STIX object must be a JSON object' });
      report.valid = false;
      return report;
    }
    const o = object as Record<string, unknown>;
    if (typeof o.id === 'string') report.id = o.id;
    if (typeof o.type === 'string') report.type = o.type;
    const type = report.type ?? '';

    for (const e of this.schemas.validate(o)) {
      report.reasons.push({ code: 'schema', path: base + pointerToPath(e.pointer), message: e.message });
    }
    this.checkIdentifier(o, type, base, report);
    this.checkCustomProperties(o, type, base, report);
    checkTimestampOrder(o, type, base, report);
    this.checkReferences(o, type, type, base, report);
    checkGranularSelectors(o, base, report);
    checkPattern(o, type, base, report);
    if (type === 'marking-definition' && report.id) this.markingIds.add(report.id);

    const unresolved: Array<{ ref: string; path: string }> = [];
    for (const { ref, path } of markingRefs(o, base)) {
      if (!this.markingIds.has(ref)) unresolved.push({ ref, path });
    }
    if (unresolved.length > 0) this.pending.push({ report, refs: unresolved });
    report.valid = report.reasons.length === 0;
    return report;
  }

  /** Settles marking references against every marking definition seen; returns the reports that became invalid. */
  finish(): ObjectReport[] {
    const changed: ObjectReport[] = [];
    for (const { report, refs } of this.pending.splice(0)) {
      const missing = refs.filter(({ ref }) => !this.markingIds.has(ref));
      if (missing.length === 0) continue;
      for (const { ref, path } of missing) {
        report.reasons.push({
          code: 'marking-unknown',
          path,
          message: `marking definition ${ref} is neither in the bundle nor a well-known TLP marking`,
        });
      }
      if (report.valid) changed.push(report);
      report.valid = false;
    }
    return changed;
  }

  private checkIdentifier(o: Record<string, unknown>, type: string, base: string, report: ObjectReport): void {
    if (typeof o.id !== 'string') return;
    const parsed = parseIdentifier(o.id);
    if (!parsed) {
      if (!report.reasons.some((r) => r.path === `${base}.id`)) {
        report.reasons.push({ code: 'identifier', path: `${base}.id`, message: `'${o.id}' is not of the form type--UUID` });
      }
      return;
    }
    if (parsed.type !== type) {
      report.reasons.push({
        code: 'identifier',
        path: `${base}.id`,
        message: `identifier names type '${parsed.type}' but the object is of type '${type}'`,
      });
    }
    if (SCO_TYPES.has(type)) {
      const expected = scoId(o, () => '');
      if (!expected.endsWith('--') && expected !== o.id) {
        report.warnings.push({
          code: 'identifier',
          path: `${base}.id`,
          message: `SCO id is not the deterministic UUIDv5 of its ID Contributing Properties (${expected})`,
        });
      }
    }
  }

  private checkCustomProperties(o: Record<string, unknown>, type: string, base: string, report: ObjectReport): void {
    if (!this.schemas.isSpecType(type)) return; // a custom object defines its own properties
    const known = this.schemas.knownProperties(type);
    const declaresTopLevel = Object.values((o.extensions as Record<string, unknown> | undefined) ?? {}).some(
      (ext) => (ext as { extension_type?: unknown } | null)?.extension_type === 'toplevel-property-extension',
    );
    for (const name of Object.keys(o)) {
      if (known.has(name) || name.startsWith('x_') || declaresTopLevel) continue;
      report.reasons.push({
        code: 'custom-property',
        path: base + pointerToPath(`/${name}`),
        message: `'${name}' is not a STIX 2.1 property of ${type}; custom properties must be x_-prefixed (or declared by a toplevel-property-extension)`,
      });
    }
  }

  private checkReferences(value: unknown, owner: string, type: string, path: string, report: ObjectReport): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkReferences(item, owner, type, `${path}[${i}]`, report));
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = path + pointerToPath(`/${key}`);
      if (key === 'extensions' && child && typeof child === 'object') {
        for (const [ext, body] of Object.entries(child as Record<string, unknown>)) {
          this.checkReferences(body, ext, type, childPath + pointerToPath(`/${ext}`), report);
        }
        continue;
      }
      if (key.endsWith('_ref') || key.endsWith('_refs')) {
        const targets = referenceTargets(owner, key);
        const ids = Array.isArray(child) ? child : [child];
        ids.forEach((id, i) => {
          const idPath = Array.isArray(child) ? `${childPath}[${i}]` : childPath;
          if (!isIdentifier(id)) {
            if (!report.reasons.some((r) => r.path === idPath)) {
              report.reasons.push({ code: 'identifier', path: idPath, message: `'${String(id)}' is not a STIX identifier` });
            }
          } else if (targets && !targetAllowed(targets, id, (t) => !this.schemas.isSpecType(t))) {
            report.reasons.push({
              code: 'reference-type',
              path: idPath,
              message: `${key} of ${owner} must refer to ${targets.join(' or ')}, not ${id.slice(0, id.indexOf('--'))}`,
            });
          }
        });
        continue;
      }
      if (child && typeof child === 'object') this.checkReferences(child, owner, type, childPath, report);
    }
  }
}

/** Validates one standalone object (markings must be well known or in `knownMarkingIds`). */
export function validateObject(object: unknown, options: ValidationOptions = {}): ObjectReport {
  const validator = new BundleValidator(options);
  const report = validator.check(object, 0);
  validator.finish();
  return report;
}

/** Validates an in-memory list of objects (the `objects` of a bundle). */
export function validateObjects(objects: readonly unknown[], options: ValidationOptions = {}): ObjectReport[] {
  const validator = new BundleValidator(options);
  const reports = objects.map((o, i) => validator.check(o, i));
  validator.finish();
  return reports;
}

function checkTimestampOrder(o: Record<string, unknown>, type: string, base: string, report: ObjectReport): void {
  for (const rule of ORDER_RULES) {
    if (rule.types && !rule.types.includes(type)) continue;
    const earlier = o[rule.earlier];
    const later = o[rule.later];
    if (typeof earlier !== 'string' || typeof later !== 'string') continue;
    const cmp = compareTimestamps(later, earlier);
    if (cmp === undefined) continue; // the schema already says the timestamp is malformed
    if (cmp < 0 || (rule.strict && cmp === 0)) {
      report.reasons.push({
        code: 'timestamp-order',
        path: `${base}.${rule.later}`,
        message: `${rule.later} (${later}) must be ${rule.strict ? 'later than' : 'the same as or later than'} ${rule.earlier} (${earlier})`,
      });
    }
  }
}

function* markingRefs(o: Record<string, unknown>, base: string): Generator<{ ref: string; path: string }> {
  if (Array.isArray(o.object_marking_refs)) {
    for (const [i, ref] of o.object_marking_refs.entries()) {
      if (typeof ref === 'string') yield { ref, path: `${base}.object_marking_refs[${i}]` };
    }
  }
  if (Array.isArray(o.granular_markings)) {
    for (const [i, gm] of o.granular_markings.entries()) {
      const ref = (gm as { marking_ref?: unknown } | null)?.marking_ref;
      if (typeof ref === 'string') yield { ref, path: `${base}.granular_markings[${i}].marking_ref` };
    }
  }
}

/** Granular marking selectors must name content present in the object (STIX 2.1 section 7.2.3.1). */
function checkGranularSelectors(o: Record<string, unknown>, base: string, report: ObjectReport): void {
  if (!Array.isArray(o.granular_markings)) return;
  o.granular_markings.forEach((gm, i) => {
    const selectors = (gm as { selectors?: unknown } | null)?.selectors;
    if (!Array.isArray(selectors)) return;
    selectors.forEach((selector, j) => {
      if (typeof selector === 'string' && !selectorResolves(o, selector)) {
        report.reasons.push({
          code: 'granular-selector',
          path: `${base}.granular_markings[${i}].selectors[${j}]`,
          message: `selector '${selector}' does not refer to content present in the object`,
        });
      }
    });
  });
}

function selectorResolves(o: Record<string, unknown>, selector: string): boolean {
  let here: unknown = o;
  for (const step of selector.split('.')) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      if (!Array.isArray(here) || Number(index[1]) >= here.length) return false;
      here = here[Number(index[1])];
    } else {
      if (!here || typeof here !== 'object' || Array.isArray(here) || !(step in here)) return false;
      here = (here as Record<string, unknown>)[step];
    }
  }
  return true;
}

function checkPattern(o: Record<string, unknown>, type: string, base: string, report: ObjectReport): void {
  if (type !== 'indicator' || o.pattern_type !== 'stix' || typeof o.pattern !== 'string') return;
  const result = parsePattern(o.pattern);
  if (!result.ok) {
    const e = result.error;
    report.reasons.push({
      code: 'pattern',
      path: `${base}.pattern`,
      message: `invalid STIX pattern at line ${e.line}, column ${e.column} (offset ${e.offset}): ${e.message}`,
    });
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `/a/0/b-c` → `.a[0]['b-c']` (array indices are the only all-digit keys STIX uses). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (/^\d+$/.test(key)) return `[${key}]`;
      return PLAIN_KEY.test(key) ? `.${key}` : `['${key.replace(/'/g, "\\'")}']`;
    })
    .join('');
}
