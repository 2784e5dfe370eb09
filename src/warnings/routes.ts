import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { listAssets } from '../assets/index.js';
import { getIncident, type Incident } from '../incidents/index.js';
import type { Principal } from '../kernel/auth/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import type { Geometry } from '../kernel/geo.js';
import { type VigilApp, actorFor, asPage, decodeCursor, initialSharing, principalOf, requirePermission, unprocessable } from '../kernel/http/index.js';
import { IdParams, PageOf, ShareBody } from '../kernel/http/schemas.js';
import { newId } from '../kernel/ids.js';
import type { Kernel } from '../kernel/kernel.js';
import { type Sharing, type Tlp, type Distribution, canSee, groupsOfOrganisation, readSharing, shareRecord } from '../kernel/sharing/index.js';
import * as S from './api-schemas.js';
import { areasFromSpecs, withAreas, type AreaSpec, type IncidentPlace } from './areas.js';
import { placeholdersOf, type AreaInput, type PlaceholderValues } from './authoring.js';
import { composeContent, normaliseContent, type ContentInput } from './compose.js';
import { contentRefusal, deciderFor, loadWarning, refusal, requirePerson, warningActor, type Decider } from './context.js';
import { approveProposal, draftWarning, editProposal, nextMessage, proposeMessage, rejectProposal, submitProposal, type MessageKind } from './lifecycle.js';
import { approvalsOf, listWarnings, type StoredWarning } from './queries.js';
import { feedOf, publicationOf, type WarningSettings } from './settings.js';
import { recordStep, type StepContext } from './steps.js';
import { WARNING_TEMPLATES, type TemplateLanguage } from './templates.js';
import { validateAlert } from './validate.js';
import { warningViews, seesProposal } from './view.js';
import { alertToXml } from './xml-write.js';

/**
 * The warnings API under /api/v1: drafting (from an incident, a template or scratch), editing, submitting,
 * the four-eyes approval, publication, and the update / cancel / all-clear that follow. Every step goes
 * through recordStep (audit log, live stream, incident timeline) in one transaction.
 */
export function warningRoutes(kernel: Kernel, settings: WarningSettings, onPublished: () => void): FastifyPluginAsync {
  const db = kernel.store.db;
  const publication = publicationOf(settings);
  const baseUrl = feedOf(settings).baseUrl;

  const stepContext = (decider: Decider, principal: Principal): StepContext => ({ approverOrgIds: decider.approverOrgIds, language: settings.feed.language, viewer: principal });
  const view = async (q: Queryable, principal: Principal, stored: StoredWarning, decider: Decider) =>
    (await warningViews(q, principal, [stored], { approverOrgIds: decider.approverOrgIds, baseUrl }))[0]!;

  /** The incident the author may see, with the places of its assets the author may see. */
  async function incidentOf(q: Queryable, principal: Principal, id: string | undefined): Promise<{ incident: Incident; place: IncidentPlace } | null> {
    if (!id) return null;
    const incident = await getIncident(q, principal, id);
    if (!incident) throw unprocessable(`No incident with id ${id} exists`);
    const assets = incident.assetIds.length ? (await listAssets(q, principal, { ids: incident.assetIds }, 1000, null)).items : [];
    return { incident, place: { location: incident.location, assetGeometries: assets.map((a) => a.geometry).filter((g): g is Geometry => g !== null) } };
  }

  function resolveAreas(specs: readonly AreaSpec[] | undefined, values: PlaceholderValues, place: IncidentPlace | undefined): AreaInput[] | undefined {
    if (!specs) return undefined;
    const result = areasFromSpecs(specs, values.areaDesc, place);
    if (!result.ok) throw contentRefusal(result.reasons);
    return result.areas;
  }

  async function defaultValues(q: Queryable, principal: Principal): Promise<PlaceholderValues> {
    const org = await q.selectFrom('organisations').select('name').where('id', '=', principal.orgId).executeTakeFirstOrThrow();
    return { issuer: org.name, ...(settings.contact ? { contact: settings.contact } : {}) };
  }

  /** A draft is not public: publication makes it so. It starts visible to the approving organisations. */
  async function draftSharing(q: Queryable, principal: Principal, decider: Decider, body: { tlp?: Tlp; distribution?: Distribution }): Promise<Sharing> {
    if (body.distribution?.scope === 'public') throw unprocessable('A draft cannot be public: a warning becomes public when it is approved and published');
    if (body.tlp || body.distribution) return initialSharing(q, principal, body);
    const approvers = decider.approverOrgIds.filter((id) => id !== principal.orgId);
    return initialSharing(q, principal, { tlp: 'amber', distribution: approvers.length ? { scope: 'orgs', orgIds: approvers } : { scope: 'owner' } });
  }

  function dates(body: { effective?: string; onset?: string; expires?: string }) {
    return {
      ...(body.effective ? { effective: new Date(body.effective) } : {}),
      ...(body.onset ? { onset: new Date(body.onset) } : {}),
      ...(body.expires ? { expires: new Date(body.expires) } : {}),
    };
  }

  return async (plain) => {
    const app = plain as VigilApp;
    const tags = ['warnings'];

    app.get('/warnings/templates', { schema: { tags, summary: 'The warning templates, their texts (fr, en, it) and placeholders', response: { 200: Type.Array(S.Template) } } }, async () =>
      WARNING_TEMPLATES.map((t) => ({
        id: t.id,
        incidentTypes: t.incidentTypes,
        defaultDurationHours: t.defaultDurationHours,
        category: [...t.category],
        responseType: [...t.responseType],
        urgency: t.urgency,
        severity: t.severity,
        certainty: t.certainty,
        languages: Object.keys(t.text),
        placeholders: { alert: placeholdersOf(t, 'alert'), allClear: placeholdersOf(t, 'all-clear'), cancel: placeholdersOf(t, 'cancel') },
        text: { alert: t.text, allClear: t.allClear.text },
      })),
    );

    app.get(
      '/warnings/policy',
      {
        schema: {
          tags,
          summary: 'Who writes and who approves warnings here (roles and organisations): what the web application needs to say why a button is off',
          response: { 200: S.Policy },
        },
      },
      async () => {
        const decider = await deciderFor(db, settings);
        const orgs = decider.approverOrgIds.length ? await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', decider.approverOrgIds).execute() : [];
        return {
          authorRoles: [...decider.policy.authorRoles],
          approverRoles: [...decider.policy.approverRoles],
          approverOrganisations: orgs.map((o) => ({ id: o.id, name: o.name })),
          defaultContact: settings.contact,
        };
      },
    );

    app.get('/warnings', { schema: { tags, summary: 'Warnings you may see, newest first', querystring: S.WarningQuery, response: { 200: PageOf(S.Warning) } } }, async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      let owner: string | undefined;
      if (q.owner) owner = (await db.selectFrom('organisations').select('id').where((eb) => eb.or([eb('id', '=', q.owner!), eb('slug', '=', q.owner!)])).executeTakeFirst())?.id ?? '00000000-0000-0000-0000-000000000000';
      const slice = await listWarnings(db, principal, { ...(q.phase ? { phase: q.phase } : {}), ...(q.incident ? { incidentId: q.incident } : {}), ...(owner ? { owner } : {}) }, q.limit ?? 100, decodeCursor(q.cursor));
      const decider = await deciderFor(db, settings);
      return asPage({ items: await warningViews(db, principal, slice.items, { approverOrgIds: decider.approverOrgIds, baseUrl }), next: slice.next });
    });

    app.get('/warnings/:id', { schema: { tags, summary: 'One warning: its published messages, the message pending approval, the approval decisions', params: IdParams, response: { 200: S.WarningWithApprovals } } }, async (request) => {
      const principal = principalOf(request);
      const stored = await loadWarning(db, principal, request.params.id);
      const decider = await deciderFor(db, settings);
      return { ...(await view(db, principal, stored, decider)), approvals: await approvalsOf(db, stored.warning.id) };
    });

    app.get(
      '/warnings/:id/preview',
      { schema: { tags, summary: 'The CAP XML the pending message would be published as, and its validation (what the approver approves)', params: IdParams, response: { 200: S.Preview } } },
      async (request) => {
        const principal = principalOf(request);
        const stored = await loadWarning(db, principal, request.params.id);
        const decider = await deciderFor(db, settings);
        const proposal = stored.warning.proposal;
        if (!proposal || !seesProposal(principal, stored, decider.approverOrgIds)) throw refusal([{ code: 'nothing-to-approve', message: 'this warning has no message pending' }]);
        const alert = nextMessage(stored.warning, proposal, publication, new Date(kernel.clock()));
        const result = validateAlert(alert);
        return { identifier: alert.identifier, xml: alertToXml(alert), valid: result.valid, problems: result.problems as unknown as Record<string, unknown>[] };
      },
    );

    app.post('/warnings', { schema: { tags, summary: 'Draft a warning: from an incident, a template, or its content', body: S.NewWarning, response: { 201: S.Warning } } }, async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const decider = await deciderFor(db, settings);
      const from = await incidentOf(db, principal, body.incidentId);
      const values = { ...(await defaultValues(db, principal)), ...(body.values ?? {}) };
      const specs = body.areas ?? (from && !body.content ? [{ kind: 'incident' as const }] : undefined);
      const areas = resolveAreas(specs, values, from?.place);
      const template = body.template ?? (!body.content && from ? (WARNING_TEMPLATES.find((t) => t.incidentTypes.includes(from.incident.type))?.id ?? null) : null);
      const composed = composeContent({
        kind: 'alert',
        ...(body.content ? { content: body.content as ContentInput } : {}),
        template,
        ...(body.languages ? { languages: body.languages as TemplateLanguage[] } : {}),
        values,
        ...(areas ? { areas } : {}),
        now: new Date(kernel.clock()),
        timeZone: settings.timeZone,
        ...(body.status ? { status: body.status } : {}),
        ...dates(body),
        ...(body.web ? { web: body.web } : {}),
        ...(from ? { incident: from.incident } : {}),
        defaultLanguage: settings.feed.language,
      });
      if (!composed.ok) throw contentRefusal(composed.reasons);
      const sharing = await draftSharing(db, principal, decider, body);
      const stored = await kernel.write(actorFor(request), async (w) => {
        const t = draftWarning({ id: newId(w.now), actor: warningActor(principal), now: new Date(w.now), content: composed.content, ...(from ? { incidentId: from.incident.id } : {}) }, decider.policy);
        if (!t.ok) throw refusal(t.reasons);
        return recordStep(w, stepContext(decider, principal), null, t, { sharing, template: composed.template, templateValues: values });
      });
      return reply.code(201).send(await view(db, principal, stored, decider));
    });

    app.put(
      '/warnings/:id/proposal',
      { schema: { tags, summary: 'Edit the pending message (its content, or its areas); an edit sends it back to draft and makes you one of its authors', params: IdParams, body: S.EditBody, response: { 200: S.Warning } } },
      async (request) => {
        const principal = principalOf(request);
        const body = request.body;
        if (!body.content && !body.areas) throw contentRefusal(['give the new content, or the new areas']);
        const decider = await deciderFor(db, settings);
        const stored = await kernel.write(actorFor(request), async (w) => {
          const before = await loadWarning(w.tx, principal, request.params.id, body.version);
          const proposal = before.warning.proposal;
          if (!proposal || !seesProposal(principal, before, decider.approverOrgIds)) throw refusal([{ code: 'nothing-to-approve', message: 'this warning has no pending message to edit' }]);
          let content = body.content ? normaliseContent(body.content as ContentInput) : proposal.content;
          if (body.areas) {
            const place = body.areas.some((a) => a.kind === 'incident') ? (await incidentOf(w.tx, principal, before.warning.incidentId))?.place : undefined;
            content = { ...content, info: withAreas(content.info, resolveAreas(body.areas, before.templateValues, place)!) };
          }
          const t = editProposal(before.warning, warningActor(principal), content, new Date(w.now), decider.policy);
          if (!t.ok) throw refusal(t.reasons);
          return recordStep(w, stepContext(decider, principal), before, t);
        });
        return view(db, principal, stored, decider);
      },
    );

    app.post(
      '/warnings/:id/submit',
      { schema: { tags, summary: 'Submit the pending message for approval; refused with the CAP errors if it would not be valid', params: IdParams, body: S.VersionBody, response: { 200: S.Warning } } },
      async (request) => {
        const principal = principalOf(request);
        const decider = await deciderFor(db, settings);
        const stored = await kernel.write(actorFor(request), async (w) => {
          const before = await loadWarning(w.tx, principal, request.params.id, request.body?.version);
          const proposal = before.warning.proposal;
          if (proposal) {
            const problems = validateAlert(nextMessage(before.warning, proposal, publication, new Date(w.now))).problems.filter((p) => p.severity === 'error');
            if (problems.length > 0) throw refusal(problems.map((p) => ({ code: 'invalid-message', message: `${p.path}: ${p.message}` })));
          }
          if (decider.approverOrgIds.length === 0) {
            throw refusal([{ code: 'no-approver-organisations', message: 'no organisation is configured to approve public warnings (VIGIL_WARNING_APPROVER_ORGS)' }]);
          }
          if (before.warning.published.length === 0 && !(await approversSee(w.tx, before.sharing, decider))) {
            throw refusal([{ code: 'approvers-cannot-see', message: 'no approving organisation can see this draft: share it with one of them first' }]);
          }
          const t = submitProposal(before.warning, warningActor(principal), new Date(w.now), decider.policy);
          if (!t.ok) throw refusal(t.reasons);
          return recordStep(w, stepContext(decider, principal), before, t);
        });
        return view(db, principal, stored, decider);
      },
    );

    app.post(
      '/warnings/:id/approve',
      {
        schema: {
          tags,
          summary: 'Approve the message awaiting approval (four eyes: a person who wrote none of it, with an approving role, in an approving organisation); it is published at once',
          params: IdParams,
          body: S.VersionBody,
          response: { 200: S.Warning },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requirePerson(principal);
        const decider = await deciderFor(db, settings);
        const stored = await kernel.write(actorFor(request), async (w) => {
          const before = await loadWarning(w.tx, principal, request.params.id, request.body?.version);
          const t = approveProposal(before.warning, warningActor(principal), new Date(w.now), decider.policy, publication);
          if (!t.ok) throw refusal(t.reasons);
          return recordStep(w, stepContext(decider, principal), before, t);
        });
        onPublished();
        return view(db, principal, stored, decider);
      },
    );

    app.post(
      '/warnings/:id/reject',
      { schema: { tags, summary: 'Send the message awaiting approval back to its authors, saying why (same rights as approving)', params: IdParams, body: S.RejectBody, response: { 200: S.Warning } } },
      async (request) => {
        const principal = principalOf(request);
        requirePerson(principal);
        const decider = await deciderFor(db, settings);
        const stored = await kernel.write(actorFor(request), async (w) => {
          const before = await loadWarning(w.tx, principal, request.params.id, request.body.version);
          const t = rejectProposal(before.warning, warningActor(principal), request.body.reason, new Date(w.now), decider.policy);
          if (!t.ok) throw refusal(t.reasons);
          return recordStep(w, stepContext(decider, principal), before, t);
        });
        return view(db, principal, stored, decider);
      },
    );

    const follow = (kind: Exclude<MessageKind, 'alert'>, summary: string) =>
      app.post(`/warnings/:id/${kind}`, { schema: { tags, summary, params: IdParams, body: S.CancelBody, response: { 201: S.Warning } } }, async (request, reply) => {
        const principal = principalOf(request);
        const body = request.body;
        const decider = await deciderFor(db, settings);
        const stored = await kernel.write(actorFor(request), async (w) => {
          const before = await loadWarning(w.tx, principal, request.params.id);
          const previous = before.warning.published[before.warning.published.length - 1];
          const values: PlaceholderValues = { ...before.templateValues, ...(body.values ?? {}), ...(body.reason ? { reason: body.reason } : {}) };
          const needsIncident = body.areas?.some((a) => a.kind === 'incident');
          const place = needsIncident ? (await incidentOf(w.tx, principal, before.warning.incidentId))?.place : undefined;
          const areas = resolveAreas(body.areas, values, place);
          const composed = previous
            ? composeContent({
                kind,
                ...(body.content ? { content: body.content as ContentInput } : {}),
                template: body.template ?? before.template,
                ...(body.languages ? { languages: body.languages as TemplateLanguage[] } : {}),
                values,
                ...(areas ? { areas } : {}),
                now: new Date(w.now),
                timeZone: settings.timeZone,
                ...(body.status ? { status: body.status } : {}),
                ...dates(body),
                ...(body.web ? { web: body.web } : {}),
                previous: previous.alert,
                defaultLanguage: settings.feed.language,
              })
            : null;
          if (composed && !composed.ok) throw contentRefusal(composed.reasons);
          const content = composed?.content ?? { status: 'Actual' as const, scope: 'Public' as const, code: [], info: [] };
          const t = proposeMessage(before.warning, warningActor(principal), kind, content, new Date(w.now), decider.policy);
          if (!t.ok) throw refusal(t.reasons);
          return recordStep(w, stepContext(decider, principal), before, t, { templateValues: values });
        });
        return reply.code(201).send(await view(db, principal, stored, decider));
      });
    follow('update', 'Propose an Update of a published warning (it references every earlier message); published once approved');
    follow('cancel', 'Propose the Cancel of a published warning (withdrawn); the shared cancel text needs only a reason');
    follow('all-clear', 'Propose the all-clear of a published warning (an Update whose responseType is AllClear): it ends the warning once approved');

    app.post(
      '/warnings/:id/share',
      { schema: { tags: ['warnings', 'sharing'], summary: 'Change who sees a draft (before publication; a published warning is public)', params: IdParams, body: ShareBody, response: { 200: S.Warning } } },
      async (request) => {
        const principal = requirePermission(request, 'records:share');
        if (request.body.distribution.scope === 'public') throw unprocessable('A draft cannot be public: a warning becomes public when it is approved and published');
        const decider = await deciderFor(db, settings);
        const id = request.params.id;
        await kernel.write(actorFor(request), async (w) => {
          const before = await loadWarning(w.tx, principal, id);
          if (before.warning.published.length > 0) throw refusal([{ code: 'not-a-draft', message: 'a published warning is public: there is nothing to share' }]);
          const current = await readSharing(w.tx, 'warnings', id);
          const outcome = await shareRecord(w, {
            kind: 'warning',
            table: 'warnings',
            id,
            current: current!,
            request: request.body,
            record: (sharing) => ({ id, phase: before.phase, headline: before.headline, ownerOrgId: sharing.ownerOrgId, tlp: sharing.tlp, distribution: sharing.distribution }),
          });
          if (!outcome.ok) throw unprocessable(outcome.reason);
        });
        return view(db, principal, await loadWarning(db, principal, id), decider);
      },
    );
  };
}

async function approversSee(q: Queryable, sharing: Sharing, decider: Decider): Promise<boolean> {
  for (const orgId of decider.approverOrgIds) {
    if (canSee({ orgId, groupIds: await groupsOfOrganisation(q, orgId) }, sharing)) return true;
  }
  return false;
}
