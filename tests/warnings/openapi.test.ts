import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestKernel, openTestKernel } from '../helpers/kernel.js';
import { startWarningsApi } from './api-world.js';

let t: TestKernel;
let api: Awaited<ReturnType<typeof startWarningsApi>>;
beforeAll(async () => {
  t = await openTestKernel('sqlite');
  api = await startWarningsApi(t.kernel);
});
afterAll(async () => {
  await api?.close();
  await t?.cleanup();
});

it('documents every warnings endpoint in the OpenAPI document, the public ones without security', async () => {
  const res = await api.raw('GET', '/api/v1/openapi.json');
  expect(res.status).toBe(200);
  const doc = JSON.parse(res.text);
  const paths = Object.keys(doc.paths).filter((p) => p.includes('warnings') || p.includes('/cap/'));
  expect(paths.sort()).toEqual(
    [
      '/api/v1/cap/inbox',
      '/api/v1/warnings',
      '/api/v1/warnings/policy',
      '/api/v1/warnings/templates',
      '/api/v1/warnings/webhooks',
      '/api/v1/warnings/webhooks/{id}',
      '/api/v1/warnings/webhooks/{id}/deliveries',
      '/api/v1/warnings/{id}',
      '/api/v1/warnings/{id}/all-clear',
      '/api/v1/warnings/{id}/approve',
      '/api/v1/warnings/{id}/cancel',
      '/api/v1/warnings/{id}/preview',
      '/api/v1/warnings/{id}/proposal',
      '/api/v1/warnings/{id}/reject',
      '/api/v1/warnings/{id}/share',
      '/api/v1/warnings/{id}/submit',
      '/api/v1/warnings/{id}/update',
      '/public/cap/feed.atom',
      '/public/cap/{file}',
    ].sort(),
  );
  expect(doc.paths['/public/cap/feed.atom'].get.security).toEqual([]);
  expect(Object.keys(doc.paths['/api/v1/cap/inbox'].post.requestBody.content)).toEqual(['application/cap+xml', 'application/xml', 'text/xml']);
});
