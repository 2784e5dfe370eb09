// Routing and dispatch in the web application, in Debian's Chromium, on the demo city: the fire brigade's
// analyst sees units (moving live), the casino cordon, isochrones from the fire station; draws a road closure
// and lifts it; opens an incident, sees the recommended units, dispatches the fastest fire engine and sees its
// route on the incident's map and on the operations map.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DemoServer, apiCall, apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, screenshot, signIn, startDemoServer } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

const missing = chromiumMissing();
if (missing) console.warn(`\n*** Browser tests SKIPPED: ${missing} ***\n`);

/** The features of a source of the main map (or of the map with this label). */
function sourceFeatures(page: Page, source: string, label?: string): Promise<Array<{ properties: Record<string, any>; geometry: any }>> {
  return page.evaluate(
    async ([s, l]) => {
      const g = globalThis as any;
      const map = l ? g.__vigilMaps?.[l] : g.__vigilMap;
      const src = map?.getSource(s);
      return src ? ((await src.getData()) as { features: any[] }).features : [];
    },
    [source, label ?? null] as const,
  );
}

/** Screen coordinates of places on the main map. */
async function screenPoints(page: Page, points: Array<[number, number]>): Promise<Array<{ x: number; y: number }>> {
  const box = (await page.locator('.operations .map-canvas').boundingBox())!;
  const projected = await page.evaluate((ps) => ps.map((p) => (globalThis as any).__vigilMap.project(p)), points);
  return projected.map((p: { x: number; y: number }) => ({ x: box.x + p.x, y: box.y + p.y }));
}

describe.skipIf(missing !== null)('routing and dispatch in the web application', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  let fireToken: string;
  let incidentId: string;
  const title = 'E2E: smoke in the Larvotto car park';

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startDemoServer({ VIGIL_SSE_HEARTBEAT_MS: '1000' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    fireToken = await apiLogin(server.base, 'analyst@fire.demo');
    const created = await apiCall(server.base, fireToken, 'POST', '/incidents', { title, severity: 'high', location: { type: 'Point', coordinates: [7.435, 43.745] } });
    expect(created.status).toBe(201);
    incidentId = created.body.id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the units and the casino cordon on the map, and moves a unit when its position arrives live', async () => {
    await signIn(page, server.base, 'analyst@fire.demo');
    await expect.poll(async () => (await sourceFeatures(page, 'units')).map((f) => f.properties.name), { timeout: 20_000 }).toEqual(expect.arrayContaining(['Engine 1', 'Engine 2', 'Ladder 1']));
    const units = await sourceFeatures(page, 'units');
    expect(units.find((f) => f.properties.name === 'Engine 1')!.properties.icon).toBe('fire-engine');
    expect(units.find((f) => f.properties.name === 'Rescue 1')?.properties.status).toBe('out-of-service');
    expect((await sourceFeatures(page, 'closures')).length).toBeGreaterThanOrEqual(1);
    const ladder = (await apiCall(server.base, fireToken, 'GET', '/units?q=Ladder%201')).body.items[0];
    const posted = await apiCall(server.base, fireToken, 'POST', `/units/${ladder.id}/position`, { lon: 7.4175, lat: 43.7318 });
    expect(posted.status).toBe(200);
    await expect
      .poll(async () => (await sourceFeatures(page, 'units')).find((f) => f.properties.id === ladder.id)?.geometry.coordinates, { timeout: 10_000 })
      .toEqual([7.4175, 43.7318]);
    await screenshot(page, 'dispatch-01-units');
  });

  it('draws the reach of the fire station in 3, 6 and 9 minutes', async () => {
    await page.getByLabel('From a station').selectOption({ label: 'Fontvieille fire station' });
    await expect.poll(async () => (await sourceFeatures(page, 'isochrones')).map((f) => f.properties.minutes).sort((a, b) => a - b), { timeout: 30_000 }).toEqual([3, 6, 9]);
    expect(await page.getByRole('list', { name: 'Isochrones shown' }).textContent()).toContain('9 min');
    await screenshot(page, 'dispatch-02-isochrones');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(async () => (await sourceFeatures(page, 'isochrones')).length).toBe(0);
  });

  it('lets the operator draw a closed area with an end time, then lift it', async () => {
    const centre: [number, number] = [7.4137, 43.7296];
    await page.evaluate((c) => (globalThis as any).__vigilMap.jumpTo({ center: c, zoom: 17 }), centre);
    await page.getByRole('button', { name: 'Draw a closed area' }).click();
    const d = 0.0004;
    const corners = await screenPoints(page, [
      [centre[0] - d, centre[1] - d],
      [centre[0] + d, centre[1] - d],
      [centre[0] + d, centre[1] + d],
      [centre[0] - d, centre[1] + d],
    ]);
    for (const p of corners) await page.mouse.click(p.x, p.y);
    await expect.poll(async () => (await sourceFeatures(page, 'closures-draft')).length).toBe(5);
    const form = page.getByRole('form', { name: 'New road closure' });
    await form.getByLabel('Reason').fill('E2E: gas leak at the fire station');
    const until = new Date(Date.now() + 2 * 3600_000);
    const local = new Date(until.getTime() - until.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await form.getByLabel('Until (empty: until lifted)').fill(local);
    await form.getByRole('button', { name: 'Close these roads' }).click();
    await expect.poll(async () => (await sourceFeatures(page, 'closures')).map((f) => f.properties.reason), { timeout: 10_000 }).toContain('E2E: gas leak at the fire station');
    const stored = (await apiCall(server.base, fireToken, 'GET', '/closures?q=gas%20leak')).body.items[0];
    expect(stored.roadsClosed).toBeGreaterThan(0);
    expect(Math.abs(Date.parse(stored.endsAt) - until.getTime())).toBeLessThan(60_000);
    await screenshot(page, 'dispatch-03-closure');
    // Click inside the area, away from the units parked at the station: its card offers to lift it.
    const [inside] = await screenPoints(page, [[centre[0] - 0.0003, centre[1] - 0.0003]]);
    await page.mouse.click(inside!.x, inside!.y);
    await page.locator('.feature-card').getByRole('button', { name: 'Lift the closure now' }).click();
    await expect.poll(async () => (await sourceFeatures(page, 'closures')).map((f) => f.properties.reason), { timeout: 10_000 }).not.toContain('E2E: gas leak at the fire station');
    expect((await apiCall(server.base, fireToken, 'GET', `/closures/${stored.id}`)).body.status).toBe('ended');
  });

  it('recommends units in the incident workspace, dispatches one and shows its route', async () => {
    await page.goto(`${server.base}/incidents/${incidentId}`);
    await page.getByRole('heading', { name: title }).waitFor();
    const engines = page.getByRole('table', { name: 'Recommended Fire engine' });
    await engines.locator('tbody tr[data-unit]').first().waitFor({ timeout: 60_000 });
    const first = engines.locator('tbody tr[data-unit]').first();
    const unitId = (await first.getAttribute('data-unit'))!;
    const name = (await first.locator('td').first().textContent())!;
    expect(await first.textContent()).toMatch(/\d+ (s|min)/);
    // The ranking is the API's.
    const api = (await apiCall(server.base, fireToken, 'GET', `/incidents/${incidentId}/dispatch?perType=3`)).body;
    expect(api.byType.find((g: { type: string }) => g.type === 'fire-engine').units[0].unitId).toBe(unitId);
    await screenshot(page, 'dispatch-04-recommended');
    await first.getByRole('button', { name: `Dispatch ${name}` }).click();
    await page.getByRole('list', { name: 'Units sent' }).locator(`li[data-unit="${unitId}"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('.dispatch-panel').getByRole('status').textContent()).toContain(`${name} (fire-engine) dispatched`);
    const label = `Map of the units sent to ${title}`;
    await page.locator(`.map-canvas[aria-label="${label}"][data-loaded=true]`).waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await sourceFeatures(page, 'unit-routes', label)).filter((f) => f.properties.id === unitId).map((f) => f.geometry.coordinates.length > 1), { timeout: 10_000 })
      .toEqual([true]);
    await expect.poll(() => page.locator('#timeline').locator('..').textContent(), { timeout: 10_000 }).toContain(`${name} (fire-engine) dispatched`);
    await page.waitForTimeout(800); // the small map's fit to the incident and the unit
    await screenshot(page, 'dispatch-05-dispatched');
  });

  it('shows the dispatched unit’s route on the operations map', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
    await page.locator('.operations .map-canvas[data-loaded=true]').waitFor();
    await expect.poll(async () => (await sourceFeatures(page, 'unit-routes')).map((f) => f.properties.incidentId), { timeout: 10_000 }).toContain(incidentId);
  });
});
