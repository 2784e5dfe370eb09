import {
  END,
  ORGANISATION_KINDS,
  ROLES,
  SECTORS,
  SLUG,
  parseDuration,
  type Answer,
  type Assignee,
  type Playbook,
  type PlaybookStep,
} from './model.js';

/** One thing wrong with a playbook, at a path into the document (`steps[3].answers.yes`). */
export interface PlaybookProblem {
  path: Array<string | number>;
  message: string;
}

export type PlaybookCheck = { ok: true; playbook: Playbook } | { ok: false; problems: PlaybookProblem[] };

const PLAYBOOK_KEYS = ['id', 'version', 'title', 'description', 'incident-types', 'steps'];
const STEP_KEYS = ['id', 'title', 'instructions', 'mandatory', 'assign', 'due', 'question', 'answers', 'next'];
const ASSIGN_KEYS = ['lead', 'role', 'sector', 'kind'];
const MAX_STEPS = 200;

type Doc = Record<string, unknown>;

/**
 * Checks a playbook as read from YAML or JSON (field names as written in docs/playbooks.md) and builds
 * the model. Reports every problem found, not just the first, each at its place in the document.
 */
export function checkPlaybook(input: unknown): PlaybookCheck {
  const problems: PlaybookProblem[] = [];
  const problem = (path: Array<string | number>, message: string): void => {
    problems.push({ path, message });
  };
  if (!isMapping(input)) return { ok: false, problems: [{ path: [], message: 'a playbook is a mapping with id, title and steps' }] };
  unknownKeys(input, PLAYBOOK_KEYS, [], problem);

  const id = slug(input.id, ['id'], problem);
  const version = input.version === undefined ? 1 : input.version;
  if (!Number.isInteger(version) || (version as number) < 1) problem(['version'], 'must be a whole number from 1');
  const title = text(input.title, ['title'], problem, true);
  const description = input.description === undefined ? '' : text(input.description, ['description'], problem, false);
  const incidentTypes: string[] = [];
  if (input['incident-types'] !== undefined) {
    const list = input['incident-types'];
    if (!Array.isArray(list)) problem(['incident-types'], 'must be a list of incident types');
    else list.forEach((t, i) => incidentTypes.push(slug(t, ['incident-types', i], problem)));
  }

  const rawSteps = input.steps;
  const steps: PlaybookStep[] = [];
  if (!Array.isArray(rawSteps) || rawSteps.length === 0) problem(['steps'], 'must be a list with at least one step');
  else if (rawSteps.length > MAX_STEPS) problem(['steps'], `has ${rawSteps.length} steps; at most ${MAX_STEPS}`);
  else {
    const seen = new Map<string, number>();
    rawSteps.forEach((raw, i) => {
      const step = checkStep(raw, i, problem);
      if (!step) return;
      const before = seen.get(step.id);
      if (before !== undefined) problem(['steps', i, 'id'], `"${step.id}" is already the id of step ${before + 1}`);
      else seen.set(step.id, i);
      steps.push(step);
    });
    // A step without `next` or answers leads to the step written after it; the last one ends.
    if (steps.length === rawSteps.length) {
      steps.forEach((step, i) => {
        const raw = rawSteps[i] as Doc;
        if (raw.next === undefined && step.question === null) step.next = i + 1 < steps.length ? [steps[i + 1]!.id] : [];
      });
    }
    if (steps.length === rawSteps.length) checkFlow(steps, problem);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, playbook: { id, version: version as number, title, description, incidentTypes, steps } };
}

function checkStep(raw: unknown, i: number, problem: (path: Array<string | number>, message: string) => void): PlaybookStep | null {
  const at = (...rest: Array<string | number>): Array<string | number> => ['steps', i, ...rest];
  if (!isMapping(raw)) {
    problem(at(), 'a step is a mapping with id, title and assign');
    return null;
  }
  unknownKeys(raw, STEP_KEYS, at(), problem);
  const id = slug(raw.id, at('id'), problem);
  if (id === END) problem(at('id'), `"${END}" is reserved: it means "the procedure ends here"`);
  const title = text(raw.title, at('title'), problem, true);
  const instructions = raw.instructions === undefined ? '' : text(raw.instructions, at('instructions'), problem, false);
  let mandatory = false;
  if (raw.mandatory !== undefined) {
    if (typeof raw.mandatory !== 'boolean') problem(at('mandatory'), 'must be true or false');
    else mandatory = raw.mandatory;
  }
  const assignee = checkAssignee(raw.assign, at('assign'), problem);
  let dueAfterMs: number | null = null;
  if (raw.due !== undefined) {
    if (typeof raw.due !== 'string') problem(at('due'), 'must be a duration with its unit, such as 30m, 2h, 1d or PT45M');
    else {
      dueAfterMs = parseDuration(raw.due);
      if (dueAfterMs === null) problem(at('due'), `"${raw.due}" is not a positive duration (write 30m, 2h, 1h30m, 1d or PT45M)`);
    }
  }
  let question: string | null = null;
  const answers: Answer[] = [];
  let next: string[] = [];
  if (raw.question !== undefined) {
    question = text(raw.question, at('question'), problem, true);
    if (raw.next !== undefined) problem(at('next'), 'a question step goes where its answers say; give next per answer');
    if (!isMapping(raw.answers) || Object.keys(raw.answers).length < 2) {
      problem(at('answers'), 'a question needs at least two answers, each naming the step it leads to (or end)');
    } else {
      for (const [value, target] of Object.entries(raw.answers)) {
        if (value.trim() === '') problem(at('answers'), 'an answer cannot be empty');
        answers.push({ value, next: targets(target, at('answers', value), problem) });
      }
    }
  } else {
    if (raw.answers !== undefined) problem(at('answers'), 'answers need a question');
    if (raw.next !== undefined) next = targets(raw.next, at('next'), problem);
  }
  return { id, title, instructions, mandatory, assignee, dueAfterMs, question, answers, next };
}

function checkAssignee(raw: unknown, path: Array<string | number>, problem: (path: Array<string | number>, message: string) => void): Assignee {
  const assignee: Assignee = {};
  if (!isMapping(raw)) {
    problem(path, 'every step is assigned: give a role, a sector and/or kind of organisation, or lead: true');
    return assignee;
  }
  unknownKeys(raw, ASSIGN_KEYS, path, problem);
  if (raw.lead !== undefined) {
    if (raw.lead !== true) problem([...path, 'lead'], 'write lead: true to assign the step to the incident lead');
    else assignee.lead = true;
  }
  const oneOf = <T extends string>(key: string, allowed: readonly T[], what: string): T | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      problem([...path, key], `unknown ${what} ${JSON.stringify(v)} (known: ${allowed.join(', ')})`);
      return undefined;
    }
    return v as T;
  };
  const role = oneOf('role', ROLES, 'role');
  const sector = oneOf('sector', SECTORS, 'sector');
  const kind = oneOf('kind', ORGANISATION_KINDS, 'organisation kind');
  if (role) assignee.role = role;
  if (sector) assignee.sector = sector;
  if (kind) assignee.organisationKind = kind;
  if (Object.keys(raw).length === 0) problem(path, 'is empty: give a role, a sector and/or kind, or lead: true');
  return assignee;
}

function targets(raw: unknown, path: Array<string | number>, problem: (path: Array<string | number>, message: string) => void): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) problem(path, `name a step or ${END}`);
  const ids: string[] = [];
  list.forEach((t, i) => {
    const where = Array.isArray(raw) ? [...path, i] : path;
    if (t === END) {
      if (list.length > 1) problem(where, `${END} cannot be listed with other steps`);
    } else if (typeof t !== 'string' || !SLUG.test(t)) problem(where, `must name a step id or ${END}, got ${JSON.stringify(t)}`);
    else ids.push(t);
  });
  return ids;
}

/** Every reference names a step, the flow has no cycle, and every step can be reached from the first. */
function checkFlow(steps: PlaybookStep[], problem: (path: Array<string | number>, message: string) => void): void {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const edges = (s: PlaybookStep): string[] => (s.question === null ? s.next : s.answers.flatMap((a) => a.next));
  let missing = false;
  steps.forEach((s, i) => {
    const refs: Array<[string, Array<string | number>]> = s.question === null
      ? s.next.map((id) => [id, ['steps', i, 'next']])
      : s.answers.flatMap((a) => a.next.map((id): [string, Array<string | number>] => [id, ['steps', i, 'answers', a.value]]));
    for (const [id, path] of refs) {
      if (!index.has(id)) {
        missing = true;
        problem(path, `refers to step "${id}", which does not exist${suggest(id, [...index.keys()])}`);
      }
    }
  });
  if (missing) return;

  // Depth-first search for a cycle; report the loop as people would read it.
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): boolean => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges(steps[index.get(id)!]!)) {
      if (state.get(next) === 'visiting') {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        const i = index.get(id)!;
        const step = steps[i]!;
        const answer = step.answers.find((a) => a.next.includes(next));
        const path = answer ? ['steps', i, 'answers', answer.value] : ['steps', i, 'next'];
        problem(path, `leads back to "${next}": the steps form a cycle ${loop.join(' → ')}; a procedure must always move forward`);
        return true;
      }
      if (!state.has(next) && visit(next)) return true;
    }
    stack.pop();
    state.set(id, 'done');
    return false;
  };
  for (const s of steps) if (!state.has(s.id) && visit(s.id)) return;

  const reached = new Set<string>();
  const walk = [steps[0]!.id];
  while (walk.length > 0) {
    const id = walk.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    walk.push(...edges(steps[index.get(id)!]!));
  }
  steps.forEach((s, i) => {
    if (!reached.has(s.id)) problem(['steps', i], `step "${s.id}" can never be reached from the first step "${steps[0]!.id}"`);
  });
}

function isMapping(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function slug(v: unknown, path: Array<string | number>, problem: (path: Array<string | number>, message: string) => void): string {
  if (typeof v !== 'string' || !SLUG.test(v)) {
    problem(path, `must be lower-case letters, digits and dashes (like "isolate-zone"), got ${JSON.stringify(v ?? null)}`);
    return '';
  }
  return v;
}

function text(v: unknown, path: Array<string | number>, problem: (path: Array<string | number>, message: string) => void, required: boolean): string {
  if (typeof v !== 'string' || (required && v.trim() === '')) {
    problem(path, required ? 'is required text' : 'must be text');
    return '';
  }
  return v.trim();
}

function unknownKeys(v: Doc, known: string[], path: Array<string | number>, problem: (path: Array<string | number>, message: string) => void): void {
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) problem([...path, key], `unknown field "${key}"${suggest(key, known)} (known: ${known.join(', ')})`);
  }
}

/** " (did you mean mandatory?)" when a name is a small typo away from a known one. */
function suggest(name: string, known: string[]): string {
  let best = '';
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
