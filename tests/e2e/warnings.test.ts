// Public warnings end to end, in Debian's Chromium: the water utility's analyst drafts a boil-water notice
// from an incident's workspace with a circle drawn on the map, previews its CAP XML (valid) and submits it;
// the approve button is off for them, saying why; the City CERT's analyst approves it; the public Atom feed
// lists it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

async function waitForAreaMap(page: Page): Promise<void> {
  await page.waitForSelector('.area-map-canvas[data-loaded=true]', { timeout: 30_000 });
  await page.waitForFunction(() => {
    const map = (globalThis as any).__vigilAreaMap;
    return !!map && map.loaded() && !map.isMoving();
  });
}

describe.skipIf(missing !== null)('public warnings in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let author: Page;
  let approver: Page;
  let incidentId: string;
  let warningId: string;
  const place = 'Quartier du Port (E2E)';

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer({ VIGIL_WEBHOOK_WORKER: '0' });
    browser = await launchChromium();
    author = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    approver = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    for (const page of [author, approver]) page.setDefaultTimeout(15_000);
    const token = await apiLogin(server.base, 'analyst@water.demo');
    const created = await apiCall(server.base, token, 'POST', '/incidents', {
      title: 'E2E: E. coli found at the Port reservoir',
      severity: 'high',
      type: 'water-contamination',
      location: { type: 'Point', coordinates: [7.4215, 43.7355] },
    });
    expect(created.status).toBe(201);
    incidentId = created.body.id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('drafts a boil-water notice from the incident, with a circle drawn on the map', async () => {
    await signIn(author, server.base, 'analyst@water.demo');
    await author.goto(`${server.base}/incidents/${incidentId}`);
    await author.locator('[data-section=public-warnings]').getByRole('link', { name: 'Draft a public warning' }).click();
    await author.waitForURL(/\/warnings\/new\?incident=/);
    // The template made for the incident's type comes first, chosen.
    const template = author.getByRole('combobox', { name: 'Template', exact: true });
    await expect.poll(() => template.inputValue()).toBe('boil-water');
    expect(await template.locator('option').first().textContent()).toContain('for water-contamination');
    await waitForAreaMap(author);
    await author.getByRole('button', { name: 'Draw a circle' }).click();
    const box = (await author.locator('.area-map-canvas canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await author.mouse.click(cx, cy);
    await author.mouse.move(cx + 60, cy);
    expect(await author.getByTestId('draw-hint').textContent()).toMatch(/radius \d+ m/);
    await author.mouse.click(cx + 80, cy);
    const areas = author.getByTestId('area-list');
    await expect.poll(() => areas.locator('li').count()).toBe(1);
    const radius = Number(await author.getByLabel('Radius of area 1 in metres').inputValue());
    expect(radius).toBeGreaterThan(10);
    await author.getByLabel('Name of area 1').fill(place);
    // No contact is configured on this server: the form says so before asking the server.
    await author.getByRole('button', { name: 'Create the draft' }).click();
    expect(await author.locator('[data-placeholder=contact] + .field-error').textContent()).toContain('The template needs a contact');
    await author.locator('[data-placeholder=contact]').fill('Service des eaux, +377 93 15 00 00');
    await screenshot(author, 'warnings-01-draft-with-circle');
    await author.getByRole('button', { name: 'Create the draft' }).click();
    await author.waitForURL(/\/warnings\/[0-9a-f-]{36}$/);
    warningId = author.url().split('/').pop()!;
    await author.getByTestId('cap-validity').waitFor();
    expect(await author.getByTestId('cap-validity').getAttribute('data-valid')).toBe('true');
    await author.getByText('The XML, as it would be published').click();
    const xml = await author.locator('pre.xml').textContent();
    expect(xml).toContain('<circle>');
    expect(xml).toContain(`<areaDesc>${place}</areaDesc>`);
    expect(xml).toContain('<language>fr</language>');
    expect(xml).toContain('<language>en</language>');
  });

  it('submits it; the author cannot approve it and is told why', async () => {
    await author.getByRole('button', { name: 'Submit for approval' }).click();
    await author.locator('.pending[data-state=awaiting-approval]').waitFor();
    const approve = author.getByRole('button', { name: 'Approve and publish' });
    expect(await approve.isDisabled()).toBe(true);
    const why = await author.getByTestId('why-not-approve').textContent();
    expect(why).toContain('a second person must approve it');
    expect(why).toContain('City CERT');
    await screenshot(author, 'warnings-02-awaiting-approval-author');
  });

  it('a second person, of the City CERT, approves it from the list of warnings awaiting approval', async () => {
    await signIn(approver, server.base, 'analyst@cert.demo');
    await approver.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Warnings' }).click();
    await approver.getByRole('tab', { name: /Awaiting approval \(\d+\)/ }).click();
    const row = approver.locator(`[data-warning="${warningId}"]`);
    expect(await row.textContent()).toContain('for you to approve');
    await row.getByRole('link').click();
    await approver.getByTestId('cap-validity').waitFor();
    const approve = approver.getByRole('button', { name: 'Approve and publish' });
    expect(await approve.isEnabled()).toBe(true);
    await screenshot(approver, 'warnings-03-approver');
    await approve.click();
    await approver.getByTestId('published-messages').waitFor();
    expect(await approver.getByTestId('published-messages').textContent()).toContain(`.${warningId}.1`);
    await screenshot(approver, 'warnings-04-published');
  });

  it('the public Atom feed lists it, and its CAP XML is at its public address', async () => {
    const feed = await fetch(`${server.base}/public/cap/feed.atom`);
    expect(feed.status).toBe(200);
    const atom = await feed.text();
    expect(atom).toContain(`.${warningId}.1.xml`);
    const href = atom.match(new RegExp(`href="([^"]*\\.${warningId}\\.1\\.xml)"`))?.[1];
    expect(href).toBeTruthy();
    const cap = await fetch(`${server.base}${new URL(href!).pathname}`);
    expect(cap.status).toBe(200);
    expect(await cap.text()).toContain(place);
  });

  it('the author sees it in force and may draft its All clear', async () => {
    await author.reload();
    await author.getByRole('heading', { name: 'In force: what next' }).waitFor();
    expect(await author.getByRole('button', { name: 'Draft the All clear' }).isEnabled()).toBe(true);
    expect(await author.getByRole('button', { name: 'Draft the Cancel' }).isDisabled()).toBe(true); // no reason yet
  });
});
