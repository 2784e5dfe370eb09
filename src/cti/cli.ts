import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError } from '../kernel/cli-error.js';
import { startProgress } from '../kernel/progress.js';
import { registerStoreCli } from './cli-store.js';
import { readMispEvent } from './misp/model.js';
import { mispEventToStix } from './misp/to-stix.js';
import { parsePattern } from './pattern/parser.js';
import { makeBundle, validateBundleStream, type BundleReport } from './stix/bundle.js';
import { validateObjects } from './stix/validate.js';

/** `vigil stix …` and `vigil misp …`: work on files, no database. */
export function registerCtiCli(program: Command): void {
  const stix = program.command('stix').description('STIX 2.1: validate bundles, parse patterns, import and export the store');

  stix
    .command('validate')
    .description('validate a STIX 2.1 bundle against the official schemas and the rules they cannot express')
    .argument('<bundle>', 'path to a bundle (.json); read as a stream, any size')
    .option('--json', 'print the whole report as JSON')
    .option('--known-marking <id...>', 'marking definitions known outside the bundle')
    .option('-q, --quiet', 'no progress lines')
    .action(async (path: string, options: { json?: boolean; knownMarking?: string[]; quiet?: boolean }) => {
      const size = await fileSize(path);
      const progress = startProgress({ label: `validate ${path}`, unit: 'objects', quiet: options.quiet || options.json });
      const report = await validateBundleStream(createReadStream(path, { highWaterMark: 1 << 20 }), {
        knownMarkingIds: options.knownMarking,
        onProgress: (n) => progress.update(n),
      });
      progress.done(`${report.total} objects (${(size / 1e6).toFixed(1)} MB): ${report.valid} valid, ${report.invalid} invalid`);
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(report);
      if (report.syntaxError) throw new CliError(`${path} is not a readable STIX bundle: ${report.syntaxError.message}`, 2);
      if (report.invalid > 0 || report.bundleReasons.some((r) => r.path !== '$')) process.exitCode = 1;
    });

  stix
    .command('pattern')
    .description('parse a STIX pattern and print its syntax tree, or show where it is wrong')
    .argument('<pattern>', "the pattern, e.g. \"[ipv4-addr:value = '198.51.100.1']\"")
    .action((pattern: string) => {
      const result = parsePattern(pattern);
      if (!result.ok) {
        const e = result.error;
        const line = pattern.split('\n')[e.line - 1] ?? '';
        throw new CliError(`invalid STIX pattern at line ${e.line}, column ${e.column}: ${e.message}\n  ${line}\n  ${' '.repeat(e.column - 1)}^`);
      }
      for (const w of result.warnings) process.stderr.write(`warning at column ${w.column}: ${w.message}\n`);
      process.stdout.write(`${JSON.stringify(result.pattern, null, 2)}\n`);
    });

  const misp = program.command('misp').description('MISP core format');
  misp
    .command('convert')
    .description('convert a MISP event (JSON) to a STIX 2.1 bundle')
    .argument('<event>', 'path to a MISP event, {"Event": {...}}')
    .option('-o, --output <file>', 'write the bundle here instead of standard output')
    .action(async (path: string, options: { output?: string }) => {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new CliError(`cannot read ${path} as JSON: ${(error as Error).message}`);
      }
      const { event, problems } = readMispEvent(json);
      for (const p of problems) process.stderr.write(`${p.path}: ${p.message}\n`);
      if (!event || problems.some((p) => !p.path.includes('.Attribute[') && !p.path.includes('.Object['))) {
        throw new CliError(`${path} is not a usable MISP event (${problems.length} problems above)`);
      }
      const { objects, skipped } = mispEventToStix(event);
      for (const s of skipped) process.stderr.write(`skipped ${s.uuid}: ${s.reason}\n`);
      const invalid = validateObjects(objects).filter((r) => !r.valid);
      if (invalid.length > 0) throw new CliError(`conversion produced ${invalid.length} invalid STIX objects (a defect): ${JSON.stringify(invalid[0])}`);
      const text = `${JSON.stringify(makeBundle(objects), null, 2)}\n`;
      if (options.output) await writeText(options.output, text);
      else process.stdout.write(text);
      process.stderr.write(`${objects.length} STIX objects from ${event.Attribute.length} attributes and ${event.Object.length} objects\n`);
    });

  registerStoreCli(stix, misp, program);
}

function printReport(report: BundleReport): void {
  const out = process.stdout;
  for (const r of report.bundleReasons) out.write(`bundle ${r.path}: ${r.message}\n`);
  for (const o of report.objects) {
    if (o.valid) continue;
    out.write(`#${o.index} ${o.id ?? '(no id)'} ${o.type ?? ''}\n`);
    for (const r of o.reasons) out.write(`  [${r.code}] ${r.path}: ${r.message}\n`);
  }
  out.write(`${report.total} objects: ${report.valid} valid, ${report.invalid} invalid\n`);
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function writeText(path: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path);
    stream.on('error', (e) => reject(new CliError(`cannot write ${path}: ${e.message}`)));
    stream.end(text, () => resolve());
  });
}
