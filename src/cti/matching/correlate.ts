import type { ObservationExpression } from '../pattern/ast.js';

/**
 * Patterns of several observations ([A] FOLLOWEDBY [B], [A] AND [B] WITHIN 300 SECONDS, [A] REPEATS 5 TIMES …)
 * are satisfied by several events over time. The correlator keeps, per indicator, when each observation last
 * matched (bounded), and after each new match says whether the whole pattern now holds with an occurrence that
 * ends at this event — so an old combination is not raised again by an unrelated event.
 *
 * REPEATS counts occurrences of its sub-expression; like most implementations it does not insist that the n
 * occurrences use disjoint events.
 */
export type PatternShape =
  | { kind: 'leaf'; index: number }
  | { kind: 'AND' | 'OR' | 'FOLLOWEDBY'; left: PatternShape; right: PatternShape }
  | { kind: 'within'; ms: number; of: PatternShape }
  | { kind: 'repeats'; times: number; of: PatternShape }
  | { kind: 'startStop'; start: number; stop: number; of: PatternShape };

/** The shape of a pattern, its `[ … ]` numbered left to right as the matcher numbers them. */
export function patternShape(e: ObservationExpression, counter = { next: 0 }): PatternShape {
  if (e.kind === 'observation') return { kind: 'leaf', index: counter.next++ };
  if (e.kind === 'observationExpressions') {
    const left = patternShape(e.left, counter);
    return { kind: e.operator, left, right: patternShape(e.right, counter) };
  }
  const of = patternShape(e.expression, counter);
  const q = e.qualifier;
  if (q.kind === 'within') return { kind: 'within', ms: q.seconds * 1000, of };
  if (q.kind === 'repeats') return { kind: 'repeats', times: q.times, of };
  return { kind: 'startStop', start: Date.parse(q.start), stop: Date.parse(q.stop), of };
}

type Interval = readonly [start: number, end: number];

export interface CorrelatorOptions {
  /** Observations older than this are forgotten (default 24 h); WITHIN windows longer than it cannot be met. */
  horizonMs?: number;
  /** Occurrences kept per observation and per sub-expression (default 64). */
  maxOccurrences?: number;
  /** Indicators with partial matches remembered at once; the least recently seen are forgotten (default 100,000). */
  maxIndicators?: number;
}

export class PatternCorrelator {
  private readonly seen = new Map<string, number[][]>();
  private readonly horizonMs: number;
  private readonly max: number;
  private readonly maxIndicators: number;

  constructor(options: CorrelatorOptions = {}) {
    this.horizonMs = options.horizonMs ?? 24 * 3600 * 1000;
    this.max = options.maxOccurrences ?? 64;
    this.maxIndicators = options.maxIndicators ?? 100_000;
  }

  /** Records that observation `index` of an indicator matched at `time` (ms); true if the pattern now holds. */
  observe(indicatorId: string, shape: PatternShape, index: number, time: number): boolean {
    // Map order is recency order: re-insert on every use, evict from the front.
    const history = this.seen.get(indicatorId) ?? [];
    this.seen.delete(indicatorId);
    this.seen.set(indicatorId, history);
    if (this.seen.size > this.maxIndicators) this.seen.delete(this.seen.keys().next().value!);
    const times = (history[index] ??= []);
    times.push(time);
    times.sort((a, b) => a - b);
    const oldest = time - this.horizonMs;
    for (const list of history) {
      while (list && list.length > 0 && (list[0]! < oldest || list.length > this.max)) list.shift();
    }
    return this.evaluate(shape, history).some(([, end]) => end === time);
  }

  forget(indicatorId: string): void {
    this.seen.delete(indicatorId);
  }

  get tracked(): number {
    return this.seen.size;
  }

  private evaluate(shape: PatternShape, history: number[][]): Interval[] {
    switch (shape.kind) {
      case 'leaf':
        return (history[shape.index] ?? []).map((t): Interval => [t, t]);
      case 'OR':
        return this.keep([...this.evaluate(shape.left, history), ...this.evaluate(shape.right, history)]);
      case 'AND':
      case 'FOLLOWEDBY': {
        const left = this.evaluate(shape.left, history);
        const right = this.evaluate(shape.right, history);
        const out: Interval[] = [];
        for (const a of left) {
          for (const b of right) {
            if (shape.kind === 'FOLLOWEDBY' && a[1] > b[0]) continue;
            out.push([Math.min(a[0], b[0]), Math.max(a[1], b[1])]);
          }
        }
        return this.keep(out);
      }
      case 'within':
        return this.evaluate(shape.of, history).filter(([s, e]) => e - s <= shape.ms);
      case 'startStop':
        return this.evaluate(shape.of, history).filter(([s, e]) => s >= shape.start && e < shape.stop);
      case 'repeats': {
        const inner = [...this.evaluate(shape.of, history)].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
        const out: Interval[] = [];
        for (let i = shape.times - 1; i < inner.length; i++) {
          const group = inner.slice(i - shape.times + 1, i + 1);
          out.push([Math.min(...group.map((g) => g[0])), inner[i]![1]]);
        }
        return this.keep(out);
      }
    }
  }

  /** The most recent occurrences (by end, then the tightest), without duplicates. */
  private keep(intervals: Interval[]): Interval[] {
    intervals.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    const out: Interval[] = [];
    for (const i of intervals) {
      const last = out[out.length - 1];
      if (last && last[0] === i[0] && last[1] === i[1]) continue;
      out.push(i);
      if (out.length >= this.max) break;
    }
    return out;
  }
}
