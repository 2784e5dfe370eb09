import { filteredIncidents } from '../incidents/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import type { Distribution, Tlp, Viewer } from '../kernel/sharing/index.js';
import type { WarningPhase } from './lifecycle.js';
import { capMessageUrl } from './atom.js';
import type { StoredWarning } from './queries.js';

/**
 * A warning as the API shows it to one viewer. The pending message of a published warning is shown only to
 * the owner and the approving organisations (it is not public until approved); the incident a warning was
 * drafted from is named only to those who may see that incident.
 */
export interface WarningView {
  id: string;
  phase: WarningPhase;
  headline: string;
  incidentId: string | null;
  template: string | null;
  live: boolean;
  messages: Array<{
    sequence: number;
    kind: string;
    identifier: string;
    msgType: string;
    sender: string;
    sent: string;
    references: string | null;
    status: string;
    url: string;
    authors: string[];
    approvedBy: string;
    approverOrgId: string;
    publishedAt: string;
    deliveries: { pending: number; delivered: number; failed: number };
  }>;
  proposal: {
    kind: string;
    state: string;
    content: Record<string, unknown>;
    authors: string[];
    updatedAt: string;
    submittedAt: string | null;
    rejection: { by: string; at: string; reason: string } | null;
  } | null;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** May the viewer see the message pending approval of this warning? */
export function seesProposal(viewer: Viewer, stored: StoredWarning, approverOrgIds: readonly string[]): boolean {
  if (stored.warning.published.length === 0) return true;
  return viewer.orgId === stored.sharing.ownerOrgId || (viewer.orgId !== null && approverOrgIds.includes(viewer.orgId));
}

export async function warningViews(db: Queryable, viewer: Viewer, stored: StoredWarning[], ctx: { approverOrgIds: readonly string[]; baseUrl: string }): Promise<WarningView[]> {
  const incidentIds = [...new Set(stored.map((s) => s.warning.incidentId).filter((id): id is string => Boolean(id)))];
  const visibleIncidents = new Set(
    incidentIds.length
      ? (await filteredIncidents(db, viewer, { ids: incidentIds }).select('incidents.id').execute()).map((r) => r.id)
      : [],
  );
  return stored.map((s) => {
    const p = s.warning.proposal;
    return {
      id: s.warning.id,
      phase: s.phase,
      headline: s.headline,
      incidentId: s.warning.incidentId && visibleIncidents.has(s.warning.incidentId) ? s.warning.incidentId : null,
      template: s.template,
      live: s.live,
      messages: s.warning.published.map((m, i) => ({
        sequence: i + 1,
        kind: m.kind,
        identifier: m.alert.identifier,
        msgType: m.alert.msgType,
        sender: m.alert.sender,
        sent: m.alert.sent,
        references: m.alert.references ?? null,
        status: m.alert.status,
        url: capMessageUrl(ctx.baseUrl, m.alert.identifier),
        authors: m.authors,
        approvedBy: m.approvedBy,
        approverOrgId: m.approverOrganisationId,
        publishedAt: m.publishedAt,
        deliveries: s.deliveries.get(m.alert.identifier) ?? { pending: 0, delivered: 0, failed: 0 },
      })),
      proposal:
        p && seesProposal(viewer, s, ctx.approverOrgIds)
          ? {
              kind: p.kind,
              state: p.state,
              content: p.content as unknown as Record<string, unknown>,
              authors: p.authors,
              updatedAt: p.updatedAt,
              submittedAt: p.submittedAt ?? null,
              rejection: p.rejection ?? null,
            }
          : null,
      ownerOrgId: s.sharing.ownerOrgId,
      tlp: s.sharing.tlp,
      distribution: s.sharing.distribution,
      createdBy: s.warning.createdBy,
      createdAt: new Date(s.createdAt).toISOString(),
      updatedAt: new Date(s.updatedAt).toISOString(),
      version: s.version,
    };
  });
}
