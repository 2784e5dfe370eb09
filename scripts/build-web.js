#!/usr/bin/env node
// Builds the web application (web/ → web/dist) when its sources are newer than the last build.
// Used by `npm start`, by the browser tests and by the web benchmark; run directly, it builds if stale.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
// The web application also compiles a few pure server modules into the bundle, so both decide alike: the
// sharing policy, detector settings checks, the SCADA model check, which alerts are a datastream's alarms.
const sources = [
  web,
  path.join(root, 'src', 'kernel', 'sharing', 'policy.ts'),
  path.join(root, 'src', 'detect', 'settings.ts'),
  path.join(root, 'src', 'detect', 'model.ts'),
  path.join(root, 'src', 'detect', 'scada', 'model.ts'),
  path.join(root, 'src', 'ingest', 'alarm-match.ts'),
];

function newest(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const child of fs.readdirSync(entry, { withFileTypes: true })) {
    if (child.name === 'dist' || child.name === 'node_modules') continue;
    latest = Math.max(latest, newest(path.join(entry, child.name)));
  }
  return latest;
}

/** Returns true when a build ran; throws when it failed. */
export function buildWebIfStale({ quiet = false } = {}) {
  if (!fs.existsSync(path.join(web, 'vite.config.ts'))) return false;
  const stamp = path.join(web, 'dist', 'index.html');
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (Math.max(...sources.map(newest)) <= built) return false;
  if (!quiet) process.stderr.write('Building the web application…\n');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status !== 0) throw new Error(`building the web application failed (exit ${result.status})`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildWebIfStale();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
