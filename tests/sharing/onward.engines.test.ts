import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

for (const engine of engines()) {
  describe(`onward sharing through the API on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let w: World;

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startApi(t.kernel);
      w = await seedWorld(t.kernel);
    });
    afterAll(async () => {
      await api?.close();
      await t?.cleanup();
    });

    const alert = async (tlp: string, distribution: unknown) => {
      const res = await api.call('POST', '/api/v1/alerts', w.token.owner, { title: `onward ${tlp}`, category: 'cyber', severity: 'low', tlp, distribution });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const share = (id: string, token: string, body: unknown) => api.call('POST', `/api/v1/alerts/${id}/share`, token, body);

    it('lets the owner widen, and the newly listed organisation then sees it', async () => {
      const id = await alert('green', { scope: 'owner' });
      expect((await api.call('GET', `/api/v1/alerts/${id}`, w.token.listed)).status).toBe(404);
      const res = await share(id, w.token.owner, { distribution: { scope: 'orgs', orgIds: [w.org.listed] } });
      expect(res.status).toBe(200);
      expect(res.body.distribution).toEqual({ scope: 'orgs', orgIds: [w.org.listed] });
      expect((await api.call('GET', `/api/v1/alerts/${id}`, w.token.listed)).status).toBe(200);
    });

    it('refuses a recipient that widens, with the reason', async () => {
      const id = await alert('green', { scope: 'orgs', orgIds: [w.org.listed] });
      const res = await share(id, w.token.listed, { distribution: { scope: 'community' } });
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/may not widen/);
      expect((await api.call('GET', `/api/v1/alerts/${id}`, w.token.community)).status).toBe(404);
    });

    it('refuses a recipient that lowers the label, lets it raise it', async () => {
      const id = await alert('amber', { scope: 'orgs', orgIds: [w.org.listed] });
      const lower = await share(id, w.token.listed, { tlp: 'green', distribution: { scope: 'orgs', orgIds: [w.org.listed] } });
      expect(lower.status).toBe(422);
      expect(lower.body.detail).toMatch(/Only the owner organisation may lower/);
      const raise = await share(id, w.token.listed, { tlp: 'red', distribution: { scope: 'orgs', orgIds: [w.org.listed] } });
      expect(raise.status).toBe(200);
      expect(raise.body.tlp).toBe('red');
    });

    it('keeps AMBER+STRICT in the organisation and RED to listed organisations', async () => {
      const strict = await alert('amber+strict', { scope: 'owner' });
      const out = await share(strict, w.token.owner, { distribution: { scope: 'orgs', orgIds: [w.org.listed] } });
      expect(out.status).toBe(422);
      expect(out.body.detail).toContain('AMBER+STRICT cannot leave your organisation');
      const red = await alert('red', { scope: 'orgs', orgIds: [w.org.listed] });
      expect((await share(red, w.token.owner, { distribution: { scope: 'group', groupId: w.groupG } })).status).toBe(422);
      expect((await share(red, w.token.owner, { tlp: 'green', distribution: { scope: 'public' } })).status).toBe(422);
      expect((await share(red, w.token.owner, { tlp: 'clear', distribution: { scope: 'public' } })).status).toBe(200);
    });

    it('refuses sharing to a viewer or a responder, and to organisations that cannot see the record (as not found)', async () => {
      const id = await alert('green', { scope: 'community' });
      const viewer = await w.tokenFor('owner', 'viewer');
      expect((await share(id, viewer, { distribution: { scope: 'owner' } })).status).toBe(403);
      const responder = await w.tokenFor('owner', 'responder');
      expect((await share(id, responder, { distribution: { scope: 'owner' } })).status).toBe(403);
      const hidden = await alert('amber', { scope: 'owner' });
      expect((await share(hidden, w.token.listed, { distribution: { scope: 'owner' } })).status).toBe(404);
    });

    it('tells those who lose sight of a record that it is gone, and nobody else', async () => {
      const base = await listen(api.app);
      const listed = openStream(base, w.token.listed);
      const member = openStream(base, w.token.member);
      const community = openStream(base, w.token.community);
      await Promise.all([listed.opened, member.opened, community.opened]);
      const id = await alert('green', { scope: 'orgs', orgIds: [w.org.listed, w.org.member] });
      const narrowed = await share(id, w.token.owner, { distribution: { scope: 'orgs', orgIds: [w.org.member] } });
      expect(narrowed.status).toBe(200);
      const removed = await listed.waitFor((e) => e.type === 'record.removed' && e.recordId === id);
      expect(removed.data).toEqual({ kind: 'alert', id });
      await member.waitFor((e) => e.type === 'alert.shared' && e.recordId === id);
      // A later public event proves the community stream is up to date and never saw the alert.
      const marker = await alert('clear', { scope: 'public' });
      await community.waitFor((e) => e.recordId === marker);
      await member.waitFor((e) => e.recordId === marker);
      expect(community.events.some((e) => e.recordId === id)).toBe(false);
      expect(member.events.some((e) => e.type === 'record.removed' && e.recordId === id)).toBe(false);
      for (const s of [listed, member, community]) s.close();
    });

    it('writes every share to the audit log with before and after', async () => {
      const id = await alert('amber', { scope: 'owner' });
      await share(id, w.token.owner, { distribution: { scope: 'group', groupId: w.groupG } });
      const entry = await t.kernel.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'alert.share').where('target_id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.parse(entry.details)).toMatchObject({
        before: { tlp: 'amber', distribution: { scope: 'owner' } },
        after: { tlp: 'amber', distribution: { scope: 'group', groupId: w.groupG } },
      });
      expect(entry.org_id).toBe(w.org.owner);
    });
  });
}
