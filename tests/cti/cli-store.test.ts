import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../helpers/process.js';
import { fixture } from './helpers.js';

/** `vigil stix import|export`, `vigil misp import|export` and `vigil feeds …` on a real database, as real processes. */
const dir = mkdtempSync(join(tmpdir(), 'vigil-cti-store-cli-'));
const env = { VIGIL_DATA_DIR: dir, VIGIL_DEMO: '1', VIGIL_LOG_LEVEL: 'silent' };
const vigil = (...args: string[]) => runVigil(args, env);

const indicator = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--c1100000-0000-4000-8000-${String(i).padStart(12, '0')}`, created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z', pattern: `[domain-name:value = 'bad-${i}.example']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', ...extra,
});

describe('threat-intelligence commands', () => {
  beforeAll(async () => {
    expect((await vigil('demo')).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a bundle as an organisation, then exports what it and others see', async () => {
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--7d6a2b1c-0e4f-4a3b-9c8d-1e2f3a4b5c6d', objects: [indicator(1), indicator(2, { object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] })] }));
    const imported = await vigil('stix', 'import', file, '--org', 'cert', '--scope', 'community', '--tlp', 'green');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported: 2 objects, 2 stored, 0 already held, 0 invalid, 1 kept to the organisation/);
    const out = join(dir, 'water.json');
    const exported = await vigil('stix', 'export', '--org', 'water', '--type', 'indicator', '-o', out);
    expect(exported.code, exported.stderr).toBe(0);
    // The water utility sees the community indicator, not the RED one the CERT kept.
    const ids = JSON.parse(readFileSync(out, 'utf8')).objects.map((o: { id: string }) => o.id);
    expect(ids).toContain(indicator(1).id);
    expect(ids).not.toContain(indicator(2).id);
  }, 120_000);

  it('rejects an invalid bundle with the reasons and stores nothing', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--7d6a2b1c-0e4f-4a3b-9c8d-1e2f3a4b5c6e', objects: [indicator(3), { ...indicator(4), pattern: '[nope' }] }));
    const res = await vigil('stix', 'import', file, '--org', 'cert', '-q');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/\[pattern\] \$\.objects\[1\]\.pattern/);
    expect(res.stderr).toMatch(/nothing imported/);
    expect((await vigil('stix', 'import', join(dir, 'missing.json'), '--org', 'cert')).code).toBe(2);
  }, 120_000);

  it('imports and exports a MISP event', async () => {
    const imported = await vigil('misp', 'import', fixture('misp-event.json'), '--org', 'cert');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported: 13 objects/);
    const exported = await vigil('misp', 'export', '5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c', '--org', 'cert');
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).Event).toMatchObject({ uuid: '5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c' });
  }, 120_000);

  it('adds, lists, pulls and removes a feed; a pull that cannot reach its remote says why', async () => {
    const added = await vigil('feeds', 'add', 'taxii', 'http://127.0.0.1:9/taxii2/api/', '--collection', 'c1', '--org', 'cert', '--token', 'secret', '--every', '15m');
    expect(added.code, added.stderr).toBe(0);
    const id = /added feed (\S+)/.exec(added.stdout)![1]!;
    const list = await vigil('feeds', 'list', '--org', 'cert', '--json');
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id, everySeconds: 900, hasSecret: true })]);
    expect(list.stdout).not.toContain('secret"');
    const pulled = await vigil('feeds', 'pull', id, '--org', 'cert');
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toMatch(/cannot reach|ECONNREFUSED/);
    expect((await vigil('feeds', 'add', 'taxii', 'http://taxii.example.org/', '--collection', 'c', '--org', 'cert')).code).toBe(2);
    expect((await vigil('feeds', 'remove', id, '--org', 'cert')).code).toBe(0);
  }, 120_000);
});
