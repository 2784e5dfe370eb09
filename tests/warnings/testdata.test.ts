import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { validateCap } from '../../src/warnings/index.js';
import { registerWarningsCli } from '../../src/warnings/cli.js';
import { HAS_SHARED_CAP, REPO_ROOT, SHARED_CAP } from './fixtures.js';

// The official examples kept in ../shared/data/cap/testdata (google/cap-library), each classified by hand.
const EXPECTED: Record<string, { valid: boolean; version: '1.1' | '1.2' | null; rules?: string[] }> = {
  'australia.cap': { valid: true, version: '1.2' },
  'canada.cap': { valid: true, version: '1.2' },
  'earthquake.cap': { valid: true, version: '1.1' },
  'no_optional_fields.cap': { valid: true, version: '1.1' },
  'weather.cap': { valid: true, version: '1.1' },
  // <scope> is missing (the schema), and UTC is written "+00:00" (§3.3.2 of CAP 1.2).
  'invalid.cap': { valid: false, version: '1.2', rules: ['schema', 'date-time'] },
  // Carries a DOCTYPE with external entities: refused before parsing.
  'xee.cap': { valid: false, version: null, rules: ['unsafe-xml'] },
};

const testdata = `${SHARED_CAP}testdata`;

describe.skipIf(!HAS_SHARED_CAP)(`CAP test data in ${testdata}`, () => {
  it('has exactly the files classified here (a new file must be classified)', () => {
    expect(readdirSync(testdata).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s is classified correctly', (file, expected) => {
    const result = validateCap(readFileSync(join(testdata, file)));
    expect({ valid: result.valid, version: result.version }).toEqual({ valid: expected.valid, version: expected.version });
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (expected.valid) expect(errors).toEqual([]);
    else expect([...new Set(errors.map((p) => p.rule))]).toEqual(expected.rules);
  });

  it('explains the missing <scope> of invalid.cap at the element where the schema noticed it', () => {
    const result = validateCap(readFileSync(join(testdata, 'invalid.cap')));
    const schema = result.problems.find((p) => p.rule === 'schema')!;
    expect(schema.path).toBe('/alert/info[1]');
    expect(schema.line).toBe(9);
    expect(schema.message).toContain('scope');
  });

  it('reads canada.cap into the typed model, both languages and all areas', () => {
    const { alert } = validateCap(readFileSync(join(testdata, 'canada.cap')));
    expect(alert?.msgType).toBe('Update');
    expect(alert?.references?.split(' ')).toHaveLength(2);
    expect(alert?.info.map((i) => i.language)).toEqual(['en-CA', 'fr-CA']);
    expect(alert?.info[1]?.area.map((a) => a.areaDesc)).toEqual(["Windsor - Leamington - comté d'Essex", 'Chatham-Kent - parc Rondeau']);
    expect(alert?.info[0]?.area[0]?.geocode).toHaveLength(10);
  });
});

describe('vigil cap validate', () => {
  const run = promisify(execFile);
  const vigil = (args: string[]) =>
    run(process.execPath, [join(REPO_ROOT, 'bin/vigil.js'), 'cap', 'validate', ...args], { cwd: REPO_ROOT }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );

  it.skipIf(!HAS_SHARED_CAP)('exits 1 when any file is invalid and lists each error with its element path', async () => {
    const { code, stdout } = await vigil([join(testdata, 'canada.cap'), join(testdata, 'invalid.cap'), join(testdata, 'xee.cap')]);
    expect(code).toBe(1);
    expect(stdout).toContain('canada.cap: valid CAP 1.2');
    expect(stdout).toContain('invalid.cap: INVALID CAP 1.2 (2 errors, 1 warning)');
    expect(stdout).toMatch(/error \[schema\] \/alert\/info\[1\] \(line 9\): <info>: This element is not expected/);
    expect(stdout).toMatch(/error \[unsafe-xml\] \/: document type declarations \(DOCTYPE\) are refused/);
  });

  it('exits 0 on a valid file, and 2 on a file it cannot read (in process)', async () => {
    const file = join(REPO_ROOT, 'tests/warnings/data/monaco-boil-water.cap');
    const program = new Command('vigil').exitOverride();
    registerWarningsCli(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    try {
      await program.parseAsync(['cap', 'validate', file], { from: 'user' });
      expect(process.exitCode).toBe(before);
      expect(write).toHaveBeenCalledWith(`${file}: valid CAP 1.2\n`);
      const missing = program.parseAsync(['cap', 'validate', join(REPO_ROOT, 'no-such-file.cap')], { from: 'user' });
      await expect(missing).rejects.toMatchObject({ name: 'CliError', exitCode: 2 });
    } finally {
      write.mockRestore();
      process.exitCode = before;
    }
  });
});
