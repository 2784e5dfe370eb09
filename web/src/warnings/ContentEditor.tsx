// Every CAP info field of a message, one block per language, with CAP's allowed values as selects.
import { CATEGORIES, CAP_SEVERITIES, CERTAINTIES, RESPONSE_TYPES, STATUSES, URGENCIES } from './types';
import { type ContentForm, type InfoForm, emptyInfo, translationOf } from './form';

const LANGUAGE_NAMES: Record<string, string> = { fr: 'French', en: 'English', it: 'Italian', de: 'German', es: 'Spanish' };

function Problem({ text }: { text: string | undefined }) {
  return text ? <span className="field-error">{text}</span> : null;
}

function Checks({ legend, values, chosen, onChange, problem }: { legend: string; values: readonly string[]; chosen: string[]; onChange: (v: string[]) => void; problem?: string | undefined }) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v} className="chip">
          <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => onChange(e.target.checked ? [...chosen, v] : chosen.filter((c) => c !== v))} /> {v}
        </label>
      ))}
      <Problem text={problem} />
    </fieldset>
  );
}

function InfoBlock({ info, n, onChange, onRemove, problems }: { info: InfoForm; n: number; onChange: (i: InfoForm) => void; onRemove: (() => void) | null; problems: Record<string, string> }) {
  const p = (field: string) => problems[`info.${n}.${field}`];
  const text = (field: 'event' | 'headline' | 'audience' | 'senderName' | 'web' | 'contact', label: string, extra: Record<string, unknown> = {}) => (
    <label className="field">
      {label}
      <input value={info[field]} onChange={(e) => onChange({ ...info, [field]: e.target.value })} aria-invalid={p(field) ? true : undefined} {...extra} />
      <Problem text={p(field)} />
    </label>
  );
  const select = (field: 'urgency' | 'severity' | 'certainty', label: string, values: readonly string[]) => (
    <label className="field">
      {label}
      <select value={info[field]} onChange={(e) => onChange({ ...info, [field]: e.target.value })}>
        {values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </label>
  );
  const date = (field: 'effective' | 'onset' | 'expires', label: string) => (
    <label className="field">
      {label}
      <input type="datetime-local" value={info[field]} onChange={(e) => onChange({ ...info, [field]: e.target.value })} aria-invalid={p(field) ? true : undefined} />
      <Problem text={p(field)} />
    </label>
  );
  return (
    <fieldset className="info-block" data-language={info.language}>
      <legend>
        Info {n + 1}: {LANGUAGE_NAMES[info.language] ?? (info.language || 'language?')}
      </legend>
      <div className="grid-3">
        <label className="field">
          Language
          <input value={info.language} onChange={(e) => onChange({ ...info, language: e.target.value })} aria-invalid={p('language') ? true : undefined} size={6} />
          <Problem text={p('language')} />
        </label>
        {text('event', 'Event')}
        {text('senderName', 'Sender name')}
      </div>
      <Checks legend="Category" values={CATEGORIES} chosen={info.category} onChange={(category) => onChange({ ...info, category })} problem={p('category')} />
      <Checks legend="Response type" values={RESPONSE_TYPES} chosen={info.responseType} onChange={(responseType) => onChange({ ...info, responseType })} problem={p('responseType')} />
      <div className="grid-3">
        {select('urgency', 'Urgency', URGENCIES)}
        {select('severity', 'Severity', CAP_SEVERITIES)}
        {select('certainty', 'Certainty', CERTAINTIES)}
      </div>
      {text('headline', 'Headline', { maxLength: 500 })}
      <label className="field">
        Description
        <textarea rows={3} value={info.description} onChange={(e) => onChange({ ...info, description: e.target.value })} />
      </label>
      <label className="field">
        Instruction
        <textarea rows={3} value={info.instruction} onChange={(e) => onChange({ ...info, instruction: e.target.value })} />
      </label>
      <div className="grid-3">
        {text('audience', 'Audience')}
        {text('web', 'Web', { type: 'url', placeholder: 'https://…' })}
        {text('contact', 'Contact')}
      </div>
      <div className="grid-3">
        {date('effective', 'Effective')}
        {date('onset', 'Onset')}
        {date('expires', 'Expires')}
      </div>
      {onRemove && (
        <button type="button" className="link-button" onClick={onRemove}>
          Remove this language
        </button>
      )}
    </fieldset>
  );
}

export function ContentEditor({ form, onChange, problems }: { form: ContentForm; onChange: (f: ContentForm) => void; problems: Record<string, string> }) {
  const setInfo = (n: number, info: InfoForm) => onChange({ ...form, info: form.info.map((x, i) => (i === n ? info : x)) });
  const used = new Set(form.info.map((i) => i.language));
  const next = ['fr', 'en', 'it', 'de', 'es'].find((l) => !used.has(l)) ?? '';
  return (
    <div className="content-editor">
      <div className="grid-3">
        <label className="field">
          Status
          <select value={form.status} onChange={(e) => onChange({ ...form, status: e.target.value })}>
            {STATUSES.filter((s) => s !== 'Draft' && s !== 'System').map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          Note
          <input value={form.note} onChange={(e) => onChange({ ...form, note: e.target.value })} />
        </label>
      </div>
      {problems.info && <p className="error">{problems.info}</p>}
      {form.info.map((info, n) => (
        <InfoBlock key={n} n={n} info={info} problems={problems} onChange={(i) => setInfo(n, i)} onRemove={form.info.length > 1 ? () => onChange({ ...form, info: form.info.filter((_, i) => i !== n) }) : null} />
      ))}
      <button type="button" onClick={() => onChange({ ...form, info: [...form.info, form.info[0] ? translationOf(form.info[0], next) : emptyInfo(next)] })}>
        Add a language
      </button>
    </div>
  );
}
