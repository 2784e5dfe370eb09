/**
 * Feeds a period-based detector (the SCADA attack detector: one reading per tag per hour) from feeds of
 * any cadence. A feed that reports once a period or less often is passed through at once, each reading
 * standing for its period; a faster feed is averaged, and its period's mean is passed on when the feed's
 * first reading of a later period arrives. The first reading of a feed waits for the second, which tells
 * the cadence. Pure, like every detector.
 */
import { isUsable, numericValue, type AlertDraft, type Detector, type Observation } from './model.js';

interface Feed {
  slot: number;
  sum: number;
  n: number;
  last: number;
  slow: boolean;
}

export function periodMeans(inner: Detector, periodMs: number): Detector {
  const feeds = new Map<string, Feed>();
  const pass = (datastream: string, slot: number, f: Feed, out: AlertDraft[]) => {
    if (f.n > 0) out.push(...inner.observe({ datastream, time: slot, value: f.sum / f.n }));
    f.sum = 0;
    f.n = 0;
  };
  return {
    id: inner.id,
    kind: inner.kind,
    datastreams: inner.datastreams,
    observe(o: Observation): AlertDraft[] {
      if (!isUsable(o)) return [];
      const v = numericValue(o.value);
      const slot = Math.floor(o.time / periodMs) * periodMs;
      const f = feeds.get(o.datastream);
      if (!f) {
        feeds.set(o.datastream, { slot, sum: v, n: 1, last: o.time, slow: false });
        return [];
      }
      if (o.time <= f.last) return [];
      const out: AlertDraft[] = [];
      if (o.time - f.last >= periodMs) f.slow = true;
      else if (slot === f.slot) f.slow = false;
      if (slot > f.slot) {
        pass(o.datastream, f.slot, f, out);
        f.slot = slot;
      }
      f.sum += v;
      f.n += 1;
      f.last = o.time;
      if (f.slow) pass(o.datastream, slot, f, out);
      return out;
    },
    ...(inner.tick ? { tick: (now: number) => inner.tick!(now) } : {}),
  };
}
