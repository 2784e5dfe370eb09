import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { CliError } from '../../kernel/cli-error.js';
import { startProgress } from '../../kernel/progress.js';
import { AlertCsvError, readAlertCsv } from './alert-csv.js';
import { Correlator } from './correlator.js';
import { IncidentLedger, scoreGrouping, type GroupingScore } from './evaluation.js';
import { CorrelationSettingsError, type CorrelationSettingsInput } from './settings.js';
import { registerPlaybookCli } from '../playbooks/cli.js';

interface EvalOptions {
  out?: string;
  settings?: string;
  labelColumn: string;
  benign: string;
  quiet?: boolean;
}

/** The incident tools this part of the capability offers on the command line (one entry in src/cli.ts). */
export function registerIncidentToolsCli(program: Command): void {
  registerCorrelationCli(program);
  registerPlaybookCli(program);
}

/** `vigil eval correlation`: replays a labelled alert export through the engine and scores the grouping. */
export function registerCorrelationCli(program: Command): void {
  const evaluate = program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('Evaluate Vigil against labelled data sets');
  evaluate
    .command('correlation')
    .description('Group the alerts of a labelled CSV export into incidents without reading the labels, then score the grouping')
    .argument('<alerts.csv>', 'alerts with columns time,name,host (ip optional; a label column for scoring)')
    .option('--out <file.csv>', 'write one line per input alert: row,incident (row is the 1-based data row)')
    .option('--settings <file.json>', 'correlation settings overriding the defaults (see docs/correlation.md)')
    .option('--label-column <name>', 'the column holding the ground truth', 'time_label')
    .option('--benign <label>', 'the label of alerts that belong to no attack step', 'false_positive')
    .option('--quiet', 'print no progress')
    .action(async (file: string, options: EvalOptions) => {
      process.stdout.write(await evaluateCorrelation(file, options));
    });
}

export async function evaluateCorrelation(file: string, options: EvalOptions): Promise<string> {
  const started = performance.now();
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const hint = error.code === 'ENOENT' && file.includes('shared/data') ? ' (the shared evaluation data is not present on this machine)' : '';
    throw new CliError(`cannot read ${file}: ${error.code ?? error.message}${hint}`);
  });
  let table;
  try {
    table = readAlertCsv(text, { labelColumn: options.labelColumn });
  } catch (error) {
    if (error instanceof AlertCsvError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
  const settings = options.settings ? await readSettings(options.settings) : undefined;
  let correlator: Correlator;
  try {
    correlator = new Correlator({ assets: table.assets, settings: { defaults: settings } });
  } catch (error) {
    if (error instanceof CorrelationSettingsError) throw new CliError(`${options.settings}: ${error.message}`);
    throw error;
  }

  // Replay in time order, as the SIEM delivered them; rows of equal time keep their file order.
  const order = table.alerts.map((_, i) => i).sort((a, b) => table.alerts[a]!.time - table.alerts[b]!.time || a - b);
  const ledger = new IncidentLedger();
  const progress = startProgress({ label: 'correlating', total: order.length, unit: 'alerts', quiet: options.quiet ?? false });
  const correlationStarted = performance.now();
  let done = 0;
  for (const i of order) {
    for (const decision of correlator.correlate(table.alerts[i]!)) ledger.apply(decision);
    if (++done % 2_048 === 0) progress.update(done);
  }
  for (const decision of correlator.flush()) ledger.apply(decision);
  const correlationSeconds = (performance.now() - correlationStarted) / 1000;
  progress.done(`${order.length} alerts`);

  // Incidents numbered 1.. in order of their first row, so the output reads naturally.
  const numbers = new Map<string, number>();
  const incidentOf = table.alerts.map((a) => {
    const id = ledger.incidentOf(a.id)!;
    if (!numbers.has(id)) numbers.set(id, numbers.size + 1);
    return String(numbers.get(id));
  });
  if (options.out) {
    const lines = incidentOf.map((incident, i) => `${i + 1},${incident}`);
    await writeFile(options.out, `row,incident\n${lines.join('\n')}\n`).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${options.out}: ${error.code ?? error.message}`);
    });
  }
  const score = table.labels ? scoreGrouping(table.labels, incidentOf, options.benign) : null;
  const totalSeconds = (performance.now() - started) / 1000;
  return report(table.alerts.length, numbers.size, score, correlationSeconds, totalSeconds, options);
}

async function readSettings(file: string): Promise<CorrelationSettingsInput> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as CorrelationSettingsInput;
  } catch (error) {
    throw new CliError(`${file}: not valid settings JSON (${(error as Error).message})`);
  }
}

function report(alerts: number, incidents: number, score: GroupingScore | null, correlationSeconds: number, totalSeconds: number, options: EvalOptions): string {
  const lines = [
    `alerts            ${alerts}`,
    `incidents made    ${incidents}`,
    `compression       ${(alerts / Math.max(1, incidents)).toFixed(1)} alerts per incident`,
  ];
  if (score) {
    const recalled = score.steps.filter((s) => s.recalled);
    const missed = score.steps.filter((s) => !s.recalled).map((s) => s.label);
    lines.push(
      `purity            ${score.purity.toFixed(3)} (share of alerts carrying their incident's dominant label; ${score.meanIncidentPurity.toFixed(3)} averaged per incident)`,
      `step recall       ${score.stepRecall.toFixed(2)} (${recalled.length} of ${score.steps.length} steps have an incident made mostly of them${missed.length ? `; missed: ${missed.join(', ')}` : ''})`,
      '',
      'step                       alerts  incidents mostly it  largest',
      ...score.steps.map((s) => `${s.label.padEnd(26)} ${String(s.alerts).padStart(6)}  ${String(s.incidentsMostlyThis).padStart(19)}  ${String(s.largestIncident).padStart(7)}`),
      '',
    );
  } else {
    lines.push(`(no "${options.labelColumn}" column: purity and step recall need labels)`);
  }
  const rate = alerts / Math.max(correlationSeconds, 1e-9);
  lines.push(`run time          ${totalSeconds.toFixed(2)} s (correlation ${correlationSeconds.toFixed(2)} s, ${Math.round(rate).toLocaleString('en')} alerts/s)`);
  if (options.out) lines.push(`written           ${options.out}`);
  return `${lines.join('\n')}\n`;
}
