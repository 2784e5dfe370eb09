import type { Api } from '../helpers/http.js';
import type { CtiService } from '../../src/cti/index.js';

/** Raw requests for the CTI routes: bodies as text (bundles, NDJSON), any content type, any Accept. */
export async function raw(
  api: Api,
  method: string,
  url: string,
  options: { token?: string | null; body?: string; contentType?: string; accept?: string; basic?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Record<string, string | string[] | undefined> }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.basic) headers.authorization = `Basic ${Buffer.from(`user:${options.basic}`).toString('base64')}`;
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.accept) headers.accept = options.accept;
  const res = await api.app.inject({ method: method as 'GET', url, headers, ...(options.body !== undefined ? { payload: options.body } : {}) });
  let body: unknown = null;
  try {
    body = res.body ? JSON.parse(res.body) : null;
  } catch {
    body = null;
  }
  return { status: res.statusCode, body, text: res.body, headers: res.headers as Record<string, string | string[] | undefined> };
}

export function ctiOf(api: Api): CtiService {
  return api.app.cti;
}

export const TAXII = 'application/taxii+json;version=2.1';

/** Imports a bundle through the API as the token's organisation. */
export async function importBundle(api: Api, token: string, bundle: unknown, query = ''): Promise<{ status: number; body: any }> {
  const text = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  return raw(api, 'POST', `/api/v1/stix/bundles${query ? `?${query}` : ''}`, { token, body: text, contentType: 'application/json' });
}

import { buildServer } from '../../src/server.js';
import type { Kernel } from '../../src/kernel/kernel.js';

/** Like tests/helpers startApi, with the feed scheduler off: tests pull feeds themselves. */
export async function startCtiApi(kernel: Kernel): Promise<Api> {
  const app = await buildServer(kernel, undefined, { feeds: false });
  await app.ready();
  return {
    app,
    async call(method, url, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
      let parsed: unknown = null;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        parsed = null;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers as Record<string, unknown>, text: res.body };
    },
    close: () => app.close(),
  };
}
