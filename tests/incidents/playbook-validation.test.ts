import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookFormatError, checkPlaybook, readPlaybookYaml, writePlaybookYaml } from '../../src/incidents/playbooks/index.js';

function problemsOf(yaml: string): string[] {
  try {
    readPlaybookYaml(yaml, 'test.yaml');
  } catch (error) {
    if (error instanceof PlaybookFormatError) return error.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const steps = (body: string): string => `id: test\ntitle: Test\nsteps:\n${body}`;

describe('playbook validation', () => {
  it('reports a cycle with the loop spelled out', () => {
    const problems = problemsOf(steps(`
  - { id: a, title: A, assign: { lead: true } }
  - { id: b, title: B, assign: { lead: true }, next: c }
  - { id: c, title: C, assign: { lead: true }, question: Again?, answers: { yes: b, no: end } }
`));
    expect(problems).toEqual(['7: steps[2].answers.yes: leads back to "b": the steps form a cycle b → c → b; a procedure must always move forward']);
  });

  it('reports missing step references with a suggestion, on the right line', () => {
    const problems = problemsOf(steps(`
  - id: confirm
    title: Confirm
    assign: { lead: true }
    question: Confirmed?
    answers:
      yes: notify-helth
      no: [stop, ghost]
  - { id: notify-health, title: Notify, assign: { sector: health } }
  - { id: stop, title: Stop, assign: { lead: true } }
`));
    expect(problems).toEqual([
      '10: steps[0].answers.yes: refers to step "notify-helth", which does not exist (did you mean "notify-health"?)',
      '11: steps[0].answers.no: refers to step "ghost", which does not exist',
    ]);
  });

  it('reports unknown roles, sectors, organisation kinds and fields', () => {
    const problems = problemsOf(steps(`
  - id: a
    title: A
    assign: { role: chief, sector: military, kind: company }
    mandtory: true
`));
    expect(problems).toEqual([
      expect.stringContaining('steps[0].assign.role: unknown role "chief" (known: admin, analyst, operator, responder, viewer)'),
      expect.stringContaining('steps[0].assign.sector: unknown sector "military"'),
      expect.stringContaining('steps[0].assign.kind: unknown organisation kind "company" (known: operator, practitioner, authority)'),
      expect.stringContaining('steps[0].mandtory: unknown field "mandtory" (did you mean "mandatory"?)'),
    ]);
  });

  it('reports bad due times', () => {
    for (const due of ['soon', '-5m', '0m', '30', 'PT', 'P1Y']) {
      const problems = problemsOf(steps(`  - { id: a, title: A, assign: { lead: true }, due: "${due}" }\n`));
      expect(problems, due).toEqual([expect.stringContaining('steps[0].due:')]);
    }
    expect(problemsOf(steps('  - { id: a, title: A, assign: { lead: true }, due: 30 }\n'))).toEqual([
      expect.stringContaining('must be a duration with its unit'),
    ]);
    for (const due of ['30m', '1h30m', '2d', 'PT45M', 'P1DT2H']) {
      expect(problemsOf(steps(`  - { id: a, title: A, assign: { lead: true }, due: ${due} }\n`)), due).toEqual([]);
    }
  });

  it('reports duplicate ids, unreachable steps, missing assignment and malformed questions', () => {
    expect(problemsOf(steps(`
  - { id: a, title: A, assign: { lead: true } }
  - { id: a, title: A again, assign: { lead: true } }
`))).toEqual([expect.stringContaining('"a" is already the id of step 1')]);
    expect(problemsOf(steps(`
  - { id: a, title: A, assign: { lead: true }, next: end }
  - { id: b, title: B, assign: { lead: true } }
`))).toEqual([expect.stringContaining('step "b" can never be reached from the first step "a"')]);
    expect(problemsOf(steps('  - { id: a, title: A }\n'))).toEqual([expect.stringContaining('every step is assigned')]);
    expect(problemsOf(steps('  - { id: a, title: A, assign: { lead: true }, question: Sure?, answers: { yes: end } }\n'))).toEqual([
      expect.stringContaining('a question needs at least two answers'),
    ]);
    expect(problemsOf(steps('  - { id: a, title: A, assign: { lead: true }, answers: { yes: end, no: end } }\n'))).toEqual([
      expect.stringContaining('answers need a question'),
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problemsOf('id: x\ntitle: [unclosed\n')).toEqual([expect.stringMatching(/^\d+: : YAML: /)]);
    expect(problemsOf('id: x\nid: y\ntitle: t\nsteps: []\n')).toEqual([expect.stringContaining('YAML: Map keys must be unique')]);
  });

  it('accepts JSON-like input with the same rules', () => {
    expect(checkPlaybook({ id: 'x', title: 'X', steps: [{ id: 'a', title: 'A', assign: { lead: true } }] })).toMatchObject({ ok: true });
    expect(checkPlaybook([])).toMatchObject({ ok: false });
  });
});

describe('shipped playbook templates', () => {
  const dir = join(import.meta.dirname, '../../playbooks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('covers the six required situations', () => {
    expect(files.sort()).toEqual([
      'crowd-crush-risk.yaml',
      'power-outage-critical-sites.yaml',
      'pumping-station-attack.yaml',
      'scada-intrusion.yaml',
      'suspected-water-contamination.yaml',
      'suspicious-device-public-space.yaml',
    ]);
  });

  it.each(files)('%s is valid, branches, and survives a YAML round trip unchanged', (file) => {
    const playbook = readPlaybookYaml(readFileSync(join(dir, file), 'utf8'), file);
    expect(playbook.id).toBe(file.replace(/\.yaml$/, ''));
    expect(playbook.steps.some((s) => s.question !== null)).toBe(true);
    expect(playbook.steps.some((s) => s.mandatory)).toBe(true);
    const again = readPlaybookYaml(writePlaybookYaml(playbook), `${file} (exported)`);
    expect(again).toEqual(playbook);
  });
});
