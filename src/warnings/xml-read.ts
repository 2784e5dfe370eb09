import { ParseOption, XmlCData, XmlDocument, XmlElement, XmlParseError, XmlText, type XmlTreeNode } from 'libxml2-wasm';

/**
 * Reading XML from outside (CAP received from other agencies, files given to the CLI) without trusting it.
 * A document type declaration is refused before the parser sees the document: no DTD, so no external
 * entity (XXE), no parameter entity and no entity-expansion bomb can exist. The parser then runs with
 * external loading off (NO_XXE, NONET) and without entity substitution, and a document that still turns
 * out to carry a DTD is refused too. XInclude is never processed.
 */

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Refused as dangerous: a DOCTYPE, an encoding the guard cannot read, or too large. */
export class UnsafeXmlError extends Error {
  override name = 'UnsafeXmlError';
}

/** Not well-formed XML. */
export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const PARSE_OPTIONS =
  ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_SYS_CATALOG;

/** Parses `source`, hands the document to `use`, and always frees it. */
export function withSafeDocument<T>(
  source: string | Uint8Array,
  use: (doc: XmlDocument) => T,
  maxBytes = DEFAULT_MAX_BYTES,
): T {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  if (bytes.byteLength > maxBytes) throw new UnsafeXmlError(`the document is ${bytes.byteLength} bytes, over the limit of ${maxBytes}`);
  refuseDoctype(bytes);
  let doc: XmlDocument;
  try {
    doc =
      typeof source === 'string'
        ? XmlDocument.fromString(source, { option: PARSE_OPTIONS, encoding: 'utf-8' })
        : XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS });
  } catch (error) {
    if (error instanceof XmlParseError) {
      const first = error.details[0];
      throw new XmlSyntaxError(`not well-formed XML: ${(first?.message ?? error.message).trim()}`, first?.line);
    }
    throw error;
  }
  try {
    if (doc.dtd) throw new UnsafeXmlError('the document declares a DTD');
    return use(doc);
  } finally {
    doc.dispose();
  }
}

/**
 * Walks the prolog (XML declaration, processing instructions, comments, white space) up to the root
 * element and refuses any markup declaration (`<!DOCTYPE`, or any other `<!` that is not a comment).
 * Works on bytes: the prolog is ASCII in every ASCII-compatible encoding; UTF-16/32 are refused.
 */
export function refuseDoctype(bytes: Uint8Array): void {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  else if (bytes[0] === 0xfe || bytes[0] === 0xff || bytes[0] === 0x00 || bytes[1] === 0x00) {
    throw new UnsafeXmlError('only ASCII-compatible encodings (such as UTF-8) are accepted, not UTF-16 or UTF-32');
  }
  const at = (s: string): boolean => {
    for (let k = 0; k < s.length; k++) if (bytes[i + k] !== s.charCodeAt(k)) return false;
    return true;
  };
  const skipPast = (end: string): void => {
    for (; i < bytes.length; i++) if (at(end)) { i += end.length; return; }
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) i++;
    else if (at('<?')) skipPast('?>');
    else if (at('<!--')) skipPast('-->');
    else if (at('<!')) throw new UnsafeXmlError('document type declarations (DOCTYPE) are refused: a CAP message needs none, and they carry external entities and entity-expansion bombs');
    else return;
  }
}

/** An element with its text, its element children and where it is: the form the §3 rules read. */
export interface CapElement {
  name: string;
  namespace: string;
  /** e.g. /alert/info[2]/area[1]/polygon[1] */
  path: string;
  line: number;
  /** Concatenated text and CDATA of the element itself (not of its children). */
  text: string;
  children: CapElement[];
}

// Elements that may repeat get an index in their path, so a person can find the one at fault.
const REPEATABLE = new Set([
  'code', 'info', 'category', 'responseType', 'eventCode', 'parameter', 'resource', 'area', 'polygon', 'circle', 'geocode',
]);

export function toElementTree(root: XmlElement, path = `/${root.name}`): CapElement {
  const children: CapElement[] = [];
  const counts = new Map<string, number>();
  let text = '';
  for (let node: XmlTreeNode | null = root.firstChild; node; node = node.next) {
    if (node instanceof XmlElement) {
      const n = (counts.get(node.name) ?? 0) + 1;
      counts.set(node.name, n);
      const childPath = `${path}/${node.name}${REPEATABLE.has(node.name) ? `[${n}]` : ''}`;
      children.push(toElementTree(node, childPath));
    } else if (node instanceof XmlText || node instanceof XmlCData) {
      text += node.content;
    }
  }
  return { name: root.name, namespace: root.namespaceUri, path, line: root.line, text, children };
}

/**
 * The element at a libxml2 position path such as "/*\/*[6]/*[2]" (the form its schema errors carry),
 * counting element children only; null when the path does not lead to one.
 */
export function elementAtPositionPath(root: CapElement, xpath: string | undefined): CapElement | null {
  if (!xpath) return null;
  const steps = xpath.split('/').filter(Boolean);
  if (!/^\*(\[1\])?$/.test(steps[0] ?? '')) return null;
  let current: CapElement | undefined = root;
  for (const step of steps.slice(1)) {
    const m = /^\*(?:\[(\d+)\])?$/.exec(step);
    if (!m || !current) return null;
    current = current.children[Number(m[1] ?? 1) - 1];
  }
  return current ?? null;
}
