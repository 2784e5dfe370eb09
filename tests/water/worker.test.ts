import { afterAll, describe, expect, it } from 'vitest';
import { planSweep, runSweep, SimulationPool, ScenarioError, simulateInWorker, validateLayout } from '../../src/water/index.js';
import { readInp } from '../../src/water/index.js';
import { ctown, tinyNetworkText } from './helpers.js';

describe('simulations off the main thread', () => {
  const { network, layout } = ctown();
  const pool = new SimulationPool(1);
  afterAll(() => pool.close());

  it('runs in a worker thread with progress, and returns the report', async () => {
    const fractions: number[] = [];
    const outcome = await simulateInWorker(
      { network, layout, scenario: { name: 'PU1 off', hours: 12, events: [{ type: 'pump-failure', pumps: ['PU1'] }] } },
      { onProgress: (f) => fractions.push(f) },
    );
    expect(outcome.report.status).toBe('completed');
    expect(outcome.report.timing.simulatedHours).toBe(12);
    expect(fractions.length).toBeGreaterThan(5);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  it('can be cancelled mid-run', async () => {
    const controller = new AbortController();
    const run = pool.run({ network, layout, scenario: { name: 'long', hours: 336, events: [] } }, {
      signal: controller.signal,
      onProgress: (f) => {
        if (f > 0.05) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps the baseline of the same settings: the second run only simulates the scenario', async () => {
    const scenario = { name: 'PU2 off', hours: 6, events: [{ type: 'pump-failure', pumps: ['PU2'] }] };
    const first = await pool.run({ network, layout, scenario });
    const second = await pool.run({ network, layout, scenario: { ...scenario, name: 'again' } });
    expect(first.report.timing.baselineReused).toBe(false);
    expect(second.report.timing.baselineReused).toBe(true);
    expect(second.report.summary).toEqual(first.report.summary);
  });

  it('checks in a worker whether EPANET accepts a network (what an import asks before storing it)', async () => {
    const refused = readInp(tinyNetworkText());
    refused.pipes[0]!.diameter = -5;
    expect(await pool.check(refused)).toMatch(/Error 202: illegal numeric value -5 in \[PIPES\] section/);
    expect(await pool.check(readInp(tinyNetworkText()))).toBeNull();
  });

  it('reports a bad scenario as a validation error', async () => {
    await expect(pool.run({ network, layout, scenario: { name: 'bad', events: [{ type: 'leak', node: 'NOPE', emitterCoefficient: 1 }] } })).rejects.toBeInstanceOf(ScenarioError);
  });

  it('sweeps on two workers and ranks by impact: running pumps first, pumps idle in normal operation last', async () => {
    const l = validateLayout(layout, network);
    const scenarios = planSweep('pump-off', network, l, { hours: 12 }).filter((s) => /PU(1|3|8|9) /.test(s.name));
    const result = await runSweep(network, l, scenarios, { kind: 'pump-off', workers: 2 });
    expect(result.workers).toBe(2);
    expect(result.ranking.map((e) => e.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const names = result.ranking.map((e) => e.name);
    // PU3 and PU9 are closed in C-Town's normal operation: switching them off changes nothing.
    expect(names.slice(2).sort()).toEqual(['pump PU3 out of service', 'pump PU9 out of service']);
    expect(result.ranking[2]!.impactScore).toBe(0);
    expect(result.ranking[0]!.impactScore).toBeGreaterThan(0);
  });

  it('plans sweeps: one scenario per pump, per PLC reading a tank, per open pipe', () => {
    const l = validateLayout(layout, network);
    expect(planSweep('pump-off', network, l, {}).length).toBe(11);
    const spoof = planSweep('plc-spoof', network, l, {});
    expect(spoof.map((s) => s.name)).toEqual(['PLC2', 'PLC3', 'PLC4', 'PLC6', 'PLC7', 'PLC8', 'PLC9'].map((p) => `${p} tank levels spoofed full`));
    expect(planSweep('n-1', network, l, {}, { minDiameter: 300 }).every((s) => s.events[0]!.type === 'pipe-closure')).toBe(true);
  });
});
