import { readFileSync } from 'node:fs';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import type { CapVersion } from './model.js';

/**
 * The official OASIS schemas (data-seed/cap, see data-seed/ATTRIBUTION.md), compiled once per process by
 * libxml2 (WebAssembly build: the same validator as Debian's xmllint, no native build).
 */
const SCHEMA_FILES: Record<CapVersion, URL> = {
  '1.2': new URL('../../data-seed/cap/cap12.xsd', import.meta.url),
  '1.1': new URL('../../data-seed/cap/cap11.xsd', import.meta.url),
};

const validators = new Map<CapVersion, XsdValidator>();

function validatorFor(version: CapVersion): XsdValidator {
  let validator = validators.get(version);
  if (!validator) {
    const schema = XmlDocument.fromString(readFileSync(SCHEMA_FILES[version], 'utf8'));
    try {
      validator = XsdValidator.fromDoc(schema);
    } finally {
      schema.dispose();
    }
    validators.set(version, validator);
  }
  return validator;
}

export interface SchemaViolation {
  message: string;
  line?: number;
  /** libxml2's position path of the element at fault, e.g. "/*\/*[6]". */
  xpath?: string;
}

/** Every schema violation of `doc` against the CAP `version` schema; empty when it is valid. */
export function schemaViolations(doc: XmlDocument, version: CapVersion): SchemaViolation[] {
  try {
    validatorFor(version).validate(doc);
    return [];
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    return error.details.map((d) => ({
      message: tidySchemaMessage(d.message),
      ...(d.line ? { line: d.line } : {}),
      ...(d.xpath ? { xpath: d.xpath } : {}),
    }));
  }
}

/** libxml2 writes names as {namespace}local; a person reads CAP element names. */
function tidySchemaMessage(message: string): string {
  return message
    .trim()
    .replace(/\{urn:oasis:names:tc:emergency:cap:1\.[12]\}/g, '')
    .replace(/^Element '([^']+)': /, '<$1>: ');
}
