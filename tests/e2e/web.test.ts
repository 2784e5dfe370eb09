// The web application end to end, in Debian's Chromium: a water analyst sees the map, receives a live alert,
// escalates it, shares the incident with the police at TLP:AMBER; the police see it, the energy grid does not;
// the live stream survives a server restart without losing an event; an ended session returns to login.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

// A browser on a busy two-core machine: whole steps get minutes; the waits inside keep their own bounds.
vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

describe.skipIf(missing !== null)('the web application in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let water: BrowserContext;
  let page: Page;
  let waterToken: string;
  let alertId: string;
  let incidentId: string;
  const title = 'E2E: chlorine dosing pump PU1 stopped responding';

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer({ VIGIL_SSE_HEARTBEAT_MS: '1000' });
    browser = await launchChromium();
    water = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await water.newPage();
    waterToken = await apiLogin(server.base, 'analyst@water.demo');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong password with the server’s own message', async () => {
    await page.goto(`${server.base}/`);
    await screenshot(page, '01-login');
    await page.getByLabel('Email').fill('analyst@water.demo');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email or password is wrong');
  });

  it('shows the water analyst the map of Monaco with the demo assets, their organisation and role', async () => {
    await signIn(page, server.base, 'analyst@water.demo');
    const who = await page.getByTestId('who').textContent();
    expect(who).toContain('City Water Utility');
    expect(who).toContain('analyst');
    expect(await page.locator('.demo-banner').textContent()).toContain('DEMO MODE');
    const assets = await page.evaluate(async () => ((await (globalThis as any).__vigilMap.getSource('assets').getData()) as { features: any[] }).features.map((f) => f.properties.name));
    expect(assets).toEqual(expect.arrayContaining(['Pump PU1', 'Tank T1 Moneghetti', 'Princess Grace Hospital', 'Water SCADA server']));
    // Street names are drawn from Vigil's own glyphs: the road layer has rendered labelled features.
    await page.evaluate(() => (globalThis as any).__vigilMap.jumpTo({ center: [7.4236, 43.7402], zoom: 16.5 }));
    await page.waitForFunction(() => (globalThis as any).__vigilMap.areTilesLoaded() && (globalThis as any).__vigilMap.queryRenderedFeatures({ layers: ['road-label'] }).length > 3);
    await screenshot(page, '02-map-streets');
    await page.evaluate(() => (globalThis as any).__vigilMap.jumpTo({ center: [7.4215, 43.737], zoom: 14.3 }));
  });

  it('receives an alert raised through the API live, on the map and at the top of the queue', async () => {
    // "Pump PU1" also finds the C-Town pumps PU10, PU11: take the one named exactly.
    const pu1 = (await apiCall(server.base, waterToken, 'GET', '/assets?q=Pump%20PU1')).body.items.find((a: { name: string }) => a.name === 'Pump PU1');
    const raisedAt = Date.now();
    const raised = await apiCall(server.base, waterToken, 'POST', '/alerts', {
      category: 'cyber-physical',
      severity: 'critical',
      title,
      source: 'detector:scada-model',
      assetIds: [pu1.id],
      evidence: { datastreams: { F_PU1: { observed: 0, expected: 88, unit: 'L/s' } }, plc: 'PLC1' },
    });
    expect(raised.status).toBe(201);
    alertId = raised.body.id;
    await page.locator(`.queue-row[data-alert-id="${alertId}"]`).waitFor({ timeout: 10_000 });
    const shownAfter = Date.now() - raisedAt;
    await page.waitForFunction(
      async (id) => ((await (globalThis as any).__vigilMap.getSource('alerts').getData()) as { features: any[] }).features.some((f) => f.properties.id === id),
      alertId,
      { timeout: 10_000 },
    );
    console.log(`live alert shown in the queue ${shownAfter} ms after it was raised`);
    expect(await page.locator('.queue-row').first().getAttribute('data-alert-id')).toBe(alertId);
    await page.locator(`.queue-row[data-alert-id="${alertId}"] .row-main`).click();
    await page.locator('.feature-card').getByText('Evidence').waitFor();
    expect(await page.locator('.feature-card').textContent()).toContain('F_PU1');
    // The demo's Pump PU1 has the F_PU1 datastream the evidence names: its chart is in the card.
    await page.locator('.feature-card .datastream-chart[data-datastream="F_PU1"]').waitFor();
    await page.waitForTimeout(700); // the map's ease to the alert
    await screenshot(page, '03-live-alert-card');
  });

  it('escalates the alert to an incident and opens its workspace', async () => {
    await page.locator('.feature-card').getByRole('button', { name: 'Escalate to incident…' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByLabel('Title').inputValue()).toBe(title);
    await dialog.getByRole('button', { name: 'Open incident' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]+$/);
    incidentId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: title }).waitFor();
    expect(await page.locator('#alerts').textContent()).toContain('Alerts (1)');
    await page.locator('.mini-map .map-canvas[data-loaded=true]').waitFor();
    await page.waitForTimeout(1000);
    await screenshot(page, '04-incident-workspace');
  });

  it('shares the incident with the police at TLP:AMBER, explaining what may not be done', async () => {
    await page.locator('.page-head').getByRole('button', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name=tlp][value="amber+strict"]').check();
    await expect.poll(() => dialog.locator('[data-scope=orgs] .reason').textContent()).toContain('AMBER+STRICT cannot leave your organisation');
    expect(await dialog.locator('input[name=scope][value=orgs]').isDisabled()).toBe(true);
    await dialog.locator('input[name=tlp][value="amber"]').check();
    expect(await dialog.locator('[data-scope=community] .reason').textContent()).toContain('need-to-know');
    await dialog.locator('input[name=scope][value=orgs]').check();
    await dialog.getByLabel('City Police').check();
    await expect.poll(() => dialog.getByTestId('share-verdict').textContent()).toContain('Will be shared as TLP:AMBER');
    await screenshot(page, '05-share-dialog');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('audience').textContent()).toContain('City Police');
    const incident = (await apiCall(server.base, waterToken, 'GET', `/incidents/${incidentId}`)).body;
    expect(incident.tlp).toBe('amber');
    expect(incident.distribution.scope).toBe('orgs');
  });

  it('shows the incident to the police analyst', async () => {
    const police = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await police.newPage();
    await signIn(p, server.base, 'analyst@police.demo');
    await p.getByRole('link', { name: 'Incidents' }).click();
    await p.getByRole('link', { name: title }).click();
    await p.getByRole('heading', { name: title }).waitFor();
    expect(await p.locator('.page-head .tlp').first().textContent()).toBe('TLP:AMBER');
    await screenshot(p, '06-police-sees-incident');
    await police.close();
  });

  it('does not show it to the energy analyst, not even by its address', async () => {
    const energy = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await energy.newPage();
    await signIn(p, server.base, 'analyst@energy.demo');
    await p.getByRole('link', { name: 'Incidents' }).click();
    await p.getByRole('heading', { name: 'Incidents' }).waitFor();
    await p.getByRole('link', { name: 'Feeder F3 instability at Substation Fontvieille' }).waitFor();
    expect(await p.locator('main').textContent()).not.toContain(title);
    await p.goto(`${server.base}/incidents/${incidentId}`);
    await p.getByText('This incident does not exist or is not shared with your organisation').waitFor();
    await screenshot(p, '07-energy-does-not-see-it');
    await energy.close();
  });

  it('shows the stream reconnecting while the server restarts, and loses no event raised meanwhile', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.locator('.map-canvas[data-loaded=true]').waitFor();
    await expect.poll(() => page.getByTestId('stream-status').textContent()).toContain('Live');
    await server.stop();
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: 10_000 }).toContain('Reconnecting');
    await screenshot(page, '08-stream-reconnecting');
    let missedId = '';
    await server.restart(async (app) => {
      // Raised while no browser can be connected: only the event log can bring it back.
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/alerts',
        headers: { authorization: `Bearer ${waterToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ category: 'cyber', severity: 'high', title: 'E2E: raised while the server restarted' }),
      });
      expect(res.statusCode).toBe(201);
      missedId = JSON.parse(res.body).id;
    });
    await page.locator(`.queue-row[data-alert-id="${missedId}"]`).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: 10_000 }).toContain('Live');
  });

  it('returns to the login page, with a word of why, when the session ends', async () => {
    const token = await page.evaluate(() => (globalThis as any).sessionStorage.getItem('vigil.session'));
    expect((await apiCall(server.base, token!, 'POST', '/auth/logout')).status).toBe(204);
    await page.getByText('Your session has ended').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    await screenshot(page, '09-session-ended');
  });
});
