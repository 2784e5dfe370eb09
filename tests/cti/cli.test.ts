import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from './helpers.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vigil-cti-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin/vigil.js'), ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('vigil stix / misp commands', () => {
  it('converts a MISP event, then validates the bundle it wrote; reports an invalid bundle per object and fails', async () => {
    const out = join(dir, 'bundle.json');
    const converted = await vigil('misp', 'convert', fixture('misp-event.json'), '-o', out);
    expect(converted.code).toBe(0);
    expect(converted.stderr).toMatch(/13 STIX objects/);
    const valid = await vigil('stix', 'validate', out, '--quiet');
    expect(valid.stdout).toMatch(/13 objects: 13 valid, 0 invalid/);
    expect(valid.code).toBe(0);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [{ type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }] }));
    const invalid = await vigil('stix', 'validate', broken, '--quiet');
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/#0 indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f indicator\n {2}\[schema\] \$\.objects\[0\]\.spec_version/);
  }, 60_000);

  it('parses a pattern or points at the error', async () => {
    const good = await vigil('stix', 'pattern', "[ipv4-addr:value = '198.51.100.1']");
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ kind: 'observation' });
    const bad = await vigil('stix', 'pattern', "[ipv4-addr:value = ]");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('column 20');
    expect(bad.stderr).toContain(`\n  ${' '.repeat(19)}^`);
    const missing = await vigil('stix', 'validate', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*ENOENT/);
  }, 60_000);
});
