import { describe, expect, it } from 'vitest';
import {
  defaultLayout, LayoutError, MAX_HOURS, readInp, ScenarioError, simulateScenario, validateLayout, validateScenario,
} from '../../src/water/index.js';
import { ctown, hasShared, sharedText, tinyNetworkText } from './helpers.js';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof LayoutError) return error.problems;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('PLC layout', () => {
  const { network, layout } = ctown();

  it("C-Town's layout is valid: 9 PLCs, every control run by the PLC that drives its pump or valve", () => {
    const l = validateLayout(layout, network);
    expect(l.plcs.map((p) => p.id)).toEqual(['PLC1', 'PLC2', 'PLC3', 'PLC4', 'PLC5', 'PLC6', 'PLC7', 'PLC8', 'PLC9']);
    const drivers = new Set(l.plcs.flatMap((p) => p.actuators));
    expect(network.controls.every((c) => drivers.has(c.link))).toBe(true);
  });

  it('names every problem: unknown signal, element, link, and a control whose signal never reaches its PLC', () => {
    const broken = structuredClone(layout) as { plcs: Array<{ sensors: string[] }>; links: Array<{ from: string; to: string; signals: string[] }> };
    broken.plcs[1]!.sensors.push('L_T99', 'X_T1');
    broken.links = broken.links.filter((l) => !(l.from === 'PLC2' && l.to === 'PLC1'));
    broken.links.push({ from: 'PLC4', to: 'NOWHERE', signals: [] });
    const problems = problemsOf(() => validateLayout(broken, network));
    expect(problems).toContain('PLC2: L_T99 needs a tank named T99');
    expect(problems.some((p) => p.includes('"X_T1" is not a signal name'))).toBe(true);
    expect(problems).toContain('link PLC4->NOWHERE joins unknown controllers');
    expect(problems).toContain('PLC1 runs control C1 on PU1 but neither reads nor receives L_T1');
  });

  it.skipIf(!hasShared)('a generated layout for Net3 groups controls by the tank they watch', () => {
    const net3 = readInp(sharedText('Net3.inp'));
    const l = validateLayout(defaultLayout(net3), net3);
    const pipes = l.plcs.find((p) => p.actuators.includes('335'))!;
    expect(pipes.actuators.sort()).toEqual(['330', '335']);
    expect(pipes.sensors).toContain('L_1');
  });
});

describe('scenario validation', () => {
  const { network, layout } = ctown();
  const l = validateLayout(layout, network);

  it('accepts a valid scenario and numbers its events', () => {
    const s = validateScenario({ name: 'ok', events: [{ type: 'pump-failure', pumps: ['PU1'] }, { id: 'x', type: 'link-dos', from: 'PLC2' }] }, network, l);
    expect(s.events.map((e) => e.id)).toEqual(['e1', 'x']);
    expect(s.hours).toBe(24);
  });

  it('rejects unknown elements, signals, links, controls and bad conditions, all at once', () => {
    const problems = problemsOf(() => validateScenario({
      name: 'bad',
      events: [
        { type: 'sensor-spoof', signal: 'L_T9', mode: 'constant', value: 1 },
        { type: 'sensor-spoof', signal: 'L_T1', mode: 'constant', value: 1, on: 'PLC3->PLC1' },
        { type: 'actuator', link: 'PU99', status: 'closed' },
        { type: 'control-change', control: 'C77', threshold: 2 },
        { type: 'link-dos', from: 'PLC1', to: 'PLC9' },
        { type: 'leak', node: 'T1', emitterCoefficient: 1 },
        { type: 'pump-failure', pumps: ['P1'] },
        { type: 'contamination', node: 'J10' },
        { type: 'pipe-closure', pipe: 'P1', start: { tank: 'J10', levelBelow: 2 } },
        { type: 'flood' },
      ],
    }, network, l));
    expect(problems).toEqual([
      'events[0].signal: "L_T9" is not read by any PLC of the layout',
      'events[1].on: no link PLC3->PLC1 carries L_T1',
      'events[2].link: "PU99" is not a pump or valve or pipe of the network',
      'events[3].control: "C77" is not a control (C1..C20)',
      'events[4]: no communication link from PLC1 to PLC9',
      'events[5].node: "T1" is not a junction',
      'events[6].pumps[0]: "P1" is not a pump of the network',
      'events[7]: give concentration or massRate',
      'events[8].start.tank: "J10" is not a tank',
      'events[9].type: must be one of sensor-spoof, actuator, control-change, link-dos, leak, pipe-closure, pump-failure, contamination',
    ]);
  });

  it(`bounds the horizon at ${MAX_HOURS} h and checks replay windows`, () => {
    expect(problemsOf(() => validateScenario({ name: 'long', hours: 24 * 365, events: [] }, network, l))).toEqual([`hours: ${24 * 365} h is longer than the ${MAX_HOURS} h a scenario may cover`]);
    const replay = problemsOf(() => validateScenario({ name: 'r', events: [{ type: 'sensor-spoof', signal: 'L_T1', mode: 'replay', replayFrom: 2, replayTo: 12, start: { hour: 6 } }] }, network, l));
    expect(replay).toEqual(['events[0].replayTo: replay can only play back readings recorded before the attack starts']);
  });
});

describe('a network EPANET refuses', () => {
  it('fails with EPANET\'s own explanation of the input error', async () => {
    const network = readInp(tinyNetworkText());
    network.pipes[0]!.diameter = -5; // edited after reading, so only EPANET sees it
    await expect(simulateScenario({ network, scenario: { name: 'x', hours: 1, events: [] } })).rejects.toMatchObject({
      name: 'EngineError',
      message: expect.stringMatching(/EPANET error 200.*Error 202: illegal numeric value -5 in \[PIPES\] section/),
    });
  });
});

describe('a network that does not converge', () => {
  it('is reported with the time step and the element EPANET names, not a crash', async () => {
    const network = readInp(tinyNetworkText().replace('[OPTIONS]', '[OPTIONS]\n Trials 1\n Accuracy 0.0000001\n Unbalanced STOP'));
    const { report } = await simulateScenario({ network, scenario: { name: 'stiff', hours: 4, demandModel: 'DDA', events: [] } });
    expect(report.status).toBe('failed');
    expect(report.failure).toMatchObject({ run: 'baseline', time: 0, code: 1 });
    expect(report.failure!.message).toMatch(/unbalanced/i);
    expect(report.failure!.element).toEqual({ kind: 'link', id: expect.stringMatching(/^P[12]$/) });
  });
});
