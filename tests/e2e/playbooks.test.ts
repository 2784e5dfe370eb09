// The incident workspace's Playbook section in Chromium: the water analyst starts the SCADA intrusion playbook
// on the demo's SCADA incident, completes the first task, answers the branching one, and skips one with a reason.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

describe.skipIf(missing !== null)('playbooks in the incident workspace', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  let incidentId = '';

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const token = await apiLogin(server.base, 'analyst@water.demo');
    const incidents = (await apiCall(server.base, token, 'GET', '/incidents?type=scada-intrusion')).body.items;
    incidentId = incidents[0].id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts the playbook meant for the incident type and works its tasks', async () => {
    await signIn(page, server.base, 'analyst@water.demo');
    await page.goto(`${server.base}/incidents/${incidentId}`);
    const section = page.locator('[data-section=playbooks]');
    await section.getByText('No playbook started.').waitFor();
    // The playbook for this incident type is offered first.
    expect(await section.locator('select option').first().textContent()).toContain('for this type');
    await section.getByRole('button', { name: 'Start' }).click();
    const first = section.locator('tr[data-task=confirm-alert]');
    await first.getByRole('button', { name: 'Complete' }).click();
    await section.locator('tr[data-task=confirm-alert][data-status=done]').waitFor();
    const question = section.locator('tr[data-task=process-unsafe]');
    await question.getByRole('button', { name: 'no' }).click();
    await section.locator('tr[data-task=process-unsafe][data-status=done]').waitFor();
    const open = section.locator('tr[data-status=open]').first();
    await open.getByRole('button', { name: 'Skip…' }).click();
    await open.getByLabel('Reason').fill('done by the night shift already');
    await open.getByRole('button', { name: 'Skip', exact: true }).click();
    await section.getByText('skipped: done by the night shift already').waitFor();
    // The outcomes are on the workspace's timeline without a reload.
    await page.locator('.timeline').getByText('Skipped mandatory step', { exact: false }).waitFor();
    await screenshot(page, 'playbook-section');
    const token = await apiLogin(server.base, 'analyst@water.demo');
    const timeline = (await apiCall(server.base, token, 'GET', `/incidents/${incidentId}/timeline`)).body.items.map((e: { kind: string }) => e.kind);
    expect(timeline).toEqual(expect.arrayContaining(['playbook-started', 'task-done', 'task-answered', 'task-skipped']));
  });
});
