import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { microsToTimestamp } from '../../src/cti/index.js';
import { type Api } from '../helpers/http.js';
import { openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { startCtiApi } from './api.js';
import { fixture } from './helpers.js';

/**
 * The feed client against remotes that misbehave: a TAXII server that never answers, answers garbage, pages
 * forever, forgets its tokens or fails half way — each bounded, logged on the feed and resumed later without
 * duplicates or gaps — and a MISP feed.
 */
const TAXII = 'application/taxii+json;version=2.1';
const objects = Array.from({ length: 10 }, (_, i) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--f00d0000-0000-4000-8000-${String(i).padStart(12, '0')}`, created: '2026-04-01T00:00:00.000Z',
  modified: '2026-04-01T00:00:00.000Z', pattern: `[ipv4-addr:value = '203.0.113.${i}']`, pattern_type: 'stix', valid_from: '2026-04-01T00:00:00Z',
}));
const addedAt = (i: number) => microsToTimestamp(Date.UTC(2026, 3, 1) * 1000 + i + 1);

type Mode = 'normal' | 'hang' | 'garbage' | 'forever' | 'no-next' | 'forgetful' | 'fail-third-page';

/** A small TAXII server over `objects`, paging by offset tokens, with a switchable misbehaviour. */
function fakeRemote() {
  let mode: Mode = 'normal';
  let failed = false;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(decodeURIComponent(`${url.pathname}${url.search}`));
    if (url.pathname.startsWith('/misp/')) return misp(url.pathname, res);
    if (mode === 'hang') return; // never answers
    if (mode === 'garbage') return void res.writeHead(200, { 'content-type': TAXII }).end('<html>not json</html>');
    const limit = Number(url.searchParams.get('limit') ?? 1000);
    if (mode === 'forever') {
      const token = String(Number(url.searchParams.get('next') ?? 0) + 1);
      return void res.writeHead(200, { 'content-type': TAXII }).end(JSON.stringify({ more: true, next: token }));
    }
    const next = url.searchParams.get('next');
    if (next && mode === 'forgetful') return void res.writeHead(400, { 'content-type': TAXII }).end(JSON.stringify({ title: 'token expired' }));
    const after = url.searchParams.get('added_after');
    let start = next ? Number(next) : 0;
    if (after) start = Math.max(start, objects.findIndex((_, i) => addedAt(i) > after) >>> 0);
    if (mode === 'fail-third-page' && start >= 2 * limit && !failed) {
      failed = true;
      return void res.writeHead(503, { 'content-type': TAXII }).end(JSON.stringify({ title: 'Service Unavailable' }));
    }
    const page = objects.slice(start, start + limit);
    const more = start + limit < objects.length;
    const headers: Record<string, string> = { 'content-type': TAXII };
    if (page.length) Object.assign(headers, { 'x-taxii-date-added-first': addedAt(start), 'x-taxii-date-added-last': addedAt(start + page.length - 1) });
    res.writeHead(200, headers).end(JSON.stringify({ ...(more ? { more } : {}), ...(more && mode !== 'no-next' ? { next: String(start + limit) } : {}), ...(page.length ? { objects: page } : {}) }));
  });
  const event = JSON.parse(readFileSync(fixture('misp-event.json'), 'utf8')) as { Event: { uuid: string; timestamp: string } };
  let mispStamp = Number(event.Event.timestamp);
  function misp(path: string, res: http.ServerResponse) {
    if (path === '/misp/manifest.json') {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [event.Event.uuid]: { info: 'x', timestamp: String(mispStamp) }, '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9': { info: 'gone', timestamp: '1' } }));
    }
    if (path === `/misp/${event.Event.uuid}.json`) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Event: { ...event.Event, timestamp: String(mispStamp) } }));
    res.writeHead(404).end();
  }
  return {
    server,
    requests,
    set mode(m: Mode) {
      mode = m;
    },
    touchMisp() {
      mispStamp += 100;
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  };
}

describe('feeds', () => {
  let t: TestKernel;
  let api: Api;
  let world: World;
  let remote: ReturnType<typeof fakeRemote>;
  let base: string;

  beforeAll(async () => {
    t = await openTestKernel('sqlite');
    api = await startCtiApi(t.kernel);
    world = await seedWorld(t.kernel);
    remote = fakeRemote();
    base = await remote.start();
    api.app.cti.feeds.limits = { ...api.app.cti.feeds.limits, requestTimeoutMs: 400, maxPages: 4, pageLimit: 3 };
  });
  afterEach(() => {
    remote.mode = 'normal';
  });
  afterAll(async () => {
    remote?.server.closeAllConnections();
    remote?.server.close();
    await api?.close();
    await t?.cleanup();
  });

  const addFeed = async (extra: Record<string, unknown> = {}) => {
    const res = await api.call('POST', '/api/v1/cti/feeds', world.token.owner, { kind: 'taxii', url: `${base}/api/`, collectionId: 'c1', tlp: 'green', distribution: { scope: 'community' }, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const pull = async (id: string) => (await api.call('POST', `/api/v1/cti/feeds/${id}/pull`, world.token.owner)).body;
  const stored = async () => (await api.call('GET', `/api/v1/stix/objects?id=${objects.map((o) => o.id).join(',')}&limit=100`, world.token.owner)).body.items.length as number;

  it('refuses feeds over plain HTTP to other machines, and credentials in the URL', async () => {
    expect((await api.call('POST', '/api/v1/cti/feeds', world.token.owner, { kind: 'taxii', url: 'http://taxii.example.org/api/', collectionId: 'x' })).status).toBe(400);
    expect((await api.call('POST', '/api/v1/cti/feeds', world.token.owner, { kind: 'taxii', url: 'https://u:p@taxii.example.org/api/', collectionId: 'x' })).status).toBe(400);
    expect((await api.call('POST', '/api/v1/cti/feeds', world.token.owner, { kind: 'taxii', url: 'https://taxii.example.org/api/' })).status).toBe(400);
  });

  it('a remote that never answers: cut off after the timeout, logged on the feed, retried later', async () => {
    const id = await addFeed();
    remote.mode = 'hang';
    const started = Date.now();
    const body = await pull(id);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body.outcome.error).toMatch(/no answer within 400 ms/);
    expect(body.feed).toMatchObject({ failures: 1, lastError: expect.stringMatching(/no answer/) });
    expect(Date.parse(body.feed.nextPullAt)).toBeGreaterThan(Date.now() + 30_000);
    remote.mode = 'normal';
    const again = await pull(id);
    expect(again.feed).toMatchObject({ failures: 0, lastError: null });
  });

  it('a remote that answers garbage: refused with the reason', async () => {
    const id = await addFeed();
    remote.mode = 'garbage';
    const body = await pull(id);
    expect(body.outcome.error).toMatch(/not JSON/);
    expect(body.feed.failures).toBe(1);
  });

  it('a remote that pages forever: each pull stops after its page budget', async () => {
    const id = await addFeed();
    remote.mode = 'forever';
    const body = await pull(id);
    expect(body.outcome).toMatchObject({ pages: 4, caughtUp: false });
    expect(body.feed.nextToken).toBe('4');
  });

  it('pages with next, stops at its budget, and the next pull resumes without duplicates or gaps', async () => {
    const id = await addFeed();
    const first = await pull(id);
    expect(first.outcome).toMatchObject({ pages: 4, objects: 10, caughtUp: true });
    expect(first.outcome.stored + first.outcome.duplicates).toBe(10);
    expect(await stored()).toBe(10);
    expect(first.feed.addedAfter).toBe(addedAt(9));
    const second = await pull(id);
    expect(second.outcome).toMatchObject({ objects: 0, stored: 0, caughtUp: true });
    expect(remote.requests[remote.requests.length - 1]).toContain(`added_after=${addedAt(9)}`);
  });

  it('fails half way, then resumes exactly where it stopped', async () => {
    const id = await addFeed({ collectionId: 'c2' });
    remote.mode = 'fail-third-page';
    const first = await pull(id);
    expect(first.outcome.error).toMatch(/503/);
    expect(first.feed.nextToken).toBe('6');
    const second = await pull(id);
    expect(second.outcome).toMatchObject({ objects: 4, stored: 0, duplicates: 4, caughtUp: true });
    expect(second.outcome.error).toBeUndefined();
    expect(remote.requests.filter((r) => r.includes('/c2/') && r.includes('next=6'))).toHaveLength(2);
  });

  it('falls back to added_after when the server has no next, or no longer honours its token', async () => {
    for (const mode of ['no-next', 'forgetful'] as const) {
      const id = await addFeed({ collectionId: `c-${mode}` });
      remote.mode = mode;
      const body = await pull(id);
      expect(body.outcome.error, mode).toBeUndefined();
      expect(body.outcome.objects - body.outcome.duplicates - body.outcome.stored).toBe(0);
      expect(remote.requests.some((r) => r.includes(`/c-${mode}/`) && r.includes(`added_after=${addedAt(2)}`))).toBe(true);
      let outcome = body.outcome;
      for (let i = 0; i < 5 && !outcome.caughtUp; i++) outcome = (await pull(id)).outcome;
      expect(outcome.caughtUp, mode).toBe(true);
    }
    expect(await stored()).toBe(10);
  });

  it('a MISP feed: new and changed events are pulled, the rest skipped', async () => {
    const res = await api.call('POST', '/api/v1/cti/feeds', world.token.owner, { kind: 'misp', url: `${base}/misp/`, distribution: { scope: 'community' } });
    expect(res.status).toBe(201);
    const first = await pull(res.body.id);
    expect(first.outcome.stored).toBeGreaterThan(0);
    expect(first.outcome.error).toMatch(/0b1c2d3e/);
    const again = await pull(res.body.id);
    expect(again.outcome).toMatchObject({ pages: 0, stored: 0 });
    remote.touchMisp();
    const changed = await pull(res.body.id);
    expect(changed.outcome.pages).toBe(1);
    expect(changed.outcome.duplicates).toBeGreaterThan(0);
  });
});
