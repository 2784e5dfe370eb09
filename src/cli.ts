import { Command, CommanderError } from 'commander';
import { registerAuditCli } from './audit/cli.js';
import { registerCtiCli } from './cti/cli.js';
import { registerDemoCli } from './demo/cli.js';
import { registerDetectCli } from './detect/cli.js';
import { registerIncidentToolsCli } from './incidents/correlation/cli.js';
import { registerIngestCli } from './ingest/cli.js';
import { registerOrganisationCli } from './organisations/cli.js';
import { registerRoutingCli } from './routing/index.js';
import { registerServerCli } from './server-cli.js';
import { CliError } from './kernel/cli-error.js';
import { registerWarningsCli } from './warnings/cli.js';
import { registerWaterCli } from './water/cli.js';

/**
 * The `vigil` command. Each capability contributes its sub-commands through a `register*Cli(program)`
 * function exported from its `cli.ts`; this file only assembles them.
 */
const registrations: Array<(program: Command) => void> = [
  registerServerCli,
  registerDemoCli,
  registerOrganisationCli,
  registerAuditCli,
  registerDetectCli,
  registerIncidentToolsCli,
  registerIngestCli,
  registerWarningsCli,
  registerWaterCli,
  registerRoutingCli,
  registerCtiCli,
];

const program = new Command('vigil')
  .description('Vigil: shared security operations for a smart city')
  .showHelpAfterError()
  .exitOverride();

for (const register of registrations) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError) {
    process.stderr.write(`vigil: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`vigil: unexpected failure\n${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}
