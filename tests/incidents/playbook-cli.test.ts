import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runVigil } from '../helpers/process.js';

/** `vigil playbook import|export` on the demo database, as real processes. */
const dir = mkdtempSync(join(tmpdir(), 'vigil-playbook-cli-'));
const env = { VIGIL_DATA_DIR: dir, VIGIL_DEMO: '1', VIGIL_LOG_LEVEL: 'silent' };
const vigil = (...args: string[]) => runVigil(args, env);

describe('playbook commands', () => {
  beforeAll(async () => {
    expect((await vigil('demo')).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports a shipped template, imports it for an organisation, and versions a re-import', async () => {
    const template = await vigil('playbook', 'export', 'scada-intrusion');
    expect(template.code, template.stderr).toBe(0);
    const original = readFileSync(join(ROOT, 'playbooks/scada-intrusion.yaml'), 'utf8');
    expect(parse(template.stdout).steps).toEqual(parse(original).steps.map((s: Record<string, unknown>) => expect.objectContaining({ id: s.id })));
    const file = join(dir, 'scada.yaml');
    writeFileSync(file, template.stdout.replace(/^title: .*$/m, 'title: SCADA intrusion (water utility)'));
    const first = await vigil('playbook', 'import', file, '--org', 'water');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/imported scada-intrusion version 1/);
    const second = await vigil('playbook', 'import', file, '--org', 'water');
    expect(second.stdout).toMatch(/updated scada-intrusion version 2/);
    const own = await vigil('playbook', 'export', 'scada-intrusion', '--org', 'water', '--out', join(dir, 'out.yaml'));
    expect(own.code, own.stderr).toBe(0);
    expect(parse(readFileSync(join(dir, 'out.yaml'), 'utf8'))).toMatchObject({ version: 2, title: 'SCADA intrusion (water utility)' });
  }, 120_000);

  it('refuses a broken file with every problem and its line, and an unknown organisation', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'id: broken\ntitle: Broken\nsteps:\n  - id: one\n    title: One\n    assign: { role: chief }\n');
    const res = await vigil('playbook', 'import', file, '--org', 'water');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 6.*unknown role "chief"/);
    expect((await vigil('playbook', 'import', join(ROOT, 'playbooks/crowd-crush-risk.yaml'), '--org', 'nobody')).code).toBe(2);
    expect((await vigil('playbook', 'export', 'no-such-playbook')).code).toBe(2);
  }, 120_000);
});
