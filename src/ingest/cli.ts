/** `vigil replay`: publish a recorded SCADA log into a running Vigil's live pipeline. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseScadaLog, CsvFormatError } from '../detect/index.js';
import { CliError, loadCliConfig } from '../kernel/cli-error.js';
import { SYSTEM_ACTOR } from '../kernel/kernel.js';
import { startProgress } from '../kernel/progress.js';
import { createApiToken, findOrganisation, revokeApiToken } from '../organisations/queries.js';
import { openVigil } from '../server.js';
import { planReplay } from './replay.js';

/** Readings per HTTP request when rows are due faster than they can be sent one by one. */
const REQUEST_READINGS = 5000;

export function registerIngestCli(program: Command): void {
  program
    .command('replay')
    .description('Replay a recorded SCADA log (a time column and one column per datastream, e.g. a BATADAL CSV) into the running Vigil as if it were happening now')
    .argument('<file.csv>', 'the log: time as dd/mm/yy HH or yyyy-mm-dd HH:MM (UTC); an ATT_FLAG column is ignored')
    .requiredOption('--org <slug>', 'the organisation whose datastreams these are')
    .option('--speed <factor>', 'how many times faster than recorded (3600: an hour of log per second)', '1')
    .option('--url <url>', 'the running Vigil (default: http://VIGIL_HOST:VIGIL_PORT)')
    .option('--token <token>', 'an API token of the organisation (default: a temporary one, revoked at the end)')
    .option('--quiet', 'no progress lines')
    .action(async (file: string, opts: { org: string; speed: string; url?: string; token?: string; quiet?: boolean }) => {
      const speed = Number(opts.speed);
      if (!(speed > 0) || !Number.isFinite(speed)) throw new CliError(`--speed must be a number greater than 0, not "${opts.speed}"`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError((error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file}: no such file` : `cannot read ${file}: ${(error as Error).message}`);
      }
      let log;
      try {
        log = parseScadaLog(text, file, 'lenient');
      } catch (error) {
        if (error instanceof CsvFormatError) throw new CliError(error.message);
        throw error;
      }
      const config = loadCliConfig();
      const base = (opts.url ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`).replace(/\/$/, '');

      let token = opts.token;
      let revoke = async () => {};
      if (!token) {
        const kernel = await openVigil(config);
        try {
          const org = await findOrganisation(kernel.store.db, opts.org);
          if (!org) throw new CliError(`no organisation "${opts.org}"`);
          const created = await kernel.write({ ...SYSTEM_ACTOR, orgId: org.id }, (w) =>
            createApiToken(w, { orgId: org.id, name: `replay of ${file.split('/').pop()}`, role: 'operator', expiresAt: w.now + 86_400_000 }),
          );
          token = created.token;
          revoke = async () => {
            const again = await openVigil(config);
            try {
              await again.write({ ...SYSTEM_ACTOR, orgId: org.id }, (w) => revokeApiToken(w, org.id, created.apiToken.id));
            } finally {
              await again.close();
            }
          };
        } finally {
          await kernel.close();
        }
      }

      const start = Date.now();
      const plan = planReplay(log.table, start, speed);
      const progress = startProgress({ label: `replaying ${file.split('/').pop()} at ×${speed}`, total: plan.length, unit: 'rows', quiet: Boolean(opts.quiet) });
      const totals = { sent: 0, accepted: 0, rejected: new Map<string, number>() };
      let stopped = false;
      const onSignal = () => {
        stopped = true;
      };
      process.once('SIGINT', onSignal);
      try {
        let i = 0;
        while (i < plan.length && !stopped) {
          const wait = start + plan[i]!.dueMs - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          // Every row already due goes in one request (fast replays), up to REQUEST_READINGS readings.
          const body: string[] = [];
          let rows = 0;
          while (i < plan.length && start + plan[i]!.dueMs <= Date.now() + 1 && (body.length === 0 || body.length + plan[i]!.readings.length <= REQUEST_READINGS)) {
            for (const r of plan[i]!.readings) body.push(JSON.stringify(r));
            i += 1;
            rows += 1;
          }
          if (rows === 0) continue;
          const result = await send(base, token, body.join('\n'));
          totals.sent += body.length;
          totals.accepted += result.accepted;
          for (const r of result.rejected) totals.rejected.set(r.reason, (totals.rejected.get(r.reason) ?? 0) + 1);
          const refused = [...totals.rejected.values()].reduce((a, b) => a + b, 0);
          progress.update(i, `${totals.accepted} readings stored${refused ? `, ${refused} refused` : ''}; log time ${log.timeTexts[i - 1]}`);
        }
        const refused = [...totals.rejected].map(([reason, n]) => `${n} ${reason}`).join(', ');
        progress.done(`${stopped ? 'stopped: ' : ''}${totals.accepted} of ${totals.sent} readings stored${refused ? `; refused: ${refused}` : ''}`);
      } finally {
        process.off('SIGINT', onSignal);
        await revoke();
      }
    });
}

async function send(base: string, token: string, ndjson: string): Promise<{ accepted: number; rejected: Array<{ reason: string }> }> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1/observations?source=replay`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body: ndjson });
    } catch (error) {
      throw new CliError(`no Vigil answers at ${base} (${(error as Error).message}): start it with \`vigil serve\`, or give --url`);
    }
    if (res.status === 503 && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
      continue;
    }
    if (res.status === 401) throw new CliError(`${base} refused the token: give a valid API token of the organisation with --token`);
    if (res.status !== 200) throw new CliError(`${base} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as { accepted: number; rejected: Array<{ reason: string }> };
  }
}
