import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError } from '../kernel/cli-error.js';
import { placeholdersOf } from './authoring.js';
import { WARNING_TEMPLATES } from './templates.js';
import { formatProblem, validateCap } from './validate.js';

/** `vigil cap …`: check CAP files, list the warning templates. */
export function registerWarningsCli(program: Command): void {
  const cap = program.command('cap').description('Common Alerting Protocol (CAP 1.2) public warnings');

  cap
    .command('validate')
    .description('check CAP 1.1 or 1.2 files against the official schema (chosen by namespace) and the rules of CAP §3; exits 1 when any is invalid')
    .argument('<files...>', 'CAP XML files')
    .option('--json', 'print one JSON report per file instead of text')
    .option('--no-warnings', 'list errors only')
    .action(async (files: string[], options: { json?: boolean; warnings: boolean }) => {
      let invalid = 0;
      for (const file of files) {
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (error) {
          throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 2);
        }
        const result = validateCap(bytes);
        if (!result.valid) invalid++;
        const problems = result.problems.filter((p) => options.warnings || p.severity === 'error');
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ file, valid: result.valid, version: result.version, problems })}\n`);
          continue;
        }
        const errors = result.problems.filter((p) => p.severity === 'error').length;
        const warnings = result.problems.length - errors;
        const version = result.version ? `CAP ${result.version}` : 'CAP';
        const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && options.warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`]
          .filter(Boolean)
          .join(', ');
        process.stdout.write(`${file}: ${result.valid ? 'valid' : 'INVALID'} ${version}${counts ? ` (${counts})` : ''}\n`);
        for (const problem of problems) process.stdout.write(`  ${formatProblem(problem)}\n`);
      }
      if (invalid > 0) process.exitCode = 1;
    });

  cap
    .command('templates')
    .description('list the public warning templates, their languages and placeholders')
    .action(() => {
      for (const t of WARNING_TEMPLATES) {
        process.stdout.write(
          `${t.id}: ${t.text.en.event} — ${t.category.join('/')}, ${t.responseType.join('/')}, ${t.urgency}/${t.severity}/${t.certainty}; ` +
            `languages ${Object.keys(t.text).join(', ')}; placeholders ${placeholdersOf(t, 'alert').map((p) => `{{${p}}}`).join(' ')}` +
            ` (cancel also needs {{reason}})\n`,
        );
      }
    });
}
