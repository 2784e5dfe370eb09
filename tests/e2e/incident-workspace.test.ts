// The incident workspace in Chromium: the lifecycle's buttons (reason and resolution asked), a 409 in words,
// an attachment uploaded under a stricter label, alerts split out to a new incident with why each alert is
// there, and a partner's note marked as the partner's.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

describe.skipIf(missing !== null)('the incident workspace in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  let water: string;
  let police: string;
  let incidentId: string;
  const alertIds: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    water = await apiLogin(server.base, 'analyst@water.demo');
    police = await apiLogin(server.base, 'analyst@police.demo');
    const policeOrg = (await apiCall(server.base, police, 'GET', '/me')).body.organisation.id;
    for (const title of ['E2E: SCADA login from 203.0.113.9', 'E2E: tank level anomaly']) {
      alertIds.push((await apiCall(server.base, water, 'POST', '/alerts', { category: 'cyber', severity: 'high', title, evidence: { src_ip: '203.0.113.9' } })).body.id);
    }
    const incident = await apiCall(server.base, water, 'POST', '/incidents', { title: 'E2E: lifecycle workspace', severity: 'high', alertIds, tlp: 'amber', distribution: { scope: 'orgs', orgIds: [policeOrg] } });
    expect(incident.status).toBe(201);
    incidentId = incident.body.id;
    await signIn(page, server.base, 'analyst@water.demo');
    await page.goto(`${server.base}/incidents/${incidentId}`);
    await page.getByRole('heading', { name: 'E2E: lifecycle workspace' }).waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('moves the status only as the lifecycle allows, asking for a reason and a resolution to close', async () => {
    const head = page.locator('.page-head');
    await head.getByRole('button', { name: '→ triage' }).click();
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toBe('triage');
    expect(await head.getByRole('button', { name: '→ open' }).count()).toBe(0);
    await head.getByRole('button', { name: 'Close…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Close the incident' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Say why');
    await dialog.getByLabel('Resolution').selectOption('false-positive');
    await dialog.getByLabel('Reason').fill('maintenance login by the vendor');
    await dialog.getByRole('button', { name: 'Close the incident' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toBe('closed');
    await head.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('the login came back');
    await page.getByRole('dialog').getByRole('button', { name: 'Reopen the incident' }).click();
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toBe('triage');
    const incident = (await apiCall(server.base, water, 'GET', `/incidents/${incidentId}`)).body;
    expect(incident).toMatchObject({ status: 'triage', reopenCount: 1 });
  });

  it('says in words when someone else changed the incident', async () => {
    await page.route(`**/api/v1/incidents/${incidentId}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({ status: 409, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'stale', currentVersion: 99 }) })
        : route.continue(),
    );
    await page.locator('.page-head').getByRole('combobox', { name: 'Severity' }).selectOption('critical');
    await expect.poll(() => page.locator('.page-head').getByRole('alert').textContent()).toContain('Someone else changed this incident');
    await page.unroute(`**/api/v1/incidents/${incidentId}`);
  });

  it('uploads an attachment under a stricter label and lists it', async () => {
    const section = page.locator('[data-section=attachments]');
    await section.getByLabel('File').setInputFiles({ name: 'scada-auth.log', mimeType: 'text/plain', buffer: Buffer.from('Nov 22 03:10 login operator from 203.0.113.9\n') });
    await section.getByLabel('Label').selectOption('red');
    await section.getByRole('button', { name: 'Attach' }).click();
    await expect.poll(() => section.getByTestId('attachments').textContent()).toContain('scada-auth.log');
    expect(await section.getByTestId('attachments').textContent()).toContain('TLP:RED');
    const list = (await apiCall(server.base, water, 'GET', `/incidents/${incidentId}/attachments`)).body.items;
    expect(list[0]).toMatchObject({ filename: 'scada-auth.log', label: { tlp: 'red' } });
  });

  it('shows why each alert is here and splits one out to a new incident', async () => {
    const alerts = page.locator('section[aria-labelledby=alerts]');
    await alerts.locator('details').first().locator('summary').click();
    await expect.poll(() => alerts.getByTestId('alert-reason').first().textContent()).toContain('added by a person');
    await alerts.getByLabel('Choose E2E: tank level anomaly').check();
    await alerts.getByRole('button', { name: /Split 1 chosen alert/ }).click();
    await page.getByRole('dialog').getByLabel('Title of the new incident').fill('E2E: the tank on its own');
    await screenshot(page, 'incident-split-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Split' }).click();
    await page.getByRole('heading', { name: 'E2E: the tank on its own' }).waitFor();
    const created = (await apiCall(server.base, water, 'GET', page.url().replace(server.base, ''))).body;
    expect(created.alertIds).toEqual([alertIds[1]]);
    expect(created.linkedIncidentIds).toEqual([incidentId]);
    expect((await apiCall(server.base, water, 'GET', `/incidents/${incidentId}`)).body.alertIds).toEqual([alertIds[0]]);
  });

  it("marks a partner's note, restricted to the owner, as the partner's", async () => {
    const note = await apiCall(server.base, police, 'POST', `/incidents/${incidentId}/notes`, { text: 'Patrol on site, nobody around', distribution: { scope: 'owner' } });
    expect(note.status).toBe(201);
    await page.goto(`${server.base}/incidents/${incidentId}`);
    const entry = page.locator('.entry-partner', { hasText: 'Patrol on site' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('partner');
    await screenshot(page, 'incident-workspace-lifecycle');
  });
});
