/**
 * The SCADA attack model as a platform Detector: observations arrive one datastream at a time; they are
 * gathered into periods (hours, the model's `periodMs`, aligned to the epoch) and a period is assessed as
 * soon as every tag of the model has a reading for it, so an alarm follows the last reading of the hour
 * without waiting for the next one. A period still incomplete when a later one completes is given up (the
 * monitor then warms up again): missing sensors are the stale-sensor detector's business.
 * While an alarm lasts, every period re-issues the draft under the same dedup key with fresh evidence.
 */
import { isUsable, numericValue, type AlertDraft, type Detector, type Observation } from '../model.js';
import type { ScadaAttackSettings } from '../settings.js';
import type { ScadaModel } from './model.js';
import { ScadaAttackMonitor, type PeriodAssessment } from './monitor.js';

/** Periods kept waiting for their missing readings. */
const OPEN_PERIODS = 4;

export function createScadaAttackDetector(settings: ScadaAttackSettings, model: ScadaModel): Detector {
  const monitor = new ScadaAttackMonitor(model, settings.margin === undefined ? {} : { margin: settings.margin });
  const tagIndex = new Map(model.tags.map((t, i) => [t, i]));
  const open = new Map<number, { values: Float64Array; filled: number }>();
  const period = model.training.periodMs;
  let lastAssessed = -Infinity;
  let episodeStart: number | undefined;

  const draftFor = (a: PeriodAssessment): AlertDraft => {
    const names = a.deviations.map((d) => d.datastream);
    const lead = a.deviations
      .slice(0, 3)
      .map((d) => `${d.datastream} ${d.observed ?? '?'} (expected ${d.expected === undefined ? '?' : Number(d.expected.toPrecision(4))})`)
      .join(', ');
    return {
      detector: settings.id,
      category: settings.category ?? 'cyber-physical',
      severity: settings.severity ?? a.severity,
      title: `SCADA readings inconsistent with normal operation: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`,
      dedupKey: `scada-attack:${settings.id}:${episodeStart}`,
      datastreams: names,
      time: a.time,
      evidence: {
        summary: `${names.length} datastream(s) deviate from what the rest of the network implies; strongest ${a.score.toFixed(1)}× the alarm line: ${lead}.`,
        deviations: a.deviations,
        details: {
          score: a.score,
          episodeStart: new Date(episodeStart!).toISOString(),
          model: { format: model.format, version: model.version, fingerprint: model.training.fingerprint },
        },
      },
    };
  };

  return {
    id: settings.id,
    kind: 'scada-attack',
    datastreams: new Set(model.tags),
    observe(observation: Observation): AlertDraft[] {
      const j = tagIndex.get(observation.datastream);
      if (j === undefined || !isUsable(observation)) return [];
      const slot = Math.floor(observation.time / period) * period;
      if (slot <= lastAssessed) return [];
      let frame = open.get(slot);
      if (!frame) {
        frame = { values: new Float64Array(model.tags.length).fill(NaN), filled: 0 };
        open.set(slot, frame);
        for (const old of [...open.keys()].sort((a, b) => a - b).slice(0, Math.max(0, open.size - OPEN_PERIODS))) open.delete(old);
      }
      if (Number.isNaN(frame.values[j]!)) frame.filled += 1;
      frame.values[j] = numericValue(observation.value);
      if (frame.filled < model.tags.length) return [];

      for (const older of open.keys()) if (older <= slot) open.delete(older);
      lastAssessed = slot;
      const assessment = monitor.assess(slot, frame.values);
      if (!assessment.alarm) {
        episodeStart = undefined;
        return [];
      }
      episodeStart ??= slot;
      return [draftFor(assessment)];
    },
  };
}
