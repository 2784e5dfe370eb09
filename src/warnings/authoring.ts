import { formatCapDateTime } from './datetime.js';
import type { Alert, Area, Info, Status, ValuePair } from './model.js';
import {
  CANCEL_TEXT,
  findTemplate,
  TEMPLATE_LANGUAGES,
  type TemplateFacts,
  type TemplateLanguage,
  type TemplateText,
  type WarningTemplate,
} from './templates.js';

/**
 * Authoring: the part of a CAP message a person decides (status, the info blocks in each language, their
 * areas). The lifecycle adds what publication decides: identifier, sender, sent, msgType and references.
 */
export type WarningContent = Pick<Alert, 'status' | 'scope' | 'code' | 'info'> & Partial<Pick<Alert, 'note' | 'incidents' | 'source'>>;

/** One text for every language, or one per language. */
export type LocalizedText = string | Partial<Record<TemplateLanguage, string>>;
export type PlaceholderValues = Record<string, LocalizedText>;

export interface AreaInput {
  areaDesc: LocalizedText;
  polygon?: string[];
  circle?: string[];
  geocode?: ValuePair[];
}

export type TemplatePhase = 'alert' | 'all-clear' | 'cancel';

export interface TemplateDraftInput {
  template: WarningTemplate | string;
  /** alert: the warning itself (msgType Alert or Update); all-clear and cancel end it. */
  phase?: TemplatePhase;
  languages?: readonly TemplateLanguage[];
  /** Fills {{placeholders}}: areaDesc, issuer and contact always; reason and assemblyPoint where used. */
  values: PlaceholderValues;
  areas: readonly AreaInput[];
  now: Date;
  effective?: Date;
  onset?: Date;
  expires?: Date;
  /** IANA time zone the dateTimes are written in (e.g. Europe/Monaco); UTC when absent. */
  timeZone?: string;
  /** <senderName>; defaults to the issuer placeholder. */
  senderName?: LocalizedText;
  web?: string;
  audience?: LocalizedText;
  status?: Status;
  note?: string;
  incidents?: string;
}

export type DraftResult =
  | { ok: true; content: WarningContent }
  | { ok: false; reasons: string[] };

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;
const ENDING_VALIDITY_HOURS = 12;

/** A warning's content from a template, in each requested language; every placeholder must be given. */
export function draftFromTemplate(input: TemplateDraftInput): DraftResult {
  const template = typeof input.template === 'string' ? findTemplate(input.template) : input.template;
  if (!template) return { ok: false, reasons: [`there is no warning template "${String(input.template)}"`] };
  const phase = input.phase ?? 'alert';
  const facts = factsFor(template, phase);
  const languages = input.languages ?? TEMPLATE_LANGUAGES;
  if (languages.length === 0) return { ok: false, reasons: ['a warning needs at least one language'] };
  if (input.areas.length === 0) return { ok: false, reasons: ['a warning needs at least one area'] };

  const reasons: string[] = [];
  const hours = phase === 'alert' ? template.defaultDurationHours : ENDING_VALIDITY_HOURS;
  const expires = input.expires ?? new Date(input.now.getTime() + hours * 3_600_000);
  const when = (d: Date | undefined): string | undefined => (d ? formatCapDateTime(d, input.timeZone) : undefined);
  const info = languages.map((language): Info => {
    const text = facts.text[language];
    const fill = (s: string): string => {
      const r = renderPlaceholders(s, input.values, language);
      reasons.push(...r.missing.map((name) => `no value for {{${name}}} in language "${language}"`));
      return r.text;
    };
    const pick = (value: LocalizedText | undefined, what: string): string | undefined => {
      if (value === undefined) return undefined;
      const v = localized(value, language);
      if (v === undefined) reasons.push(`no ${what} in language "${language}"`);
      return v;
    };
    const area = input.areas.map(
      (a): Area => ({
        areaDesc: pick(a.areaDesc, 'area description') ?? '',
        polygon: a.polygon ?? [],
        circle: a.circle ?? [],
        geocode: a.geocode ?? [],
      }),
    );
    const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
      value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
    return {
      language,
      category: [...facts.category],
      event: fill(text.event),
      responseType: [...facts.responseType],
      urgency: facts.urgency,
      severity: facts.severity,
      certainty: facts.certainty,
      ...optional('audience', pick(input.audience, 'audience')),
      eventCode: [{ valueName: 'vigil:template', value: template.id }],
      ...optional('effective', when(input.effective ?? input.now)),
      ...optional('onset', when(input.onset)),
      ...optional('expires', when(expires)),
      ...optional('senderName', pick(input.senderName ?? input.values.issuer, 'sender name')),
      headline: fill(text.headline),
      description: fill(text.description),
      instruction: fill(text.instruction),
      ...optional('web', input.web),
      ...optional('contact', pick(input.values.contact, 'contact')),
      parameter: [],
      resource: [],
      area,
    };
  });
  if (reasons.length > 0) return { ok: false, reasons: [...new Set(reasons)] };
  return {
    ok: true,
    content: {
      status: input.status ?? 'Actual',
      scope: 'Public',
      code: [],
      ...(input.note ? { note: input.note } : {}),
      ...(input.incidents ? { incidents: input.incidents } : {}),
      info,
    },
  };
}

function factsFor(template: WarningTemplate, phase: TemplatePhase): TemplateFacts {
  if (phase === 'all-clear') return template.allClear;
  if (phase === 'alert') return template;
  const text = Object.fromEntries(
    TEMPLATE_LANGUAGES.map((l): [TemplateLanguage, TemplateText] => [l, { event: template.text[l].event, ...CANCEL_TEXT[l] }]),
  ) as Record<TemplateLanguage, TemplateText>;
  return { category: template.category, responseType: ['None'], urgency: 'Past', severity: 'Minor', certainty: 'Observed', text };
}

/** Replaces each {{name}} once (values are never expanded again) and lists the names with no value. */
export function renderPlaceholders(
  text: string,
  values: PlaceholderValues,
  language: TemplateLanguage,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? localized(values[name]!, language) : undefined;
    if (value === undefined || value.trim() === '') {
      missing.push(name);
      return whole;
    }
    return value;
  });
  return { text: out, missing };
}

/** The placeholders a template needs in a phase (all phases when none is given), in every language. */
export function placeholdersOf(template: WarningTemplate, phase?: TemplatePhase): string[] {
  const names = new Set<string>();
  const phases: TemplatePhase[] = phase ? [phase] : ['alert', 'all-clear', 'cancel'];
  const texts = phases.flatMap((p) => Object.values(factsFor(template, p).text).flatMap((t) => Object.values(t)));
  for (const text of texts) for (const m of text.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names].sort();
}

function localized(value: LocalizedText, language: TemplateLanguage): string | undefined {
  return typeof value === 'string' ? value : value[language];
}
