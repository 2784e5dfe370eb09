import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError } from '../../kernel/cli-error.js';
import { registerPlaybookStoreCli } from './cli-store.js';
import { PlaybookFormatError, formatProblem, readPlaybookYaml } from './yaml.js';

/** `vigil playbook validate` (no database), `import` and `export` (the store, see cli-store.ts). */
export function registerPlaybookCli(program: Command): void {
  const playbook = program.commands.find((c) => c.name() === 'playbook') ?? program.command('playbook').description('Standard operating procedures (SOP playbooks)');
  playbook
    .command('validate')
    .description('Check playbook YAML files and report every problem with its line')
    .argument('<files...>', 'playbook YAML files')
    .action(async (files: string[]) => {
      process.stdout.write(await validatePlaybookFiles(files));
    });
  registerPlaybookStoreCli(program);
}

export async function validatePlaybookFiles(files: string[]): Promise<string> {
  const lines: string[] = [];
  const failed: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`);
    });
    try {
      const p = readPlaybookYaml(text, file);
      const mandatory = p.steps.filter((s) => s.mandatory).length;
      const questions = p.steps.filter((s) => s.question !== null).length;
      lines.push(`ok   ${file}: ${p.id} v${p.version}, ${p.steps.length} steps (${mandatory} mandatory, ${questions} branching)`);
    } catch (error) {
      if (!(error instanceof PlaybookFormatError)) throw error;
      failed.push(file);
      lines.push(`FAIL ${file}:`, ...error.problems.map((p) => `     ${formatProblem(p)}`));
    }
  }
  const report = `${lines.join('\n')}\n`;
  if (failed.length > 0) {
    process.stdout.write(report);
    throw new CliError(`${failed.length} of ${files.length} playbook(s) invalid`);
  }
  return report;
}
