// The scenario form, pure: a definition (docs/water.md "Scenario") as editable text fields and back, the
// checks the browser can make before sending, and the server's 422 problems placed on the fields they
// name. Problem paths are the server's own ("events[1].signal"), so both kinds of problem land alike.
import { type ConditionKind, EVENT_TYPES, eventType } from './eventTypes';
import type { Condition, ScenarioDefinition, ScenarioEvent } from './types';

export const MAX_HOURS = 336;
export const MAX_EVENTS = 200;

export interface ConditionForm {
  kind: ConditionKind;
  /** The tank or node of a level or pressure condition. */
  element: string;
  value: string;
}

export interface EventForm {
  /** Stable key for the list while it is edited. */
  key: number;
  type: string;
  id: string;
  note: string;
  fields: Record<string, string>;
  start: ConditionForm;
  end: ConditionForm;
  /** Fields the form does not edit, kept as they were. */
  extra: Record<string, unknown>;
}

export interface ConsumerForm {
  node: string;
  name: string;
  assetId: string;
  minPressure: string;
}

export interface ScenarioForm {
  name: string;
  description: string;
  hours: string;
  demandModel: '' | 'PDA' | 'DDA' | 'network';
  servicePressure: string;
  pressureMinimum: string;
  pressureRequired: string;
  qualityKind: '' | 'chemical' | 'age';
  qualityThreshold: string;
  qualityUnits: string;
  litresPerPersonPerDay: string;
  consumers: ConsumerForm[];
  events: EventForm[];
  /** Settings the form does not edit (pressure exponent, quality name, ...), kept as they were. */
  extra: Record<string, unknown>;
}

export interface Problem {
  path: string;
  message: string;
}

let nextKey = 1;
const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const NO_CONDITION: ConditionForm = { kind: '', element: '', value: '' };

export function emptyEvent(type = 'sensor-spoof'): EventForm {
  const spec = eventType(type);
  const fields: Record<string, string> = {};
  for (const f of spec?.fields ?? []) fields[f.name] = f.options && f.required ? f.options[0]!.value : '';
  if (type === 'pump-failure') fields.cause = 'mechanical';
  return { key: nextKey++, type, id: '', note: '', fields, start: { kind: 'hour', element: '', value: '0' }, end: { ...NO_CONDITION }, extra: {} };
}

export function emptyForm(): ScenarioForm {
  return {
    name: '',
    description: '',
    hours: '24',
    demandModel: '',
    servicePressure: '',
    pressureMinimum: '',
    pressureRequired: '',
    qualityKind: '',
    qualityThreshold: '',
    qualityUnits: '',
    litresPerPersonPerDay: '',
    consumers: [],
    events: [emptyEvent()],
    extra: {},
  };
}

function conditionForm(c: Condition | undefined): ConditionForm {
  if (!c) return { ...NO_CONDITION };
  if ('hour' in c) return { kind: 'hour', element: '', value: text(c.hour) };
  if ('afterHours' in c) return { kind: 'afterHours', element: '', value: text(c.afterHours) };
  if ('tank' in c) return 'levelBelow' in c ? { kind: 'levelBelow', element: c.tank, value: text(c.levelBelow) } : { kind: 'levelAbove', element: c.tank, value: text(c.levelAbove) };
  return 'pressureBelow' in c ? { kind: 'pressureBelow', element: c.node, value: text(c.pressureBelow) } : { kind: 'pressureAbove', element: c.node, value: text(c.pressureAbove) };
}

/** A stored definition as the form edits it. */
export function formOf(d: ScenarioDefinition): ScenarioForm {
  const { name, description, hours, demandModel, servicePressure, pressure, quality, criticalConsumers, litresPerPersonPerDay, events, ...rest } = d;
  const extra: Record<string, unknown> = { ...rest };
  const { minimum, required, ...pressureRest } = pressure ?? {};
  if (Object.keys(pressureRest).length) extra.pressure = pressureRest;
  if (quality?.kind === 'chemical' && (quality.name !== undefined)) extra.qualityName = quality.name;
  return {
    name: name ?? '',
    description: description ?? '',
    hours: text(hours),
    demandModel: demandModel ?? '',
    servicePressure: text(servicePressure),
    pressureMinimum: text(minimum),
    pressureRequired: text(required),
    qualityKind: quality?.kind ?? '',
    qualityThreshold: quality ? text(quality.kind === 'age' ? quality.thresholdHours : quality.threshold) : '',
    qualityUnits: quality?.kind === 'chemical' ? text(quality.units) : '',
    litresPerPersonPerDay: text(litresPerPersonPerDay),
    consumers: (criticalConsumers ?? []).map((c) => ({ node: c.node, name: c.name, assetId: c.assetId ?? '', minPressure: text(c.minPressure) })),
    events: (events ?? []).map(eventForm),
    extra,
  };
}

function eventForm(e: ScenarioEvent): EventForm {
  const { type, id, note, start, end, ...rest } = e;
  const spec = eventType(type);
  const fields: Record<string, string> = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    const field = spec?.fields.find((f) => f.name === k);
    if (!field) extra[k] = v;
    else fields[k] = field.input === 'pumps' && Array.isArray(v) ? v.join(', ') : field.input === 'checkbox' ? (v ? 'true' : '') : text(v);
  }
  return { key: nextKey++, type, id: id ?? '', note: note ?? '', fields, start: conditionForm(start), end: conditionForm(end), extra };
}

/** A number typed in a field: undefined when empty, NaN when it is not a number. */
function num(s: string): number | undefined {
  const t = s.trim().replace(',', '.');
  if (t === '') return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

/**
 * The definition the form describes, and everything the browser can tell is wrong with it (each with the
 * path the server would use). The server checks the rest against the network: elements, signals, links.
 */
export function definitionOf(form: ScenarioForm): { definition: ScenarioDefinition; problems: Problem[] } {
  const problems: Problem[] = [];
  const number = (path: string, s: string, check?: (n: number) => string | null): number | undefined => {
    const n = num(s);
    if (n === undefined) return undefined;
    if (Number.isNaN(n)) {
      problems.push({ path, message: `"${s}" is not a number` });
      return undefined;
    }
    const wrong = check?.(n);
    if (wrong) problems.push({ path, message: wrong });
    return n;
  };
  const positive = (n: number) => (n > 0 ? null : 'must be more than 0');
  const { qualityName, pressure: pressureExtra, ...extra } = form.extra as { qualityName?: string; pressure?: Record<string, unknown> };

  const d: ScenarioDefinition = { name: form.name.trim(), events: [], ...extra };
  if (!d.name) problems.push({ path: 'name', message: 'give the scenario a name' });
  if (form.description.trim()) d.description = form.description.trim();
  const hours = number('hours', form.hours, (n) => (n <= 0 ? 'must be more than 0' : n > MAX_HOURS ? `${n} h is longer than the ${MAX_HOURS} h a scenario may cover` : null));
  if (hours !== undefined) d.hours = hours;
  if (form.demandModel) d.demandModel = form.demandModel;
  const service = number('servicePressure', form.servicePressure);
  if (service !== undefined) d.servicePressure = service;
  const minimum = number('pressure', form.pressureMinimum);
  const required = number('pressure', form.pressureRequired);
  if (minimum !== undefined && required !== undefined && required <= minimum) problems.push({ path: 'pressure', message: 'the pressure for full demand must be above the minimum' });
  if (minimum !== undefined || required !== undefined || pressureExtra) d.pressure = { ...pressureExtra, ...(minimum !== undefined ? { minimum } : {}), ...(required !== undefined ? { required } : {}) };
  if (form.qualityKind === 'chemical') {
    const threshold = number('quality', form.qualityThreshold, positive);
    d.quality = { kind: 'chemical', ...(qualityName !== undefined ? { name: qualityName } : {}), ...(form.qualityUnits.trim() ? { units: form.qualityUnits.trim() } : {}), ...(threshold !== undefined ? { threshold } : {}) };
  } else if (form.qualityKind === 'age') {
    const thresholdHours = number('quality', form.qualityThreshold, positive);
    d.quality = { kind: 'age', ...(thresholdHours !== undefined ? { thresholdHours } : {}) };
  }
  const litres = number('litresPerPersonPerDay', form.litresPerPersonPerDay, positive);
  if (litres !== undefined) d.litresPerPersonPerDay = litres;
  if (form.consumers.length) {
    d.criticalConsumers = form.consumers.map((c, i) => {
      const path = `criticalConsumers[${i}]`;
      if (!c.node.trim()) problems.push({ path, message: 'name the junction that serves it' });
      const minPressure = number(path, c.minPressure);
      return { node: c.node.trim(), name: c.name.trim() || c.node.trim(), ...(c.assetId ? { assetId: c.assetId } : {}), ...(minPressure !== undefined ? { minPressure } : {}) };
    });
  }
  if (form.events.length === 0) problems.push({ path: 'events', message: 'add at least one event' });
  if (form.events.length > MAX_EVENTS) problems.push({ path: 'events', message: `at most ${MAX_EVENTS} events` });
  d.events = form.events.map((e, i) => eventOf(e, `events[${i}]`, number, problems));
  return { definition: d, problems };
}

type NumberReader = (path: string, s: string, check?: (n: number) => string | null) => number | undefined;

function eventOf(e: EventForm, path: string, number: NumberReader, problems: Problem[]): ScenarioEvent {
  const spec = eventType(e.type);
  const out: ScenarioEvent = { type: e.type, ...(e.id.trim() ? { id: e.id.trim() } : {}), ...(e.note.trim() ? { note: e.note.trim() } : {}), ...e.extra };
  if (!spec) {
    problems.push({ path: `${path}.type`, message: `choose one of ${EVENT_TYPES.map((t) => t.type).join(', ')}` });
    return out;
  }
  const v = (name: string) => (e.fields[name] ?? '').trim();
  for (const field of spec.fields) {
    if (field.when && !field.when.values.includes(v(field.when.field))) continue;
    const raw = v(field.name);
    const at = `${path}.${field.name}`;
    if (raw === '') {
      if (field.required) problems.push({ path: at, message: `${field.label.toLowerCase()} is required` });
      continue;
    }
    if (field.input === 'number') {
      const n = number(at, raw);
      if (n !== undefined) out[field.name] = n;
    } else if (field.input === 'pumps') {
      out[field.name] = raw.split(/[\s,]+/).filter(Boolean);
    } else if (field.input === 'checkbox') {
      out[field.name] = true;
    } else if (field.input === 'action') {
      const lower = raw.toLowerCase();
      if (lower === 'open' || lower === 'closed') out[field.name] = lower;
      else {
        const n = number(at, raw);
        if (n !== undefined) out[field.name] = n;
      }
    } else if (field.name === 'on' && raw === 'sensor') {
      // The instrument is the default: nothing to send.
    } else out[field.name] = raw;
  }
  const has = (...names: string[]) => names.some((n) => out[n] !== undefined);
  if (e.type === 'actuator' && !has('status', 'speed', 'setting')) problems.push({ path, message: 'say what the attacker sets: a status, a pump speed or a valve setting' });
  if (e.type === 'control-change' && !has('threshold', 'action', 'disabled')) problems.push({ path, message: 'change the threshold or the action, or disable the control' });
  if (e.type === 'leak') {
    if (has('node') === has('pipe')) problems.push({ path, message: 'give either a pipe or a junction' });
    if (!has('emitterCoefficient', 'holeAreaCm2')) problems.push({ path, message: 'give the hole area or an emitter coefficient' });
  }
  if (e.type === 'contamination' && has('concentration') === has('massRate')) problems.push({ path, message: 'give either a concentration or a mass rate' });
  const start = conditionOf(e.start, `${path}.start`, false, number, problems);
  const end = conditionOf(e.end, `${path}.end`, true, number, problems);
  if (start) out.start = start;
  if (end) out.end = end;
  return out;
}

function conditionOf(c: ConditionForm, path: string, isEnd: boolean, number: NumberReader, problems: Problem[]): Condition | undefined {
  if (c.kind === '') return undefined;
  if (c.kind === 'afterHours' && !isEnd) {
    problems.push({ path, message: '"hours after its start" is for the end only' });
    return undefined;
  }
  const value = number(path, c.value, (n) => (c.kind === 'hour' || c.kind === 'afterHours') && n < 0 ? 'must be 0 or more' : null);
  if (value === undefined) {
    if (c.value.trim() === '') problems.push({ path, message: 'give the value of the condition' });
    return undefined;
  }
  const element = c.element.trim();
  if ((c.kind === 'levelBelow' || c.kind === 'levelAbove' || c.kind === 'pressureBelow' || c.kind === 'pressureAbove') && !element) {
    problems.push({ path, message: c.kind.startsWith('level') ? 'name the tank' : 'name the node' });
    return undefined;
  }
  switch (c.kind) {
    case 'hour':
      return { hour: value };
    case 'afterHours':
      return { afterHours: value };
    case 'levelBelow':
      return { tank: element, levelBelow: value };
    case 'levelAbove':
      return { tank: element, levelAbove: value };
    case 'pressureBelow':
      return { node: element, pressureBelow: value };
    case 'pressureAbove':
      return { node: element, pressureAbove: value };
  }
}

/**
 * Places each problem on the form field it concerns: the registered path that is the longest prefix of the
 * problem's path ("events[2].pumps[0]" goes to "events[2].pumps", "events[2].start.tank" to
 * "events[2].start"). What matches no field is kept under "" and shown at the top of the form.
 */
export function assignProblems(problems: Problem[], fields: Iterable<string>): Map<string, string[]> {
  const known = [...fields].sort((a, b) => b.length - a.length);
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const field = known.find((f) => p.path === f || (p.path.startsWith(f) && /^[.[]/.test(p.path.slice(f.length)))) ?? '';
    const message = field === '' && p.path ? `${p.path}: ${p.message}` : p.message;
    out.set(field, [...(out.get(field) ?? []), message]);
  }
  return out;
}

/** Every path a rendered form has a place for. */
export function fieldPaths(form: ScenarioForm): string[] {
  const paths = ['name', 'description', 'hours', 'demandModel', 'servicePressure', 'pressure', 'quality', 'litresPerPersonPerDay', 'events', 'criticalConsumers'];
  form.consumers.forEach((_c, i) => paths.push(`criticalConsumers[${i}]`));
  form.events.forEach((e, i) => {
    const p = `events[${i}]`;
    paths.push(p, `${p}.type`, `${p}.id`, `${p}.start`, `${p}.end`, ...(eventType(e.type)?.fields ?? []).map((f) => `${p}.${f.name}`));
  });
  return paths;
}
