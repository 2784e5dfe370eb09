/** Small helpers for benchmark figures: percentiles over samples in milliseconds, printed as a table. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Figure {
  what: string;
  samples: number;
  medianMs: number;
  p99Ms: number;
  note?: string;
}

export function figure(what: string, samples: number[], note?: string): Figure {
  return { what, samples: samples.length, medianMs: percentile(samples, 50), p99Ms: percentile(samples, 99), ...(note ? { note } : {}) };
}

export function printFigures(title: string, figures: Figure[]): void {
  process.stdout.write(`\n${title}\n`);
  const width = Math.max(...figures.map((f) => f.what.length), 10);
  process.stdout.write(`  ${'what'.padEnd(width)}  ${'n'.padStart(6)}  ${'median ms'.padStart(10)}  ${'p99 ms'.padStart(10)}\n`);
  for (const f of figures) {
    process.stdout.write(
      `  ${f.what.padEnd(width)}  ${String(f.samples).padStart(6)}  ${format(f.medianMs).padStart(10)}  ${format(f.p99Ms).padStart(10)}${f.note ? `  ${f.note}` : ''}\n`,
    );
  }
}

export function format(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1 ? ms.toFixed(4) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

export function ratio(slow: number, fast: number): string {
  return `${(slow / fast).toFixed(slow / fast >= 100 ? 0 : 1)}×`;
}

/** Times one call in milliseconds. */
export function timed<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}
