// A datastream chart end to end, in Debian's Chromium: the water analyst's tank level, sent through
// POST /api/v1/observations, drawn on the asset page with the demo's range detector's alarm marked where
// the level went over its limit (and the demo city's own alert on it); the flag opens the alert.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

describe.skipIf(missing !== null)('datastream charts in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the water analyst the tank level with its alarm on the asset page, and opens the alarm from its flag', async () => {
    const token = await apiLogin(server.base, 'analyst@water.demo');
    const tank = (await apiCall(server.base, token, 'GET', '/assets?q=Moneghetti')).body.items.find((a: { name: string }) => a.name === 'Tank T1 Moneghetti');
    // Three hours of one reading a minute: the tank fills and empties; for 6 minutes an hour ago it reads
    // above the demo detector's 5.5 m limit (t1-level), which must raise an alarm.
    const now = Date.now();
    const readings = Array.from({ length: 180 }, (_, i) => {
      const minutesAgo = 180 - i;
      const v = minutesAgo <= 64 && minutesAgo > 58 ? 5.9 : 3 + 1.5 * Math.sin(i / 20);
      return { stream: 'L_T1', t: now - minutesAgo * 60_000, v: Number(v.toFixed(3)) };
    });
    const sent = await apiCall(server.base, token, 'POST', '/observations', readings);
    expect(sent.body).toEqual({ accepted: 180, rejected: [] });
    let alarmId = '';
    await expect
      .poll(async () => (alarmId = (await apiCall(server.base, token, 'GET', `/alerts?asset=${tank.id}&q=detector:t1-level`)).body.items[0]?.id ?? ''), { timeout: 15_000 })
      .not.toBe('');

    await signIn(page, server.base, 'analyst@water.demo');
    await page.getByRole('link', { name: 'Assets', exact: true }).click();
    await page.getByRole('link', { name: 'Tank T1 Moneghetti' }).click();
    const chart = page.locator('.datastream-chart[data-datastream="L_T1"]');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 15_000 }).toBe('180');
    // The detector's alarm, and the demo city's own alert on L_T1 (half an hour ago).
    await expect.poll(() => chart.getAttribute('data-alarms')).toBe('2');
    expect(await chart.getByTestId('chart-resolution').textContent()).toContain('raw readings (180)');
    expect(await chart.locator('.live-badge').textContent()).toContain('live · every 5 s');
    // The line is drawn across the plot (the asset page opens on 6 h), and the alarm's flag sits 64 minutes
    // before its right edge, about 18 % of the plot.
    const line = (await chart.locator('path.chart-line').getAttribute('d')) ?? '';
    expect(line.split('L').length).toBe(180);
    const flag = chart.locator(`.chart-alarm[data-alert-ids~="${alarmId}"]`);
    const box = (await flag.boundingBox())!;
    const plot = (await chart.locator('svg').boundingBox())!;
    const fromRight = (plot.x + plot.width - (box.x + box.width / 2)) / plot.width;
    expect(fromRight).toBeGreaterThan(0.15);
    expect(fromRight).toBeLessThan(0.22);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, '10-asset-datastream-chart');

    await flag.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('source detector:t1-level').waitFor();
    expect(await dialog.textContent()).toContain('L_T1');
    await screenshot(page, '11-alarm-from-chart');
  });
});
