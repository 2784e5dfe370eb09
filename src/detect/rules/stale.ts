import { isUsable, type AlertDraft, type Detector, type Observation } from '../model.js';
import type { StaleSettings } from '../settings.js';
import { draft, fmt, watchedStreams } from './common.js';

/**
 * Stale sensor: no usable reading for `periods` × `periodSeconds` before the `now` given to `tick`.
 * A listed datastream never heard from counts from the first tick. With `["*"]` only datastreams seen at
 * least once are watched (there is no list to know the others from). One alert per silence.
 */
export function createStaleDetector(settings: StaleSettings): Detector {
  const limitMs = settings.periods * settings.periodSeconds * 1000;
  const lastSeen = new Map<string, number>();
  const silent = new Set<string>();
  const listed = settings.datastreams.includes('*') ? [] : settings.datastreams;
  let firstTick: number | undefined;
  return {
    id: settings.id,
    kind: 'stale',
    datastreams: watchedStreams(settings.datastreams),
    observe(observation: Observation): AlertDraft[] {
      if (!isUsable(observation)) return [];
      const previous = lastSeen.get(observation.datastream) ?? -Infinity;
      if (observation.time > previous) lastSeen.set(observation.datastream, observation.time);
      silent.delete(observation.datastream);
      return [];
    },
    tick(now: number): AlertDraft[] {
      firstTick ??= now;
      const alerts: AlertDraft[] = [];
      const streams = new Set([...listed, ...lastSeen.keys()]);
      for (const stream of streams) {
        const seen = lastSeen.get(stream);
        const since = seen ?? firstTick;
        const quietMs = now - since;
        if (quietMs <= limitMs || silent.has(stream)) continue;
        silent.add(stream);
        const periods = quietMs / (settings.periodSeconds * 1000);
        alerts.push(
          draft(
            { ...settings, kind: 'stale' },
            { severity: 'low' },
            `${stream} silent for ${fmt(periods)} periods`,
            {
              datastream: stream,
              check: 'stale',
              time: now,
              observed: null,
              deviation: quietMs / 1000,
              ratio: quietMs / limitMs,
              note: seen === undefined ? 'no reading since detection started' : `last reading ${new Date(seen).toISOString()}`,
            },
            `${stream}: no usable reading for ${fmt(quietMs / 1000)} s (${fmt(periods)} periods of ${fmt(settings.periodSeconds)} s; limit ${settings.periods}).`,
          ),
        );
      }
      return alerts;
    },
  };
}
