/**
 * Progress for long-running CLI work (imports, replays, simulations, evaluations).
 * On a terminal it redraws one line; in a pipe or CI log it prints a line every few seconds,
 * so logs stay readable and the person watching still sees that work moves.
 */
export interface Progress {
  /** Set the absolute amount done (same unit as `total`). */
  update(done: number, note?: string): void;
  /** Add to the amount done. */
  tick(by?: number, note?: string): void;
  /** Finish the line and print a final summary. */
  done(summary?: string): void;
}

export interface ProgressOptions {
  label: string;
  total?: number;
  unit?: string;
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between two non-terminal lines. */
  logIntervalMs?: number;
  /** Silence everything (used by tests and --quiet). */
  quiet?: boolean;
}

export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const interactive = Boolean(stream.isTTY);
  const unit = options.unit ? ` ${options.unit}` : '';
  const logInterval = options.logIntervalMs ?? 2000;
  const started = Date.now();
  let done = 0;
  let lastDraw = 0;
  let lastNote = '';

  const line = (): string => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const rateText = rate > 0 ? `, ${formatCount(rate)}${unit}/s` : '';
    const note = lastNote ? ` ${lastNote}` : '';
    if (options.total && options.total > 0) {
      const pct = Math.min(100, (100 * done) / options.total);
      return `${options.label}: ${pct.toFixed(1)}% (${formatCount(done)}/${formatCount(options.total)}${unit}${rateText})${note}`;
    }
    return `${options.label}: ${formatCount(done)}${unit}${rateText}${note}`;
  };

  const draw = (force: boolean): void => {
    if (options.quiet) return;
    const now = Date.now();
    if (interactive) {
      if (!force && now - lastDraw < 100) return;
      stream.write(`\r\x1b[2K${line()}`);
    } else {
      if (!force && now - lastDraw < logInterval) return;
      stream.write(`${line()}\n`);
    }
    lastDraw = now;
  };

  return {
    update(value, note) {
      done = value;
      if (note !== undefined) lastNote = note;
      draw(false);
    },
    tick(by = 1, note) {
      done += by;
      if (note !== undefined) lastNote = note;
      draw(false);
    },
    done(summary) {
      if (options.quiet) return;
      draw(true);
      if (interactive) stream.write('\n');
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`${options.label}: ${summary ?? 'done'} in ${seconds} s\n`);
    },
  };
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
