// The water what-if end to end, in Debian's Chromium: the water analyst runs the demo scenario, sees its
// progress arrive live until it finishes, reads the hospital's time to impact, and plays the run on the
// map over Monaco's streets; then switches the network layer on on the operations map.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDuration } from '../../src/water/sim/impact.js';
import { type DemoServer, SCREENSHOTS, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 180_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

async function shoot(page: Page, selector: string, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator(selector).first().screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The animation state of a node on the run's map: its pressure class (1 no water, 2 low, 3 adequate). */
function nodeState(page: Page, key: string): Promise<number | undefined> {
  return page.evaluate((id) => (globalThis as any).__vigilMap.getFeatureState({ source: 'water-nodes', id })?.v, key);
}

describe.skipIf(missing !== null)('water what-if in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  let token: string;
  let runId: string;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    token = await apiLogin(server.base, 'analyst@water.demo');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the demo scenario and sees its progress arrive live until it completes', async () => {
    await signIn(page, server.base, 'analyst@water.demo');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Water' }).click();
    await page.getByTestId('scenario-list').getByRole('link', { name: 'T1 level spoofed to PLC1, then PU10/PU11 lose power' }).click();
    await page.getByTestId('events').waitFor();
    expect(await page.getByTestId('events').textContent()).toContain('L_T1 reads a constant 6.3 on the link PLC2 → PLC1, from hour 10 for 24 h');
    await page.getByRole('button', { name: 'Run version 1' }).click();
    await page.waitForURL(/\/water\/runs\/[0-9a-f-]+$/);
    runId = page.url().split('/').pop()!;
    // What the progress bar showed, as the stream's events moved it (no reload, no polling by the page).
    await page.evaluate(() => {
      const g = globalThis as any;
      const seen = (g.__seen = { statuses: [] as string[], progress: [] as number[] });
      const record = () => {
        const el = g.document.querySelector('[data-testid=run-progress]');
        const status = el?.getAttribute('data-status');
        const value = Number(el?.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow'));
        if (status && seen.statuses.at(-1) !== status) seen.statuses.push(status);
        if (Number.isFinite(value) && seen.progress.at(-1) !== value) seen.progress.push(value);
      };
      record();
      new g.MutationObserver(record).observe(g.document.body, { subtree: true, attributes: true, childList: true });
    });
    await screenshot(page, 'water-01-run-in-progress');
    await page.locator('[data-testid=run-progress][data-status=completed]').waitFor({ timeout: 150_000 });
    const seen = await page.evaluate(() => (globalThis as any).__seen as { statuses: string[]; progress: number[] });
    console.log(`run progress seen live: ${seen.statuses.join(' → ')}; ${seen.progress.join(', ')} %`);
    expect(seen.statuses.at(-1)).toBe('completed');
    expect(seen.progress.at(-1)).toBe(100);
    expect(seen.statuses.length).toBeGreaterThan(1);
  });

  it("states the hospital's time to impact plainly, as the simulation found it", async () => {
    const impact = (await apiCall(server.base, token, 'GET', `/water/runs/${runId}/impact`)).body;
    const hospital = impact.criticalConsumers.find((c: { name: string }) => c.name === 'Princess Grace Hospital');
    expect(hospital.timeToImpact).toBeGreaterThan(0);
    const sentence = `Princess Grace Hospital drops below 20 m in ${formatDuration(hospital.timeToImpact)}`;
    await page.getByTestId('critical-consumers').waitFor();
    expect(await page.getByTestId('critical-consumers').textContent()).toContain(sentence);
    console.log(`shown: "${sentence}"`);
    const shownPeople = await page.getByTestId('people-affected').locator('.figure-value').textContent();
    expect(Number(shownPeople!.replace(/,/g, ''))).toBe(Math.round(impact.summary.populationAffected));
    await screenshot(page, 'water-02-run-impact');
  });

  it('plays the run on the map: the hospital’s junction turns from adequate to low pressure', async () => {
    const impact = (await apiCall(server.base, token, 'GET', `/water/runs/${runId}/impact`)).body;
    const hospital = impact.criticalConsumers.find((c: { name: string }) => c.name === 'Princess Grace Hospital');
    const networkId = (await apiCall(server.base, token, 'GET', `/water/runs/${runId}`)).body.networkId;
    const key = `${networkId}/junction/${hospital.node}`;
    await page.locator('.run-map .map-canvas[data-loaded=true]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const map = (globalThis as any).__vigilMap;
      return map?.loaded() && map.areTilesLoaded() && map.querySourceFeatures('water-links').length > 400 && map.queryRenderedFeatures({ layers: ['water-pipes'] }).length > 100;
    }, null, { timeout: 30_000 });
    await expect.poll(() => nodeState(page, key), { timeout: 10_000 }).toBe(3);
    await shoot(page, '.map-section', 'water-03-map-start');
    // "Show on the map" moves the animation to the moment the hospital drops below 20 m.
    await page.getByTestId('critical-consumers').getByRole('button', { name: 'Show on the map' }).first().click();
    await expect.poll(() => nodeState(page, key), { timeout: 10_000 }).toBeLessThan(3);
    // The first frame at or after the moment it drops (C-Town reports every 15 minutes).
    const step: number = (await apiCall(server.base, token, 'GET', `/water/runs/${runId}/frames?from=1&to=1`)).body.times[0];
    const shown = Math.ceil(hospital.firstBelowAt / step) * step;
    const clock = `${String(Math.floor(shown / 3600) % 24).padStart(2, '0')}:${String((shown % 3600) / 60).padStart(2, '0')}`;
    expect(await page.getByTestId('anim-time').textContent()).toContain(clock);
    await page.waitForFunction(() => (globalThis as any).__vigilMap.areTilesLoaded());
    await page.waitForTimeout(500);
    await shoot(page, '.map-section', 'water-04-map-hospital-low');
    // Play moves the time on by itself; pause stops it.
    const slider = page.getByRole('slider', { name: 'Simulation time' });
    const before = Number(await slider.inputValue());
    await page.getByRole('button', { name: '▶ Play' }).click();
    await expect.poll(async () => Number(await slider.inputValue()), { timeout: 15_000 }).toBeGreaterThan(before + 4);
    await page.getByRole('button', { name: '❚❚ Pause' }).click();
    const paused = Number(await slider.inputValue());
    await page.waitForTimeout(600);
    expect(Number(await slider.inputValue())).toBe(paused);
    // The other views read the same frame: worse than normal operation shows affected junctions.
    await page.getByRole('radio', { name: 'Worse than normal' }).check();
    await expect.poll(() => page.locator('.frame-legend').textContent()).toContain('Worse than normal');
    await page.waitForTimeout(500);
    await shoot(page, '.map-section', 'water-05-map-worse-than-normal');
    await shoot(page, 'section[aria-labelledby=charts]', 'water-06-charts');
  });

  it('switches the water network on on the operations map and opens an element’s card', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
    await page.locator('.operations .map-canvas[data-loaded=true]').waitFor();
    await page.getByRole('group', { name: 'Map layers' }).getByLabel('Water network').check();
    await page.waitForFunction(() => {
      const map = (globalThis as any).__vigilMap;
      return map?.areTilesLoaded() && map.queryRenderedFeatures({ layers: ['water-pipes'] }).length > 100;
    }, null, { timeout: 30_000 });
    await page.evaluate(() => (globalThis as any).__vigilMap.jumpTo({ center: [7.4236, 43.7335], zoom: 16 }));
    await page.waitForFunction(() => (globalThis as any).__vigilMap.areTilesLoaded() && (globalThis as any).__vigilMap.queryRenderedFeatures({ layers: ['water-pipes'] }).length > 5);
    // Click the pipe nearest the middle of the map: its card says what it is.
    const at = await page.evaluate(() => {
      const map = (globalThis as any).__vigilMap;
      const box = map.getCanvas().getBoundingClientRect();
      let best: { x: number; y: number; d: number } | null = null;
      for (const f of map.queryRenderedFeatures({ layers: ['water-pipes'] })) {
        const c = f.geometry.coordinates;
        const [a, b] = [map.project(c[0]), map.project(c[1])];
        const p = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
        const d = Math.hypot(p.x - box.width / 2, p.y - box.height / 2);
        if (!best || d < best.d) best = { x: p.x + box.left, y: p.y + box.top, d };
      }
      return best!;
    });
    await page.mouse.click(at.x, at.y);
    await page.locator('.feature-card .water-card').waitFor();
    expect(await page.locator('.feature-card').textContent()).toMatch(/Pipe \S+.*Network ctown.*Diameter/s);
    await screenshot(page, 'water-07-operations-layer');
  });
});
