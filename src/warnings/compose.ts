import { areasOfMessage, withAreas } from './areas.js';
import { draftFromTemplate, renderPlaceholders, type AreaInput, type LocalizedText, type PlaceholderValues, type WarningContent } from './authoring.js';
import { formatCapDateTime } from './datetime.js';
import type { MessageKind } from './lifecycle.js';
import type { Alert, Category, Info, Severity, Status } from './model.js';
import { CANCEL_TEXT, findTemplate, TEMPLATE_LANGUAGES, type TemplateLanguage } from './templates.js';

/**
 * A message's content from what the author gave: the content itself, a template with its values, or (for a
 * first message drafted from an incident without either) a draft prefilled from the incident for the author
 * to finish. Updates, cancels and all-clears default to the template, languages and areas of the latest
 * published message. Pure: the routes resolve incidents and areas first.
 */
export interface ComposeInput {
  kind: MessageKind;
  /** Content as sent by the author (CAP JSON); arrays may be missing. */
  content?: ContentInput;
  template?: string | null;
  languages?: readonly TemplateLanguage[];
  values: PlaceholderValues;
  /** Resolved areas; when absent, those of the previous message. */
  areas?: AreaInput[];
  now: Date;
  timeZone: string;
  status?: Status;
  effective?: Date;
  onset?: Date;
  expires?: Date;
  web?: string;
  /** The latest published message of the warning (update, cancel, all-clear). */
  previous?: Alert;
  /** The incident a first message is drafted from. */
  incident?: { title: string; description: string; severity: string; type: string };
  /** Language of a prefilled draft. */
  defaultLanguage: string;
}

/** CAP content as it arrives in JSON: optional arrays may be left out. */
export type ContentInput = Omit<Partial<WarningContent>, 'info'> & { info: Array<Partial<Info> & Pick<Info, 'category' | 'event' | 'urgency' | 'severity' | 'certainty'>> };

export type ComposeResult = { ok: true; content: WarningContent; template: string | null } | { ok: false; reasons: string[] };

export function composeContent(input: ComposeInput): ComposeResult {
  if (input.content) {
    const content = normaliseContent(input.content);
    return { ok: true, content: input.areas ? { ...content, info: withAreas(content.info, input.areas) } : content, template: input.template ?? null };
  }
  const areas = input.areas ?? (input.previous ? areasOfMessage(input.previous.info) : undefined);
  if (!areas || areas.length === 0) return { ok: false, reasons: ['say where the warning applies: give its areas'] };
  const templateId = input.template ?? null;
  const languages = input.languages ?? languagesOf(input.previous);
  const dates = { now: input.now, timeZone: input.timeZone, ...(input.effective ? { effective: input.effective } : {}), ...(input.onset ? { onset: input.onset } : {}), ...(input.expires ? { expires: input.expires } : {}) };
  const values: PlaceholderValues = { ...(areas[0] ? { areaDesc: areas[0].areaDesc } : {}), ...input.values };

  if (templateId) {
    const template = findTemplate(templateId);
    if (!template) return { ok: false, reasons: [`there is no warning template "${templateId}"`] };
    const phase = input.kind === 'cancel' ? 'cancel' : input.kind === 'all-clear' ? 'all-clear' : 'alert';
    const result = draftFromTemplate({
      template,
      phase,
      languages,
      values,
      areas,
      ...dates,
      ...(input.web ? { web: input.web } : {}),
      ...(input.status ? { status: input.status } : input.previous ? { status: input.previous.status } : {}),
    });
    return result.ok ? { ok: true, content: result.content, template: templateId } : result;
  }
  if (input.kind === 'cancel' && input.previous) return cancelOf(input.previous, values, areas, dates);
  if (input.kind === 'alert' && input.incident) return prefilled(input, areas, dates);
  return { ok: false, reasons: [`give a template or the content of the ${input.kind === 'alert' ? 'warning' : input.kind}`] };
}

/** The content with CAP's optional lists present, as the pure lifecycle and the writer expect. */
export function normaliseContent(content: ContentInput): WarningContent {
  return {
    status: content.status ?? 'Actual',
    scope: 'Public',
    code: content.code ?? [],
    ...(content.note ? { note: content.note } : {}),
    ...(content.source ? { source: content.source } : {}),
    ...(content.incidents ? { incidents: content.incidents } : {}),
    info: content.info.map(
      (i): Info => ({
        ...i,
        category: i.category,
        responseType: i.responseType ?? [],
        eventCode: i.eventCode ?? [],
        parameter: i.parameter ?? [],
        resource: i.resource ?? [],
        area: (i.area ?? []).map((a) => ({ ...a, polygon: a.polygon ?? [], circle: a.circle ?? [], geocode: a.geocode ?? [] })),
      }),
    ),
  };
}

function languagesOf(previous: Alert | undefined): TemplateLanguage[] {
  const known = (previous?.info ?? []).map((i) => i.language).filter((l): l is TemplateLanguage => (TEMPLATE_LANGUAGES as readonly string[]).includes(l ?? ''));
  return known.length > 0 ? [...new Set(known)] : [...TEMPLATE_LANGUAGES];
}

interface Dates {
  now: Date;
  timeZone: string;
  effective?: Date;
  onset?: Date;
  expires?: Date;
}

const ENDING_HOURS = 12;

/**
 * A cancel for a warning written without a template: the shared cancel text in each language of the previous
 * message, keeping its category and event. Withdrawing a wrong warning must never wait for someone to write.
 */
function cancelOf(previous: Alert, values: PlaceholderValues, areas: AreaInput[], dates: Dates): ComposeResult {
  const reasons: string[] = [];
  const when = (d: Date): string => formatCapDateTime(d, dates.timeZone);
  const info = previous.info.map((p): Info => {
    const language = ((TEMPLATE_LANGUAGES as readonly string[]).includes(p.language ?? '') ? p.language : 'en') as TemplateLanguage;
    const fill = (s: string): string => {
      const r = renderPlaceholders(s, values, language);
      reasons.push(...r.missing.map((name) => `no value for {{${name}}} in language "${language}"`));
      return r.text;
    };
    const text = CANCEL_TEXT[language];
    return {
      ...(p.language ? { language: p.language } : {}),
      category: p.category,
      event: p.event,
      responseType: ['None'],
      urgency: 'Past',
      severity: 'Minor',
      certainty: 'Observed',
      eventCode: p.eventCode,
      effective: when(dates.effective ?? dates.now),
      expires: when(dates.expires ?? new Date(dates.now.getTime() + ENDING_HOURS * 3_600_000)),
      ...(p.senderName ? { senderName: p.senderName } : {}),
      headline: fill(text.headline),
      description: fill(text.description),
      instruction: fill(text.instruction),
      ...(p.contact ? { contact: p.contact } : {}),
      parameter: [],
      resource: [],
      area: [],
    };
  });
  if (reasons.length > 0) return { ok: false, reasons: [...new Set(reasons)] };
  return { ok: true, content: { status: previous.status, scope: 'Public', code: [], info: withAreas(info, areas) }, template: null };
}

const SEVERITY_OF: Record<string, Severity> = { critical: 'Extreme', high: 'Severe', medium: 'Moderate', low: 'Minor', info: 'Minor' };

/** A first draft from an incident that no template fits: its title and description, for the author to finish. */
function prefilled(input: ComposeInput, areas: AreaInput[], dates: Dates): ComposeResult {
  const incident = input.incident!;
  const languages = input.languages ?? [input.defaultLanguage];
  const when = (d: Date): string => formatCapDateTime(d, dates.timeZone);
  const info = languages.map(
    (language): Info => ({
      language,
      category: [categoryOf(incident.type)],
      event: incident.title.slice(0, 500),
      responseType: ['Monitor'],
      urgency: 'Expected',
      severity: SEVERITY_OF[incident.severity] ?? 'Unknown',
      certainty: 'Likely',
      eventCode: [],
      effective: when(dates.effective ?? dates.now),
      ...(dates.onset ? { onset: when(dates.onset) } : {}),
      expires: when(dates.expires ?? new Date(dates.now.getTime() + ENDING_HOURS * 3_600_000)),
      ...(localizedValue(input.values.issuer, language) ? { senderName: localizedValue(input.values.issuer, language)! } : {}),
      headline: incident.title.slice(0, 160),
      ...(incident.description ? { description: incident.description } : {}),
      ...(input.web ? { web: input.web } : {}),
      ...(localizedValue(input.values.contact, language) ? { contact: localizedValue(input.values.contact, language)! } : {}),
      parameter: [],
      resource: [],
      area: [],
    }),
  );
  return { ok: true, content: { status: input.status ?? 'Actual', scope: 'Public', code: [], info: withAreas(info, areas) }, template: null };
}

function categoryOf(incidentType: string): Category {
  if (/water|health|contamin/.test(incidentType)) return 'Health';
  if (/fire/.test(incidentType)) return 'Fire';
  if (/scada|cyber|power|grid|infra/.test(incidentType)) return 'Infra';
  if (/transport|traffic|rail/.test(incidentType)) return 'Transport';
  if (/terror|bomb|suspicious|security/.test(incidentType)) return 'Security';
  return 'Safety';
}

function localizedValue(value: LocalizedText | undefined, language: string): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[language as TemplateLanguage];
}

/** The headline a list shows for a message: in the preferred language when there is one. */
export function headlineOf(info: readonly Info[], language: string): string {
  const block = info.find((i) => i.language === language) ?? info[0];
  return block?.headline ?? block?.event ?? '';
}
