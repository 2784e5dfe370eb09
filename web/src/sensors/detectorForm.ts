// The detector settings form, as data: what a person types (text), the settings JSON it becomes, and every
// problem attached to the field it is about. The checks are the server's own (src/detect/settings.ts,
// compiled in as is), so the form refuses exactly what the server would, before sending; what only the
// server knows (a model that is not stored) comes back as a 422 and lands on its field the same way. Pure.
import { DETECTOR_KINDS, DetectorSettingsError, type DetectorKind, parseDetectorSettings } from '../../../src/detect/settings.js';
import { ALERT_CATEGORIES, type AlertCategory, type Severity } from '../api/types';

export { DETECTOR_KINDS, type DetectorKind };

/** Severities a detector may raise (the detection vocabulary has no `info`). */
export const DETECTOR_SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
export const DETECTOR_CATEGORIES: readonly AlertCategory[] = ALERT_CATEGORIES;

export type NumberField = 'min' | 'max' | 'maxChange' | 'perSeconds' | 'periods' | 'tolerance' | 'periodSeconds' | 'margin';
export type Field = 'id' | 'kind' | 'datastreams' | 'severity' | 'category' | 'enabled' | 'model' | NumberField;

export interface DetectorDraft {
  id: string;
  kind: DetectorKind;
  /** Datastream keys separated by commas or spaces; `*` for all. */
  datastreams: string;
  severity: '' | Severity;
  category: '' | AlertCategory;
  enabled: boolean;
  model: string;
  numbers: Partial<Record<NumberField, string>>;
}

export interface FieldSpec {
  field: NumberField | 'model';
  label: string;
  hint: string;
  required: boolean;
}

export const KIND_TEXT: Record<DetectorKind, string> = {
  range: 'Range: alarm when a value leaves [min, max]',
  'rate-of-change': 'Rate of change: alarm when a value moves too fast',
  'flat-line': 'Flat line: alarm when readings stop moving (frozen sensor, replayed constant)',
  stale: 'Stale: alarm when a sensor stops reporting',
  'scada-attack': 'SCADA attack: a trained model of the whole network',
};

export const KIND_FIELDS: Record<DetectorKind, FieldSpec[]> = {
  range: [
    { field: 'min', label: 'Minimum', hint: 'in the datastream’s unit; give min, max or both', required: false },
    { field: 'max', label: 'Maximum', hint: 'greater than the minimum', required: false },
  ],
  'rate-of-change': [
    { field: 'maxChange', label: 'Largest change', hint: 'in the datastream’s unit, per the period below', required: true },
    { field: 'perSeconds', label: 'Per (seconds)', hint: 'default 3600: per hour', required: false },
  ],
  'flat-line': [
    { field: 'periods', label: 'Readings', hint: 'how many consecutive readings, at least 2', required: true },
    { field: 'tolerance', label: 'Tolerance', hint: 'how far they may move and still count as flat (default 0)', required: false },
  ],
  stale: [
    { field: 'periodSeconds', label: 'Reporting period (seconds)', hint: 'how often the sensor should report', required: true },
    { field: 'periods', label: 'Periods missed', hint: 'alarm after this many periods without a usable reading', required: true },
  ],
  'scada-attack': [
    { field: 'model', label: 'Model', hint: '“name” uses the newest version, “name@2” stays on version 2', required: true },
    { field: 'margin', label: 'Margin', hint: 'optional: overrides the model’s own alarm margin (1.1)', required: false },
  ],
};

const NUMBER_FIELDS: NumberField[] = ['min', 'max', 'maxChange', 'perSeconds', 'periods', 'tolerance', 'periodSeconds', 'margin'];

export function emptyDraft(kind: DetectorKind = 'range', id = ''): DetectorDraft {
  return { id, kind, datastreams: kind === 'scada-attack' ? '*' : '', severity: '', category: '', enabled: true, model: '', numbers: {} };
}

/** A stored detector as form text. */
export function draftOf(settings: unknown): DetectorDraft {
  const s = (typeof settings === 'object' && settings !== null ? settings : {}) as Record<string, unknown>;
  const kind = (DETECTOR_KINDS as readonly string[]).includes(String(s.kind)) ? (s.kind as DetectorKind) : 'range';
  const numbers: DetectorDraft['numbers'] = {};
  for (const f of NUMBER_FIELDS) if (s[f] !== undefined && s[f] !== null) numbers[f] = String(s[f]);
  return {
    id: typeof s.id === 'string' ? s.id : '',
    kind,
    datastreams: Array.isArray(s.datastreams) ? s.datastreams.join(', ') : '',
    severity: (typeof s.severity === 'string' ? s.severity : '') as DetectorDraft['severity'],
    category: (typeof s.category === 'string' ? s.category : '') as DetectorDraft['category'],
    enabled: s.enabled !== false,
    model: typeof s.model === 'string' ? s.model : '',
    numbers,
  };
}

/** Text as a number when it is one; otherwise the text itself, so the check says "must be a number". */
function numberOf(text: string): number | string {
  const t = text.trim().replace(/\s/g, '');
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
}

/** The settings JSON the form stands for: only the fields of its kind; empty optional fields left out. */
export function settingsOf(draft: DetectorDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: draft.id.trim(),
    kind: draft.kind,
    datastreams: draft.datastreams
      .split(/[\s,]+/)
      .map((k) => k.trim())
      .filter(Boolean),
  };
  if (draft.severity) out.severity = draft.severity;
  if (draft.category) out.category = draft.category;
  if (!draft.enabled) out.enabled = false;
  for (const spec of KIND_FIELDS[draft.kind]) {
    if (spec.field === 'model') {
      out.model = draft.model.trim();
      continue;
    }
    const text = draft.numbers[spec.field] ?? '';
    if (text.trim() !== '') out[spec.field] = numberOf(text);
  }
  return out;
}

export type FieldErrors = Partial<Record<Field, string>> & { form?: string[] };

function addTo(errors: FieldErrors, field: string, message: string): void {
  const known = ['id', 'kind', 'datastreams', 'severity', 'category', 'enabled', 'model', ...NUMBER_FIELDS];
  if (known.includes(field)) {
    const f = field as Field;
    errors[f] = errors[f] ? `${errors[f]}; ${message}` : message;
  } else (errors.form ??= []).push(field ? `${field}: ${message}` : message);
}

/** The server's checks on one detector, plus a unique id among `otherIds`, each on its field. */
export function checkDraft(draft: DetectorDraft, otherIds: string[] = []): FieldErrors {
  const errors: FieldErrors = {};
  try {
    parseDetectorSettings(settingsOf(draft));
  } catch (error) {
    if (!(error instanceof DetectorSettingsError)) throw error;
    for (const problem of error.problems) {
      const cut = problem.indexOf(': ');
      addTo(errors, cut > 0 ? problem.slice(0, cut) : '', cut > 0 ? problem.slice(cut + 2) : problem);
    }
  }
  if (draft.id.trim() && otherIds.includes(draft.id.trim())) addTo(errors, 'id', `"${draft.id.trim()}" is used by another detector`);
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).some((k) => (k === 'form' ? (errors.form?.length ?? 0) > 0 : true));
}

/**
 * The server's 422 `errors` ([{path, message}]) for the whole list, as the problems of the detector at
 * `index` (paths `[2].min`, or `<id>.model` for what is checked by id), each on its field; problems of
 * other detectors are reported as form-level messages, so nothing the server said is lost.
 */
export function serverErrors(errors: Array<{ path: string; message: string }>, index: number, id: string): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const indexed = /^\[(\d+)\](?:\.(.+))?$/.exec(e.path);
    if (indexed) {
      if (Number(indexed[1]) === index) addTo(out, indexed[2] ?? '', e.message);
      else (out.form ??= []).push(`another detector (${e.path}): ${e.message}`);
      continue;
    }
    if (id && e.path.startsWith(`${id}.`)) {
      addTo(out, e.path.slice(id.length + 1), e.message);
      continue;
    }
    (out.form ??= []).push(e.path ? `${e.path}: ${e.message}` : e.message);
  }
  return out;
}

/** One line saying what a detector watches for, for the list. */
export function summaryOf(settings: unknown): string {
  const s = (settings ?? {}) as Record<string, unknown>;
  const streams = Array.isArray(s.datastreams) ? (s.datastreams.includes('*') ? 'every datastream' : s.datastreams.join(', ')) : '?';
  switch (s.kind) {
    case 'range':
      return `${streams} outside ${s.min ?? '−∞'} … ${s.max ?? '+∞'}`;
    case 'rate-of-change':
      return `${streams} changing more than ${s.maxChange} per ${s.perSeconds ?? 3600} s`;
    case 'flat-line':
      return `${streams} flat for ${s.periods} readings (±${s.tolerance ?? 0})`;
    case 'stale':
      return `${streams} silent for ${s.periods} × ${s.periodSeconds} s`;
    case 'scada-attack':
      return `${streams === 'every datastream' ? 'the model’s tags' : streams} against model ${s.model}${s.margin !== undefined ? `, margin ${s.margin}` : ''}`;
    default:
      return streams;
  }
}
