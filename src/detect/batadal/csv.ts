/**
 * Reading SCADA logs and evaluation files as BATADAL publishes them, robustly: cells are trimmed (training
 * set 2 has a space after each comma), columns may come in any order, a UTF-8 BOM and CRLF line ends are
 * tolerated, times are `dd/mm/yy HH` (BATADAL) or ISO-like `yyyy-mm-dd HH[:MM[:SS]]`, read as UTC.
 * Pure: takes text, returns data; errors name the line.
 */
import type { ScadaTable } from '../scada/features.js';

export class CsvFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

/** Columns that are labels, never SCADA tags (BATADAL's attack flag). */
export const LABEL_COLUMN = /^att_flag$/i;
export const TIME_COLUMN = /^(datetime|date_?time|time|timestamp)$/i;

export interface ScadaLog {
  table: ScadaTable;
  /** The ATT_FLAG column when present: 1 attack, 0 normal, −999 (or anything else) unlabelled. */
  labels?: number[];
  /** The time cells as written, for echoing them back in predictions. */
  timeTexts: string[];
}

export function splitCsv(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: string[][] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    out.push(line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1').trim()));
  }
  return out;
}

/** Parse a time cell to epoch ms (UTC), or NaN. */
export function parseTime(text: string): number {
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})[ T]+(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(text);
  if (m) {
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return utc(year, Number(m[2]), Number(m[1]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0));
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?(?:Z)?$/.exec(text);
  if (m) return utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return NaN;
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  const t = Date.UTC(year, month - 1, day, hour, minute, second);
  return new Date(t).getUTCDate() === day ? t : NaN;
}

/**
 * `strict` (default) refuses a line whose time does not follow the previous one; `lenient` keeps it (for
 * assessing a log as given, one prediction per line: see `increasingRows`).
 */
export function parseScadaLog(text: string, source = 'input', order: 'strict' | 'lenient' = 'strict'): ScadaLog {
  const cells = splitCsv(text);
  const header = cells[0];
  if (!header || header.length < 2) throw new CsvFormatError(`${source}: no header line with a time column and tag columns`);
  let timeCol = header.findIndex((h) => TIME_COLUMN.test(h));
  if (timeCol < 0) timeCol = 0;
  const labelCol = header.findIndex((h) => LABEL_COLUMN.test(h));
  const tagCols = header.map((_, i) => i).filter((i) => i !== timeCol && i !== labelCol);
  const tags = tagCols.map((i) => header[i]!);
  const dup = tags.find((t, i) => tags.indexOf(t) !== i);
  if (dup) throw new CsvFormatError(`${source}: column ${dup} appears twice`);
  if (tags.some((t) => t === '')) throw new CsvFormatError(`${source}: a column has no name`);

  const times: number[] = [];
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  const timeTexts: string[] = [];
  for (let r = 1; r < cells.length; r++) {
    const line = cells[r]!;
    const where = `${source} line ${r + 1}`;
    if (line.length !== header.length) throw new CsvFormatError(`${where}: ${line.length} cells, header has ${header.length}`);
    const t = parseTime(line[timeCol]!);
    if (Number.isNaN(t)) throw new CsvFormatError(`${where}: cannot read time "${line[timeCol]}" (expected dd/mm/yy HH or yyyy-mm-dd HH:MM)`);
    if (order === 'strict' && times.length && t <= times[times.length - 1]!) throw new CsvFormatError(`${where}: time ${line[timeCol]} does not follow the previous line`);
    const row = new Float64Array(tagCols.length);
    tagCols.forEach((c, j) => {
      const cell = line[c]!;
      const v = cell === '' || /^(nan|null|na)$/i.test(cell) ? NaN : Number(cell);
      if (Number.isNaN(v) && cell !== '' && !/^(nan|null|na)$/i.test(cell)) {
        throw new CsvFormatError(`${where}: ${header[c]} = "${cell}" is not a number`);
      }
      row[j] = v;
    });
    times.push(t);
    rows.push(row);
    timeTexts.push(line[timeCol]!);
    if (labelCol >= 0) labels.push(Number(line[labelCol]));
  }
  if (rows.length === 0) throw new CsvFormatError(`${source}: no data lines`);
  return { table: { tags, times, rows }, ...(labelCol >= 0 ? { labels } : {}), timeTexts };
}

/**
 * For a leniently read log: the rows whose time is later than every row before them (what a monitor can
 * assess in order), and for every line the index of the kept row whose verdict it takes (a repeated or
 * out-of-order line takes the verdict of the latest kept row before it).
 */
export function increasingRows(table: ScadaTable): { table: ScadaTable; verdictOf: number[] } {
  const times: number[] = [];
  const rows: Float64Array[] = [];
  const verdictOf: number[] = [];
  table.times.forEach((t, i) => {
    if (!times.length || t > times[times.length - 1]!) {
      times.push(t);
      rows.push(table.rows[i]!);
    }
    verdictOf.push(times.length - 1);
  });
  return { table: { tags: table.tags, times, rows }, verdictOf };
}
