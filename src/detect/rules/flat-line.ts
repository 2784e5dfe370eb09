import { isUsable, numericValue, type AlertDraft, type Detector, type Observation } from '../model.js';
import type { FlatLineSettings } from '../settings.js';
import { draft, fmt, watchedStreams } from './common.js';

/**
 * Flat line: a live sensor always jitters a little; `periods` consecutive readings that all stay within
 * `tolerance` of the first of them suggest a frozen sensor, a stuck PLC register or a replay of a constant.
 * One alert per flat stretch; it re-arms when the value moves.
 */
export function createFlatLineDetector(settings: FlatLineSettings): Detector {
  const tolerance = settings.tolerance ?? 0;
  const runs = new Map<string, { anchor: number; since: number; count: number; alerted: boolean; lastTime: number }>();
  return {
    id: settings.id,
    kind: 'flat-line',
    datastreams: watchedStreams(settings.datastreams),
    observe(observation: Observation): AlertDraft[] {
      if (!isUsable(observation)) return [];
      const v = numericValue(observation.value);
      const run = runs.get(observation.datastream);
      if (run && observation.time <= run.lastTime) return [];
      if (!run || Math.abs(v - run.anchor) > tolerance) {
        runs.set(observation.datastream, { anchor: v, since: observation.time, count: 1, alerted: false, lastTime: observation.time });
        return [];
      }
      run.count += 1;
      run.lastTime = observation.time;
      if (run.alerted || run.count < settings.periods) return [];
      run.alerted = true;
      const hours = (observation.time - run.since) / 3_600_000;
      return [
        draft(
          { ...settings, kind: 'flat-line' },
          { severity: 'low' },
          `${observation.datastream} flat at ${fmt(run.anchor)} for ${run.count} readings`,
          {
            datastream: observation.datastream,
            check: 'flat-line',
            time: observation.time,
            observed: v,
            expected: run.anchor,
            deviation: v - run.anchor,
            ratio: run.count / settings.periods,
            note: `unchanged within ${fmt(tolerance)} since ${new Date(run.since).toISOString()}`,
          },
          `${observation.datastream} has stayed within ${fmt(tolerance)} of ${fmt(run.anchor)} for ${run.count} readings (${fmt(hours)} h).`,
        ),
      ];
    },
  };
}
