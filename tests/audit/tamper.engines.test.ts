import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/kernel/audit/index.js';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

for (const engine of engines()) {
  describe(`audit log tampering is detected on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let w: World;

    beforeEach(async () => {
      t = await openTestKernel(engine);
      api = await startApi(t.kernel);
      w = await seedWorld(t.kernel);
      for (let i = 0; i < 5; i++) {
        const res = await api.call('POST', '/api/v1/alerts', w.token.owner, { title: `a${i}`, category: 'cyber', severity: 'low' });
        expect(res.status).toBe(201);
      }
    });
    afterEach(async () => {
      await api?.close();
      await t?.cleanup();
    });

    const db = () => t.kernel.store.db;
    const maxSeq = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);

    it('reports an intact log as intact', async () => {
      const result = await verifyAuditLog(db());
      expect(result.problem).toBeNull();
      expect(result.entries).toBe(await maxSeq());
    });

    it('reports the first edited entry', async () => {
      await db().updateTable('audit_log').set({ details: '{"title":"nothing happened"}' }).where('seq', '=', 4).execute();
      expect((await verifyAuditLog(db())).problem).toMatchObject({ kind: 'edited', seq: 4 });
    });

    it('reports a deleted entry in the middle', async () => {
      await db().deleteFrom('audit_log').where('seq', '=', 3).execute();
      expect((await verifyAuditLog(db())).problem).toMatchObject({ kind: 'deleted', seq: 3 });
    });

    it('reports deleted entries at the end', async () => {
      const last = await maxSeq();
      await db().deleteFrom('audit_log').where('seq', '=', last).execute();
      expect((await verifyAuditLog(db())).problem).toMatchObject({ kind: 'deleted', seq: last });
    });

    it('reports an inserted entry', async () => {
      const last = await maxSeq();
      await db()
        .insertInto('audit_log')
        .values({ seq: last + 1, at: 1, org_id: null, actor_user_id: null, actor_token_id: null, address: null, action: 'login', target_kind: null, target_id: null, details: '{}', prev_hash: 'x', hash: 'y' })
        .execute();
      expect((await verifyAuditLog(db())).problem).toMatchObject({ kind: 'inserted', seq: last + 1 });
    });

    it('reports entries renumbered to make room for an insertion', async () => {
      await sql`update audit_log set seq = seq + 1000 where seq >= 3`.execute(db());
      await sql`update audit_log set seq = seq - 999 where seq >= 1003`.execute(db());
      const problem = (await verifyAuditLog(db())).problem;
      expect(problem?.seq).toBe(3);
    });

    it('lets an organisation admin read only its own entries', async () => {
      const admin = await w.tokenFor('owner', 'admin');
      const res = await api.call('GET', '/api/v1/audit?limit=1000', admin);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThanOrEqual(5);
      expect(res.body.items.every((e: { orgId: string }) => e.orgId === w.org.owner)).toBe(true);
      expect((await api.call('GET', '/api/v1/audit', w.token.owner)).status).toBe(403);
      const otherAdmin = await w.tokenFor('listed', 'admin');
      const other = await api.call('GET', '/api/v1/audit?limit=1000', otherAdmin);
      expect(other.body.items.some((e: { action: string }) => e.action === 'alert.create')).toBe(false);
    });
  });
}
