import { newId } from '../kernel/ids.js';
import type { Kernel, Write } from '../kernel/kernel.js';
import {
  approveProposal,
  approverOrganisations,
  draftFromTemplate,
  draftWarning,
  formatCircle,
  hullAroundPoints,
  policyOf,
  publicationOf,
  recordStep,
  submitProposal,
  warningSettingsFrom,
  type Actor,
  type AreaInput,
  type PlaceholderValues,
  type Transition,
} from '../warnings/index.js';

/**
 * The demo city's public warnings, written through the warnings' own steps: the police's avoid-area notice
 * around the suspicious device, approved by the city CERT and published (so the public feed has something
 * to show), and the water utility's precautionary boil-water notice for the area of tank T1, awaiting the
 * CERT's approval (so an approver has something to decide). Approvers are as configured; when the CERT is
 * not one of them, both stay awaiting approval.
 */
export interface DemoWarningPlaces {
  incidentId(title: string): string;
  orgId(slug: string): string;
  userId(email: string): Promise<string>;
  /** Where a demo asset is (its point in the database: water assets get theirs from the C-Town import), if anywhere. */
  assetPoint(key: string): Promise<[number, number] | null>;
}

export async function loadDemoWarnings(kernel: Kernel, root: Write, places: DemoWarningPlaces): Promise<void> {
  const settings = warningSettingsFrom(process.env, kernel.config);
  const approverOrgIds = await approverOrganisations(root.tx, settings.approverOrgs);
  const policy = policyOf(settings, approverOrgIds);
  const publication = publicationOf(settings);

  const actor = async (email: string, slug: string, role: Actor['roles'][number]): Promise<Actor> => ({ userId: await places.userId(email), organisationId: places.orgId(slug), roles: [role] });
  const writeAs = (a: Actor): Write => root.as({ orgId: a.organisationId, userId: a.userId, tokenId: null, address: null });
  const stepContext = (a: Actor) => ({ approverOrgIds, language: settings.feed.language, viewer: { orgId: a.organisationId, groupIds: new Set<string>() } });
  const done = (t: Transition): Extract<Transition, { ok: true }> => {
    if (!t.ok) throw new Error(`demo warning refused: ${t.reasons.map((r) => r.message).join('; ')}`);
    return t;
  };

  async function warn(input: { author: Actor; incident: string; template: string; values: PlaceholderValues; area: AreaInput; publishBy?: Actor }): Promise<void> {
    const now = new Date(root.now);
    const draft = draftFromTemplate({ template: input.template, values: input.values, areas: [input.area], now, timeZone: settings.timeZone });
    if (!draft.ok) throw new Error(`demo warning: ${draft.reasons.join('; ')}`);
    const id = newId(root.now);
    const others = approverOrgIds.filter((o) => o !== input.author.organisationId);
    const sharing = { ownerOrgId: input.author.organisationId, tlp: 'amber' as const, distribution: others.length ? { scope: 'orgs' as const, orgIds: others } : { scope: 'owner' as const } };
    const w = writeAs(input.author);
    let t = done(draftWarning({ id, actor: input.author, now, content: draft.content, incidentId: places.incidentId(input.incident) }, policy));
    let stored = await recordStep(w, stepContext(input.author), null, t, { sharing, template: input.template, templateValues: input.values });
    t = done(submitProposal(stored.warning, input.author, now, policy));
    stored = await recordStep(w, stepContext(input.author), stored, t);
    if (!input.publishBy || !approverOrgIds.includes(input.publishBy.organisationId)) return;
    const approved = approveProposal(stored.warning, input.publishBy, now, policy, publication);
    if (approved.ok) await recordStep(writeAs(input.publishBy), stepContext(input.publishBy), stored, approved);
  }

  const casino = (await places.assetPoint('casino-square'))!;
  await warn({
    author: await actor('admin@police.demo', 'police', 'admin'),
    incident: 'Suspicious device at Place du Casino',
    template: 'avoid-area',
    values: {
      areaDesc: { fr: 'Place du Casino', en: 'Place du Casino', it: 'Place du Casino' },
      issuer: { fr: 'La Sûreté Publique', en: 'The Police', it: 'La Polizia' },
      contact: '+377 93 15 30 15',
      reason: { fr: 'un objet suspect est examiné', en: 'a suspicious object is being examined', it: 'un oggetto sospetto è in esame' },
    },
    area: { areaDesc: 'Place du Casino', circle: [formatCircle({ lat: casino[1], lon: casino[0] }, 0.2)] },
    publishBy: await actor('analyst@cert.demo', 'cert', 'analyst'),
  });

  const t1Area = (await Promise.all(['t1', 'plc2', 'hospital'].map((k) => places.assetPoint(k))))
    .filter((p): p is [number, number] => p !== null)
    .map(([lon, lat]) => ({ lat, lon }));
  await warn({
    author: await actor('analyst@water.demo', 'water', 'analyst'),
    incident: 'Suspected manipulation of tank T1 level readings',
    template: 'boil-water',
    values: {
      areaDesc: { fr: 'Moneghetti et Boulevard de Belgique', en: 'Moneghetti and Boulevard de Belgique', it: 'Moneghetti e Boulevard de Belgique' },
      issuer: 'City Water Utility',
      contact: '+377 93 15 00 00',
    },
    area: { areaDesc: { fr: 'Moneghetti et Boulevard de Belgique', en: 'Moneghetti and Boulevard de Belgique', it: 'Moneghetti e Boulevard de Belgique' }, polygon: [hullAroundPoints(t1Area, 300)] },
  });
}
