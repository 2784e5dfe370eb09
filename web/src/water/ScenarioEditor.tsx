// The scenario form: settings, critical consumers and events with their start and end conditions. The
// browser checks what it can; the server checks the rest against the network, and each of its problems is
// shown next to the field it names.
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { ApiError, errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';
import { store } from '../state/store';
import { type Choice, type Choices, choicesOf, consumerAssets } from './choices';
import { CONDITION_KINDS, EVENT_TYPES, type FieldSpec, eventType } from './eventTypes';
import { type ConditionForm, type EventForm, type Problem, type ScenarioForm, assignProblems, definitionOf, emptyEvent, fieldPaths } from './scenarioForm';
import type { NetworkMap, ScenarioDefinition, WaterNetwork } from './types';

export interface ScenarioEditorProps {
  network: WaterNetwork;
  map: NetworkMap | null;
  initial: ScenarioForm;
  submitLabel: string;
  onSubmit: (definition: ScenarioDefinition) => Promise<void>;
  onCancel: () => void;
}

/** The problems of a 422 as the form places them. */
export function problemsOf(error: unknown): Problem[] | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const errors = error.problem.errors;
  return errors?.length ? errors : [{ path: '', message: error.problem.detail }];
}

function Problems({ at, problems }: { at: string; problems: Map<string, string[]> }) {
  const list = problems.get(at);
  if (!list?.length) return null;
  return (
    <ul className="field-problems" role="alert" data-path={at}>
      {list.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

function Select({ value, onChange, options, label, empty, invalid }: { value: string; onChange: (v: string) => void; options: Choice[]; label: string; empty?: string; invalid?: boolean }) {
  const known = options.some((o) => o.value === value);
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} aria-invalid={invalid || undefined}>
      {empty !== undefined && <option value="">{empty}</option>}
      {!known && value && <option value={value}>{value}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function ScenarioEditor(props: ScenarioEditorProps) {
  const [form, setForm] = useState<ScenarioForm>(props.initial);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choices = useMemo(() => choicesOf(props.network, props.map, store.assets.values()), [props.network, props.map]);
  const placed = useMemo(() => assignProblems(problems, fieldPaths(form)), [problems, form]);
  const set = (change: Partial<ScenarioForm>) => setForm((f) => ({ ...f, ...change }));
  const setEvent = (i: number, change: Partial<EventForm>) => setForm((f) => ({ ...f, events: f.events.map((e, j) => (j === i ? { ...e, ...change } : e)) }));
  const bad = (path: string) => placed.has(path) || undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const { definition, problems: local } = definitionOf(form);
    setProblems(local);
    if (local.length) return;
    setBusy(true);
    try {
      await props.onSubmit(definition);
    } catch (e) {
      const serverProblems = problemsOf(e);
      if (serverProblems) setProblems(serverProblems);
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const datalists = ['pipes', 'junctions', 'nodes', 'tanks'] as const;
  return (
    <form className="scenario-form" onSubmit={submit} noValidate>
      {datalists.map((d) => (
        <datalist key={d} id={`water-${d}`}>
          {choices[d].map((c) => (
            <option key={c.value} value={c.value} />
          ))}
        </datalist>
      ))}
      {placed.has('') && (
        <div className="error" role="alert">
          The server refused the scenario:
          <ul>
            {placed.get('')!.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {problems.length > 0 && !placed.has('') && (
        <p className="error" role="alert" data-testid="form-problems">
          {problems.length} problem{problems.length === 1 ? '' : 's'} to fix: see the fields marked below.
        </p>
      )}
      <fieldset>
        <legend>Scenario on {props.network.title || props.network.name}</legend>
        <label className="field">
          Name
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} aria-invalid={bad('name')} maxLength={200} />
        </label>
        <Problems at="name" problems={placed} />
        <label className="field">
          Description
          <textarea rows={2} value={form.description} onChange={(e) => set({ description: e.target.value })} />
        </label>
        <div className="form-row">
          <label className="field">
            Horizon (hours, at most 336)
            <input inputMode="decimal" value={form.hours} onChange={(e) => set({ hours: e.target.value })} aria-invalid={bad('hours')} />
          </label>
          <label className="field">
            Demand model
            <Select value={form.demandModel} onChange={(v) => set({ demandModel: v as ScenarioForm['demandModel'] })} label="Demand model" empty="pressure-driven (default)" options={[{ value: 'PDA', label: 'pressure-driven (PDA)' }, { value: 'DDA', label: 'demand-driven (DDA)' }, { value: 'network', label: "as in the network's file" }]} />
          </label>
          <label className="field">
            Service pressure (m)
            <input inputMode="decimal" value={form.servicePressure} placeholder="= pressure for full demand" onChange={(e) => set({ servicePressure: e.target.value })} aria-invalid={bad('servicePressure')} />
          </label>
        </div>
        <Problems at="hours" problems={placed} />
        <Problems at="demandModel" problems={placed} />
        <Problems at="servicePressure" problems={placed} />
        <div className="form-row">
          <label className="field">
            No water below (m)
            <input inputMode="decimal" value={form.pressureMinimum} placeholder="0" onChange={(e) => set({ pressureMinimum: e.target.value })} aria-invalid={bad('pressure')} />
          </label>
          <label className="field">
            Full demand from (m)
            <input inputMode="decimal" value={form.pressureRequired} placeholder="20" onChange={(e) => set({ pressureRequired: e.target.value })} aria-invalid={bad('pressure')} />
          </label>
          <label className="field">
            Water quality
            <Select value={form.qualityKind} onChange={(v) => set({ qualityKind: v as ScenarioForm['qualityKind'] })} label="Water quality" empty="none (chemical when contaminated)" options={[{ value: 'chemical', label: 'a chemical contaminant' }, { value: 'age', label: 'water age' }]} />
          </label>
          {form.qualityKind && (
            <label className="field">
              {form.qualityKind === 'age' ? 'Too old after (h)' : 'Threshold (mg/L)'}
              <input inputMode="decimal" value={form.qualityThreshold} placeholder={form.qualityKind === 'age' ? '24' : '0.01'} onChange={(e) => set({ qualityThreshold: e.target.value })} aria-invalid={bad('quality')} />
            </label>
          )}
        </div>
        <Problems at="pressure" problems={placed} />
        <Problems at="quality" problems={placed} />
        <Problems at="litresPerPersonPerDay" problems={placed} />
      </fieldset>
      <Consumers form={form} set={set} placed={placed} choices={choices} />
      <h3>Events</h3>
      <Problems at="events" problems={placed} />
      {form.events.map((e, i) => (
        <EventFields key={e.key} index={i} event={e} choices={choices} placed={placed} onChange={(c) => setEvent(i, c)} onRemove={() => set({ events: form.events.filter((_x, j) => j !== i) })} />
      ))}
      <p>
        <button type="button" onClick={() => set({ events: [...form.events, emptyEvent()] })}>
          + Add an event
        </button>
      </p>
      <ErrorMessage error={error} />
      <div className="buttons">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}

function Consumers({ form, set, placed, choices }: { form: ScenarioForm; set: (c: Partial<ScenarioForm>) => void; placed: Map<string, string[]>; choices: Choices }) {
  const assets = useMemo(() => consumerAssets(store.assets.values()), []);
  const change = (i: number, c: Partial<ScenarioForm['consumers'][number]>) => set({ consumers: form.consumers.map((x, j) => (j === i ? { ...x, ...c } : x)) });
  return (
    <fieldset>
      <legend>Critical consumers (their time to impact is reported)</legend>
      <Problems at="criticalConsumers" problems={placed} />
      {form.consumers.map((c, i) => (
        <div key={i}>
          <div className="form-row">
            <label className="field">
              Junction
              <input list="water-junctions" value={c.node} onChange={(e) => change(i, { node: e.target.value })} aria-invalid={placed.has(`criticalConsumers[${i}]`) || undefined} />
            </label>
            <label className="field">
              Name
              <input value={c.name} onChange={(e) => change(i, { name: e.target.value })} />
            </label>
            <label className="field">
              Asset
              <Select value={c.assetId} onChange={(v) => change(i, { assetId: v, name: c.name || assets.find((a) => a.value === v)?.label.replace(/ \(.*\)$/, '') || '' })} label="Asset" empty="(none)" options={assets} />
            </label>
            <label className="field">
              Minimum pressure (m)
              <input inputMode="decimal" value={c.minPressure} placeholder="service pressure" onChange={(e) => change(i, { minPressure: e.target.value })} />
            </label>
            <button type="button" className="small remove" onClick={() => set({ consumers: form.consumers.filter((_x, j) => j !== i) })} aria-label={`Remove critical consumer ${c.name || i + 1}`}>
              Remove
            </button>
          </div>
          <Problems at={`criticalConsumers[${i}]`} problems={placed} />
        </div>
      ))}
      <button type="button" className="small" onClick={() => set({ consumers: [...form.consumers, { node: '', name: '', assetId: '', minPressure: '' }] })}>
        + Add a critical consumer
      </button>
      {choices.junctions.length === 0 && <span className="muted small-text"> (the network's junctions are loading)</span>}
    </fieldset>
  );
}

function EventFields({ index, event, choices, placed, onChange, onRemove }: { index: number; event: EventForm; choices: Choices; placed: Map<string, string[]>; onChange: (c: Partial<EventForm>) => void; onRemove: () => void }) {
  const spec = eventType(event.type);
  const path = `events[${index}]`;
  const value = (name: string) => event.fields[name] ?? '';
  const setField = (name: string, v: string) => onChange({ fields: { ...event.fields, [name]: v } });
  const options = (f: FieldSpec): Choice[] => f.options ?? (f.from === 'spoofTargets' ? choices.spoofTargetsOf(value('signal')) : f.from ? choices[f.from] : []);
  const input = (f: FieldSpec): ReactNode => {
    const at = `${path}.${f.name}`;
    const invalid = placed.has(at) || undefined;
    if (f.input === 'select') return <Select value={value(f.name)} onChange={(v) => setField(f.name, v)} label={f.label} options={options(f)} empty={f.required && f.options ? undefined : '—'} invalid={invalid} />;
    if (f.input === 'checkbox') return <input type="checkbox" checked={value(f.name) === 'true'} onChange={(e) => setField(f.name, e.target.checked ? 'true' : '')} aria-label={f.label} />;
    if (f.input === 'pumps') {
      const chosen = new Set(value(f.name).split(/[\s,]+/).filter(Boolean));
      return (
        <span className="pump-choices" role="group" aria-label={f.label} aria-invalid={invalid}>
          {options(f).map((o) => (
            <label key={o.value} className="toggle">
              <input type="checkbox" checked={chosen.has(o.value)} onChange={(e) => setField(f.name, [...options(f).map((x) => x.value)].filter((x) => (x === o.value ? e.target.checked : chosen.has(x))).join(', '))} /> {o.label}
            </label>
          ))}
        </span>
      );
    }
    return <input value={value(f.name)} list={f.from ? `water-${f.from}` : undefined} inputMode={f.input === 'number' ? 'decimal' : undefined} onChange={(e) => setField(f.name, e.target.value)} aria-invalid={invalid} />;
  };
  return (
    <fieldset className="event" data-event={index} aria-invalid={placed.has(path) || undefined}>
      <legend>
        Event {index + 1}
        {event.id && <span className="muted"> · {event.id}</span>}
      </legend>
      <div className="form-row">
        <label className="field">
          What happens
          <select value={event.type} onChange={(e) => onChange({ ...emptyEvent(e.target.value), key: event.key, id: event.id, note: event.note, start: event.start, end: event.end })} aria-label={`Type of event ${index + 1}`}>
            <optgroup label="Cyber (the control system)">
              {EVENT_TYPES.filter((t) => t.family === 'cyber').map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Physical">
              {EVENT_TYPES.filter((t) => t.family === 'physical').map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="field">
          Short name
          <input value={event.id} placeholder={`e${index + 1}`} onChange={(e) => onChange({ id: e.target.value })} />
        </label>
        <button type="button" className="small remove" onClick={onRemove} aria-label={`Remove event ${index + 1}`}>
          Remove
        </button>
      </div>
      {spec && <p className="muted small-text">{spec.effect}</p>}
      <Problems at={path} problems={placed} />
      <Problems at={`${path}.type`} problems={placed} />
      <div className="form-row wrap">
        {spec?.fields
          .filter((f) => !f.when || f.when.values.includes(value(f.when.field)))
          .map((f) => (
            <div key={f.name} className="field-cell" data-field={f.name}>
              <label className="field">
                <span>
                  {f.label}
                  {f.required && <span aria-hidden="true"> *</span>}
                </span>
                {input(f)}
              </label>
              {f.help && <span className="muted small-text">{f.help}</span>}
              <Problems at={`${path}.${f.name}`} problems={placed} />
            </div>
          ))}
      </div>
      <div className="form-row">
        <ConditionFields label="Starts" path={`${path}.start`} condition={event.start} isEnd={false} onChange={(start) => onChange({ start })} placed={placed} />
        <ConditionFields label="Ends" path={`${path}.end`} condition={event.end} isEnd onChange={(end) => onChange({ end })} placed={placed} />
      </div>
    </fieldset>
  );
}

function ConditionFields({ label, path, condition, isEnd, onChange, placed }: { label: string; path: string; condition: ConditionForm; isEnd: boolean; onChange: (c: ConditionForm) => void; placed: Map<string, string[]> }) {
  const kind = CONDITION_KINDS.find((k) => k.value === condition.kind)!;
  const kinds = CONDITION_KINDS.filter((k) => isEnd || k.value !== 'afterHours');
  return (
    <div className="condition" data-condition={path}>
      <div className="condition-inputs">
        <span className="field-label">{label}</span>
        <select value={condition.kind} onChange={(e) => onChange({ ...condition, kind: e.target.value as ConditionForm['kind'] })} aria-label={`${label}: condition`} aria-invalid={placed.has(path) || undefined}>
          {kinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.value === '' ? (isEnd ? 'at the end of the horizon' : 'at the start') : k.label}
            </option>
          ))}
        </select>
        {kind.element && <input list={kind.element === 'tank' ? 'water-tanks' : 'water-nodes'} value={condition.element} placeholder={kind.element} onChange={(e) => onChange({ ...condition, element: e.target.value })} aria-label={`${label}: ${kind.element}`} className="short" />}
        {condition.kind !== '' && <input inputMode="decimal" value={condition.value} onChange={(e) => onChange({ ...condition, value: e.target.value })} aria-label={`${label}: value`} className="short" placeholder={kind.element === 'tank' ? 'level (m)' : kind.element ? 'pressure (m)' : 'hours'} />}
      </div>
      <Problems at={path} problems={placed} />
    </div>
  );
}
