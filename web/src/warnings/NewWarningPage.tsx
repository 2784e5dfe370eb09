// Drafting a public warning: from a template (the one for the incident's type first) with its placeholders,
// or from scratch with every CAP field; areas drawn on the map or derived from the incident.
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, ApiError, errorText } from '../api/client';
import { Link, navigate } from '../router';
import { store, useStoreVersion } from '../state/store';
import { AreasEditor } from './AreasEditor';
import { ContentEditor } from './ContentEditor';
import { useTemplatesAndPolicy } from './data';
import {
  type ContentForm,
  type TemplateForm,
  PLACEHOLDER_FIELDS,
  areaProblems,
  areaSpec,
  contentOf,
  contentProblems,
  emptyContent,
  localIn,
  templateProblems,
  templateRequest,
  templatesFor,
  whyNotAuthor,
} from './form';
import { type AreaDraft, TEMPLATE_LANGUAGES, type Warning } from './types';

const TEMPLATE_NAMES: Record<string, string> = { 'boil-water': 'Boil-water notice', 'do-not-drink': 'Do not drink', 'avoid-area': 'Avoid the area', evacuate: 'Evacuate' };
export const templateName = (id: string | null) => (id ? (TEMPLATE_NAMES[id] ?? id) : 'written from scratch');

/** The reasons of a refusal (problem+json `reasons`), or its detail. */
export function refusalText(e: unknown): string[] {
  if (e instanceof ApiError && Array.isArray(e.problem.reasons)) return (e.problem.reasons as Array<{ message: string }>).map((r) => r.message);
  return [errorText(e)];
}

export function NewWarningPage({ incidentId }: { incidentId: string | null }) {
  useStoreVersion();
  const { templates, policy, error: loadError } = useTemplatesAndPolicy();
  const incident = incidentId ? (store.incidents.get(incidentId) ?? null) : null;
  const ordered = useMemo(() => templatesFor(templates ?? [], incident?.type ?? null), [templates, incident?.type]);
  const [mode, setMode] = useState<'template' | 'scratch'>('template');
  const [form, setForm] = useState<TemplateForm>({ template: '', languages: [...TEMPLATE_LANGUAGES], values: {}, status: 'Actual', effective: '', onset: '', expires: '' });
  const [content, setContent] = useState<ContentForm>(emptyContent);
  const [areas, setAreas] = useState<AreaDraft[]>([]);
  const [tried, setTried] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!form.template && ordered[0]) setForm((f) => ({ ...f, template: ordered[0]!.id }));
  }, [ordered]);
  useEffect(() => {
    if (incident && !form.values.reason) setForm((f) => ({ ...f, values: { ...f.values, reason: incident.title } }));
  }, [incident?.id]);

  const template = templates?.find((t) => t.id === form.template);
  const problems = mode === 'template' ? templateProblems(form, template, areas, policy) : { ...contentProblems(content), ...areaProblems(areas) };
  const me = store.me!;
  const refused = policy ? whyNotAuthor({ userId: me.user?.id ?? null, orgId: me.organisation.id, role: me.role }, { ownerOrgId: me.organisation.id }, policy) : [];
  const shown = tried ? problems : {};

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setErrors([]);
    try {
      const body =
        mode === 'template'
          ? templateRequest(form, areas, incidentId)
          : { ...(incidentId ? { incidentId } : {}), content: contentOf(content), ...(areas.length ? { areas: areas.map(areaSpec) } : {}) };
      const created = await api<Warning>('POST', '/warnings', body);
      navigate(`/warnings/${created.id}`);
    } catch (e) {
      setErrors(refusalText(e));
      setBusy(false);
    }
  }

  return (
    <main className="page warnings-page" aria-labelledby="new-warning-title">
      <p className="muted">
        <Link to="/warnings">Public warnings</Link>
        {incident && (
          <>
            {' '}· from the incident <Link to={`/incidents/${incident.id}`}>{incident.title}</Link> ({incident.type})
          </>
        )}
      </p>
      <h1 id="new-warning-title">Draft a public warning</h1>
      <p className="muted">A draft is seen by your organisation and the approving organisations; it becomes public only when a second person approves it.</p>
      {loadError && <p className="error">{loadError}</p>}
      {refused.length > 0 && (
        <p className="error" role="alert">
          {refused.join(' ')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <div className="mode-switch" role="radiogroup" aria-label="Start from">
          <label className="chip">
            <input type="radio" name="mode" checked={mode === 'template'} onChange={() => setMode('template')} /> From a template
          </label>
          <label className="chip">
            <input type="radio" name="mode" checked={mode === 'scratch'} onChange={() => setMode('scratch')} /> From scratch (every CAP field)
          </label>
        </div>
        {mode === 'template' ? (
          <fieldset>
            <legend>Text from a template</legend>
            <div className="grid-3">
              <label className="field">
                Template
                <select value={form.template} onChange={(e) => setForm({ ...form, template: e.target.value })} aria-invalid={shown.template ? true : undefined}>
                  {ordered.map((t) => (
                    <option key={t.id} value={t.id}>
                      {templateName(t.id)}
                      {incident && t.incidentTypes.includes(incident.type) ? ` (for ${incident.type})` : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                Status
                <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as TemplateForm['status'] })}>
                  <option value="Actual">Actual</option>
                  <option value="Exercise">Exercise (a drill)</option>
                </select>
              </label>
              <fieldset className="checks">
                <legend>Languages</legend>
                {TEMPLATE_LANGUAGES.map((l) => (
                  <label key={l} className="chip">
                    <input type="checkbox" checked={form.languages.includes(l)} onChange={(e) => setForm({ ...form, languages: e.target.checked ? [...form.languages, l] : form.languages.filter((x) => x !== l) })} /> {l}
                  </label>
                ))}
                {shown.languages && <span className="field-error">{shown.languages}</span>}
              </fieldset>
            </div>
            {template && (
              <div className="template-summary">
                <p>
                  <strong>{template.text.alert[form.languages[0] ?? 'fr']?.headline ?? ''}</strong>
                </p>
                <p className="muted">
                  {template.category.join(', ')} · {template.responseType.join(', ')} · {template.urgency} / {template.severity} / {template.certainty} · in force {template.defaultDurationHours} h unless you say
                </p>
              </div>
            )}
            <div className="grid-3">
              {(template?.placeholders.alert ?? []).map((name) => (
                <label key={name} className="field">
                  {PLACEHOLDER_FIELDS[name] ?? name}
                  <input
                    value={form.values[name] ?? ''}
                    placeholder={name === 'issuer' ? me.organisation.name : name === 'areaDesc' ? 'the first area’s name' : name === 'contact' ? (policy?.defaultContact ?? '') : ''}
                    onChange={(e) => setForm({ ...form, values: { ...form.values, [name]: e.target.value } })}
                    aria-invalid={shown[`values.${name}`] ? true : undefined}
                    data-placeholder={name}
                  />
                  {shown[`values.${name}`] && <span className="field-error">{shown[`values.${name}`]}</span>}
                </label>
              ))}
            </div>
            <div className="grid-3">
              {(['effective', 'onset', 'expires'] as const).map((f) => (
                <label key={f} className="field">
                  {f[0]!.toUpperCase() + f.slice(1)}
                  <input type="datetime-local" value={form[f]} onChange={(e) => setForm({ ...form, [f]: e.target.value })} placeholder={f === 'expires' && template ? localIn(template.defaultDurationHours) : ''} />
                  {f === 'expires' && template && !form.expires && <span className="muted small-text">default: {template.defaultDurationHours} h after publication</span>}
                  {shown[f] && <span className="field-error">{shown[f]}</span>}
                </label>
              ))}
            </div>
          </fieldset>
        ) : (
          <ContentEditor form={content} onChange={setContent} problems={shown} />
        )}
        <AreasEditor areas={areas} onChange={setAreas} incident={incident ? { id: incident.id, location: incident.location } : null} problems={shown} />
        {tried && Object.keys(problems).length > 0 && (
          <p className="error" role="alert">
            {Object.keys(problems).length} thing(s) to correct above.
          </p>
        )}
        {errors.length > 0 && (
          <ul className="error" role="alert">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
        <button type="submit" className="primary" disabled={busy || refused.length > 0}>
          {busy ? 'Drafting…' : 'Create the draft'}
        </button>
      </form>
    </main>
  );
}
