/** The evaluation files around BATADAL: attack windows, predictions, labels. Text in, data out. */
import { CsvFormatError, LABEL_COLUMN, parseTime, splitCsv, TIME_COLUMN } from './csv.js';
import type { AttackWindow, HourlyPrediction } from './score.js';

/** `attack_id,start,end_inclusive` (extra columns ignored; `id`/`end` accepted too). */
export function parseAttackWindows(text: string, source = 'attacks'): AttackWindow[] {
  const [header, ...lines] = splitCsv(text);
  if (!header) throw new CsvFormatError(`${source}: empty file`);
  const col = (...names: string[]): number => header.findIndex((h) => names.includes(h.toLowerCase()));
  const idCol = col('attack_id', 'id', 'attack');
  const startCol = col('start', 'start_time', 'from');
  const endCol = col('end_inclusive', 'end', 'end_time', 'to');
  if (startCol < 0 || endCol < 0) throw new CsvFormatError(`${source}: needs columns start and end_inclusive (or end)`);
  return lines.map((line, i) => {
    const where = `${source} line ${i + 2}`;
    const start = parseTime(line[startCol] ?? '');
    const end = parseTime(line[endCol] ?? '');
    if (Number.isNaN(start) || Number.isNaN(end)) throw new CsvFormatError(`${where}: cannot read start/end times`);
    if (end < start) throw new CsvFormatError(`${where}: end is before start`);
    return { id: idCol >= 0 && line[idCol] ? line[idCol]! : String(i + 1), start, end };
  });
}

/** `DATETIME,ATT_FLAG` with 0/1 (any other value is an error: predictions must decide). */
export function parsePredictions(text: string, source = 'predictions'): HourlyPrediction[] {
  const { times, flags } = timeAndFlag(text, source);
  return times.map((time, i) => {
    const flag = flags[i]!;
    if (flag !== 0 && flag !== 1) throw new CsvFormatError(`${source} line ${i + 2}: ATT_FLAG must be 0 or 1`);
    return { time, alarm: flag === 1 };
  });
}

/** Any CSV with a time column and ATT_FLAG: 1 attack, 0 normal, anything else (−999) unlabelled. */
export function parseLabels(text: string, source = 'labels'): { time: number; flag: number }[] {
  const { times, flags } = timeAndFlag(text, source);
  return times.map((time, i) => ({ time, flag: flags[i]! }));
}

function timeAndFlag(text: string, source: string): { times: number[]; flags: number[] } {
  const [header, ...lines] = splitCsv(text);
  if (!header) throw new CsvFormatError(`${source}: empty file`);
  let timeCol = header.findIndex((h) => TIME_COLUMN.test(h));
  if (timeCol < 0) timeCol = 0;
  const flagCol = header.findIndex((h) => LABEL_COLUMN.test(h));
  if (flagCol < 0) throw new CsvFormatError(`${source}: no ATT_FLAG column`);
  const times: number[] = [];
  const flags: number[] = [];
  lines.forEach((line, i) => {
    const time = parseTime(line[timeCol] ?? '');
    const flag = Number(line[flagCol]);
    if (Number.isNaN(time)) throw new CsvFormatError(`${source} line ${i + 2}: cannot read time "${line[timeCol] ?? ''}"`);
    if (!Number.isFinite(flag)) throw new CsvFormatError(`${source} line ${i + 2}: ATT_FLAG "${line[flagCol] ?? ''}" is not a number`);
    times.push(time);
    flags.push(flag);
  });
  return { times, flags };
}

export function formatPredictions(timeTexts: string[], alarms: boolean[]): string {
  return `DATETIME,ATT_FLAG\n${timeTexts.map((t, i) => `${t},${alarms[i] ? 1 : 0}`).join('\n')}\n`;
}
