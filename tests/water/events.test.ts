import { describe, expect, it } from 'vitest';
import { readInp, simulateScenario, type PlcLayout, type ScenarioEvent, type SimulationOutcome } from '../../src/water/index.js';
import { hasShared, sharedText } from './helpers.js';

/** Net1 with its control split over two PLCs: one reads tank 2, the other drives pump 9. */
const layout: PlcLayout = {
  scada: { id: 'SCADA', site: '9' },
  plcs: [
    { id: 'PLC-T', site: '2', sensors: ['L_2'], actuators: [] },
    { id: 'PLC-P', site: '9', sensors: ['F_9', 'S_9'], actuators: ['9'] },
  ],
  links: [
    { from: 'PLC-T', to: 'PLC-P', signals: ['L_2'] },
    { from: 'PLC-T', to: 'SCADA', signals: ['L_2'] },
    { from: 'PLC-P', to: 'SCADA', signals: ['F_9', 'S_9'] },
  ],
};

describe.skipIf(!hasShared)('each kind of event moves the results the expected way (Net1, 24 h)', () => {
  const network = hasShared ? readInp(sharedText('Net1.inp')) : undefined!;
  const run = (events: ScenarioEvent[], extra: Record<string, unknown> = {}): Promise<SimulationOutcome> =>
    simulateScenario({ network, layout, scenario: { name: 'test', hours: 24, events, ...extra }, keepSeries: true });
  const level = (o: SimulationOutcome): number[] => o.series!.tanks['2']!.level;
  const min = (xs: number[]): number => Math.min(...xs);
  const max = (xs: number[]): number => Math.max(...xs);
  let baseline: SimulationOutcome;

  it('baseline: the pump cycles, tank 2 stays between its control levels', async () => {
    baseline = await run([]);
    expect(baseline.report.status).toBe('completed');
    expect(min(level(baseline))).toBeGreaterThan(105);
    expect(max(level(baseline))).toBeLessThan(145);
    expect(baseline.report.summary.personHoursWithoutService.added).toBe(0);
  });

  it('sensor spoofed constant (tank reads full): the pump stops and the tank drains', async () => {
    const o = await run([{ type: 'sensor-spoof', signal: 'L_2', mode: 'constant', value: 145 }]);
    expect(min(level(o))).toBeLessThan(min(level(baseline)) - 5);
    expect(o.series!.actuators['9']!.status.slice(2).every((s) => s === 0)).toBe(true);
    expect(o.series!.scada['L_2']!.seen.every((v) => v === 145)).toBe(true);
  });

  it('offset on the PLC-T → PLC-P link (tank reads 30 ft low): the pump overfills the tank', async () => {
    const o = await run([{ type: 'sensor-spoof', signal: 'L_2', mode: 'offset', value: -30, on: 'PLC-T->PLC-P' }]);
    expect(max(level(o))).toBeGreaterThan(max(level(baseline)) + 3);
    expect(o.report.tanks[0]!.fullAt).not.toBeNull();
    // SCADA gets the honest value over its own link.
    const scada = o.series!.scada['L_2']!;
    expect(scada.seen).toEqual(scada.real);
  });

  it('replay of earlier readings: SCADA and the PLC see the past, not the present', async () => {
    const o = await run([{ type: 'sensor-spoof', signal: 'L_2', mode: 'replay', replayFrom: 0, replayTo: 4, start: { hour: 6 } }]);
    const scada = o.series!.scada['L_2']!;
    const t6 = o.series!.times.indexOf(6 * 3600);
    expect(scada.seen.slice(0, t6)).toEqual(scada.real.slice(0, t6));
    expect(scada.seen[t6]).toBeCloseTo(scada.real[0]!, 3);
    expect(level(o)).not.toEqual(level(baseline));
  });

  it('actuator forced closed: the tank ends lower; control-change lowers the switch-on level', async () => {
    const closed = await run([{ type: 'actuator', link: '9', status: 'closed', start: { hour: 2 } }]);
    expect(level(closed).at(-1)!).toBeLessThan(level(baseline).at(-1)! - 5);
    const changed = await run([{ type: 'control-change', control: 'C1', threshold: 102 }]);
    expect(min(level(changed))).toBeLessThan(min(level(baseline)) - 3);
  });

  it('denial of service on PLC-T → PLC-P: the pump PLC keeps a stale level and stops switching', async () => {
    const o = await run([{ type: 'link-dos', from: 'PLC-T', to: 'PLC-P', start: { hour: 1 } }]);
    const switches = (x: SimulationOutcome): number => x.series!.actuators['9']!.status.filter((s, i, a) => i > 4 && s !== a[i - 1]).length;
    expect(switches(baseline)).toBeGreaterThan(0);
    expect(switches(o)).toBe(0);
  });

  it('leak at junction 22 and a pipe closure: pressure drops, tank behaviour changes', async () => {
    const leak = await run([{ type: 'leak', node: '22', emitterCoefficient: 60, start: { hour: 1 } }]);
    const p22 = (x: SimulationOutcome): number => min(x.series!.nodes['22']!.pressure);
    expect(p22(leak)).toBeLessThan(p22(baseline) - 1);
    const split = await run([{ type: 'leak', pipe: '110', emitterCoefficient: 60 }]);
    expect(split.series!.nodes['110_break']).toBeDefined();
    const closed = await run([{ type: 'pipe-closure', pipe: '110' }]);
    expect(max(level(closed)) - min(level(closed))).toBeLessThan(1e-6);
  });

  it('pump failure from a power outage: the tank drains while it lasts, and the outage is in the event log', async () => {
    const o = await run([{ type: 'pump-failure', pumps: ['9'], cause: 'power', energyAssetId: 'substation-A', start: { hour: 2 }, end: { hour: 12 } }]);
    const at = (x: SimulationOutcome, h: number): number => level(x)[x.series!.times.indexOf(h * 3600)]!;
    expect(at(o, 12)).toBeLessThan(at(baseline, 12) - 5);
    expect(o.report.events.map((e) => `${e.time / 3600} ${e.change}`)).toEqual(['2 started', '12 ended']);
  });

  it('contamination of the source: it spreads downstream, first near the source', async () => {
    const o = await run([{ type: 'contamination', node: '9', concentration: 5, start: { hour: 1 }, end: { hour: 3 } }], {
      quality: { kind: 'chemical', threshold: 0.1 },
      criticalConsumers: [{ node: '32', name: 'School' }],
    });
    const c = o.report.contamination!;
    const school = o.report.criticalConsumers[0]!;
    expect(school.contaminantArrival).toBe(c.firstArrival.find((f) => f.node === '32')!.at - 3600);
    expect(school.text).toMatch(/the contaminant reaches it in \d/);
    expect(c.junctionsExposed).toBeGreaterThan(3);
    const arrival = new Map(c.firstArrival.map((f) => [f.node, f.at]));
    expect(arrival.get('10')!).toBeLessThan(arrival.get('32') ?? Infinity);
    expect(o.series!.nodes['10']!.quality!.some((q) => q > 4)).toBe(true);
  });

  it('water age: ages grow and are reported per node', async () => {
    const o = await run([], { quality: { kind: 'age', thresholdHours: 6 } });
    expect(o.report.contamination?.kind).toBe('age');
    expect(max(o.series!.nodes['32']!.quality!)).toBeGreaterThan(6);
  });
});
