import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken, tokenHash } from '../../src/kernel/auth/index.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { CONDAMINE, type WarningWorld, seedWarningWorld, startWarningsApi } from './api-world.js';

type Api = Awaited<ReturnType<typeof startWarningsApi>>;

/**
 * The four-eyes rule through the API: a warning is published only when a second person, with an approving
 * role, in an approving organisation (default: admins and analysts of organisations of kind authority),
 * approves it. Every other way is refused, and nothing becomes public on the way.
 */
for (const engine of engines()) {
  describe(`four eyes through the API on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: WarningWorld;

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startWarningsApi(t.kernel);
      world = await seedWarningWorld(t.kernel);
    });
    afterAll(async () => {
      await api?.close();
      await t?.cleanup();
    });

    const draftBody = { template: 'avoid-area', values: { ...CONDAMINE.values, reason: 'a suspicious object is being examined' }, areas: [{ kind: 'circle', center: [7.4215, 43.7345], radiusMeters: 300 }] };

    async function submitted(author: string): Promise<{ id: string; version: number }> {
      const draft = await api.call('POST', '/api/v1/warnings', author, draftBody);
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      const sub = await api.call('POST', `/api/v1/warnings/${draft.body.id}/submit`, author, {});
      expect(sub.status, JSON.stringify(sub.body)).toBe(200);
      expect(sub.body.phase).toBe('awaiting-approval');
      return { id: draft.body.id, version: sub.body.version };
    }

    const publicCount = async () =>
      Number((await t.kernel.store.db.selectFrom('cap_messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const codes = (body: any): string[] => (body.reasons ?? []).map((r: any) => r.code).sort();

    it('refuses the same person, a wrong role and another organisation, and accepts the right person', async () => {
      const before = await publicCount();
      const { id } = await submitted(world.token.waterAnalyst);
      // A draft starts shared with the approving organisations only: the police do not see it at all.
      expect((await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.policeAdmin, {})).status).toBe(404);
      // Shared with the police too, the refusal names the reason.
      const shared = await api.call('POST', `/api/v1/warnings/${id}/share`, world.token.waterAnalyst, { tlp: 'amber', distribution: { scope: 'orgs', orgIds: [world.org.cert, world.org.police] } });
      expect(shared.status, JSON.stringify(shared.body)).toBe(200);

      const matrix: Array<[string, string, number, string[]]> = [
        ['author', world.token.waterAnalyst, 403, ['approver-is-author', 'approver-organisation']],
        ['author’s own admin', world.token.waterAdmin, 403, ['approver-organisation']],
        ['approving organisation, operator', world.token.certOperator, 403, ['approver-role']],
        ['approving organisation, responder', world.token.certResponder, 403, ['approver-role']],
        ['approving organisation, viewer', world.token.certViewer, 403, ['approver-role']],
        ['other organisation, admin', world.token.policeAdmin, 403, ['approver-organisation']],
      ];
      for (const [who, token, status, reasons] of matrix) {
        for (const step of ['approve', 'reject']) {
          const res = await api.call('POST', `/api/v1/warnings/${id}/${step}`, token, step === 'reject' ? { reason: 'no' } : {});
          expect([who, step, res.status, codes(res.body)]).toEqual([who, step, status, reasons]);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
      }
      expect(await publicCount()).toBe(before);
      const ok = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAnalyst, {});
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({ phase: 'published', tlp: 'clear', distribution: { scope: 'public' }, live: true });
      expect(ok.body.messages[0]).toMatchObject({ sequence: 1, msgType: 'Alert', approvedBy: world.user.certAnalyst, approverOrgId: world.org.cert, authors: [world.user.waterAnalyst] });
      expect(await publicCount()).toBe(before + 1);
      // Approved once: there is nothing left to approve.
      const again = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAdmin, {});
      expect([again.status, codes(again.body)]).toEqual([409, ['not-awaiting-approval']]);
    });

    it('refuses an approver who wrote the warning, even with every right', async () => {
      const { id } = await submitted(world.token.certAdmin);
      const self = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAdmin, {});
      expect([self.status, codes(self.body)]).toEqual([403, ['approver-is-author']]);
      const other = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAdmin2, {});
      expect(other.status).toBe(200);
    });

    it('makes an editor an author: whoever edits cannot approve, and an edit needs a new submission', async () => {
      const { id } = await submitted(world.token.waterAnalyst);
      const read = await api.call('GET', `/api/v1/warnings/${id}`, world.token.certAnalyst);
      const content = read.body.proposal.content;
      content.info[0].headline = 'Zone interdite – La Condamine (corrigé)';
      const edit = await api.call('PUT', `/api/v1/warnings/${id}/proposal`, world.token.certAnalyst, { content, version: read.body.version });
      expect(edit.status, JSON.stringify(edit.body)).toBe(200);
      expect(edit.body.proposal).toMatchObject({ state: 'draft', authors: [world.user.waterAnalyst, world.user.certAnalyst] });
      // Back to draft: nothing to approve until it is submitted again.
      expect(codes((await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAdmin, {})).body)).toEqual(['not-awaiting-approval']);
      const sub = await api.call('POST', `/api/v1/warnings/${id}/submit`, world.token.waterAnalyst, {});
      expect(sub.status).toBe(200);
      const byEditor = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAnalyst, {});
      expect([byEditor.status, codes(byEditor.body)]).toEqual([403, ['approver-is-author']]);
      // Approval is of what was read: an old version is refused.
      const stale = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAdmin, { version: read.body.version });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(sub.body.version);
      const ok = await api.call('POST', `/api/v1/warnings/${id}/approve`, world.token.certAdmin, { version: sub.body.version });
      expect(ok.status).toBe(200);
      const xml = (await api.raw('GET', new URL(ok.body.messages[0].url).pathname)).text;
      expect(xml).toContain('Zone interdite – La Condamine (corrigé)');
    });

    it('publishes once when two approvers approve at the same moment', async () => {
      const before = await publicCount();
      const { id } = await submitted(world.token.waterAnalyst);
      const results = await Promise.all([world.token.certAdmin, world.token.certAnalyst, world.token.certAdmin2].map((tok) => api.call('POST', `/api/v1/warnings/${id}/approve`, tok, {})));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(await publicCount()).toBe(before + 1);
      const approvals = await t.kernel.store.db.selectFrom('warning_approvals').select('decision').where('warning_id', '=', id).execute();
      expect(approvals).toEqual([{ decision: 'approved' }]);
    });

    it('never lets a machine approve, whatever its role', async () => {
      const { id } = await submitted(world.token.waterAnalyst);
      const secret = newToken('api');
      await t.kernel.store.db
        .insertInto('api_tokens')
        .values({ id: crypto.randomUUID(), org_id: world.org.cert, name: 'cert-bot', role: 'admin', token_hash: tokenHash(secret), prefix: secret.slice(0, 12), created_by: null, created_at: t.kernel.clock(), expires_at: null, revoked_at: null, last_used_at: null })
        .execute();
      for (const step of ['approve', 'reject']) {
        const res = await api.call('POST', `/api/v1/warnings/${id}/${step}`, secret, step === 'reject' ? { reason: 'no' } : {});
        expect(res.status).toBe(403);
      }
      expect((await api.call('GET', `/api/v1/warnings/${id}`, world.token.certAdmin)).body.phase).toBe('awaiting-approval');
    });

    it('publishes nothing through any other endpoint: drafts, edits, submissions, shares, rejections and the inbox', async () => {
      const before = await publicCount();
      const { id } = await submitted(world.token.waterAnalyst);
      const rejected = await api.call('POST', `/api/v1/warnings/${id}/reject`, world.token.certAdmin, { reason: 'name the street' });
      expect(rejected.status).toBe(200);
      expect(rejected.body.proposal).toMatchObject({ state: 'draft', rejection: { by: world.user.certAdmin, reason: 'name the street' } });
      // A draft can never be made public by sharing, nor drafted public.
      expect((await api.call('POST', `/api/v1/warnings/${id}/share`, world.token.waterAnalyst, { tlp: 'clear', distribution: { scope: 'public' } })).status).toBe(422);
      expect((await api.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { ...draftBody, tlp: 'clear', distribution: { scope: 'public' } })).status).toBe(422);
      // Follow-up messages need a published warning.
      for (const kind of ['update', 'cancel', 'all-clear']) {
        const res = await api.call('POST', `/api/v1/warnings/${id}/${kind}`, world.token.waterAnalyst, { reason: 'x' });
        expect([kind, res.status, codes(res.body)]).toEqual([kind, 409, expect.arrayContaining(['not-published'])]);
      }
      // Viewers and responders of the author's organisation cannot draft (default author roles).
      expect((await api.call('POST', '/api/v1/warnings', world.token.certViewer, draftBody)).status).toBe(403);
      expect(await publicCount()).toBe(before);
      const feed = await api.raw('GET', '/public/cap/feed.atom');
      expect(feed.text).not.toContain(id);
      const preview = await api.call('GET', `/api/v1/warnings/${id}/preview`, world.token.certAdmin);
      expect(preview.status).toBe(200);
      expect((await api.raw('GET', `/public/cap/${preview.body.identifier}.xml`)).status).toBe(404);
    });

    it('fails closed when no organisation is configured to approve', async () => {
      const before = await publicCount();
      const closed = await startWarningsApi(t.kernel, { VIGIL_WARNING_APPROVER_ORGS: 'no-such-org' });
      try {
        const draft = await closed.call('POST', '/api/v1/warnings', world.token.waterAnalyst, draftBody);
        expect(draft.status).toBe(201);
        // Submitting says why nothing can happen, even when everyone may see the draft.
        const shared = await closed.call('POST', `/api/v1/warnings/${draft.body.id}/share`, world.token.waterAnalyst, { tlp: 'green', distribution: { scope: 'community' } });
        expect(shared.status).toBe(200);
        const sub = await closed.call('POST', `/api/v1/warnings/${draft.body.id}/submit`, world.token.waterAnalyst, {});
        expect([sub.status, codes(sub.body)]).toEqual([403, ['no-approver-organisations']]);
        const res = await closed.call('POST', `/api/v1/warnings/${draft.body.id}/approve`, world.token.certAdmin, {});
        expect(res.status).toBe(409);
        expect(await publicCount()).toBe(before);
      } finally {
        await closed.close();
      }
    });

    it('lets the city choose its approvers: organisations by slug and roles', async () => {
      const police = await startWarningsApi(t.kernel, { VIGIL_WARNING_APPROVER_ORGS: 'police', VIGIL_WARNING_APPROVER_ROLES: 'admin' });
      try {
        const draft = await police.call('POST', '/api/v1/warnings', world.token.waterAnalyst, draftBody);
        expect(draft.body.distribution).toEqual({ scope: 'orgs', orgIds: [world.org.police] });
        await police.call('POST', `/api/v1/warnings/${draft.body.id}/submit`, world.token.waterAnalyst, {});
        expect((await police.call('POST', `/api/v1/warnings/${draft.body.id}/approve`, world.token.certAdmin, {})).status).toBe(404);
        expect((await police.call('POST', `/api/v1/warnings/${draft.body.id}/approve`, world.token.policeAdmin, {})).status).toBe(200);
      } finally {
        await police.close();
      }
    });

    it('tells the web who writes and who approves, as configured', async () => {
      const byDefault = await api.call('GET', '/api/v1/warnings/policy', world.token.waterAnalyst);
      expect(byDefault.status).toBe(200);
      expect(byDefault.body.approverRoles.sort()).toEqual(['admin', 'analyst']);
      expect(byDefault.body.approverOrganisations.map((o: { id: string }) => o.id)).toEqual([world.org.cert]);
      expect(byDefault.body.authorRoles).toContain('operator');
      const police = await startWarningsApi(t.kernel, { VIGIL_WARNING_APPROVER_ORGS: 'police', VIGIL_WARNING_APPROVER_ROLES: 'admin' });
      try {
        const configured = await police.call('GET', '/api/v1/warnings/policy', world.token.waterAnalyst);
        expect(configured.body.approverRoles).toEqual(['admin']);
        expect(configured.body.approverOrganisations.map((o: { id: string }) => o.id)).toEqual([world.org.police]);
        expect((await police.call('GET', '/api/v1/warnings/policy', null)).status).toBe(401);
      } finally {
        await police.close();
      }
    });
  });
}
