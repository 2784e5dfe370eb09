/**
 * Standard operating procedures as data: a playbook is an ordered list of steps, some mandatory, some
 * asking a question whose answer decides where the procedure goes, each assigned to a role or to an
 * organisation (by sector and kind), some with a due time. Written in YAML by the people who own the
 * procedure (see playbooks/*.yaml and docs/playbooks.md).
 */

/** User roles (kept equal to the kernel's roles). */
export const ROLES = ['admin', 'analyst', 'operator', 'responder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Organisation sectors and kinds (kept equal to src/organisations/model.ts). */
export const SECTORS = ['water', 'energy', 'transport', 'health', 'police', 'fire', 'cert', 'city'] as const;
export type Sector = (typeof SECTORS)[number];
export const ORGANISATION_KINDS = ['operator', 'practitioner', 'authority'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * Who does a step. Every given field must match: `{ sector: water, organisationKind: operator }` is the
 * water utility; `{ role: analyst }` an analyst of any organisation on the incident; `{ lead: true }` the
 * incident lead.
 */
export interface Assignee {
  lead?: boolean;
  role?: Role;
  sector?: Sector;
  organisationKind?: OrganisationKind;
}

/** The step that follows: a step id, or `end` to finish this path of the procedure. */
export const END = 'end';

export interface Answer {
  /** What a person answers ("yes", "no", "not yet known"). */
  value: string;
  /** Where the procedure goes on this answer: step ids opened next (none: this path ends). */
  next: string[];
}

export interface PlaybookStep {
  /** Unique in the playbook: lower case, digits and dashes. */
  id: string;
  title: string;
  instructions: string;
  mandatory: boolean;
  assignee: Assignee;
  /** Milliseconds from the moment the step's task opens until it is due; null for no due time. */
  dueAfterMs: number | null;
  /** A branching step asks a question; its answers decide what opens next. */
  question: string | null;
  answers: Answer[];
  /** For a step without a question: the steps opened when it is done or skipped (several run in parallel). */
  next: string[];
}

export interface Playbook {
  id: string;
  version: number;
  title: string;
  description: string;
  /** The incident types this playbook is meant for ("water-contamination"). */
  incidentTypes: string[];
  steps: PlaybookStep[];
}

export const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/**
 * Reads a due time: an ISO 8601 duration (`PT30M`, `P1DT2H`) or the short form people write (`30m`, `2h`,
 * `1h30m`, `1d`). Returns milliseconds, or null when the text is not a positive duration.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, w, d, h, m, sec] = iso;
    const ms = Number(w ?? 0) * UNIT_MS.w! + Number(d ?? 0) * UNIT_MS.d! + Number(h ?? 0) * UNIT_MS.h! + Number(m ?? 0) * UNIT_MS.m! + Number(sec ?? 0) * UNIT_MS.s!;
    return ms > 0 ? ms : null;
  }
  if (!/^(?:\d+\s*[wdhms]\s*)+$/i.test(s)) return null;
  let ms = 0;
  for (const [, n, unit] of s.matchAll(/(\d+)\s*([wdhms])/gi)) ms += Number(n) * UNIT_MS[unit!.toLowerCase()]!;
  return ms > 0 ? ms : null;
}

/** The short form of a duration, as exported (`1h30m`); ISO 8601 when it has a fraction of a second. */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `PT${ms / 1000}S`;
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]!);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_MS[unit]!;
    }
  }
  return out || '0s';
}

/** Whether a person (with their role and organisation) is someone a step is assigned to. */
export function isAssignee(assignee: Assignee, actor: { role: string; sector: string; organisationKind: string; isLead: boolean }): boolean {
  if (assignee.lead && !actor.isLead) return false;
  if (assignee.role && assignee.role !== actor.role) return false;
  if (assignee.sector && assignee.sector !== actor.sector) return false;
  if (assignee.organisationKind && assignee.organisationKind !== actor.organisationKind) return false;
  return true;
}

/** "the water operator", "an analyst", "the incident lead": for notices and the task list. */
export function describeAssignee(a: Assignee): string {
  const parts: string[] = [];
  if (a.lead) parts.push('the incident lead');
  if (a.role) parts.push(`role ${a.role}`);
  const org = [a.sector, a.organisationKind].filter(Boolean).join(' ');
  if (org) parts.push(`${org} organisation`);
  return parts.join(', ') || 'anyone on the incident';
}
