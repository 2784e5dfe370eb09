/**
 * The API path of a water simulation, end to end: POST /water/scenarios/{id}/run on a server with its
 * long-lived (warm) worker pool, until the run's completion event is published with the report, the series
 * per element and the animation frames stored. And a sweep through POST /water/sweeps on the same pool.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openSession } from '../../src/kernel/auth/index.js';
import type { VigilEvent } from '../../src/kernel/events/index.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import { createOrganisation, createUser } from '../../src/organisations/queries.js';
import { buildServer } from '../../src/server.js';
import { benchKernel } from '../lib/kernel.js';
import { fmt, summary } from '../lib/stats.js';

const seed = (f: string): string => fileURLToPath(new URL(`../../data-seed/water/${f}`, import.meta.url));

export async function benchApi(scenario: Record<string, unknown>, repeats: number, out: (line: string) => void): Promise<void> {
  const { kernel, close } = await benchKernel('sqlite', { VIGIL_WATER_WORKERS: '2' });
  const app = await buildServer(kernel);
  await app.ready();
  try {
    const token = await kernel.write(SYSTEM_ACTOR, async (w) => {
      const org = await createOrganisation(w, { slug: 'water', name: 'Water', sector: 'water', kind: 'operator' });
      const user = await createUser(w, { orgId: org.id, email: 'bench@water.test', name: 'bench', role: 'analyst', password: '' }, 'x');
      return user.id;
    }).then((userId) => openSession(kernel.store.db, userId, Date.now(), 3600).then((s) => s.token));
    const call = async (method: 'POST' | 'GET', url: string, body?: unknown): Promise<any> => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { payload: JSON.stringify(body) } : {}) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return JSON.parse(res.body);
    };
    const t0 = performance.now();
    const placement = JSON.parse(readFileSync(seed('ctown-placement.json'), 'utf8'));
    const imported = await call('POST', '/api/v1/water/networks', {
      name: 'ctown',
      inp: readFileSync(seed('ctown.inp'), 'utf8'),
      layout: JSON.parse(readFileSync(seed('ctown-plcs.json'), 'utf8')),
      placement: { centre: placement.centre, metresPerUnit: placement.metresPerUnit },
    });
    out(`API import of C-Town (parse, EPANET check in a cold worker, 33 assets with dependencies, one transaction): ${fmt(performance.now() - t0)} ms\n`);
    const created = await call('POST', '/api/v1/water/scenarios', { networkId: imported.network.id, definition: scenario });

    const waitFor = (id: string, types: string[]): Promise<VigilEvent> =>
      new Promise((resolve) => {
        const stop = kernel.bus.subscribe((e) => {
          if (e.recordId === id && types.includes(e.type)) {
            stop();
            resolve(e);
          }
        });
      });
    const ends = ['water-run.completed', 'water-run.failed', 'water-run.cancelled'];
    const total: number[] = [];
    const cpu: number[] = [];
    const sim: number[] = [];
    const engine: number[] = [];
    const pack: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= repeats; i++) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const run = await call('POST', `/api/v1/water/scenarios/${created.id}/run`);
      const accepted = performance.now() - started;
      const end = await waitFor(run.id, ends);
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      const data = end.data as { status: string; summary: { timing: { wallMs: number; engineMs: number; packMs?: number; baselineReused: boolean } }; results: { seriesBytes: number } };
      if (data.status !== 'completed') throw new Error(`run ${data.status}`);
      if (i === 0) {
        out(`  first run (cold workers, baseline computed): ${fmt(elapsed)} ms; 202 answered in ${fmt(accepted)} ms\n`);
        continue; // warm-up: the worker loads EPANET and keeps the baseline of these settings
      }
      total.push(elapsed);
      // CPU time of the whole process (server thread and workers): what the run costs on free cores.
      cpu.push((used.user + used.system) / 1000);
      sim.push(data.summary.timing.wallMs);
      engine.push(data.summary.timing.engineMs);
      pack.push(data.summary.timing.packMs ?? 0);
      bytes = data.results.seriesBytes;
    }
    const s = summary(total);
    const med = (xs: number[]): number => summary(xs).median;
    const e = med(engine);
    out(
      `C-Town 72 h scenario through the API, warm pool, report + series + frames stored: median ${fmt(s.median)} ms  p99 ${fmt(s.p99)} ms  (n=${s.n})\n` +
        `  split (medians): EPANET ${fmt(e)} ms (${((100 * e) / s.median).toFixed(0)}%), Vigil in the worker ${fmt(med(sim) - e)} ms, packing ${fmt(med(pack))} ms, ` +
        `queue + messages + storage + events ${fmt(s.median - med(sim) - med(pack))} ms; ${(bytes / 1024).toFixed(0)} kB of series and frames per run\n` +
        `  CPU time per run (all threads, median): ${fmt(med(cpu))} ms — the wall time on a free core\n`,
    );

    const sweepStart = performance.now();
    const sweepCpu = process.cpuUsage();
    const sweep = await call('POST', '/api/v1/water/sweeps', { networkId: imported.network.id, kind: 'n-1', hours: 72, minDiameter: 300, limit: 12 });
    const done = await waitFor(sweep.id, ['water-sweep.completed', 'water-sweep.failed', 'water-sweep.cancelled']);
    const result = (done.data as { result: { scenarios: number; workers: number; ranking: Array<{ name: string; wallMs: number }> } }).result;
    const wall = performance.now() - sweepStart;
    const sweepUsed = process.cpuUsage(sweepCpu);
    const cpuSeconds = (sweepUsed.user + sweepUsed.system) / 1e6;
    const sims = result.ranking.reduce((a, r) => a + r.wallMs, 0);
    out(
      `C-Town sweep through the API: ${result.scenarios} pipe closures (N-1, mains >= 300 mm) x 72 h on ${result.workers} workers: ${(wall / 1000).toFixed(2)} s wall ` +
        `(simulations alone ${(sims / 1000).toFixed(2)} s; ${(sims / wall).toFixed(2)} cores busy); CPU time ${cpuSeconds.toFixed(2)} s, so about ${(cpuSeconds / result.workers).toFixed(1)} s on ${result.workers} free cores; worst: ${result.ranking[0]?.name}\n`,
    );
  } finally {
    await app.close();
    await close();
  }
}
