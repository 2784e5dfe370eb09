import type { Command } from 'commander';
import { demoLogins, loadDemoCity } from './demo/load.js';
import { CliError, loadCliConfig } from './kernel/cli-error.js';
import { DEMO_PASSWORD } from './kernel/config.js';
import { pendingMigrations, migrateToLatest } from './kernel/db/migrate.js';
import { buildServer, openVigil } from './server.js';
import { migrations } from './migrations.js';

export function registerServerCli(program: Command): void {
  program
    .command('serve')
    .description('Run Vigil: HTTP API, web application and live stream (configured by VIGIL_* environment variables)')
    .action(async () => {
      const config = loadCliConfig();
      const kernel = await openVigil(config);
      if (config.demo) {
        const loaded = await loadDemoCity(kernel);
        announceDemo(loaded, kernel.log);
      } else if (!(await kernel.store.db.selectFrom('users').select('id').limit(1).executeTakeFirst())) {
        kernel.log.warn('No user exists yet: create the first administrator with `vigil user add --admin --email <email> --org <slug>`');
      }
      const app = await buildServer(kernel);
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (error) {
        await kernel.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(`Port ${config.port} on ${config.host} is already in use: stop the other program or set VIGIL_PORT to a free port`);
        }
        throw error;
      }
      const stop = async (signal: string) => {
        kernel.log.info({ signal }, 'stopping');
        await app.close();
        await kernel.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });

  program
    .command('migrate')
    .description('Bring the database schema up to date (VIGIL_DATABASE_URL, or the embedded SQLite file)')
    .option('--status', 'only list the migrations that have not run yet')
    .action(async (options: { status?: boolean }) => {
      const config = loadCliConfig();
      const kernel = await openVigil(config, { migrate: false });
      try {
        if (options.status) {
          const pending = await pendingMigrations(kernel.store.db, migrations);
          process.stdout.write(pending.length ? `pending:\n${pending.map((m) => `  ${m}`).join('\n')}\n` : 'the schema is up to date\n');
          return;
        }
        const result = await migrateToLatest(kernel.store.db, migrations);
        for (const m of result.results ?? []) process.stdout.write(`${m.status === 'Success' ? 'applied' : m.status}: ${m.migrationName}\n`);
        if (result.error) throw new CliError(`migration failed: ${String(result.error)}`);
        if (!result.results?.length) process.stdout.write('the schema is up to date\n');
      } finally {
        await kernel.close();
      }
    });
}

function announceDemo(loaded: boolean, log: { warn: (o: object, m: string) => void }): void {
  log.warn(
    { demo: true, password: '(see README)', logins: demoLogins().map((l) => l.email) },
    'DEMO MODE: demo accounts are open with a published password. Set VIGIL_DEMO=0 for real use.',
  );
  const lines = [
    '',
    '  ==================================================================',
    '   DEMO MODE - the demo city is ' + (loaded ? 'loaded' : 'already in the database'),
    `   Sign in as admin@<org>.demo or analyst@<org>.demo, password ${DEMO_PASSWORD}`,
    '   <org> is one of: water energy transit hospital police fire cert',
    '   Never expose a demo instance: set VIGIL_DEMO=0 for real use.',
    '  ==================================================================',
    '',
  ];
  process.stderr.write(lines.join('\n'));
}
