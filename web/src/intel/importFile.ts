// The import page's logic: what kind of file was chosen, the sharing asked for (through the kernel's own
// policy, as the share dialog does), the request to send, and the report made readable. Pure.
import type { Distribution, Tlp } from '../api/types';
import { type Choice, type DistributionScope, type ShareContext, type ShareDraft, type SharingWorld, labelChoices, scopeChoices, groupChoices, distributionOf } from '../sharing/rules';
import type { ImportBody, MispImportBody, Reason } from './types';

export type FileKind = 'stix' | 'misp';

/**
 * A STIX bundle or a MISP event, from the file's first bytes: a bundle says `"type": "bundle"` (or lists
 * `objects`); a MISP event is `{"Event": …}`. Null when neither can be told (the user then says which).
 */
export function detectFileKind(head: string): FileKind | null {
  const text = head.slice(0, 64 * 1024);
  if (/^\s*\{\s*"Event"\s*:/.test(text)) return 'misp';
  if (/"type"\s*:\s*"bundle"/.test(text)) return 'stix';
  if (/"objects"\s*:\s*\[/.test(text)) return 'stix';
  if (/"Attribute"\s*:\s*\[/.test(text) || /"Event"\s*:\s*\{/.test(text)) return 'misp';
  return null;
}

/**
 * The sharing asked for. `default` sends nothing: the organisation's defaults apply (and, for MISP, each
 * attribute's own distribution level). Otherwise the label is for objects that carry no TLP marking and the
 * distribution is asked for; each object's own label may narrow it (the server counts those as narrowed).
 */
export interface ImportDraft {
  kind: FileKind;
  partial: boolean;
  useDefaults: boolean;
  share: ShareDraft;
}

export function importContext(orgId: string, mayWrite: boolean, world: SharingWorld, groupIds: string[], draft: ShareDraft): ShareContext {
  // An import is a new record of the importer: the owner may choose any label and any distribution it allows.
  return { actorOrgId: orgId, mayShare: mayWrite, record: { ownerOrgId: orgId, tlp: draft.tlp, distribution: { scope: 'owner' } }, world, groupIds };
}

/** The choices the form offers, each allowed or with the policy's reason. */
export function importChoices(ctx: ShareContext, draft: ShareDraft): { labels: Choice<Tlp>[]; scopes: Choice<DistributionScope>[]; groups: Choice<string>[] } {
  const scopes = scopeChoices(ctx, draft).map((c) =>
    // "Nothing changes" is the share dialog's concern; for an import the owner scope is a real choice.
    c.value === 'owner' ? { value: c.value, allowed: ctx.mayShare, ...(ctx.mayShare ? {} : { reason: c.reason }) } : c,
  );
  return { labels: labelChoices(ctx), scopes, groups: groupChoices(ctx, draft) };
}

/** Why the draft cannot be sent, or null. */
export function draftProblem(ctx: ShareContext, draft: ImportDraft): string | null {
  if (!ctx.mayShare) return 'Your role may not import intelligence: ask an analyst or admin of your organisation';
  if (draft.useDefaults) return null;
  const distribution = distributionOf(draft.share);
  if (!distribution) return draft.share.scope === 'orgs' ? 'Choose at least one organisation' : 'Choose a sharing group';
  const scope = importChoices(ctx, draft.share).scopes.find((c) => c.value === draft.share.scope);
  if (scope && !scope.allowed) return scope.reason ?? 'This distribution is not allowed';
  return null;
}

/** The request: path with its query (the body is the file). */
export function importRequest(draft: ImportDraft): { path: string; contentType: string } {
  const p = new URLSearchParams();
  if (draft.partial) p.set('partial', 'true');
  if (!draft.useDefaults) {
    const d = distributionOf(draft.share) as Distribution;
    p.set('tlp', draft.share.tlp);
    p.set('scope', d.scope);
    if (d.scope === 'group') p.set('group', d.groupId);
    if (d.scope === 'orgs') p.set('orgs', d.orgIds.join(','));
  }
  const q = p.toString();
  return { path: `${draft.kind === 'stix' ? '/stix/bundles' : '/misp/events'}${q ? `?${q}` : ''}`, contentType: 'application/json' };
}

export interface AcceptedRow {
  id: string;
  type: string;
  version: string;
}

export interface RejectedRow {
  /** Position in the file (the bundle's objects, or the MISP path), or null for the file as a whole. */
  where: string;
  id: string | null;
  type: string | null;
  reasons: Reason[];
}

export interface ImportReport {
  outcome: 'imported' | 'partly imported' | 'not imported';
  headline: string;
  counts: { total: number; stored: number; duplicates: number; rejected: number; narrowed: number };
  accepted: AcceptedRow[];
  /** Accepted past the listed ones (the server lists the first 1,000). */
  acceptedNotListed: number;
  rejected: RejectedRow[];
  /** Rejections past the listed ones (the server reports the first 1,000). */
  rejectedNotListed: number;
  /** Why nothing was stored, in the server's words. */
  reason: string | null;
  importId: string | null;
}

const typeOfId = (id: string): string => (id.includes('--') ? id.slice(0, id.indexOf('--')) : '');
const plural = (n: number, word: string) => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

/** The server's answer to a STIX import (200 or the 422 problem, which carries the same fields). */
export function stixReport(body: ImportBody, detail: string | null = null): ImportReport {
  const rejected: RejectedRow[] = [];
  if (body.report.syntaxError) {
    rejected.push({ where: `byte ${body.report.syntaxError.offset}`, id: null, type: null, reasons: [{ code: 'json', path: '$', message: body.report.syntaxError.message }] });
  }
  if (body.report.bundleReasons.length) rejected.push({ where: 'the bundle', id: null, type: null, reasons: body.report.bundleReasons });
  const seen = new Set<number>();
  for (const o of [...body.report.objects, ...body.report.invalidatedLate]) {
    if (o.valid || seen.has(o.index)) continue;
    seen.add(o.index);
    rejected.push({ where: `object ${o.index + 1}`, id: o.id ?? null, type: o.type ?? null, reasons: o.reasons });
  }
  const accepted = (body.accepted ?? []).map((a) => ({ id: a.id, type: typeOfId(a.id), version: a.version }));
  const rejectedCount = body.status === 'rejected' ? body.total : body.invalid;
  const stored = body.status === 'rejected' ? 0 : body.stored;
  const outcome = body.status === 'rejected' ? 'not imported' : body.invalid > 0 ? 'partly imported' : 'imported';
  const reason = body.status === 'rejected' ? (detail?.replace(/^The (bundle|event) was not imported: /, '') ?? 'the file was rejected') : null;
  const headline =
    outcome === 'not imported'
      ? `Nothing was imported: ${reason}`
      : `${plural(stored, 'object')} stored, ${plural(body.duplicates, 'duplicate')}${body.invalid ? `, ${plural(body.invalid, 'object')} rejected` : ''}${body.narrowed ? `, ${body.narrowed.toLocaleString('en-GB')} kept to your organisation by their label` : ''}`;
  return {
    outcome,
    headline,
    counts: { total: body.total, stored, duplicates: body.status === 'rejected' ? 0 : body.duplicates, rejected: rejectedCount, narrowed: body.narrowed },
    accepted,
    acceptedNotListed: body.accepted ? Math.max(0, stored + body.duplicates - accepted.length) : stored + body.duplicates,
    rejected,
    rejectedNotListed: body.report.truncated ? Math.max(0, body.invalid - rejected.filter((r) => r.where.startsWith('object')).length) : 0,
    reason,
    importId: body.importId ?? null,
  };
}

/** The server's answer to a MISP import: the conversion's problems and skipped attributes, then the STIX import. */
export function mispReport(body: MispImportBody, detail: string | null = null): ImportReport {
  const before: RejectedRow[] = [
    ...body.problems.map((p) => ({ where: p.path, id: null, type: null, reasons: [{ code: 'misp', path: p.path, message: p.message }] })),
    ...body.skipped.map((s) => ({ where: `attribute ${s.uuid}`, id: s.uuid, type: 'misp-attribute', reasons: [{ code: 'misp', path: s.uuid, message: s.reason }] })),
  ];
  if (!body.import) {
    const reason = detail ?? 'nothing in the event could be converted';
    return {
      outcome: 'not imported', headline: `Nothing was imported: ${reason}`, counts: { total: 0, stored: 0, duplicates: 0, rejected: before.length, narrowed: 0 },
      accepted: [], acceptedNotListed: 0, rejected: before, rejectedNotListed: 0, reason, importId: null,
    };
  }
  const report = stixReport(body.import, detail);
  const outcome = report.outcome === 'imported' && before.length ? 'partly imported' : report.outcome;
  return {
    ...report,
    outcome,
    headline: before.length && report.outcome !== 'not imported' ? `${report.headline}; ${plural(before.length, 'MISP item')} not converted` : report.headline,
    counts: { ...report.counts, rejected: report.counts.rejected + before.length },
    rejected: [...before, ...report.rejected],
  };
}
