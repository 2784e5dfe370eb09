import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookWorker, verifySignature } from '../../src/warnings/index.js';
import { freePort } from '../helpers/process.js';
import { type TestKernel, engines, openTestKernel } from '../helpers/kernel.js';
import { CONDAMINE, type Receiver, type WarningWorld, seedWarningWorld, startReceiver, startWarningsApi, testSettings } from './api-world.js';

type Api = Awaited<ReturnType<typeof startWarningsApi>>;

/**
 * Webhook channels and deliveries: admins register endpoints; every published message is delivered to each,
 * signed, retried with back-off, every attempt recorded; a dead endpoint never holds up publication, and
 * deliveries planned before a restart are made after it.
 */
for (const engine of engines()) {
  describe(`webhook delivery on ${engine}`, () => {
    let t: TestKernel;
    let api: Api;
    let world: WarningWorld;
    // The worker's clock, moved forward by the tests to reach retries without waiting.
    let skew = 0;
    const clock = () => Date.now() + skew;
    let worker: WebhookWorker;
    const receivers: Receiver[] = [];

    beforeAll(async () => {
      t = await openTestKernel(engine);
      api = await startWarningsApi(t.kernel);
      world = await seedWarningWorld(t.kernel);
      const settings = testSettings(t.kernel);
      worker = new WebhookWorker(t.kernel, { ...settings.webhooks, timeoutMs: 2000, retry: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 }, clock, random: () => 0.5 });
    });
    afterAll(async () => {
      await worker?.stop();
      for (const r of receivers) await r.close();
      await api?.close();
      await t?.cleanup();
    });

    async function receiver(statuses: number[] = [200]): Promise<Receiver> {
      const r = await startReceiver(statuses);
      receivers.push(r);
      return r;
    }

    async function channel(url: string, name = 'channel'): Promise<{ id: string; secret: string }> {
      const res = await api.call('POST', '/api/v1/warnings/webhooks', world.token.waterAdmin, { name, url });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    }

    async function setActive(id: string, active: boolean): Promise<void> {
      expect((await api.call('PATCH', `/api/v1/warnings/webhooks/${id}`, world.token.waterAdmin, { active })).status).toBe(200);
    }

    async function publishWarning(via: Api = api): Promise<{ id: string; identifier: string; url: string }> {
      const draft = await via.call('POST', '/api/v1/warnings', world.token.waterAnalyst, { template: 'avoid-area', values: { ...CONDAMINE.values, reason: 'test' }, areas: [{ kind: 'circle', center: [7.42, 43.73], radiusMeters: 200 }] });
      await via.call('POST', `/api/v1/warnings/${draft.body.id}/submit`, world.token.waterAnalyst, {});
      const ok = await via.call('POST', `/api/v1/warnings/${draft.body.id}/approve`, world.token.certAdmin, {});
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      return { id: draft.body.id, identifier: ok.body.messages[0].identifier, url: ok.body.messages[0].url };
    }

    const deliveries = async (channelId: string) => (await api.call('GET', `/api/v1/warnings/webhooks/${channelId}/deliveries`, world.token.waterAdmin)).body.items;

    it('lets only admins manage channels, shows the secret once, and checks the URL and secret', async () => {
      expect((await api.call('POST', '/api/v1/warnings/webhooks', world.token.waterAnalyst, { name: 'x', url: 'https://example.org/h' })).status).toBe(403);
      expect((await api.call('GET', '/api/v1/warnings/webhooks', world.token.waterAnalyst)).status).toBe(403);
      const bad = await api.call('POST', '/api/v1/warnings/webhooks', world.token.waterAdmin, { name: 'x', url: 'ftp://user:pw@example.org/h' });
      expect(bad.status).toBe(422);
      expect(bad.body.detail).toMatch(/http or https/);
      expect((await api.call('POST', '/api/v1/warnings/webhooks', world.token.waterAdmin, { name: 'x', url: 'https://example.org/h', secret: 'short' })).status).toBe(400);
      const created = await api.call('POST', '/api/v1/warnings/webhooks', world.token.waterAdmin, { name: 'Radio Monaco', url: 'https://radio.example.mc/cap', active: false });
      expect(created.body.secret).toMatch(/^whsec_.{43}$/);
      const list = await api.call('GET', '/api/v1/warnings/webhooks', world.token.waterAdmin);
      expect(list.body.find((c: any) => c.id === created.body.id)).toEqual(expect.not.objectContaining({ secret: expect.anything() }));
      // Another organisation's admin neither sees nor changes it.
      expect((await api.call('GET', '/api/v1/warnings/webhooks', world.token.policeAdmin)).body).toEqual([]);
      expect((await api.call('PATCH', `/api/v1/warnings/webhooks/${created.body.id}`, world.token.policeAdmin, { active: true })).status).toBe(404);
      const rotated = await api.call('PATCH', `/api/v1/warnings/webhooks/${created.body.id}`, world.token.waterAdmin, { rotateSecret: true });
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(created.body.secret);
      expect((await api.call('DELETE', `/api/v1/warnings/webhooks/${created.body.id}`, world.token.waterAdmin)).status).toBe(204);
      const audit = await t.kernel.store.db.selectFrom('audit_log').select('action').where('target_id', '=', created.body.id).orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['webhook-channel.create', 'webhook-channel.update', 'webhook-channel.delete']);
    });

    it('delivers each published message, signed, and records the attempt', async () => {
      const r = await receiver([200]);
      const c = await channel(r.url, 'delivered');
      const published = await publishWarning();
      // Publication only planned the delivery.
      expect(r.requests).toHaveLength(0);
      expect((await api.call('GET', `/api/v1/warnings/${published.id}`, world.token.certAdmin)).body.messages[0].deliveries).toMatchObject({ pending: 1 });
      expect(await worker.runOnce()).toBeGreaterThanOrEqual(1);
      await r.received(1);
      const [req] = r.requests;
      const xml = (await api.raw('GET', new URL(published.url).pathname)).text;
      expect(req!.body).toBe(xml);
      expect(req!.headers).toMatchObject({ 'content-type': 'application/cap+xml; charset=utf-8', 'vigil-event': 'warning.alert', 'vigil-attempt': '1' });
      expect(verifySignature(c.secret, req!.headers['vigil-signature'] as string, req!.body, new Date(clock()))).toBe(true);
      expect(verifySignature(c.secret, req!.headers['vigil-signature'] as string, `${req!.body} `, new Date(clock()))).toBe(false);
      const [d] = await deliveries(c.id);
      expect(d).toMatchObject({ identifier: published.identifier, state: 'delivered', nextAttemptAt: null, attempts: [{ attempt: 1, status: 200, outcome: 'delivered' }] });
      expect(d.id).toBe(req!.headers['vigil-delivery']);
      expect((await api.call('GET', `/api/v1/warnings/${published.id}`, world.token.certAdmin)).body.messages[0].deliveries).toMatchObject({ pending: 0, delivered: 1 });
      await setActive(c.id, false);
    });

    it('retries with back-off after a failure, with the same delivery id', async () => {
      const r = await receiver([503, 200]);
      const c = await channel(r.url, 'retried');
      await publishWarning();
      await worker.runOnce();
      await r.received(1);
      let [d] = await deliveries(c.id);
      expect(d).toMatchObject({ state: 'pending', attempts: [{ attempt: 1, status: 503, outcome: 'retry' }] });
      // Back-off: 1 s base, equal jitter at 0.5 → 750 ms. Not due yet…
      expect(Date.parse(d.nextAttemptAt) - Date.parse(d.attempts[0].at)).toBe(750);
      skew -= 5000;
      expect(await worker.runOnce()).toBe(0);
      // …then due.
      skew += 5000 + 750;
      expect(await worker.runOnce()).toBe(1);
      await r.received(2);
      [d] = await deliveries(c.id);
      expect(d).toMatchObject({ state: 'delivered', attempts: [{ attempt: 1, status: 503, outcome: 'retry' }, { attempt: 2, status: 200, outcome: 'delivered' }] });
      expect(r.requests.map((q) => q.headers['vigil-delivery'])).toEqual([d.id, d.id]);
      expect(r.requests.map((q) => q.headers['vigil-attempt'])).toEqual(['1', '2']);
      await setActive(c.id, false);
    });

    it('records a dead endpoint as failed after the last attempt, and a refusal at once', async () => {
      const dead = await channel(`http://127.0.0.1:${await freePort()}/gone`, 'dead');
      const refusing = await receiver([410]);
      const refused = await channel(refusing.url, 'refusing');
      await publishWarning();
      for (let i = 0; i < 3; i++) {
        await worker.runOnce();
        skew += 60_000;
      }
      const [d] = await deliveries(dead.id);
      expect(d.state).toBe('failed');
      expect(d.attempts.map((a: any) => a.outcome)).toEqual(['retry', 'retry', 'failed']);
      expect(d.attempts.every((a: any) => a.status === null && /ECONNREFUSED|connect/i.test(a.error))).toBe(true);
      const [g] = await deliveries(refused.id);
      expect(g).toMatchObject({ state: 'failed', attempts: [{ attempt: 1, status: 410, outcome: 'failed' }] });
      const audit = await t.kernel.store.db.selectFrom('audit_log').select(['action', 'org_id']).where('target_id', 'in', [d.id, g.id]).execute();
      expect(audit).toEqual(expect.arrayContaining([{ action: 'webhook.failed', org_id: world.org.water }]));
      expect(audit).toHaveLength(2);
      await setActive(dead.id, false);
      await setActive(refused.id, false);
    });

    it('never holds up publication for an endpoint that does not answer', async () => {
      const hanging = http.createServer(() => {});
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      const c = await channel(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/slow`, 'hanging');
      const withWorker = await startWarningsApi(t.kernel, { VIGIL_WEBHOOK_WORKER: '1', VIGIL_WEBHOOK_TIMEOUT_MS: '3000' });
      try {
        const started = performance.now();
        await publishWarning(withWorker);
        expect(performance.now() - started).toBeLessThan(2500);
      } finally {
        await withWorker.close();
        hanging.closeAllConnections();
        await new Promise((resolve) => hanging.close(resolve));
      }
      // Closing the server waited for the attempt in flight, which timed out and was recorded.
      const [d] = await deliveries(c.id);
      expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, status: null, outcome: 'retry' })]);
      await api.call('DELETE', `/api/v1/warnings/webhooks/${c.id}`, world.token.waterAdmin);
      const [ended] = await deliveries(c.id);
      expect(ended).toMatchObject({ id: d.id, state: 'failed' });
    });

    it('makes after a restart the deliveries planned before it', async () => {
      const port = await freePort();
      const c = await channel(`http://127.0.0.1:${port}/later`, 'restart');
      // Published while the endpoint is down and no worker runs; then the server stops.
      const published = await publishWarning();
      await api.close();
      await t.kernel.close();
      // Vigil starts again on the same database; the endpoint is back.
      const r = await startReceiver([200], port);
      receivers.push(r);
      const kernel = await t.reopen();
      api = await startWarningsApi(kernel, { VIGIL_WEBHOOK_WORKER: '1', VIGIL_WEBHOOK_INTERVAL_MS: '60000' });
      await r.received(1);
      expect(r.requests[0]!.headers['vigil-event']).toBe('warning.alert');
      expect(r.requests[0]!.body).toContain(`<identifier>${published.identifier}</identifier>`);
      await api.close();
      api = await startWarningsApi(kernel);
      const [d] = await deliveries(c.id);
      expect(d).toMatchObject({ identifier: published.identifier, state: 'delivered' });
    });
  });
}
