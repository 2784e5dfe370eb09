import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError, errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';
import {
  DETECTOR_CATEGORIES,
  DETECTOR_KINDS,
  DETECTOR_SEVERITIES,
  type DetectorDraft,
  type DetectorKind,
  type Field,
  type FieldErrors,
  KIND_FIELDS,
  KIND_TEXT,
  checkDraft,
  hasErrors,
  serverErrors,
  settingsOf,
} from './detectorForm';

/**
 * One detector's settings as a form. Checked as the server checks them before sending; the server's own
 * refusal (422) comes back with a path per problem, shown on its field. `save` sends the whole list.
 */
export function DetectorEditor({
  initial,
  index,
  otherIds,
  streamKeys,
  modelRefs,
  readOnly,
  save,
  onClose,
}: {
  initial: DetectorDraft;
  /** Where this detector is (or will be) in the list: the server's paths say `[index].field`. */
  index: number;
  otherIds: string[];
  streamKeys: string[];
  modelRefs: string[];
  readOnly: boolean;
  save: (settings: Record<string, unknown>) => Promise<void>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const base = useId();
  const set = (change: Partial<DetectorDraft>) => setDraft({ ...draft, ...change });
  const setNumber = (field: keyof DetectorDraft['numbers'], value: string) => setDraft({ ...draft, numbers: { ...draft.numbers, [field]: value } });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setConflict(false);
    const local = checkDraft(draft, otherIds);
    setErrors(local);
    if (hasErrors(local)) return;
    setSaving(true);
    try {
      await save(settingsOf(draft));
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && Array.isArray(e.problem.errors)) setErrors(serverErrors(e.problem.errors, index, draft.id.trim()));
      else if (e instanceof ApiError && e.status === 409) setConflict(true);
      else setErrors({ form: [errorText(e)] });
    } finally {
      setSaving(false);
    }
  }

  const field = (name: Field, label: string, control: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string }) => ReactNode, hint?: string) => {
    const id = `${base}-${name}`;
    const error = errors[name];
    return (
      <div key={name} className={`field${error ? ' invalid' : ''}`} data-field={name}>
        <label htmlFor={id}>{label}</label>
        {control({ id, 'aria-invalid': !!error, 'aria-describedby': `${id}-note` })}
        <span id={`${id}-note`} className={error ? 'field-error' : 'field-hint'}>
          {error ?? hint ?? ''}
        </span>
      </div>
    );
  };

  return (
    <form className="detector-editor" onSubmit={submit} noValidate aria-label={readOnly ? `Detector ${draft.id}` : `Edit detector ${draft.id || '(new)'}`}>
      <fieldset disabled={readOnly || saving}>
        <div className="editor-grid">
          {field('id', 'Id', (p) => <input {...p} value={draft.id} onChange={(e) => set({ id: e.target.value })} autoComplete="off" />, 'unique in your organisation; part of every alert’s dedup key')}
          {field('kind', 'Kind', (p) => (
            <select {...p} value={draft.kind} onChange={(e) => set({ kind: e.target.value as DetectorKind, ...(e.target.value === 'scada-attack' && !draft.datastreams ? { datastreams: '*' } : {}) })}>
              {DETECTOR_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_TEXT[k]}
                </option>
              ))}
            </select>
          ))}
          {field(
            'datastreams',
            'Datastreams',
            (p) => (
              <>
                <input {...p} list={`${base}-keys`} value={draft.datastreams} onChange={(e) => set({ datastreams: e.target.value })} placeholder="L_T1, F_PU1 — or * for all" />
                <datalist id={`${base}-keys`}>
                  {streamKeys.map((k) => (
                    <option key={k} value={k} />
                  ))}
                </datalist>
              </>
            ),
            draft.kind === 'scada-attack' ? '* = the model’s own tags' : 'keys separated by commas; * for every datastream',
          )}
          {KIND_FIELDS[draft.kind].map((spec) =>
            spec.field === 'model'
              ? field(
                  'model',
                  `${spec.label}${spec.required ? '' : ' (optional)'}`,
                  (p) => (
                    <select {...p} value={draft.model} onChange={(e) => set({ model: e.target.value })}>
                      <option value="">— choose a stored model —</option>
                      {[...new Set([...modelRefs, ...(draft.model ? [draft.model] : [])])].map((ref) => (
                        <option key={ref} value={ref}>
                          {ref}
                          {modelRefs.includes(ref) ? '' : ' (not stored)'}
                        </option>
                      ))}
                    </select>
                  ),
                  spec.hint,
                )
              : field(
                  spec.field,
                  `${spec.label}${spec.required ? '' : ' (optional)'}`,
                  (p) => <input {...p} inputMode="decimal" value={draft.numbers[spec.field as keyof DetectorDraft['numbers']] ?? ''} onChange={(e) => setNumber(spec.field as keyof DetectorDraft['numbers'], e.target.value)} />,
                  spec.hint,
                ),
          )}
          {field('severity', 'Severity', (p) => (
            <select {...p} value={draft.severity} onChange={(e) => set({ severity: e.target.value as DetectorDraft['severity'] })}>
              <option value="">the kind’s default</option>
              {DETECTOR_SEVERITIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          ))}
          {field('category', 'Category', (p) => (
            <select {...p} value={draft.category} onChange={(e) => set({ category: e.target.value as DetectorDraft['category'] })}>
              <option value="">the kind’s default</option>
              {DETECTOR_CATEGORIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          ))}
          {field('enabled', 'Enabled', (p) => <input {...p} type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />, 'a disabled detector stays in the settings and does not run')}
        </div>
      </fieldset>
      {errors.form?.map((m) => <ErrorMessage key={m} error={m} />)}
      {conflict && (
        <p className="error" role="alert">
          Someone changed the detector settings since you opened them. Close this form to see theirs, then make your change again.
        </p>
      )}
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
        {!readOnly && (
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        )}
      </div>
    </form>
  );
}
