import type { Command } from 'commander';
import type { Config } from './kernel/config.js';
import type { Kernel } from './kernel/kernel.js';
import { demoLogins, loadDemoCity } from './demo/load.js';
import { CliError, loadCliConfig } from './kernel/cli-error.js';
import { DEMO_PASSWORD } from './kernel/config.js';
import { pendingMigrations, migrateToLatest } from './kernel/db/migrate.js';
import { BrokerPortInUseError, startBroker, startSubscriber, type Broker, type Subscriber } from './ingest/index.js';
import { type Live, buildServer, openVigil, startLive, stopLive } from './server.js';
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
      const live = startLive(kernel);
      const app = await buildServer(kernel, live);
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (error) {
        await stopLive(live);
        await kernel.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(`Port ${config.port} on ${config.host} is already in use: stop the other program or set VIGIL_PORT to a free port`);
        }
        throw error;
      }
      live.ingestion.startRetention();
      const { broker, subscriber } = await startMqtt(live, config.ingest, kernel.log);
      const stop = async (signal: string) => {
        kernel.log.info({ signal }, 'stopping');
        await broker?.close();
        await subscriber?.close();
        await app.close();
        await stopLive(live);
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

/**
 * The MQTT paths: the embedded broker (unless VIGIL_MQTT_PORT=0) and the subscription to an external broker
 * (when VIGIL_MQTT_URL is set). A taken port is said plainly and Vigil runs on without the embedded broker.
 */
async function startMqtt(live: Live, c: Config['ingest'], log: Kernel['log']): Promise<{ broker: Broker | null; subscriber: Subscriber | null }> {
  let broker: Broker | null = null;
  if (c.mqttPort === 0) {
    live.ingestion.setPath({ name: 'mqtt', state: 'disabled', detail: 'VIGIL_MQTT_PORT=0: no embedded broker' });
  } else {
    try {
      broker = await startBroker(live.ingestion, { host: c.mqttHost, port: c.mqttPort });
      log.info({ host: c.mqttHost, port: broker.port }, 'embedded MQTT broker listening');
    } catch (error) {
      if (!(error instanceof BrokerPortInUseError)) throw error;
      const text =
        `MQTT: port ${c.mqttPort} on ${c.mqttHost} is already in use (another MQTT broker, such as Mosquitto, may be running there). ` +
        'Vigil runs on WITHOUT its embedded MQTT broker. Set VIGIL_MQTT_PORT to a free port (or 0 to turn the embedded broker off), ' +
        `or set VIGIL_MQTT_URL=mqtt://${c.mqttHost}:${c.mqttPort} to take readings from the broker that is there.`;
      log.warn({ port: c.mqttPort, host: c.mqttHost }, text);
      process.stderr.write(`\n  ${text}\n\n`);
      live.ingestion.setPath({ name: 'mqtt', state: 'unavailable', detail: `port ${c.mqttPort} on ${c.mqttHost} is in use: set VIGIL_MQTT_PORT` });
    }
  }
  const subscriber = c.mqttUrl
    ? startSubscriber(live.ingestion, { url: c.mqttUrl, topic: c.mqttTopic, clientId: c.mqttClientId, username: c.mqttUsername, password: c.mqttPassword })
    : null;
  return { broker, subscriber };
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
