/** From validated settings to running detectors. */
import type { Detector } from './model.js';
import { createFlatLineDetector } from './rules/flat-line.js';
import { createRangeDetector } from './rules/range.js';
import { createRateOfChangeDetector } from './rules/rate-of-change.js';
import { createStaleDetector } from './rules/stale.js';
import { createScadaAttackDetector } from './scada/detector.js';
import type { ScadaModel } from './scada/model.js';
import { DetectorSettingsError, parseDetectorSettings, type DetectorSettings } from './settings.js';

export interface DetectorContext {
  /** Looks up a stored, parsed SCADA model by the id the settings name. */
  scadaModel?: (id: string) => ScadaModel | undefined;
}

export function createDetector(settings: DetectorSettings, context: DetectorContext = {}): Detector {
  switch (settings.kind) {
    case 'range':
      return createRangeDetector(settings);
    case 'rate-of-change':
      return createRateOfChangeDetector(settings);
    case 'flat-line':
      return createFlatLineDetector(settings);
    case 'stale':
      return createStaleDetector(settings);
    case 'scada-attack': {
      const model = context.scadaModel?.(settings.model);
      if (!model) throw new DetectorSettingsError([`${settings.id}.model: no trained model "${settings.model}"`]);
      return createScadaAttackDetector(settings, model);
    }
  }
}

/** Validate a stored list and build its enabled detectors; every problem is reported at once. */
export function createDetectors(input: unknown, context: DetectorContext = {}): Detector[] {
  if (!Array.isArray(input)) throw new DetectorSettingsError(['settings: must be a JSON list of detectors']);
  const list = parseDetectorSettings(input);
  const problems: string[] = [];
  const detectors: Detector[] = [];
  for (const settings of list) {
    if (settings.enabled === false) continue;
    try {
      detectors.push(createDetector(settings, context));
    } catch (error) {
      if (!(error instanceof DetectorSettingsError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new DetectorSettingsError(problems);
  return detectors;
}
