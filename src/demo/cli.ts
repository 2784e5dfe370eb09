import type { Command } from 'commander';
import { openVigil } from '../server.js';
import { loadCliConfig } from '../kernel/cli-error.js';
import { demoLogins, loadDemoCity } from './load.js';

export function registerDemoCli(program: Command): void {
  program
    .command('demo')
    .description('Load the demo city (Monaco) into an empty database and list its logins')
    .action(async () => {
      const kernel = await openVigil(loadCliConfig());
      try {
        const loaded = await loadDemoCity(kernel);
        process.stdout.write(loaded ? 'The demo city is loaded.\n' : 'The database already has organisations; nothing was changed.\n');
        process.stdout.write('Demo logins (password vigil-demo, accepted only while VIGIL_DEMO is on):\n');
        for (const l of demoLogins()) process.stdout.write(`  ${l.email.padEnd(24)} ${l.role.padEnd(8)} ${l.organisation}\n`);
      } finally {
        await kernel.close();
      }
    });
}
