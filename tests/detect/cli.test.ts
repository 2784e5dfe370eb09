import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { H, simulatePlant, tamper, TAGS } from './synthetic-plant.js';

const run = promisify(execFile);
const VIGIL = resolve('bin/vigil.js');
const dir = mkdtempSync(join(tmpdir(), 'vigil-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const two = (n: number) => String(n).padStart(2, '0');
const batadalTime = (t: number) => {
  const d = new Date(t);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}`;
};

describe('vigil detect batadal / vigil eval batadal', () => {
  it('trains, flags an attacked log written BATADAL-style, and scores it', async () => {
    const train = simulatePlant(24 * 90, Date.UTC(2024, 0, 1), 1);
    writeFileSync(join(dir, 'train.csv'), `DATETIME,${TAGS.join(',')},ATT_FLAG\n${train.rows.map((r, i) => `${batadalTime(train.times[i]!)},${r.join(',')},0`).join('\n')}\n`);
    const test = tamper(simulatePlant(24 * 10, Date.UTC(2024, 6, 1), 2), 100, 139, (row) => (row[0] = row[0]! + 1.2));
    // Columns reversed, a space after each comma, labels partly unknown.
    const order = [...TAGS.keys()].reverse();
    const lines = test.rows.map((r, i) => `${batadalTime(test.times[i]!)}, ${order.map((j) => r[j]).join(', ')}, ${i >= 100 && i < 120 ? 1 : -999}`);
    writeFileSync(join(dir, 'test.csv'), `DATETIME, ${order.map((j) => TAGS[j]).join(', ')}, ATT_FLAG\n${lines.join('\n')}\n`);
    const start = new Date(test.times[100]!).toISOString().slice(0, 16).replace('T', ' ');
    const end = new Date(test.times[100]! + 39 * H).toISOString().slice(0, 16).replace('T', ' ');
    writeFileSync(join(dir, 'attacks.csv'), `attack_id,start,end_inclusive\nA,${start},${end}\n`);

    await run('node', [VIGIL, 'detect', 'batadal', '--train', join(dir, 'train.csv'), '--input', join(dir, 'test.csv'), '--out', join(dir, 'pred.csv'), '--save-model', join(dir, 'model.json'), '--quiet']);
    const predictions = readFileSync(join(dir, 'pred.csv'), 'utf8').trim().split('\n');
    expect(predictions[0]).toBe('DATETIME,ATT_FLAG');
    expect(predictions).toHaveLength(test.rows.length + 1);
    expect(predictions[1]).toBe(`${batadalTime(test.times[0]!)},0`);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).format).toBe('vigil.scada-attack-model');

    const { stdout } = await run('node', [VIGIL, 'eval', 'batadal', '--predictions', join(dir, 'pred.csv'), '--attacks', join(dir, 'attacks.csv'), '--labels', join(dir, 'test.csv')]);
    expect(stdout).toMatch(/^A\s+2024-07-05 04:00/m);
    const s = Number(/^S\s+=\s+([\d.]+)/m.exec(stdout)![1]);
    expect(s).toBeGreaterThan(0.85);
    expect(stdout).toMatch(/on labelled hours only: TPR [\d.]+ \(\d+\/20\)/);
  }, 30_000);

  it('says plainly what is wrong', async () => {
    const failure = await run('node', [VIGIL, 'detect', 'batadal', '--input', join(dir, 'nope.csv'), '--out', join(dir, 'x.csv')]).catch((e: { stderr: string; code: number }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('give --train <csv>... (attack-free history) or --model <model.json>') });
    const missing = await run('node', [VIGIL, 'eval', 'batadal', '--predictions', join(dir, 'nope.csv'), '--attacks', join(dir, 'nope.csv')]).catch((e: { stderr: string }) => e);
    expect((missing as { stderr: string }).stderr).toContain('nope.csv: no such file');
  }, 30_000);
});

const DATA = resolve('../shared/data/batadal');
describe.skipIf(!existsSync(join(DATA, 'BATADAL_dataset04.csv')))('BATADAL training set 2 (regression guard for docs/detection.md)', () => {
  it('keeps S at or above 0.97 when trained on training set 1 only', async () => {
    await run('node', [VIGIL, 'detect', 'batadal', '--train', join(DATA, 'BATADAL_dataset03.csv'), '--input', join(DATA, 'BATADAL_dataset04.csv'), '--out', join(dir, 'b4.csv'), '--quiet']);
    const { stdout } = await run('node', [VIGIL, 'eval', 'batadal', '--predictions', join(dir, 'b4.csv'), '--attacks', join(DATA, 'batadal_training_attacks.csv'), '--json']);
    const score = JSON.parse(stdout) as { s: number; attacks: { detected: boolean }[] };
    expect(score.attacks.every((a) => a.detected)).toBe(true);
    expect(score.s).toBeGreaterThanOrEqual(0.97);
  }, 60_000);
});
