import { isUsable, numericValue, type AlertDraft, type Detector, type Observation } from '../model.js';
import type { RateOfChangeSettings } from '../settings.js';
import { draft, fmt, watchedStreams } from './common.js';

/**
 * Rate of change between consecutive usable readings of a datastream, scaled to `perSeconds`
 * (default one hour). Readings with the same or an earlier time than the last one are ignored:
 * a rate over no time means nothing.
 */
export function createRateOfChangeDetector(settings: RateOfChangeSettings): Detector {
  const perMs = (settings.perSeconds ?? 3600) * 1000;
  const last = new Map<string, { time: number; value: number }>();
  return {
    id: settings.id,
    kind: 'rate-of-change',
    datastreams: watchedStreams(settings.datastreams),
    observe(observation: Observation): AlertDraft[] {
      if (!isUsable(observation)) return [];
      const v = numericValue(observation.value);
      const previous = last.get(observation.datastream);
      if (previous && observation.time <= previous.time) return [];
      last.set(observation.datastream, { time: observation.time, value: v });
      if (!previous) return [];
      const rate = ((v - previous.value) / (observation.time - previous.time)) * perMs;
      if (Math.abs(rate) <= settings.maxChange) return [];
      const unit = settings.perSeconds === undefined ? 'per hour' : `per ${settings.perSeconds} s`;
      return [
        draft(
          { ...settings, kind: 'rate-of-change' },
          { severity: 'medium' },
          `${observation.datastream} ${rate > 0 ? 'rises' : 'falls'} at ${fmt(Math.abs(rate))} ${unit} (limit ${fmt(settings.maxChange)})`,
          {
            datastream: observation.datastream,
            check: 'rate-of-change',
            time: observation.time,
            observed: v,
            expected: previous.value,
            deviation: v - previous.value,
            ratio: Math.abs(rate) / settings.maxChange,
            note: `rate ${fmt(rate)} ${unit}`,
          },
          `${observation.datastream} went from ${fmt(previous.value)} to ${fmt(v)} in ${fmt((observation.time - previous.time) / 1000)} s, ` +
            `${fmt(Math.abs(rate) / settings.maxChange)} times the allowed ${fmt(settings.maxChange)} ${unit}.`,
        ),
      ];
    },
  };
}
