import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../src/kernel/events/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';

for (const engine of engines()) {
  describe(`the kernel write path on ${engine}`, () => {
    let t: TestKernel;
    beforeAll(async () => {
      t = await openTestKernel(engine);
    });
    afterAll(async () => t?.cleanup());

    const count = async (table: 'events' | 'audit_log' | 'organisations') =>
      Number((await t.kernel.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    it('commits the change, its events and its audit entries together, then publishes the events', async () => {
      const published: VigilEvent[] = [];
      const off = t.kernel.bus.subscribe((e) => published.push(e));
      await t.kernel.write(SYSTEM_ACTOR, async (w) => {
        await w.emit({ type: 'test.one', recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'public' } }, data: { n: 1 } });
        await w.emit({ type: 'test.two', recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'public' } }, data: { n: 2 } });
        await w.audit({ action: 'test' });
        expect(published).toHaveLength(0);
      });
      off();
      expect(published.map((e) => e.type)).toEqual(['test.one', 'test.two']);
      expect(published[1]!.id).toBe(published[0]!.id + 1);
    });

    it('rolls everything back when the change fails: no record, no event, no audit entry, nothing published', async () => {
      const before = { events: await count('events'), audit: await count('audit_log'), orgs: await count('organisations') };
      const published: VigilEvent[] = [];
      const off = t.kernel.bus.subscribe((e) => published.push(e));
      await expect(
        t.kernel.write(SYSTEM_ACTOR, async (w) => {
          await w.tx.insertInto('organisations').values({ id: 'x', slug: 'x', name: 'x', sector: 'city', kind: 'authority', settings: '{}', created_at: 1 }).execute();
          await w.emit({ type: 'test.lost', recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'public' } }, data: {} });
          await w.audit({ action: 'test.lost' });
          throw new Error('half way');
        }),
      ).rejects.toThrow('half way');
      off();
      expect(published).toHaveLength(0);
      expect({ events: await count('events'), audit: await count('audit_log'), orgs: await count('organisations') }).toEqual(before);
    });

    it('keeps event ids in commit order under concurrent writers', async () => {
      const published: number[] = [];
      const off = t.kernel.bus.subscribe((e) => published.push(e.id));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.kernel.write(SYSTEM_ACTOR, async (w) => {
            await w.emit({ type: 'test.concurrent', recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'public' } }, data: { i } });
          }),
        ),
      );
      off();
      expect(published).toHaveLength(20);
      expect([...published].sort((a, b) => a - b)).toEqual(published);
    });
  });
}
