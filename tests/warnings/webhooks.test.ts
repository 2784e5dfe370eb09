import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dueDeliveries,
  planDelivery,
  recordAttempt,
  retryDelayMs,
  sendWebhook,
  SIGNATURE_HEADER,
  verifySignature,
  webhookChannelProblems,
  webhookRequest,
  type Delivery,
  type RetryPolicy,
  type WebhookChannel,
} from '../../src/warnings/index.js';

const channel: WebhookChannel = { id: 'ch-radio', url: 'http://127.0.0.1:1/hook', secret: 's'.repeat(32), active: true };
const now = new Date('2025-07-14T09:30:00Z');
const body = '<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>';
const plan = (): Delivery => planDelivery({ id: 'd-1', channel, identifier: 'MC-VIGIL.w1.1', event: 'warning.published', body }, now);
const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 6000 };

describe('webhook signature', () => {
  const request = webhookRequest(plan(), channel, now);
  const header = request.headers[SIGNATURE_HEADER]!;

  it('is HMAC-SHA256 over "<timestamp>.<body>", verified by the receiver', () => {
    expect(header).toMatch(/^t=1752485400,v1=[0-9a-f]{64}$/);
    expect(verifySignature(channel.secret, header, body, now)).toBe(true);
  });

  it('fails for another body, another secret, or an old timestamp (replay)', () => {
    expect(verifySignature(channel.secret, header, `${body} `, now)).toBe(false);
    expect(verifySignature('x'.repeat(32), header, body, now)).toBe(false);
    expect(verifySignature(channel.secret, header, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifySignature(channel.secret, 'v1=abc', body, now)).toBe(false);
  });

  it('sends the CAP XML with delivery id, event and attempt number', () => {
    expect(request).toMatchObject({
      url: channel.url,
      body,
      headers: { 'Content-Type': 'application/cap+xml; charset=utf-8', 'Vigil-Delivery': 'd-1', 'Vigil-Event': 'warning.published', 'Vigil-Attempt': '1' },
    });
  });
});

describe('webhook channels', () => {
  it('need an http(s) URL without credentials and a secret of 32 characters or more', () => {
    expect(webhookChannelProblems({ url: 'https://radio.example.mc/cap', secret: 'k'.repeat(32) })).toEqual([]);
    expect(webhookChannelProblems({ url: 'ftp://radio.example.mc', secret: 'short' })).toEqual([
      'a webhook URL is http or https',
      'the signing secret needs at least 32 characters',
    ]);
    expect(webhookChannelProblems({ url: 'https://u:p@radio.example.mc', secret: 'k'.repeat(32) })).toHaveLength(1);
    expect(webhookChannelProblems({ url: 'not a url', secret: 'k'.repeat(32) })).toEqual(['"not a url" is not a URL']);
  });
});

describe('retry schedule', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const low = [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, () => 0));
    const high = [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, () => 0.999999));
    expect(low).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(high).toEqual([1000, 2000, 4000, 6000, 6000]);
  });

  it('keeps one record per attempt and gives up after maxAttempts', () => {
    let d = plan();
    let clock = now.getTime();
    for (let i = 1; i <= policy.maxAttempts; i++) {
      expect(dueDeliveries([d], new Date(clock)).map((x) => x.id)).toEqual(['d-1']);
      d = recordAttempt(d, { status: 503, durationMs: 12 }, new Date(clock), policy, () => 0.5);
      if (d.nextAttemptAt) clock = Date.parse(d.nextAttemptAt);
    }
    expect(d.state).toBe('failed');
    expect(d.attempts.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'retry', 'failed']);
    expect(d.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(dueDeliveries([d], new Date(clock + 1e9))).toEqual([]);
  });

  it('is not due before its time, and is delivered on 2xx', () => {
    const failed = recordAttempt(plan(), { error: 'connect ECONNREFUSED', durationMs: 3 }, now, policy, () => 0);
    expect(failed).toMatchObject({ state: 'pending', nextAttemptAt: '2025-07-14T09:30:00.500Z' });
    expect(dueDeliveries([failed], new Date(now.getTime() + 499))).toEqual([]);
    const delivered = recordAttempt(failed, { status: 204, durationMs: 40 }, new Date(now.getTime() + 500), policy, () => 0);
    expect(delivered.state).toBe('delivered');
    expect(delivered.nextAttemptAt).toBeUndefined();
    expect(delivered.attempts.map((a) => [a.outcome, a.status ?? a.error])).toEqual([['retry', 'connect ECONNREFUSED'], ['delivered', 204]]);
  });

  it('does not retry a client error, and honours Retry-After within the cap', () => {
    expect(recordAttempt(plan(), { status: 410, durationMs: 5 }, now, policy, () => 0).state).toBe('failed');
    const later = recordAttempt(plan(), { status: 429, durationMs: 5, retryAfterMs: 4000 }, now, policy, () => 0);
    expect(later.nextAttemptAt).toBe('2025-07-14T09:30:04.000Z');
    const capped = recordAttempt(plan(), { status: 503, durationMs: 5, retryAfterMs: 3_600_000 }, now, policy, () => 0);
    expect(capped.nextAttemptAt).toBe('2025-07-14T09:30:06.000Z');
  });
});

describe('sendWebhook (HTTP edge)', () => {
  let server: Server;
  let base = '';
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: text });
        if (req.url === '/ok') res.writeHead(204).end();
        else if (req.url === '/busy') res.writeHead(503, { 'Retry-After': '7' }).end();
        else if (req.url === '/moved') res.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere' }).end();
        else hanging.push(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (path: string, timeoutMs = 2000) =>
    sendWebhook(webhookRequest(plan(), { ...channel, url: `${base}${path}` }, new Date()), { timeoutMs });

  it('posts the signed body and reports the status', async () => {
    const result = await send('/ok');
    expect(result.status).toBe(204);
    const last = received[received.length - 1]!;
    expect(last.body).toBe(body);
    expect(verifySignature(channel.secret, String(last.headers['vigil-signature']), last.body, new Date())).toBe(true);
  });

  it('reads Retry-After, refuses redirects, and turns time-outs and refused connections into results', async () => {
    expect(await send('/busy')).toMatchObject({ status: 503, retryAfterMs: 7000 });
    expect((await send('/moved')).error).toBe('redirect (302) refused');
    expect((await send('/hang', 150)).error).toBe('timed out');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook`;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await sendWebhook(webhookRequest(plan(), { ...channel, url: closedUrl }, new Date()), { timeoutMs: 2000 });
    expect(refused.status).toBeUndefined();
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
