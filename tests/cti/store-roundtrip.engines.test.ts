import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../helpers/http.js';
import { engines, openTestKernel, type TestKernel } from '../helpers/kernel.js';
import { seedWorld, type World } from '../helpers/world.js';
import { raw, importBundle } from './api.js';
import { HAVE_EXAMPLES, exampleFiles } from './helpers.js';

/** Every official STIX 2.1 example bundle goes into the store and comes back out the same. */
describe.each(engines())('STIX store round trip (%s)', (engine) => {
  let t: TestKernel;
  let api: Api;
  let world: World;

  beforeAll(async () => {
    t = await openTestKernel(engine);
    api = await startApi(t.kernel);
    world = await seedWorld(t.kernel);
  });
  afterAll(async () => {
    await api?.close();
    await t?.cleanup();
  });

  it.skipIf(!HAVE_EXAMPLES).each(exampleFiles().map((f) => [basename(f), f]))('%s: import → export gives the same objects', async (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const bundle = JSON.parse(text) as { objects: Array<Record<string, unknown>> };
    const res = await importBundle(api, world.token.owner, text, 'tlp=clear&scope=community');
    if (basename(file) === 'interop-objectmarking-test.json') {
      // Its second marking reference names no marking anywhere: rejected with that reason, nothing stored.
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body.report.objects)).toContain('marking-unknown');
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.invalid).toBe(0);
    const ids = [...new Set(bundle.objects.map((o) => String(o.id)))];
    const exported = await raw(api, 'GET', `/api/v1/stix/export?id=${encodeURIComponent(ids.join(','))}`, { token: world.token.owner });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('application/stix+json');
    const key = (o: Record<string, unknown>) => `${String(o.id)}|${String(o.modified ?? o.created ?? '')}`;
    const sorted = (list: Array<Record<string, unknown>>) => [...new Map(list.map((o) => [key(o), o])).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, o]) => o);
    expect(sorted(exported.body.objects)).toEqual(sorted(bundle.objects));
    // Another organisation sees the community's copy too, and the same objects.
    const other = await raw(api, 'GET', `/api/v1/stix/export?id=${encodeURIComponent(ids.join(','))}`, { token: world.token.community });
    expect(sorted(other.body.objects)).toEqual(sorted(bundle.objects));
  });

  it('re-importing is idempotent and a new modified is a new version', async () => {
    const indicator = {
      type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
      pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
    };
    const bundle = (objects: unknown[]) => ({ type: 'bundle', id: 'bundle--3a0e0c49-0b2b-4d38-a0f3-8d2d2b2a8f01', objects });
    const first = await importBundle(api, world.token.owner, bundle([indicator]));
    expect(first.body).toMatchObject({ stored: 1, duplicates: 0 });
    const again = await importBundle(api, world.token.owner, bundle([indicator]));
    expect(again.body).toMatchObject({ stored: 0, duplicates: 1 });
    const v2 = await importBundle(api, world.token.owner, bundle([{ ...indicator, modified: '2026-02-01T00:00:00.000Z', name: 'second' }]));
    expect(v2.body).toMatchObject({ stored: 1 });
    const versions = await raw(api, 'GET', `/api/v1/stix/objects/${indicator.id}`, { token: world.token.owner });
    expect(versions.body.items.map((i: { version: string }) => i.version).sort()).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  });
});
