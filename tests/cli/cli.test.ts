import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Each case starts real `vigil` processes; on a busy two-core machine one start can take many seconds.
vi.setConfig({ testTimeout: 180_000 });
import { runVigil } from '../helpers/process.js';

describe('the vigil command line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-'));
  const env = { VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent' };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists its commands, each with --help', async () => {
    const help = await runVigil(['--help'], env);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'demo', 'user', 'token', 'audit']) expect(help.stdout).toContain(command);
    const sub = await runVigil(['user', 'add', '--help'], env);
    expect(sub.stdout).toContain('--admin');
  });

  it('migrates, creates the first administrator, issues a token, and verifies the audit log', async () => {
    expect((await runVigil(['migrate'], env)).stdout).toContain('applied: 20261121_01_kernel');
    expect((await runVigil(['migrate', '--status'], env)).stdout).toContain('up to date');
    const added = await runVigil(['user', 'add', '--admin', '--email', 'ops@city.example', '--org', 'city', '--org-name', 'City of Vigil'], env, 'a long admin password\n');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('added ops@city.example as admin of city');
    const token = await runVigil(['token', 'create', '--org', 'city', '--name', 'gateway'], env);
    expect(token.code).toBe(0);
    expect(token.stdout.trim()).toMatch(/^vgl_api_[A-Za-z0-9_-]{40,}$/);
    const verify = await runVigil(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('audit log intact');
  });

  it('says plainly what is wrong: a weak password, a missing organisation, a bad setting', async () => {
    const weak = await runVigil(['user', 'add', '--email', 'x@city.example', '--org', 'city'], env, 'short\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('at least 10 characters');
    const missing = await runVigil(['token', 'create', '--org', 'nowhere', '--name', 'x'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no organisation "nowhere"');
    const badPort = await runVigil(['serve'], { ...env, VIGIL_PORT: 'eighty' });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('VIGIL_PORT must be a whole number');
  });

  it('exits 1 and names the entry when the audit log was edited', async () => {
    const db = new SQLite(path.join(dir, 'vigil.db'));
    db.prepare("update audit_log set details = '{}' where seq = 2").run();
    db.close();
    const verify = await runVigil(['audit', 'verify'], env);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('entry 2 does not match its hash: it was edited');
  });
});
