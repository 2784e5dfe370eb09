// The threat-intelligence pages end to end, in Debian's Chromium: the water analyst sees the CERT's
// indicators with the demo's sighting of the VPS address (and what matched), imports a small STIX bundle with
// one invalid object through the import page — refused whole, then kept in part, each time with the report —
// finds the new indicator in the list, and reads the TAXII collections its organisation exposes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

const VPS = 'indicator--7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908';
const NEW = 'indicator--e2e00000-0000-4000-8000-000000000001';
const BROKEN = 'indicator--e2e00000-0000-4000-8000-000000000002';
const bundle = {
  type: 'bundle',
  id: 'bundle--e2e00000-0000-4000-8000-0000000000b1',
  objects: [
    {
      type: 'indicator', spec_version: '2.1', id: NEW, created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z',
      name: 'E2E ransomware drop domain', pattern: "[domain-name:value = 'drop.e2e.example']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z', labels: ['ransomware'],
    },
    {
      // The pattern does not close its bracket: invalid, with the position of the error.
      type: 'indicator', spec_version: '2.1', id: BROKEN, created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z',
      name: 'E2E broken', pattern: "[ipv4-addr:value = '192.0.2.1'", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00Z',
    },
  ],
};

describe.skipIf(missing !== null)('threat intelligence in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, server.base, 'analyst@water.demo');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the indicators the water utility sees, with its sighting of the VPS address and what matched', async () => {
    await page.getByRole('link', { name: 'Threat intel' }).click();
    const vps = page.locator(`tr[data-indicator="${VPS}"]`);
    await vps.waitFor();
    expect(await vps.getByTestId('sightings').textContent()).toMatch(/^1/);
    expect(await vps.locator('.tlp').textContent()).toBe('TLP:AMBER');
    expect(await vps.textContent()).toContain('City CERT');
    // Filtering by label leaves the GREEN phishing domain only.
    await page.getByLabel('TLP').selectOption('green');
    await expect.poll(() => page.locator('tr[data-indicator]').count()).toBe(1);
    expect(page.url()).toContain('tlp=green');
    await page.getByLabel('TLP').selectOption('');
    await screenshot(page, '40-intel-indicators');

    await vps.getByRole('link').click();
    await page.getByTestId('sighting-summary').waitFor();
    expect(await page.getByTestId('pattern').textContent()).toBe("[ipv4-addr:value = '203.0.113.45']");
    const row = page.locator('table.sightings tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('203.0.113.45');
    await screenshot(page, '41-intel-indicator');
    // The alert the match raised opens in place.
    await row.getByRole('button').click();
    const dialog = page.getByRole('dialog', { name: 'Alert raised by this indicator' });
    await dialog.getByText('source cti:indicator-match').waitFor();
    await page.keyboard.press('Escape');
  });

  it('imports a bundle with one invalid object: refused whole with the reason, then kept in part with the report', async () => {
    await page.getByRole('link', { name: 'Import' }).click();
    const file = { name: 'e2e-bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) };
    await page.getByLabel('File (JSON)').setInputFiles(file);
    await page.getByText('(recognised as a STIX bundle)').waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.getByRole('heading').first().textContent()).toBe('Not imported');
    expect(await page.getByTestId('report-headline').textContent()).toContain('Nothing was imported');
    expect(await page.getByTestId('rejected').textContent()).toContain(BROKEN);

    await page.getByLabel('Keep the valid objects when some are invalid').check();
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => report.getByRole('heading').first().textContent()).toBe('Partly imported');
    expect(await page.getByTestId('report-headline').textContent()).toBe('1 object stored, 0 duplicates, 1 object rejected');
    const rejected = page.getByTestId('rejected').locator('tbody tr');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.textContent()).toContain(BROKEN);
    expect(await rejected.textContent()).toContain('$.objects[1].pattern');
    expect(await page.getByTestId('accepted').textContent()).toContain(NEW);
    await screenshot(page, '42-intel-import-report');

    // The server agrees: the indicator is stored as the water utility's, at its default label.
    const token = await apiLogin(server.base, 'analyst@water.demo');
    const stored = (await apiCall(server.base, token, 'GET', `/stix/objects/${NEW}`)).body.items;
    expect(stored).toHaveLength(1);
    expect((await apiCall(server.base, token, 'GET', `/stix/objects/${BROKEN}`)).status).toBe(404);

    await page.getByRole('link', { name: 'Indicators' }).click();
    await page.getByLabel('Search indicators').fill('ransomware');
    const row = page.locator(`tr[data-indicator="${NEW}"]`);
    await row.waitFor();
    expect(await page.locator('tr[data-indicator]').count()).toBe(1);
    expect(await row.textContent()).toContain('E2E ransomware drop domain');
    expect(await row.textContent()).toContain('domain-name');
    expect(await row.textContent()).toContain('uploaded');
  });

  it('imports a MISP event through the same page, with the attribute it cannot convert reported', async () => {
    await page.getByRole('link', { name: 'Import' }).click();
    const event = {
      Event: {
        uuid: 'e2e0aaaa-0000-4000-8000-000000000e01', info: 'E2E MISP event', date: '2026-11-20', distribution: '0', timestamp: '1795000000', Orgc: { name: 'Water ISAC' },
        Tag: [{ name: 'tlp:green' }],
        Attribute: [
          { uuid: 'e2e0aaaa-0000-4000-8000-000000000a01', type: 'domain', category: 'Network activity', value: 'misp.e2e.example', to_ids: true, timestamp: '1795000000' },
          { uuid: 'e2e0aaaa-0000-4000-8000-000000000a02', type: 'x509-fingerprint-sha1', category: 'Network activity', value: 'ab'.repeat(20), to_ids: true, timestamp: '1795000000' },
        ],
      },
    };
    await page.getByLabel('File (JSON)').setInputFiles({ name: 'event.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(event)) });
    await page.getByText('(recognised as a MISP event)').waitFor();
    expect(await page.getByLabel('a MISP event').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Import' }).click();
    const report = page.getByTestId('import-report');
    await expect.poll(() => report.getByRole('heading').first().textContent()).toBe('Partly imported');
    expect(await page.getByTestId('report-headline').textContent()).toMatch(/; 1 MISP item not converted$/);
    const rejected = page.getByTestId('rejected').locator('tbody tr');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.textContent()).toContain("MISP type 'x509-fingerprint-sha1' has no STIX pattern mapping");
    expect(await page.getByTestId('accepted').textContent()).toContain('indicator--');
  });

  it('shows the TAXII collections the organisation exposes with their counts and how a partner connects', async () => {
    await page.getByRole('link', { name: 'TAXII collections' }).click();
    await page.getByTestId('collections').waitFor();
    expect(await page.getByTestId('discovery-url').textContent()).toBe(`${server.base}/taxii2/`);
    const token = await apiLogin(server.base, 'analyst@water.demo');
    const api = (await apiCall(server.base, token, 'GET', '/cti/collections')).body.collections as Array<{ alias: string; objects: number }>;
    const own = api.find((c) => c.alias === 'org-water')!;
    expect(own.objects).toBeGreaterThan(0);
    expect(await page.locator('tr[data-collection="org-water"]').getByTestId('object-count').textContent()).toBe(own.objects.toLocaleString('en-GB'));
    expect(await page.locator('tr[data-collection]').count()).toBe(api.length);
    await screenshot(page, '43-intel-taxii');

  });

  it('adds a feed to a partner that does not answer, and shows its last pull and error', async () => {
    await page.getByRole('link', { name: 'Feeds' }).click();
    await page.getByRole('button', { name: 'Add a feed' }).click();
    // Plain HTTP is refused before anything is sent, on the page as on the server.
    await page.getByLabel(/^URL/).fill('http://isac.example/taxii2/');
    await page.getByLabel('Collection id or alias').fill('water-isac');
    await page.getByRole('button', { name: 'Add and pull' }).click();
    expect(await page.locator('.field-error').first().textContent()).toContain('HTTPS');
    // Nothing listens on port 9 of this machine: the pull fails and says why.
    await page.getByLabel(/^URL/).fill('http://127.0.0.1:9/taxii2/');
    await page.getByLabel('Feed name (optional)').fill('Water ISAC');
    await page.getByRole('button', { name: 'Add and pull' }).click();
    const feed = page.locator('article.feed').filter({ hasText: 'Water ISAC' });
    await feed.waitFor();
    expect(await feed.textContent()).toContain('TAXII 2.1');
    expect(await feed.textContent()).toContain('every hour');
    await feed.getByRole('button', { name: 'Pull now' }).click();
    await expect.poll(() => feed.locator('.outcome').textContent(), { timeout: 60_000 }).toMatch(/^Pull failed: /);
    await expect.poll(() => feed.locator('.state').textContent()).toBe('failing');
    expect(await feed.locator('.error').textContent()).toMatch(/^Last error: .+failure/);
    await screenshot(page, '44-intel-feeds');
    await feed.getByRole('button', { name: 'Remove' }).waitFor();
  });
});
