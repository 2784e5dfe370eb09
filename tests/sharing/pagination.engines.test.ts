import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

for (const engine of engines()) {
  describe(`pagination never leaks on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let w: World;
    const visible: string[] = [];
    const hidden: string[] = [];

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startApi(t.kernel);
      w = await seedWorld(t.kernel);
      // Alternate records the listed organisation may and may not see, several with the same time, so
      // hidden records sit on every page boundary and ties are broken by id.
      const base = Date.parse('2026-11-01T00:00:00Z');
      for (let i = 0; i < 41; i++) {
        const show = i % 3 !== 1;
        const time = new Date(base + Math.floor(i / 2) * 60_000).toISOString();
        const res = await api.call('POST', '/api/v1/alerts', w.token.owner, {
          title: `page ${i}`,
          category: 'physical',
          severity: 'low',
          time,
          tlp: 'amber',
          distribution: show ? { scope: 'orgs', orgIds: [w.org.listed] } : { scope: 'owner' },
        });
        expect(res.status).toBe(201);
        (show ? visible : hidden).push(res.body.id);
      }
    });
    afterAll(async () => {
      await api?.close();
      await t?.cleanup();
    });

    for (const limit of [1, 3, 7, 100]) {
      it(`pages of ${limit} hold exactly the visible records, newest first, each once`, async () => {
        const seen: string[] = [];
        const cursors: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: { body: { items: Array<{ id: string; time: string }>; nextCursor: string | null } } = await api.call(
            'GET',
            `/api/v1/alerts?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
            w.token.listed,
          );
          const items = res.body.items;
          if (res.body.nextCursor) expect(items).toHaveLength(limit);
          seen.push(...items.map((i) => i.id));
          cursor = res.body.nextCursor;
          if (cursor) cursors.push(cursor);
          pages++;
          expect(pages).toBeLessThan(100);
        } while (cursor);
        expect([...seen].sort()).toEqual([...visible].sort());
        expect(new Set(seen).size).toBe(seen.length);
        // Each cursor names the position of a record the caller saw, never a hidden one.
        for (const c of cursors) {
          const [, id] = JSON.parse(Buffer.from(c, 'base64url').toString()) as [number, string];
          expect(visible).toContain(id);
          expect(hidden).not.toContain(id);
        }
      });
    }

    it('gives the same order as the full list', async () => {
      const all = await api.call('GET', '/api/v1/alerts?limit=1000', w.token.listed);
      const times = all.body.items.map((i: { time: string }) => Date.parse(i.time));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('rejects a cursor it did not issue', async () => {
      const res = await api.call('GET', '/api/v1/alerts?cursor=not-a-cursor', w.token.listed);
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/cursor/);
    });
  });
}
