import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/process.js';

/**
 * kill -9 while attachments are being written: whatever is under a content name afterwards is whole (its
 * SHA-256 is its name), and every attachment reported stored is there. At worst a temporary file is left.
 */
it('never leaves half a file under a content name when killed mid-write', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-crash-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/incidents/fixtures/attachment-writer.ts'), dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const stored: string[] = [];
  const exited = new Promise((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.startsWith('stored ')) stored.push(line.slice(7));
      // Killed as soon as a few are done: the next one is being written at that moment.
      if (stored.length >= 3) resolve();
    });
  });
  child.kill('SIGKILL');
  await exited;
  const named: string[] = [];
  for (const sub of fs.readdirSync(dir)) {
    for (const name of fs.readdirSync(path.join(dir, sub))) {
      if (name.startsWith('.')) continue;
      named.push(name);
      expect(createHash('sha256').update(fs.readFileSync(path.join(dir, sub, name))).digest('hex')).toBe(name);
    }
  }
  for (const sha of stored) expect(named).toContain(sha);
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);
