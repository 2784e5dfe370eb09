/**
 * `vigil detect …` and `vigil eval batadal`: train a SCADA attack model, run it over a log, score
 * predictions. The file I/O of the detection capability lives here and only here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, loadCliConfig } from '../kernel/cli-error.js';
import { SYSTEM_ACTOR } from '../kernel/kernel.js';
import { findOrganisation } from '../organisations/queries.js';
import { openVigil } from '../server.js';
import { saveModel } from './store.js';
import { startProgress, type Progress } from '../kernel/progress.js';
import { CsvFormatError, increasingRows, parseScadaLog, type ScadaLog } from './batadal/csv.js';
import { formatPredictions, parseAttackWindows, parseLabels, parsePredictions } from './batadal/files.js';
import { confusion, scoreBatadal, windowsFromLabels, type BatadalScore } from './batadal/score.js';
import { reportingResolution } from './scada/features.js';
import { assessTable } from './scada/monitor.js';
import { DEFAULT_SCADA_PARAMETERS, parseScadaModel, ScadaModelError, type ScadaModel, type ScadaModelParameters } from './scada/model.js';
import { trainScadaModel } from './scada/train.js';

export function registerDetectCli(program: Command): void {
  const detect = program.command('detect').description('Detection: train and run the SCADA attack detector');

  detect
    .command('train')
    .description('Train a SCADA attack model on attack-free history and save it as JSON')
    .requiredOption('--train <csv...>', 'attack-free SCADA logs (time column + one column per tag)')
    .option('--out <model.json>', 'where to write the model')
    .option('--org <slug>', "also store it in the database as the organisation's next version of --name")
    .option('--name <name>', 'the stored model\'s name, as detector settings refer to it', 'scada')
    .option('--set <key=value...>', `override a training parameter (${Object.keys(DEFAULT_SCADA_PARAMETERS).join(', ')})`)
    .option('--quiet', 'no progress lines')
    .action(async (opts: { train: string[]; out?: string; org?: string; name: string; set?: string[]; quiet?: boolean }) => {
      if (!opts.out && !opts.org) throw new CliError('give --out <model.json>, --org <slug>, or both');
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(opts.name)) throw new CliError(`--name ${opts.name}: use letters, digits, '_', '.', '-'`);
      const model = train(opts.train, Boolean(opts.quiet), overrides(opts.set));
      if (opts.out) {
        write(opts.out, `${JSON.stringify(model)}\n`);
        if (!opts.quiet) process.stderr.write(`model ${model.training.fingerprint.slice(0, 19)}… written to ${opts.out}\n`);
      }
      if (opts.org) {
        const kernel = await openVigil(loadCliConfig());
        try {
          const org = await findOrganisation(kernel.store.db, opts.org);
          if (!org) throw new CliError(`no organisation "${opts.org}"`);
          const info = await kernel.write({ ...SYSTEM_ACTOR, orgId: org.id }, (w) => saveModel(w, org.id, opts.name, model));
          process.stderr.write(`stored as ${info.name}@${info.version} for ${org.slug}; a running Vigil uses it when the organisation's detectors are next built (PUT /api/v1/detectors)\n`);
        } finally {
          await kernel.close();
        }
      }
    });

  detect
    .command('batadal')
    .description('Train on attack-free history, then flag every hour of --input: writes DATETIME,ATT_FLAG (0/1)')
    .option('--train <csv...>', 'attack-free SCADA logs to train on (e.g. BATADAL_dataset03.csv)')
    .option('--model <model.json>', 'use a saved model instead of training')
    .requiredOption('--input <csv>', 'SCADA log to assess; label columns (ATT_FLAG) are ignored')
    .requiredOption('--out <csv>', 'predictions file to write')
    .option('--save-model <model.json>', 'also save the trained model')
    .option('--set <key=value...>', 'override a training parameter (see `vigil detect train --help`)')
    .option('--alarms <jsonl>', 'also write one JSON line per alarming hour with the deviating tags')
    .option('--quiet', 'no progress lines')
    .action((opts: { train?: string[]; model?: string; input: string; out: string; saveModel?: string; alarms?: string; set?: string[]; quiet?: boolean }) => {
      const quiet = Boolean(opts.quiet);
      if (!opts.train?.length && !opts.model) throw new CliError('give --train <csv>... (attack-free history) or --model <model.json>');
      if (opts.train?.length && opts.model) throw new CliError('give either --train or --model, not both');
      if (opts.model && opts.set) throw new CliError('--set applies to training; a saved model keeps its own parameters');
      const log = guard(opts.input, () => parseScadaLog(readText(opts.input), opts.input, 'lenient'));
      const parameters = overrides(opts.set);
      // Train no finer than the input reports: rounding alone must never look like an attack.
      const inputResolution = reportingResolution(log.table);
      const resolution = parameters.resolution ?? DEFAULT_SCADA_PARAMETERS.resolution;
      if (!opts.model && inputResolution > resolution) {
        parameters.resolution = inputResolution;
        if (!quiet) process.stderr.write(`note: ${opts.input} reports to ${inputResolution}; training at that resolution\n`);
      }
      const model = opts.model ? loadModel(opts.model) : train(opts.train!, quiet, parameters);
      if (opts.model && inputResolution > model.parameters.resolution) {
        process.stderr.write(`warning: ${opts.input} reports to ${inputResolution}, coarser than the model's ${model.parameters.resolution}: expect false alarms; retrain\n`);
      }
      if (opts.saveModel) write(opts.saveModel, `${JSON.stringify(model)}\n`);
      const missing = model.tags.filter((t) => !log.table.tags.includes(t));
      if (missing.length) throw new CliError(`${opts.input} lacks tags the model was trained on: ${missing.join(', ')}`);
      const ordered = increasingRows(log.table);
      const skipped = log.table.rows.length - ordered.table.rows.length;
      if (skipped && !quiet) process.stderr.write(`note: ${skipped} line(s) of ${opts.input} repeat or go back in time; each takes the verdict of the hour before it\n`);
      const progress = startProgress({ label: 'assessing', total: ordered.table.rows.length, unit: 'h', quiet });
      const assessed = assessTable(model, ordered.table, {}, (i) => progress.update(i + 1));
      const results = ordered.verdictOf.map((k) => assessed[k]!);
      const alarms = results.map((r) => r.alarm);
      progress.done(`${alarms.filter(Boolean).length} of ${alarms.length} hours flagged`);
      write(opts.out, formatPredictions(log.timeTexts, alarms));
      if (opts.alarms) {
        const lines = assessed.flatMap((r) => (r.alarm ? [JSON.stringify({ ...r, isoTime: new Date(r.time).toISOString() })] : []));
        write(opts.alarms, lines.length ? `${lines.join('\n')}\n` : '');
      }
    });

  const evaluate = program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('Evaluate detectors against reference data');
  evaluate
    .command('batadal')
    .description('Score hourly predictions with the BATADAL score: per-attack time to detection, S_TTD, S_CM (TPR, TNR), S')
    .requiredOption('--predictions <csv>', 'DATETIME,ATT_FLAG (0/1), e.g. from `vigil detect batadal`')
    .option('--attacks <csv>', 'attack windows: attack_id,start,end_inclusive (positive hours)')
    .option('--labels <csv>', 'a CSV with ATT_FLAG labels (1/0; -999 unlabelled): extra TPR/TNR on labelled hours; windows from its runs of 1 when --attacks is absent')
    .option('--json', 'print the result as JSON')
    .action((opts: { predictions: string; attacks?: string; labels?: string; json?: boolean }) => {
      if (!opts.attacks && !opts.labels) throw new CliError('give --attacks <windows.csv> (or --labels <csv> to derive the windows)');
      const predictions = guard(opts.predictions, () => parsePredictions(readText(opts.predictions), opts.predictions));
      const labels = opts.labels ? guard(opts.labels, () => parseLabels(readText(opts.labels!), opts.labels)) : undefined;
      const windows = opts.attacks
        ? guard(opts.attacks, () => parseAttackWindows(readText(opts.attacks!), opts.attacks))
        : windowsFromLabels(labels!);
      if (windows.length === 0) throw new CliError('no attack windows found: nothing to score');
      const score = scoreBatadal(predictions, windows);
      const byTime = new Map(predictions.map((p) => [p.time, p.alarm]));
      const labelled = labels
        ? confusion(labels.filter((l) => (l.flag === 0 || l.flag === 1) && byTime.has(l.time)).map((l) => ({ alarm: byTime.get(l.time)!, positive: l.flag === 1 })))
        : undefined;
      process.stdout.write(opts.json ? `${JSON.stringify({ ...score, labelled }, null, 2)}\n` : report(score, labelled));
    });
}

function report(score: BatadalScore, labelled?: ReturnType<typeof confusion>): string {
  const iso = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  const f = (n: number): string => n.toFixed(4);
  const lines = ['attack  start             end (incl.)       hours  first alarm       TTD h  TTD/Δt  hourly recall'];
  for (const a of score.attacks) {
    lines.push(
      `${a.id.padEnd(7)} ${iso(a.start)}  ${iso(a.end)}  ${String(a.hours).padStart(5)}  ${(a.firstAlarm ? iso(a.firstAlarm) : 'not detected').padEnd(16)}  ` +
        `${a.ttdHours.toFixed(0).padStart(5)}  ${a.ttdFraction.toFixed(3).padStart(6)}  ${a.hourlyRecall.toFixed(3).padStart(13)}`,
    );
  }
  lines.push('');
  lines.push(`S_TTD = ${f(score.sTtd)}`);
  lines.push(`TPR   = ${f(score.tpr)}  (${score.truePositives}/${score.positives} attack hours flagged)`);
  lines.push(`TNR   = ${f(score.tnr)}  (${score.trueNegatives}/${score.negatives} normal hours quiet)`);
  lines.push(`S_CM  = ${f(score.sCm)}`);
  lines.push(`S     = ${f(score.s)}  (γ = ${score.gamma})`);
  if (labelled) {
    lines.push('');
    const rate = (value: number, hit: number, of: number): string => (of ? `${f(value)} (${hit}/${of})` : 'n/a (no such labelled hours)');
    lines.push(`on labelled hours only: TPR ${rate(labelled.tpr, labelled.truePositives, labelled.positives)}, TNR ${rate(labelled.tnr, labelled.trueNegatives, labelled.negatives)}`);
  }
  return `${lines.join('\n')}\n`;
}

function overrides(settings: string[] = []): Partial<ScadaModelParameters> {
  const out: Partial<ScadaModelParameters> = {};
  for (const item of settings) {
    const [key, text] = item.split('=', 2);
    const value = Number(text);
    if (!key || !(key in DEFAULT_SCADA_PARAMETERS)) {
      throw new CliError(`--set ${item}: unknown parameter; known: ${Object.keys(DEFAULT_SCADA_PARAMETERS).join(', ')}`);
    }
    if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < 0) throw new CliError(`--set ${item}: value must be a number, 0 or more`);
    out[key as keyof ScadaModelParameters] = value;
  }
  return out;
}

function train(files: string[], quiet: boolean, parameters: Partial<ScadaModelParameters> = {}): ScadaModel {
  const logs = files.map(readLog);
  let progress: Progress | undefined;
  try {
    const model = trainScadaModel(logs.map((l) => l.table), parameters, (done, total, note) => {
      progress ??= startProgress({ label: 'training', total, unit: 'checks', quiet });
      progress.update(done, note);
    });
    progress?.done(`${model.checks.length} consistency checks over ${model.modelled.length} tags, ${model.training.hours} h of history`);
    return model;
  } catch (error) {
    if (error instanceof ScadaModelError) throw new CliError(`cannot train: ${error.message}`);
    throw error;
  }
}

function loadModel(path: string): ScadaModel {
  let json: unknown;
  try {
    json = JSON.parse(readText(path));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseScadaModel(json);
  } catch (error) {
    if (error instanceof ScadaModelError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

function readLog(path: string): ScadaLog {
  return guard(path, () => parseScadaLog(readText(path), path));
}

function guard<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CsvFormatError) throw new CliError(error.message);
    if (error instanceof RangeError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${(error as Error).message}`);
  }
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
