import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSession, type Role } from '../../src/kernel/auth/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation, createUser } from '../../src/organisations/queries.js';
import { buildServer } from '../../src/server.js';
import { warningSettingsFrom, type WarningSettings } from '../../src/warnings/index.js';
import type { Api } from '../helpers/http.js';

/**
 * The organisations of the public-warning tests: a water utility that writes warnings, the city CERT (kind
 * authority: the default approver), the police (another organisation) and a person of each role that matters.
 */
export interface WarningWorld {
  org: { water: string; cert: string; police: string };
  token: {
    waterAnalyst: string;
    waterAnalyst2: string;
    waterAdmin: string;
    certAdmin: string;
    certAnalyst: string;
    certOperator: string;
    certResponder: string;
    certViewer: string;
    policeAdmin: string;
    certAdmin2: string;
  };
  user: Record<string, string>;
}

// argon2id of "correct horse battery" (tests never log in by password).
const PASSWORD_HASH = '$argon2id$v=19$m=65536,t=3,p=1$ud2Dthi/5gelkXv7en67zQ$CiX19ecVLYtBa34ZI6nocq9E8yoZB8+DnLo3FaZK2Kc';

export async function seedWarningWorld(kernel: Kernel): Promise<WarningWorld> {
  const people: Array<[keyof WarningWorld['token'], 'water' | 'cert' | 'police', Role]> = [
    ['waterAnalyst', 'water', 'analyst'],
    ['waterAnalyst2', 'water', 'analyst'],
    ['waterAdmin', 'water', 'admin'],
    ['certAdmin', 'cert', 'admin'],
    ['certAdmin2', 'cert', 'admin'],
    ['certAnalyst', 'cert', 'analyst'],
    ['certOperator', 'cert', 'operator'],
    ['certResponder', 'cert', 'responder'],
    ['certViewer', 'cert', 'viewer'],
    ['policeAdmin', 'police', 'admin'],
  ];
  const org = {} as WarningWorld['org'];
  const user: Record<string, string> = {};
  await kernel.write(SYSTEM_ACTOR, async (w) => {
    org.water = (await createOrganisation(w, { slug: 'water', name: 'City Water Utility', sector: 'water', kind: 'operator', settings: { defaultTlp: 'amber', defaultDistribution: { scope: 'owner' } } })).id;
    org.cert = (await createOrganisation(w, { slug: 'cert', name: 'City CERT', sector: 'cert', kind: 'authority' })).id;
    org.police = (await createOrganisation(w, { slug: 'police', name: 'City Police', sector: 'police', kind: 'practitioner' })).id;
    for (const [key, o, role] of people) {
      user[key] = (await createUser(w, { orgId: org[o], email: `${key}@${o}.test`, name: key, role, password: '' }, PASSWORD_HASH)).id;
    }
  });
  const token = {} as WarningWorld['token'];
  for (const [key] of people) token[key] = (await openSession(kernel.store.db, user[key]!, kernel.clock(), 3600)).token;
  return { org, token, user };
}

export function testSettings(kernel: Kernel, env: Record<string, string> = {}): WarningSettings {
  return warningSettingsFrom(
    { VIGIL_PUBLIC_URL: 'https://vigil.example.mc', VIGIL_CAP_SENDER: 'protection@vigil.example.mc', VIGIL_CAP_IDENTIFIER_PREFIX: 'MC', VIGIL_WEBHOOK_WORKER: '0', ...env },
    kernel.config,
  );
}

/** The API (through Fastify's injector) with the warnings configured for tests: no background worker unless asked. */
export async function startWarningsApi(kernel: Kernel, env: Record<string, string> = {}): Promise<Api & { raw(method: string, url: string, options?: { headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; headers: Record<string, unknown>; text: string; body: any }> }> {
  const app = await buildServer(kernel, undefined, { warnings: testSettings(kernel, env) });
  await app.ready();
  const raw = async (method: string, url: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}) => {
    const res = await app.inject({ method: method as 'GET', url, headers: options.headers ?? {}, ...(options.body !== undefined ? { payload: options.body } : {}) });
    let body: unknown = null;
    try {
      body = res.body ? JSON.parse(res.body) : null;
    } catch {
      body = null;
    }
    return { status: res.statusCode, headers: res.headers as Record<string, unknown>, text: res.body, body };
  };
  return {
    app,
    raw,
    async call(method, url, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return raw(method, url, { headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    },
    close: () => app.close(),
  };
}

/** A local webhook receiver on a random port; answers with the statuses given, in turn (then the last one). */
export interface Receiver {
  url: string;
  requests: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  /** Resolves when the n-th request (1-based) has arrived. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(statuses: number[] = [200], port = 0): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      for (const w of [...waiters]) if (requests.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/hooks/cap`,
    requests,
    received: (n) => (requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Valid area and values for the templates, in Monaco. */
export const CONDAMINE = {
  values: {
    areaDesc: { fr: 'La Condamine', en: 'La Condamine district', it: 'quartiere della Condamine' },
    contact: '+377 93 15 00 00',
    reason: 'test',
  },
  junctions: [
    [7.4196, 43.7347],
    [7.4221, 43.7361],
    [7.4242, 43.7335],
    [7.421, 43.7322],
  ],
};
