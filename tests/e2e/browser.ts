// What the browser tests and the web benchmark share: Debian's Chromium through playwright-core, and a Vigil
// server with the demo city, in this process, that can be stopped and started again on the same port.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page, chromium } from 'playwright-core';
import { loadDemoCity } from '../../src/demo/load.js';
import type { VigilApp } from '../../src/kernel/http/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { buildServer } from '../../src/server.js';
import { openTestKernel } from '../helpers/kernel.js';
import { ROOT } from '../helpers/process.js';

export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results');
export const DEMO_PASSWORD = 'vigil-demo';

export function chromiumMissing(): string | null {
  return fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed: the browser tests cannot run (apt-get install chromium, as .ci/run does, or set VIGIL_CHROMIUM)`;
}

/** Builds web/dist when its sources changed since the last build (as `npm start` does). */
export function ensureWebBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.js')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web application failed');
}

/** Each launch runs on a fresh temporary profile (playwright-core makes one and removes it on close). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface DemoServer {
  base: string;
  kernel: Kernel;
  app: VigilApp;
  /** Stops the HTTP server (every open stream drops); the database stays. */
  stop(): Promise<void>;
  /** Builds a new server on the same kernel, lets `meanwhile` use it before it listens, then listens on the same port. */
  restart(meanwhile?: (app: VigilApp) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const test = await openTestKernel('sqlite', { VIGIL_DEMO: '1', ...env });
  await loadDemoCity(test.kernel);
  let app = await buildServer(test.kernel);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  let running = true;
  const server: DemoServer = {
    base: `http://127.0.0.1:${port}`,
    kernel: test.kernel,
    app,
    async stop() {
      if (running) await app.close();
      running = false;
    },
    async restart(meanwhile) {
      await server.stop();
      app = await buildServer(test.kernel);
      await app.ready();
      if (meanwhile) await meanwhile(app);
      await app.listen({ host: '127.0.0.1', port });
      server.app = app;
      running = true;
    },
    async close() {
      await server.stop();
      await test.cleanup();
    },
  };
  return server;
}

/** A session token for a demo account, through the API. */
export async function apiLogin(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  if (!res.ok) throw new Error(`login of ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function apiCall<T = any>(base: string, token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Signs in through the login page and waits until the map has drawn its base map and layers. */
export async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForMap(page);
}

export async function waitForMap(page: Page): Promise<void> {
  await page.waitForSelector('.map-canvas[data-loaded=true]', { timeout: 30_000 });
  await page.waitForFunction(
    () => {
      const map = (globalThis as any).__vigilMap;
      return !!map && map.loaded() && map.areTilesLoaded() && map.querySourceFeatures('assets').length > 0;
    },
    null,
    { timeout: 30_000 },
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
