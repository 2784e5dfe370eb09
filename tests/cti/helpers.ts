import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
/** The official STIX examples live in ../shared/data (evaluation data, not shipped). */
export const STIX_EXAMPLES = resolve(REPO_ROOT, '../shared/data/stix/examples');
export const HAVE_EXAMPLES = existsSync(STIX_EXAMPLES);
if (!HAVE_EXAMPLES) console.warn(`official STIX examples not found at ${STIX_EXAMPLES}: those tests are skipped`);

export function exampleFiles(): string[] {
  if (!HAVE_EXAMPLES) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) out.push(path);
    }
  };
  walk(STIX_EXAMPLES);
  return out;
}

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Chunks of a buffer, to feed streaming readers the way a socket would. */
export function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
