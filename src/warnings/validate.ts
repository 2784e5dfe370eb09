import { alertFromElement } from './cap-reader.js';
import { CAP11_NAMESPACE, CAP12_NAMESPACE, type Alert, type CapVersion } from './model.js';
import { checkRules, type CapProblem } from './rules.js';
import { schemaViolations } from './schema.js';
import { elementAtPositionPath, toElementTree, UnsafeXmlError, withSafeDocument, XmlSyntaxError } from './xml-read.js';
import { alertToXml } from './xml-write.js';

export interface CapValidation {
  /** True when there is no error (warnings do not count). */
  valid: boolean;
  /** From the root element's namespace; null when the document is not CAP 1.1 or 1.2. */
  version: CapVersion | null;
  /** Schema errors first, in document order, then the §3 rules. */
  problems: CapProblem[];
  /** The typed alert, present only when the message is valid. */
  alert?: Alert;
}

export interface ValidateOptions {
  maxBytes?: number;
}

/**
 * Checks any CAP 1.1 or 1.2 message, ours or received: parsed safely (xml-read.ts), validated against the
 * official schema of its namespace, then against the §3 rules the schema cannot express. Never throws for
 * bad input: refusals (DOCTYPE, size, encoding) and syntax errors are problems like the others.
 */
export function validateCap(source: string | Uint8Array, options: ValidateOptions = {}): CapValidation {
  try {
    return withSafeDocument(
      source,
      (doc) => {
        const root = doc.root;
        const version = versionOf(root.namespaceUri);
        const tree = toElementTree(root);
        if (!version || root.name !== 'alert') {
          return invalid(version, {
            rule: 'not-cap',
            path: tree.path,
            line: tree.line,
            message: `the root element is <${root.name}> in namespace "${root.namespaceUri}", not <alert> in ${CAP12_NAMESPACE} or ${CAP11_NAMESPACE}`,
          });
        }
        const schemaProblems: CapProblem[] = schemaViolations(doc, version).map((v) => {
          const el = elementAtPositionPath(tree, v.xpath);
          const line = v.line ?? el?.line;
          return {
            severity: 'error',
            rule: 'schema',
            path: el?.path ?? v.xpath ?? tree.path,
            ...(line ? { line } : {}),
            message: v.message,
          };
        });
        const problems = [...schemaProblems, ...checkRules(tree, version)];
        const valid = !problems.some((p) => p.severity === 'error');
        return { valid, version, problems, ...(valid ? { alert: alertFromElement(tree) } : {}) };
      },
      options.maxBytes,
    );
  } catch (error) {
    if (error instanceof UnsafeXmlError) return invalid(null, { rule: 'unsafe-xml', path: '/', message: error.message });
    if (error instanceof XmlSyntaxError) {
      return invalid(null, { rule: 'xml-syntax', path: '/', ...(error.line ? { line: error.line } : {}), message: error.message });
    }
    throw error;
  }
}

/** Validates a message Vigil wrote; the same checks as for received ones. */
export function validateAlert(alert: Alert): CapValidation {
  return validateCap(alertToXml(alert));
}

export class InvalidCapError extends Error {
  override name = 'InvalidCapError';
  constructor(readonly problems: CapProblem[]) {
    super(`invalid CAP: ${problems.filter((p) => p.severity === 'error').map(formatProblem).join('; ')}`);
  }
}

/** The typed alert of a received message, or InvalidCapError listing every error. */
export function parseCap(source: string | Uint8Array, options: ValidateOptions = {}): { version: CapVersion; alert: Alert; warnings: CapProblem[] } {
  const result = validateCap(source, options);
  if (!result.valid || !result.alert || !result.version) throw new InvalidCapError(result.problems);
  return { version: result.version, alert: result.alert, warnings: result.problems };
}

export function formatProblem(problem: CapProblem): string {
  const where = problem.line ? `${problem.path} (line ${problem.line})` : problem.path;
  return `${problem.severity} [${problem.rule}] ${where}: ${problem.message}`;
}

function versionOf(namespace: string): CapVersion | null {
  return namespace === CAP12_NAMESPACE ? '1.2' : namespace === CAP11_NAMESPACE ? '1.1' : null;
}

function invalid(version: CapVersion | null, problem: Omit<CapProblem, 'severity'>): CapValidation {
  return { valid: false, version, problems: [{ severity: 'error', ...problem }] };
}
