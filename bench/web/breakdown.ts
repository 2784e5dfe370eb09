/**
 * `node --import tsx bench/web/breakdown.ts`: where the time to the first usable map goes. Same city, same seed
 * and same browser as `npm run bench:web`; for each sign-in it prints every request the page makes after the
 * click (start, end, bytes), the moments the map and the queue reach each stage, and the main thread's busiest
 * functions (CDP CPU profile).  --alerts N  --incidents N  --runs N
 */
import type { CDPSession } from 'playwright-core';
import { apiLogin, chromiumMissing, ensureWebBuilt, launchChromium, signIn, startDemoServer } from '../../tests/e2e/browser.js';
import { args, fmt } from '../lib/stats.js';
import { seedBench } from './seed.js';

const opts = args();
const ALERTS = Number(opts.get('alerts') ?? 10_000);
const INCIDENTS = Number(opts.get('incidents') ?? 1000);
const RUNS = Number(opts.get('runs') ?? 2);

/** Runs in the page before its scripts: notes (performance.now()) when each stage is first reached. */
const STAGES = `(() => {
  const t = (window.__stages = {});
  const mark = (name) => { if (t[name] === undefined) t[name] = performance.now(); };
  let hooked = false;
  const poll = () => {
    if (document.querySelector('.map-canvas')) mark('map container rendered');
    if (document.querySelector('.map-canvas[data-loaded=true]')) mark('map style loaded, overlays installed');
    if (document.querySelector('.queue-row')) mark('first queue row');
    const map = window.__vigilMap;
    if (map && !hooked) {
      hooked = true;
      mark('map object created');
      map.once('styledata', () => mark('map styledata'));
      map.once('load', () => mark('map load'));
      map.once('idle', () => mark('map first idle'));
      window.__renders = 0;
      map.on('render', () => { mark('map first render'); window.__renders++; });
      map.on('sourcedata', (e) => { if (e.sourceId === 'alerts' && e.isSourceLoaded) mark('alerts source loaded'); });
    }
    if (map) {
      try {
        if (map.querySourceFeatures('assets').length > 0) mark('assets features queryable');
        if (map.loaded() && map.areTilesLoaded()) mark('map loaded + tiles loaded');
        map.getSource('alerts')?.getData().then((d) => { if (d.features.length > 0) mark('alerts in the source'); });
      } catch {}
    }
    if (t['first queue row'] && !document.body.textContent.includes('loading older alerts')) mark('every page of alerts and incidents in');
    if (!t['alerts in the source'] || !t['first queue row'] || !t['assets features queryable'] || !t['map loaded + tiles loaded'] || !t['every page of alerts and incidents in']) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})()`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function topSelf(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, n: number): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [
    `  profile total ${fmt(total)} ms`,
    ...[...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${fmt(v).padStart(8)} ms  ${k}`),
  ];
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  ensureWebBuilt();
  const server = await startDemoServer({ VIGIL_LOG_LEVEL: 'silent' });
  const browser = await launchChromium();
  try {
    await seedBench(server.kernel, ALERTS, INCIDENTS);
    await apiLogin(server.base, 'analyst@water.demo');
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(STAGES);
      const cdp: CDPSession = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      const gotoWall = Date.now();
      await page.goto(`${server.base}/`);
      await page.getByLabel('Email').waitFor();
      const loginPage = Date.now() - gotoWall;
      await page.getByLabel('Email').fill('analyst@water.demo');
      await page.getByLabel('Password').fill('vigil-demo');
      const requests: Array<{ url: string; start: number; end: number; bytes: number }> = [];
      page.on('requestfinished', (request) => {
        void (async () => {
          const timing = request.timing();
          const sizes = await request.sizes().catch(() => ({ responseBodySize: -1 }));
          requests.push({ url: request.url().replace(server.base, ''), start: timing.startTime, end: timing.startTime + timing.responseEnd, bytes: sizes.responseBodySize });
        })();
      });
      await cdp.send('Performance.enable');
      const metricsBefore = new Map(((await cdp.send('Performance.getMetrics')).metrics as Array<{ name: string; value: number }>).map((m) => [m.name, m.value]));
      await cdp.send('Profiler.start');
      const clickWall = Date.now();
      const clickPage: number = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.queue-row').first().waitFor();
      await page.waitForFunction(async () => ((await (globalThis as any).__vigilMap?.getSource('alerts')?.getData() ?? { features: [] }) as { features: any[] }).features.length > 0);
      const firstMap = Date.now() - clickWall;
      // What the benchmark's signIn() also waits for: map.loaded(), every tile, the assets queryable.
      await page.waitForFunction(() => (globalThis as any).__stages['map loaded + tiles loaded'] !== undefined && (globalThis as any).__stages['assets features queryable'] !== undefined, null, { timeout: 30_000 });
      const benchMap = Date.now() - clickWall;
      await page.waitForFunction(() => (globalThis as any).__stages['every page of alerts and incidents in'] !== undefined, null, { timeout: 60_000 });
      const { profile } = await cdp.send('Profiler.stop');
      const metricsAfter = ((await cdp.send('Performance.getMetrics')).metrics as Array<{ name: string; value: number }>).filter((m) => /Duration$/.test(m.name));
      const renders: number = await page.evaluate(() => (globalThis as any).__renders);
      const stages: Record<string, number> = await page.evaluate(() => (globalThis as any).__stages);
      const origin: number = await page.evaluate(() => performance.timeOrigin);
      const out = [`run ${run + 1}: login page ready ${fmt(loginPage)} ms after goto; queue + alerts on the map ${fmt(firstMap)} ms, map.loaded() + tiles + assets ${fmt(benchMap)} ms after the click`, ' stages (ms after the click):'];
      for (const [name, at] of Object.entries(stages).sort((a, b) => a[1] - b[1])) out.push(`  ${fmt(at - clickPage).padStart(8)}  ${name}`);
      out.push(' requests (start → end ms after the click, bytes):');
      const clickEpoch = origin + clickPage;
      for (const r of requests.filter((r) => r.end > clickEpoch - 5).sort((a, b) => a.start - b.start)) {
        out.push(`  ${fmt(r.start - clickEpoch).padStart(8)} → ${fmt(r.end - clickEpoch).padStart(8)}  ${String(r.bytes).padStart(9)}  ${r.url.slice(0, 90)}`);
      }
      out.push(` map frames rendered: ${renders}; main thread (CDP Performance, s): ${metricsAfter.map((m) => `${m.name.replace('Duration', '')} ${(m.value - (metricsBefore.get(m.name) ?? 0)).toFixed(2)}`).join(', ')}`);
      out.push(' main thread, self time (CPU profile, click → map.loaded() + tiles):', ...topSelf(profile as never, 25));
      process.stdout.write(`${out.join('\n')}\n\n`);
      await context.close();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      void signIn;
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
