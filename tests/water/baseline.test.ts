import { describe, expect, it } from 'vitest';
import { defaultLayout, readInp, validateLayout, validateScenario, type PlcLayout, type WaterNetwork } from '../../src/water/index.js';
import { runHydraulics } from '../../src/water/sim/hydraulics.js';
import { epanetOwnRun, hasShared, seedText, sharedText } from './helpers.js';

/**
 * With honest signals, Vigil's PLCs running the network's controls (outside the engine) must reproduce
 * EPANET's own run, where the engine runs those controls itself.
 */
async function compare(inpText: string, network: WaterNetwork, layout: PlcLayout, hours: number, times: number[]): Promise<{ level: number; flow: number; checked: number }> {
  const scenario = validateScenario({ name: 'baseline', hours, demandModel: 'network', events: [] }, network, layout);
  const run = await runHydraulics({ network, layout, scenario, withEvents: false, keepSeries: true });
  expect(run.status).toBe('completed');
  const own = await epanetOwnRun(inpText, hours);
  const reportStep = network.times.reportStep;
  let level = 0;
  let flow = 0;
  let checked = 0;
  for (const hour of times) {
    const i = run.recorder.reportTimes.indexOf(hour * 3600);
    const k = (hour * 3600) / reportStep;
    expect(i).toBeGreaterThanOrEqual(0);
    network.tanks.forEach((tank, t) => {
      const ref = own.results.nodes.find((n) => n.id === tank.id)!;
      level = Math.max(level, Math.abs(run.recorder.tankLevels[t]![i]! - (ref.head[k]! - tank.elevation)));
      checked++;
    });
    const linkOrder = [...network.pipes, ...network.pumps, ...network.valves].map((l) => l.id);
    for (const pump of network.pumps) {
      const ref = own.results.links.find((l) => l.id === pump.id)!;
      const ours = run.recorder.series.linkFlow[i]![linkOrder.indexOf(pump.id)]!;
      flow = Math.max(flow, Math.abs(ours - ref.flow[k]!) / Math.max(1, Math.abs(ref.flow[k]!)));
      checked++;
    }
  }
  return { level, flow, checked };
}

describe.skipIf(!hasShared)('baseline agrees with EPANET running its own controls', () => {
  it('Net1, 48 h: tank level and pump flow at eight times', async () => {
    const text = sharedText('Net1.inp');
    const network = readInp(text);
    const r = await compare(text, network, defaultLayout(network), 48, [1, 5, 9, 13, 20, 24, 33, 47]);
    expect(r.checked).toBe(16);
    // The binary output holds single-precision numbers.
    expect(r.level).toBeLessThan(1e-3);
    expect(r.flow).toBeLessThan(1e-4);
  });

  it('Net3, 24 h: time-of-day, timer and tank controls on pumps and pipes', async () => {
    const text = sharedText('Net3.inp');
    const network = readInp(text);
    const r = await compare(text, network, defaultLayout(network), 24, [1, 2, 10, 15, 16, 23]);
    expect(r.level).toBeLessThan(1e-3);
    expect(r.flow).toBeLessThan(1e-4);
  });

  it("C-Town with its 9 PLCs, 48 h: 7 tank levels and 11 pump flows at six times", async () => {
    const text = seedText('ctown.inp');
    const network = readInp(text);
    const layout = validateLayout(JSON.parse(seedText('ctown-plcs.json')), network);
    const r = await compare(text, network, layout, 48, [3, 9, 17, 25, 36, 47]);
    expect(r.checked).toBe(6 * 18);
    expect(r.level).toBeLessThan(1e-3);
    expect(r.flow).toBeLessThan(1e-4);
  });
});
