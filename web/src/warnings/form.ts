// The warning editor's logic, pure (no React, no network): what the form holds, what it sends, what is wrong
// with it before the server is asked, and why an action is not open to the person looking at it.
import type { AreaDraft, CapContent, CapInfo, TemplateLanguage, Warning, WarningPolicy, WarningTemplate } from './types';

// ---------- lists ----------

export const WARNING_GROUPS = ['current', 'awaiting', 'drafts', 'archived'] as const;
export type WarningGroup = (typeof WARNING_GROUPS)[number];
export const GROUP_LABELS: Record<WarningGroup, string> = { current: 'Published, in force', awaiting: 'Awaiting approval', drafts: 'Drafts', archived: 'Archived' };

/**
 * The lists a warning belongs in. A published warning with an Update being written is both in force and a
 * draft: the public still reads the published message while the next one is prepared.
 */
export function groupsOf(w: Pick<Warning, 'live' | 'messages' | 'proposal'>): WarningGroup[] {
  const groups: WarningGroup[] = [];
  if (w.live) groups.push('current');
  if (w.proposal?.state === 'awaiting-approval') groups.push('awaiting');
  if (w.proposal?.state === 'draft') groups.push('drafts');
  if (w.messages.length > 0 && !w.live) groups.push('archived');
  return groups;
}

export interface WarningFilter {
  group: WarningGroup | 'all';
  text: string;
  /** An organisation id; '' for every one. */
  owner: string;
  /** Only the warnings the viewer could approve now. */
  toApprove?: boolean;
}

export function filterWarnings(list: readonly Warning[], filter: WarningFilter): Warning[] {
  const text = filter.text.trim().toLowerCase();
  return list.filter((w) => {
    if (filter.group !== 'all' && !groupsOf(w).includes(filter.group)) return false;
    if (filter.owner && w.ownerOrgId !== filter.owner) return false;
    if (text) {
      const haystack = [w.headline, w.template ?? '', ...w.messages.map((m) => m.identifier), ...(w.proposal?.content.info ?? []).map((i) => `${i.event} ${i.headline ?? ''} ${i.area.map((a) => a.areaDesc).join(' ')}`)]
        .join(' ')
        .toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    return true;
  });
}

export function countByGroup(list: readonly Warning[]): Record<WarningGroup, number> {
  const counts: Record<WarningGroup, number> = { current: 0, awaiting: 0, drafts: 0, archived: 0 };
  for (const w of list) for (const g of groupsOf(w)) counts[g]++;
  return counts;
}

// ---------- who may do what ----------

export interface Viewer {
  userId: string | null;
  orgId: string;
  role: string;
}

/** Why the viewer may not approve (or reject) the pending message, in sentences; empty when they may. */
export function whyNotApprove(viewer: Viewer, w: Pick<Warning, 'proposal'>, policy: WarningPolicy | null): string[] {
  const reasons: string[] = [];
  if (!w.proposal || w.proposal.state !== 'awaiting-approval') return ['No message of this warning is awaiting approval.'];
  if (!viewer.userId) reasons.push('Approving is a person’s act: an API token cannot approve.');
  else if (w.proposal.authors.includes(viewer.userId)) reasons.push('You wrote or edited this message: a second person must approve it (four eyes).');
  if (!policy) return reasons;
  if (!policy.approverRoles.includes(viewer.role)) reasons.push(`Approving needs the role ${orList(policy.approverRoles)}; yours is ${viewer.role}.`);
  if (policy.approverOrganisations.length === 0) reasons.push('No organisation is configured to approve public warnings (VIGIL_WARNING_APPROVER_ORGS).');
  else if (!policy.approverOrganisations.some((o) => o.id === viewer.orgId)) reasons.push(`Only ${orList(policy.approverOrganisations.map((o) => o.name))} approve public warnings.`);
  return reasons;
}

/** Why the viewer may not write (edit, submit, propose the next message of) this warning. */
export function whyNotAuthor(viewer: Viewer, w: Pick<Warning, 'ownerOrgId'>, policy: WarningPolicy | null): string[] {
  if (!policy) return [];
  const reasons: string[] = [];
  if (!policy.authorRoles.includes(viewer.role)) reasons.push(`Writing warnings needs the role ${orList(policy.authorRoles)}; yours is ${viewer.role}.`);
  if (viewer.orgId !== w.ownerOrgId && !policy.approverOrganisations.some((o) => o.id === viewer.orgId)) reasons.push('Only the owning organisation and the approving organisations edit this warning.');
  return reasons;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '(none)';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

// ---------- templates ----------

/** The templates in the order that suits an incident type: those made for it first. */
export function templatesFor(templates: readonly WarningTemplate[], incidentType: string | null): WarningTemplate[] {
  if (!incidentType) return [...templates];
  return [...templates].sort((a, b) => Number(b.incidentTypes.includes(incidentType)) - Number(a.incidentTypes.includes(incidentType)));
}

/** Placeholders the server fills itself when left empty: issuer (your organisation), areaDesc (the first area's name), and contact when the city configured one. */
export function defaultedPlaceholders(policy: Pick<WarningPolicy, 'defaultContact'> | null): Set<string> {
  return new Set(['issuer', 'areaDesc', ...(policy?.defaultContact ? ['contact'] : [])]);
}

export interface TemplateForm {
  template: string;
  languages: TemplateLanguage[];
  values: Record<string, string>;
  status: 'Actual' | 'Exercise';
  /** datetime-local values ('' = not given). */
  effective: string;
  onset: string;
  expires: string;
}

export type FieldProblems = Record<string, string>;

/** What is wrong before sending a templated draft: field key → sentence. */
export function templateProblems(form: TemplateForm, template: WarningTemplate | undefined, areas: readonly AreaDraft[], policy: Pick<WarningPolicy, 'defaultContact'> | null): FieldProblems {
  const defaulted = defaultedPlaceholders(policy);
  const problems: FieldProblems = {};
  if (!template) problems.template = 'Choose a template.';
  if (form.languages.length === 0) problems.languages = 'Choose at least one language.';
  for (const name of template?.placeholders.alert ?? []) {
    if (defaulted.has(name)) continue;
    if (!form.values[name]?.trim()) problems[`values.${name}`] = `The template needs ${PLACEHOLDER_LABELS[name] ?? name}.`;
  }
  if (!form.values.areaDesc?.trim() && !areas.some((a) => a.areaDesc.trim())) problems['values.areaDesc'] = 'Name the area (or give the first area a name).';
  Object.assign(problems, dateProblems(form, ''), areaProblems(areas));
  return problems;
}

export const PLACEHOLDER_LABELS: Record<string, string> = {
  areaDesc: 'the name of the area',
  issuer: 'who issues it',
  contact: 'a contact',
  reason: 'the reason',
  assemblyPoint: 'the assembly point',
};

/** The label of each placeholder's field. */
export const PLACEHOLDER_FIELDS: Record<string, string> = { areaDesc: 'Area name', issuer: 'Issuer', contact: 'Contact', reason: 'Reason', assemblyPoint: 'Assembly point' };

/** The body of POST /warnings for a templated draft. */
export function templateRequest(form: TemplateForm, areas: readonly AreaDraft[], incidentId: string | null, offset = browserOffset): Record<string, unknown> {
  const values = Object.fromEntries(Object.entries(form.values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
  return {
    ...(incidentId ? { incidentId } : {}),
    template: form.template,
    languages: form.languages,
    values,
    ...(areas.length ? { areas: areas.map(areaSpec) } : {}),
    status: form.status,
    ...(form.effective ? { effective: rfc3339(form.effective, offset) } : {}),
    ...(form.onset ? { onset: rfc3339(form.onset, offset) } : {}),
    ...(form.expires ? { expires: rfc3339(form.expires, offset) } : {}),
  };
}

// ---------- the CAP content, field by field ----------

export interface InfoForm {
  language: string;
  category: string[];
  event: string;
  responseType: string[];
  urgency: string;
  severity: string;
  certainty: string;
  audience: string;
  senderName: string;
  headline: string;
  description: string;
  instruction: string;
  web: string;
  contact: string;
  effective: string;
  onset: string;
  expires: string;
  /** What the form does not edit, kept as it was (eventCode, parameter, resource, area). */
  rest: Pick<CapInfo, 'eventCode' | 'parameter' | 'resource' | 'area'>;
}

export interface ContentForm {
  status: string;
  note: string;
  info: InfoForm[];
  /** What the form does not edit (code, source, incidents). */
  rest: Omit<CapContent, 'status' | 'note' | 'info'>;
}

export function emptyInfo(language = 'fr'): InfoForm {
  return {
    language,
    category: ['Safety'],
    event: '',
    responseType: [],
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    audience: '',
    senderName: '',
    headline: '',
    description: '',
    instruction: '',
    web: '',
    contact: '',
    effective: '',
    onset: '',
    expires: '',
    rest: { area: [] },
  };
}

export function emptyContent(): ContentForm {
  return { status: 'Actual', note: '', info: [emptyInfo('fr')], rest: {} };
}

/** A translation starts as a copy of the block it translates: codes and values are the same in every language. */
export function translationOf(info: InfoForm, language: string): InfoForm {
  return { ...info, language, category: [...info.category], responseType: [...info.responseType], rest: { ...info.rest } };
}

export function contentForm(content: CapContent, zone = browserZone): ContentForm {
  const { status, note, info, ...rest } = content;
  return {
    status: status ?? 'Actual',
    note: note ?? '',
    rest,
    info: info.map((i) => ({
      language: i.language ?? '',
      category: [...i.category],
      event: i.event,
      responseType: [...(i.responseType ?? [])],
      urgency: i.urgency,
      severity: i.severity,
      certainty: i.certainty,
      audience: i.audience ?? '',
      senderName: i.senderName ?? '',
      headline: i.headline ?? '',
      description: i.description ?? '',
      instruction: i.instruction ?? '',
      web: i.web ?? '',
      contact: i.contact ?? '',
      effective: i.effective ? zone(i.effective) : '',
      onset: i.onset ? zone(i.onset) : '',
      expires: i.expires ? zone(i.expires) : '',
      rest: { ...(i.eventCode ? { eventCode: i.eventCode } : {}), ...(i.parameter ? { parameter: i.parameter } : {}), ...(i.resource ? { resource: i.resource } : {}), area: i.area },
    })),
  };
}

/** The content as the API takes it: empty texts left out, dates as CAP dateTimes with their offset. */
export function contentOf(form: ContentForm, offset = browserOffset): CapContent {
  const text = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    ...form.rest,
    status: form.status,
    ...(text(form.note) ? { note: text(form.note)! } : {}),
    info: form.info.map((i) => {
      const info: CapInfo = { ...i.rest, category: i.category, event: i.event.trim(), responseType: i.responseType, urgency: i.urgency, severity: i.severity, certainty: i.certainty, area: i.rest.area };
      if (text(i.language)) info.language = text(i.language)!;
      for (const key of ['audience', 'senderName', 'headline', 'description', 'instruction', 'web', 'contact'] as const) {
        const v = text(i[key]);
        if (v !== undefined) info[key] = v;
      }
      for (const key of ['effective', 'onset', 'expires'] as const) if (i[key]) info[key] = capDateTime(i[key], offset);
      return info;
    }),
  };
}

/** Problems of the CAP content the browser can see: key `info.<n>.<field>` → sentence. */
export function contentProblems(form: ContentForm): FieldProblems {
  const problems: FieldProblems = {};
  if (form.info.length === 0) problems.info = 'A public warning needs at least one info block (one per language).';
  const seen = new Map<string, number>();
  form.info.forEach((i, n) => {
    const at = (field: string) => `info.${n}.${field}`;
    if (i.category.length === 0) problems[at('category')] = 'Choose at least one category.';
    if (!i.event.trim()) problems[at('event')] = 'Say what the event is (e.g. "Drinking water contamination").';
    if (!i.headline.trim()) problems[at('headline')] = 'Give a headline: it is what phones and sirens announce.';
    else if (i.headline.trim().length > 160) problems[at('headline')] = `Keep the headline under 160 characters (now ${i.headline.trim().length}): CAP §3.2.2 asks it for SMS and broadcast.`;
    if (!i.language.trim()) problems[at('language')] = 'Give the language (e.g. fr, en-GB).';
    else if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(i.language.trim())) problems[at('language')] = 'A language is an RFC 3066 code such as fr, en or en-GB.';
    else if (seen.has(i.language.trim().toLowerCase())) problems[at('language')] = `Block ${seen.get(i.language.trim().toLowerCase())! + 1} is already in ${i.language.trim()}.`;
    else seen.set(i.language.trim().toLowerCase(), n);
    if (i.web.trim() && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(i.web.trim())) problems[at('web')] = 'The web address must be a full address (https://…).';
    Object.assign(problems, dateProblems(i, `info.${n}.`));
    if (i.responseType.includes('AllClear') && i.responseType.length > 1) problems[at('responseType')] = 'All clear stands alone: remove the other response types.';
  });
  return problems;
}

function dateProblems(d: { effective: string; onset: string; expires: string }, prefix: string): FieldProblems {
  const problems: FieldProblems = {};
  const t = (v: string) => (v ? new Date(v).getTime() : NaN);
  const [effective, onset, expires] = [t(d.effective), t(d.onset), t(d.expires)];
  if (Number.isFinite(expires) && Number.isFinite(effective) && expires <= effective) problems[`${prefix}expires`] = 'It must expire after it takes effect.';
  else if (Number.isFinite(expires) && Number.isFinite(onset) && expires <= onset) problems[`${prefix}expires`] = 'It must expire after the onset.';
  return problems;
}

/** Problems of the drawn areas: key `areas.<n>` → sentence. */
export function areaProblems(areas: readonly AreaDraft[]): FieldProblems {
  const problems: FieldProblems = {};
  areas.forEach((a, n) => {
    if (a.kind === 'circle' && !(a.radiusMeters > 0)) problems[`areas.${n}`] = 'A circle needs a radius above 0 m.';
    if (a.kind === 'polygon' && distinct(a.ring).length < 3) problems[`areas.${n}`] = 'A polygon needs at least 3 distinct corners.';
    if (a.kind === 'circle' || a.kind === 'polygon') {
      const pts = a.kind === 'circle' ? [a.center] : a.ring;
      if (pts.some(([lon, lat]) => !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))) problems[`areas.${n}`] = 'A corner is outside WGS 84 (longitude −180…180, latitude −90…90).';
    }
  });
  return problems;
}

function distinct(ring: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const seen = new Set<string>();
  return ring.filter(([x, y]) => {
    const k = `${x.toFixed(7)},${y.toFixed(7)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** An area as the API's AreaSpec. */
export function areaSpec(a: AreaDraft): Record<string, unknown> {
  const desc = a.areaDesc.trim() ? { areaDesc: a.areaDesc.trim() } : {};
  if (a.kind === 'circle') return { kind: 'circle', ...desc, center: a.center, radiusMeters: Math.round(a.radiusMeters) };
  if (a.kind === 'incident') return { kind: 'incident', ...desc, bufferMeters: a.bufferMeters };
  const ring = distinct(a.ring);
  return { kind: 'polygon', ...desc, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } };
}

// ---------- dates ----------

type Offset = (local: string) => number;

/** Minutes east of UTC of the browser's zone at that local time (DST included). */
export const browserOffset: Offset = (local) => -new Date(local).getTimezoneOffset();

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
const offsetText = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;

/** "2026-07-14T11:30" (a datetime-local field) → "2026-07-14T11:30:00+02:00": CAP wants the zone, never "Z". */
export function capDateTime(local: string, offset: Offset = browserOffset): string {
  const base = local.length === 16 ? `${local}:00` : local.slice(0, 19);
  const minutes = offset(local);
  return `${base}${minutes === 0 ? '-00:00' : offsetText(minutes)}`;
}

/** RFC 3339 for the API's effective/onset/expires (same as CAP's form, but "+00:00" for UTC). */
export function rfc3339(local: string, offset: Offset = browserOffset): string {
  const minutes = offset(local);
  return `${local.length === 16 ? `${local}:00` : local.slice(0, 19)}${offsetText(minutes)}`;
}

/** A CAP dateTime → the datetime-local value of the same instant in the browser's zone. */
export function browserZone(cap: string): string {
  const d = new Date(cap);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value `hours` from now (the default expiry of a template, shown in the form). */
export function localIn(hours: number, now = new Date()): string {
  return browserZone(new Date(now.getTime() + hours * 3_600_000).toISOString());
}
