#!/usr/bin/env node
// `npm start`: build the web application if its sources are newer than the last build, then run `vigil serve`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from './build-web.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  buildWebIfStale();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const child = spawn(process.execPath, [path.join(root, 'bin', 'vigil.js'), 'serve'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
