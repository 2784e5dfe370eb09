import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * The official STIX 2.1 JSON Schemas (data-seed/stix/schemas, draft 2020-12), compiled once per object type on
 * first use. Objects are dispatched by `type` rather than run through the bundle schema's big anyOf: that is
 * many times faster and gives reasons that name the right schema.
 */
const SCHEMA_ROOT = fileURLToPath(new URL('../../../data-seed/stix/schemas/', import.meta.url));
const SCHEMA_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
const CUSTOM_SDO = `${SCHEMA_BASE}common/core.json`;
const CUSTOM_SCO = `${SCHEMA_BASE}common/cyber-observable-core.json`;

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

type JsonSchema = Record<string, unknown>;

/**
 * The official schemas' patterns are ECMA-262 without the `u` flag (they escape `-`), and two of them would let
 * an attacker stall a validating server: the type-name pattern nests quantifiers (`([a-z][a-z0-9]*)+`, which
 * backtracks exponentially on a long near-miss extension key) and the CPE pattern is polynomial on long input.
 * The first is rewritten to the equivalent linear form; inputs past a generous length fail the second.
 */
const NESTED_TYPE_NAME = '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*';
const LINEAR_TYPE_NAME = '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const MAX_PATTERN_INPUT = 2048;

function safeRegExpImpl(pattern: string, flags: string): { test(input: string): boolean } {
  const source = pattern.startsWith(NESTED_TYPE_NAME) ? LINEAR_TYPE_NAME + pattern.slice(NESTED_TYPE_NAME.length) : pattern;
  const regExp = new RegExp(source, flags.replace('u', ''));
  const bounded = /\)[+*]\)?\{?/.test(source) && source.length > 200;
  return bounded ? { test: (input) => input.length <= MAX_PATTERN_INPUT && regExp.test(input) } : regExp;
}
const safeRegExp = Object.assign(safeRegExpImpl, { code: 'new RegExp' });

export interface SchemaError {
  /** JSON Pointer inside the object. */
  pointer: string;
  message: string;
  keyword: string;
}

export class StixSchemas {
  private readonly ajv: Ajv2020;
  private readonly documents = new Map<string, JsonSchema>();
  private readonly typeToSchemaId = new Map<string, string>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly knownProps = new Map<string, ReadonlySet<string>>();

  constructor(root: string = SCHEMA_ROOT) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, code: { regExp: safeRegExp } });
    addFormats(this.ajv);
    // ajv-formats has no idn-hostname (domain-name's value); IDNA to ASCII, then the hostname rules.
    this.ajv.addFormat('idn-hostname', (value: string) => isIdnHostname(value));
    for (const folder of ['common', 'sdos', 'sros', 'observables']) {
      for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith('.json')).sort()) {
        const schema = JSON.parse(readFileSync(join(root, folder, file), 'utf8')) as JsonSchema;
        const id = String(schema.$id);
        this.documents.set(id, schema);
        this.ajv.addSchema(schema, id);
        const type = file.slice(0, -'.json'.length);
        if (folder !== 'common' || ['marking-definition', 'language-content', 'extension-definition'].includes(type)) {
          this.typeToSchemaId.set(type, id);
        }
      }
    }
    if (this.typeToSchemaId.size === 0) throw new Error(`no STIX schemas found under ${root}`);
  }

  /** The types the specification defines (those with an official schema). */
  get specTypes(): ReadonlySet<string> {
    return new Set(this.typeToSchemaId.keys());
  }

  isSpecType(type: string): boolean {
    return this.typeToSchemaId.has(type);
  }

  /** Validates one object against its type's schema; an empty list means valid. */
  validate(object: unknown): SchemaError[] {
    const record = object && typeof object === 'object' ? (object as { type?: unknown; created?: unknown }) : undefined;
    const type = typeof record?.type === 'string' ? record.type : '';
    // A custom object is held to the common properties of an SDO/SRO, or of an SCO when it has no `created`.
    // (The bundle schema's oneOf of the two rejects every custom SDO, which satisfies both.)
    const custom = record && 'created' in record ? CUSTOM_SDO : CUSTOM_SCO;
    const validator = this.validatorFor(this.typeToSchemaId.get(type) ?? custom);
    if (validator(object)) return [];
    return simplify(validator.errors ?? []);
  }

  /**
   * Top-level property names the specification defines for a type (its own, the common ones and those of the
   * schemas it builds on). Anything else on an object of that type is a custom property.
   */
  knownProperties(type: string): ReadonlySet<string> {
    const cached = this.knownProps.get(type);
    if (cached) return cached;
    const id = this.typeToSchemaId.get(type);
    const names = new Set<string>();
    if (id) this.collectProperties(this.documents.get(id)!, id, names, new Set());
    this.knownProps.set(type, names);
    return names;
  }

  private validatorFor(key: string): ValidateFunction {
    let validator = this.validators.get(key);
    if (!validator) {
      validator = this.ajv.getSchema(key);
      if (!validator) throw new Error(`schema ${key} did not compile`);
      this.validators.set(key, validator);
    }
    return validator;
  }

  private collectProperties(schema: JsonSchema, baseId: string, into: Set<string>, seen: Set<JsonSchema>): void {
    if (seen.has(schema)) return;
    seen.add(schema);
    const props = schema.properties as JsonSchema | undefined;
    if (props) for (const name of Object.keys(props)) into.add(name);
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const parts = schema[combinator];
      if (Array.isArray(parts)) for (const part of parts) this.collectProperties(part as JsonSchema, baseId, into, seen);
    }
    const ref = schema.$ref;
    // Only whole-document references carry properties; the shared `properties.json` is the custom-property rule.
    if (typeof ref === 'string' && !ref.startsWith('#') && !ref.endsWith('properties.json')) {
      const target = this.documents.get(new URL(ref, baseId).href);
      if (target) this.collectProperties(target, String(target.$id), into, seen);
    }
  }
}

/**
 * ajv reports every failed branch of a oneOf/anyOf; a person needs the few that say what is wrong. Keep the
 * concrete failures (required, type, enum, pattern, …) and drop the combinator summaries when something
 * concrete is there.
 */
function simplify(errors: ErrorObject[]): SchemaError[] {
  const combinators = new Set(['oneOf', 'anyOf', 'allOf', 'not', 'if']);
  const concrete = errors.filter((e) => !combinators.has(e.keyword));
  const chosen = concrete.length > 0 ? concrete : errors;
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of chosen) {
    const pointer = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
    const message =
      e.keyword === 'required'
        ? `required property '${String(e.params.missingProperty)}' is missing`
        : e.keyword === 'additionalProperties'
          ? `property '${String(e.params.additionalProperty)}' is not allowed here`
          : e.keyword === 'enum'
            ? `must be one of ${JSON.stringify(e.params.allowedValues)}`
            : (e.message ?? e.keyword);
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message, keyword: e.keyword });
  }
  return out;
}

let shared: StixSchemas | undefined;

/** The process-wide compiled schemas (compiling is the expensive part; do it once). */
export function stixSchemas(): StixSchemas {
  shared ??= new StixSchemas();
  return shared;
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

function isIdnHostname(value: string): boolean {
  const ascii = domainToASCII(value.endsWith('.') ? value.slice(0, -1) : value);
  if (!ascii || ascii.length > 253) return false;
  return ascii.split('.').every((label) => HOST_LABEL.test(label));
}
