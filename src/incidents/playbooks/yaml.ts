import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node } from 'yaml';
import { END, formatDuration, type Assignee, type Playbook } from './model.js';
import { checkPlaybook, type PlaybookProblem } from './validate.js';

/** A problem in a playbook file, placed where a person finds it in their editor. */
export interface LocatedProblem {
  /** `steps[3].answers.yes` */
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

export class PlaybookFormatError extends Error {
  constructor(
    readonly source: string,
    readonly problems: LocatedProblem[],
  ) {
    super(`${source}: ${problems.length} problem(s)\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'PlaybookFormatError';
  }
}

const MAX_BYTES = 1_000_000;

/** Reads one playbook from YAML text, or throws PlaybookFormatError listing every problem with its line. */
export function readPlaybookYaml(text: string, source = 'playbook'): Playbook {
  if (text.length > MAX_BYTES) {
    throw new PlaybookFormatError(source, [{ path: '', line: null, column: null, message: `the file is larger than ${MAX_BYTES} bytes` }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  if (doc.errors.length > 0) {
    throw new PlaybookFormatError(
      source,
      doc.errors.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { path: '', line: at.line, column: at.col, message: `YAML: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const checked = checkPlaybook(doc.toJS({ maxAliasCount: 50 }));
  if (checked.ok) return checked.playbook;
  const located = checked.problems.map((p) => locate(p, doc.contents, lines));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new PlaybookFormatError(source, located);
}

/** Writes a playbook as YAML in the form docs/playbooks.md describes; reading it back gives the same playbook. */
export function writePlaybookYaml(p: Playbook): string {
  const steps = p.steps.map((s, i) => {
    const out: Record<string, unknown> = { id: s.id, title: s.title };
    if (s.instructions) out.instructions = s.instructions;
    if (s.mandatory) out.mandatory = true;
    out.assign = assignOut(s.assignee);
    if (s.dueAfterMs !== null) out.due = formatDuration(s.dueAfterMs);
    if (s.question !== null) {
      out.question = s.question;
      out.answers = Object.fromEntries(s.answers.map((a) => [a.value, targetsOut(a.next)]));
    } else {
      const following = p.steps[i + 1]?.id;
      const isDefault = following ? s.next.length === 1 && s.next[0] === following : s.next.length === 0;
      if (!isDefault) out.next = targetsOut(s.next);
    }
    return out;
  });
  const doc: Record<string, unknown> = { id: p.id, version: p.version, title: p.title };
  if (p.description) doc.description = p.description;
  if (p.incidentTypes.length > 0) doc['incident-types'] = p.incidentTypes;
  doc.steps = steps;
  return stringify(doc, { lineWidth: 110, version: '1.2' });
}

export function formatProblem(p: LocatedProblem): string {
  const where = p.line !== null ? `line ${p.line}${p.column !== null ? `:${p.column}` : ''}` : '';
  const path = p.path ? `${p.path}` : '';
  const head = [where, path].filter(Boolean).join(' ');
  return head ? `${head}: ${p.message}` : p.message;
}

function assignOut(a: Assignee): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.lead) out.lead = true;
  if (a.role) out.role = a.role;
  if (a.sector) out.sector = a.sector;
  if (a.organisationKind) out.kind = a.organisationKind;
  return out;
}

function targetsOut(next: string[]): string | string[] {
  if (next.length === 0) return END;
  return next.length === 1 ? next[0]! : next;
}

/** Finds the node a problem's path points at (or the nearest existing parent) and its line. */
function locate(problem: PlaybookProblem, root: Node | null, lines: LineCounter): LocatedProblem {
  let node: Node | null = root;
  let keyNode: Node | null = null;
  for (const segment of problem.path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : null;
      node = (pair.value as Node | null) ?? keyNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = item;
      keyNode = null;
    } else break;
  }
  // An unknown field is best shown at its key; anything else at its value.
  const target = problem.message.startsWith('unknown field') && keyNode ? keyNode : (node ?? keyNode);
  const offset = target?.range?.[0];
  const at = offset !== undefined ? lines.linePos(offset) : null;
  return { path: pathText(problem.path), line: at?.line ?? null, column: at?.col ?? null, message: problem.message };
}

function pathText(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[\w-]+$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('');
}
