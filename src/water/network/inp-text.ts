/** The lexical side of EPANET's .inp format: lines, sections, words, numbers and times. */

/** A malformed or unsupported .inp file, pointing at the line a person must fix. */
export class InpError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly section: string,
  ) {
    super(`line ${line}${section ? ` [${section}]` : ''}: ${message}`);
    this.name = 'InpError';
  }
}

export interface InpLine {
  /** 1-based line number in the file. */
  number: number;
  section: string;
  words: string[];
  /** Text after the first ';', trimmed; undefined when there is none. */
  comment?: string;
  /** The line as written (for [TITLE]). */
  raw: string;
}

/** Splits the file into data lines grouped by section; handles CRLF, tabs, quotes and comments. */
export function splitInp(text: string): InpLine[] {
  const out: InpLine[] = [];
  let section = '';
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i] ?? '';
    const number = i + 1;
    const trimmed = raw.trim();
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = (header[1] ?? '').trim().toUpperCase();
      continue;
    }
    if (section === 'TITLE') {
      if (trimmed !== '') out.push({ number, section, words: [], raw });
      continue;
    }
    const cut = raw.indexOf(';');
    const data = cut >= 0 ? raw.slice(0, cut) : raw;
    const comment = cut >= 0 ? raw.slice(cut + 1).trim() : undefined;
    const words = tokenize(data);
    if (words.length === 0) {
      // A comment alone on its line carries meaning only for [CURVES] (the curve type, "PUMP: ...").
      if (section === 'CURVES' && comment) out.push({ number, section, words: [], comment, raw });
      continue;
    }
    if (section === '') throw new InpError('data before the first [SECTION] header', number, '');
    out.push({ number, section, words, comment: comment === '' ? undefined : comment, raw });
  }
  return out;
}

function tokenize(data: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(data); m; m = re.exec(data)) words.push(m[1] !== undefined ? `"${m[1]}"` : (m[2] ?? ''));
  return words;
}

export function parseNumber(word: string | undefined, what: string, line: InpLine): number {
  if (word === undefined) throw new InpError(`missing ${what}`, line.number, line.section);
  const value = Number(word);
  if (!Number.isFinite(value) || word.trim() === '') {
    throw new InpError(`${what} "${word}" is not a number`, line.number, line.section);
  }
  return value;
}

export function optionalNumber(word: string | undefined, what: string, line: InpLine, fallback: number): number {
  return word === undefined || word === '*' ? fallback : parseNumber(word, what, line);
}

/**
 * A duration or time of day as EPANET reads it: "1.5" (hours), "1:30", "1:30:00", optionally followed
 * by a unit (SEC, MIN, HOURS, DAYS) or AM/PM. Returns seconds.
 */
export function parseTime(words: string[], what: string, line: InpLine): number {
  const [value, unitWord] = words;
  if (value === undefined) throw new InpError(`missing ${what}`, line.number, line.section);
  const unit = unitWord?.toUpperCase();
  let seconds: number;
  if (value.includes(':')) {
    const parts = value.split(':').map((p) => Number(p));
    if (parts.length > 3 || parts.some((p) => !Number.isFinite(p))) {
      throw new InpError(`${what} "${value}" is not a time`, line.number, line.section);
    }
    seconds = (parts[0] ?? 0) * 3600 + (parts[1] ?? 0) * 60 + (parts[2] ?? 0);
  } else {
    const n = parseNumber(value, what, line);
    if (unit === undefined || unit === 'AM' || unit === 'PM' || unit.startsWith('HOUR')) seconds = n * 3600;
    else if (unit.startsWith('SEC')) seconds = n;
    else if (unit.startsWith('MIN')) seconds = n * 60;
    else if (unit.startsWith('DAY')) seconds = n * 86400;
    else throw new InpError(`unknown time unit "${unitWord}" for ${what}`, line.number, line.section);
  }
  if (unit === 'AM' || unit === 'PM') {
    if (seconds >= 13 * 3600) throw new InpError(`${what} "${value} ${unitWord}" is not a clock time`, line.number, line.section);
    if (seconds >= 12 * 3600) seconds -= 12 * 3600;
    if (unit === 'PM') seconds += 12 * 3600;
  }
  return Math.round(seconds);
}

/** Seconds as EPANET's h:mm:ss (hours may exceed 24). */
export function formatTime(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** Shortest text that reads back as the same double. */
export function formatNumber(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}
