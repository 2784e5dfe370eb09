import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, listen, openStream, startApi } from '../helpers/http.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { type World, seedWorld } from '../helpers/world.js';

for (const engine of engines()) {
  describe(`live stream resume on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let w: World;

    beforeAll(async () => {
      t = await openTestKernel(engine, { VIGIL_SSE_HEARTBEAT_MS: '100' });
      api = await startApi(t.kernel);
      w = await seedWorld(() => t.kernel);
    });
    afterAll(async () => {
      await api?.close();
      await t?.cleanup();
    });

    const raise = (a: Api, title: string, visibleToListed: boolean) =>
      a.call('POST', '/api/v1/alerts', w.token.owner, {
        title,
        category: 'cyber',
        severity: 'low',
        tlp: 'amber',
        distribution: visibleToListed ? { scope: 'orgs', orgIds: [w.org.listed] } : { scope: 'owner' },
      });

    it('after a server restart, delivers exactly the missed visible events in order, then live ones', async () => {
      const base = await listen(api.app);
      const first = openStream(base, w.token.listed);
      await first.opened;
      const a1 = await raise(api, 'before 1', true);
      await first.waitFor((e) => e.recordId === a1.body.id);
      const lastSeen = first.events[first.events.length - 1]!.id;
      first.close();
      await api.close();
      await t.kernel.close();

      // A new kernel and server on the same database: what a restarted process has.
      t.kernel = await t.reopen();
      api = await startApi(t.kernel);
      const missed1 = (await raise(api, 'missed 1', true)).body.id;
      await raise(api, 'hidden', false);
      const missed2 = (await raise(api, 'missed 2', true)).body.id;
      const second = openStream(await listen(api.app), w.token.listed, lastSeen);
      await second.waitFor((e) => e.recordId === missed2);
      const live = (await raise(api, 'live', true)).body.id;
      await second.waitFor((e) => e.recordId === live);
      expect(second.events.map((e) => e.recordId)).toEqual([missed1, missed2, live]);
      const ids = second.events.map((e) => e.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(ids[0]!).toBeGreaterThan(lastSeen);
      second.close();
    });

    it('without Last-Event-ID starts from now; a 400 answers an id that is not a number', async () => {
      const old = await raise(api, 'old', true);
      const base = await listen(api.app);
      const s = openStream(base, w.token.listed);
      await s.opened;
      const fresh = await raise(api, 'fresh', true);
      await s.waitFor((e) => e.recordId === fresh.body.id);
      expect(s.events.some((e) => e.recordId === old.body.id)).toBe(false);
      s.close();
      const bad = await api.app.inject({ method: 'GET', url: '/api/v1/stream?lastEventId=abc', headers: { authorization: `Bearer ${w.token.listed}` } });
      expect(bad.statusCode).toBe(400);
    });

    it('refuses a stream without a valid token, and ends a stream whose session ends', async () => {
      const none = await api.app.inject({ method: 'GET', url: '/api/v1/stream' });
      expect(none.statusCode).toBe(401);
      const base = await listen(api.app);
      const token = await w.tokenFor('listed', 'viewer');
      const s = openStream(base, token);
      await s.opened;
      const logout = await api.call('POST', '/api/v1/auth/logout', token);
      expect(logout.status).toBe(204);
      // The next heartbeat (100 ms here) finds the session gone and closes the stream.
      await expect(s.waitFor(() => false)).rejects.toThrow(/ended/);
    });

    it('accepts the token as ?token= for EventSource', async () => {
      const res = await fetch(`${await listen(api.app)}/api/v1/stream?token=${w.token.member}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      await res.body?.cancel();
    });
  });
}
