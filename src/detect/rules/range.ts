import { isUsable, numericValue, type AlertDraft, type Detector, type Observation } from '../model.js';
import type { RangeSettings } from '../settings.js';
import { draft, fmt, watchedStreams } from './common.js';

/**
 * Range / threshold: one alert when a datastream leaves [min, max]; it re-arms once a reading is back
 * inside, so an excursion is one alarm, not one per reading.
 */
export function createRangeDetector(settings: RangeSettings): Detector {
  const outside = new Set<string>();
  const span = settings.min !== undefined && settings.max !== undefined ? settings.max - settings.min : undefined;
  return {
    id: settings.id,
    kind: 'range',
    datastreams: watchedStreams(settings.datastreams),
    observe(observation: Observation): AlertDraft[] {
      if (!isUsable(observation)) return [];
      const v = numericValue(observation.value);
      const low = settings.min !== undefined && v < settings.min;
      const high = settings.max !== undefined && v > settings.max;
      if (!low && !high) {
        outside.delete(observation.datastream);
        return [];
      }
      if (outside.has(observation.datastream)) return [];
      outside.add(observation.datastream);
      const bound = (low ? settings.min : settings.max) as number;
      const excess = v - bound;
      const scale = span ?? Math.max(Math.abs(bound), 1);
      const where = low ? `below its minimum ${fmt(bound)}` : `above its maximum ${fmt(bound)}`;
      return [
        draft(
          { ...settings, kind: 'range' },
          { severity: 'medium' },
          `${observation.datastream} ${low ? 'low' : 'high'}: ${fmt(v)} ${where}`,
          {
            datastream: observation.datastream,
            check: 'range',
            time: observation.time,
            observed: v,
            expected: bound,
            lower: settings.min,
            upper: settings.max,
            deviation: excess,
            ratio: 1 + Math.abs(excess) / scale,
          },
          `${observation.datastream} read ${fmt(v)}, ${fmt(Math.abs(excess))} ${where}.`,
        ),
      ];
    },
  };
}
