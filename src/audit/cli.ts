import type { Command } from 'commander';
import { verifyAuditLog } from '../kernel/audit/index.js';
import { CliError, loadCliConfig } from '../kernel/cli-error.js';
import { startProgress } from '../kernel/progress.js';
import { openVigil } from '../server.js';

export function registerAuditCli(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit log');
  audit
    .command('verify')
    .description('Check the whole chain; report the first edited, inserted or deleted entry (exit 1 when the log was tampered with)')
    .action(async () => {
      const kernel = await openVigil(loadCliConfig(), { migrate: false });
      try {
        const progress = startProgress({ label: 'audit verify', unit: 'entries' });
        const result = await verifyAuditLog(kernel.store.db, (checked, total) => progress.update(checked, `of ${total}`));
        progress.done(`${result.entries} entries checked`);
        if (result.problem) throw new CliError(`the audit log was tampered with: ${result.problem.message}`);
        process.stdout.write(`audit log intact: ${result.entries} entries, chain and head agree\n`);
      } finally {
        await kernel.close();
      }
    });
}
