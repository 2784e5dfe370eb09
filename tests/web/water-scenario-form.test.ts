// The scenario form: a definition becomes fields and back unchanged; what the browser can tell is wrong is
// said at the path the server would use; the server's 422 problems land on the fields they name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/water/scenario/validate.js';
import { formatDuration as serverDuration } from '../../src/water/sim/impact.js';
import { eventSentence } from '../../web/src/water/describe.js';
import { consumerSentence, formatDuration } from '../../web/src/water/format.js';
import { assignProblems, definitionOf, emptyEvent, emptyForm, fieldPaths, formOf } from '../../web/src/water/scenarioForm.js';
import type { ScenarioDefinition } from '../../web/src/water/types.js';
import { ctown } from '../water/helpers.js';

const demo = JSON.parse(readFileSync(new URL('../../data-seed/water/ctown-demo-scenario.json', import.meta.url), 'utf8')) as ScenarioDefinition;

describe('scenario form', () => {
  it('gives back the demo scenario exactly as it was, through its fields', () => {
    const form = formOf(demo);
    expect(form.events.map((e) => e.type)).toEqual(['sensor-spoof', 'sensor-spoof', 'pump-failure']);
    expect(form.events[2]!.fields.pumps).toBe('PU10, PU11');
    expect(form.events[0]!.end).toEqual({ kind: 'afterHours', element: '', value: '24' });
    const { definition, problems } = definitionOf(form);
    expect(problems).toEqual([]);
    expect(definition).toEqual(demo);
  });

  it('keeps every setting it does not edit, and writes conditions and quality as the server reads them', () => {
    const d: ScenarioDefinition = {
      name: 'Contamination at T3',
      hours: 48,
      demandModel: 'DDA',
      pressure: { minimum: 1, required: 25, exponent: 0.6 },
      quality: { kind: 'chemical', name: 'Arsenic', units: 'mg/L', threshold: 0.05 },
      litresPerPersonPerDay: 300,
      events: [
        { type: 'contamination', node: 'T3', concentration: 10, start: { tank: 'T3', levelBelow: 2 }, end: { node: 'J10', pressureAbove: 30 }, note: 'tanker truck' },
        { type: 'control-change', control: 'C3', action: 'closed', disabled: true },
        { type: 'leak', pipe: 'P1', holeAreaCm2: 12.5 },
      ],
    };
    expect(definitionOf(formOf(d))).toEqual({ definition: d, problems: [] });
  });

  it('accepts a form the browser finds fine, and the server does too on C-Town', () => {
    const form = emptyForm();
    form.name = 'PU10 held off';
    form.hours = '12,5';
    form.events = [{ ...emptyEvent('actuator'), fields: { link: 'PU10', status: 'closed', speed: '', setting: '' } }];
    const { definition, problems } = definitionOf(form);
    expect(problems).toEqual([]);
    expect(definition).toEqual({ name: 'PU10 held off', hours: 12.5, events: [{ type: 'actuator', link: 'PU10', status: 'closed', start: { hour: 0 } }] });
    const { network, layout } = ctown();
    expect(() => validateScenario(definition, network, layout as never)).not.toThrow();
  });

  it('says what is missing or malformed at the paths the server uses', () => {
    const form = emptyForm();
    form.hours = '400';
    form.events = [
      { ...emptyEvent('sensor-spoof'), fields: { signal: '', mode: 'constant', value: 'six', on: '' } },
      { ...emptyEvent('leak'), fields: { pipe: 'P1', node: 'J1', holeAreaCm2: '', emitterCoefficient: '' } },
      { ...emptyEvent('pump-failure'), start: { kind: 'afterHours', element: '', value: '2' }, end: { kind: 'levelBelow', element: '', value: '1' } },
      { ...emptyEvent('actuator'), fields: { link: 'PU1', status: '', speed: '', setting: '' } },
    ];
    const { problems } = definitionOf(form);
    expect(problems).toEqual([
      { path: 'name', message: 'give the scenario a name' },
      { path: 'hours', message: '400 h is longer than the 336 h a scenario may cover' },
      { path: 'events[0].signal', message: 'signal is required' },
      { path: 'events[0].value', message: '"six" is not a number' },
      { path: 'events[1]', message: 'give either a pipe or a junction' },
      { path: 'events[1]', message: 'give the hole area or an emitter coefficient' },
      { path: 'events[2].pumps', message: 'pumps is required' },
      { path: 'events[2].start', message: '"hours after its start" is for the end only' },
      { path: 'events[2].end', message: 'name the tank' },
      { path: 'events[3]', message: 'say what the attacker sets: a status, a pump speed or a valve setting' },
    ]);
  });

  it("places the server's 422 problems on the fields they name, and the rest at the top", () => {
    const form = formOf(demo);
    const server = [
      { path: 'hours', message: '500 h is longer than the 336 h a scenario may cover' },
      { path: 'events[2].pumps[0]', message: '"PU99" is not a pump of the network' },
      { path: 'events[1].start.tank', message: '"T9" is not a tank' },
      { path: 'events[0]', message: 'give a positive emitterCoefficient or holeAreaCm2' },
      { path: 'events[0].signalx', message: 'a field the form does not have' },
      { path: 'criticalConsumers[1].node', message: '"J0" is not a junction' },
      { path: 'layout', message: 'something about the network' },
    ];
    const placed = assignProblems(server, fieldPaths(form));
    expect(placed.get('hours')).toEqual(['500 h is longer than the 336 h a scenario may cover']);
    expect(placed.get('events[2].pumps')).toEqual(['"PU99" is not a pump of the network']);
    expect(placed.get('events[1].start')).toEqual(['"T9" is not a tank']);
    // "events[0].signalx" is not "events[0].signal": it goes to the event as a whole.
    expect(placed.get('events[0]')).toEqual(['give a positive emitterCoefficient or holeAreaCm2', 'a field the form does not have']);
    expect(placed.get('events[0].signal')).toBeUndefined();
    expect(placed.get('criticalConsumers[1]')).toEqual(['"J0" is not a junction']);
    expect(placed.get('')).toEqual(['layout: something about the network']);
  });
});

describe('words', () => {
  it('counts durations as the server does', () => {
    for (const s of [0, 29, 31, 59 * 60, 3600, 22233, 47 * 3600 + 59 * 60, 48 * 3600, 3 * 86400 + 5 * 3600, 14 * 86400]) expect(formatDuration(s)).toBe(serverDuration(s));
  });

  it('says the time to impact of a critical consumer plainly', () => {
    const units = { pressure: 'm' };
    const hospital = { node: 'J1025', name: 'Princess Grace Hospital', minPressure: 20, timeToImpact: 22233, text: 'Princess Grace Hospital (J1025) drops below 20 m in 6 h 11 min' };
    expect(consumerSentence(hospital, units)).toBe('Princess Grace Hospital drops below 20 m in 6 h 11 min');
    expect(consumerSentence({ ...hospital, timeToImpact: null }, units, 72)).toBe('Princess Grace Hospital keeps at least 20 m over the 72 h');
    // Without its threshold (a run's short summary) the server's own sentence stands.
    const { minPressure: _m, ...summary } = hospital;
    expect(consumerSentence(summary, units)).toBe(hospital.text);
  });

  it('tells what an event does and when', () => {
    expect(demo.events.map(eventSentence)).toEqual([
      'L_T1 reads a constant 6.3 on the link PLC2 → PLC1, from hour 10 for 24 h',
      'L_T1 reads a replay of hours 0–8 on the link PLC2 → SCADA, from hour 10 for 24 h',
      'pumps PU10, PU11 lose power, from hour 16 until hour 22',
    ]);
    expect(eventSentence({ type: 'pump-failure', pumps: ['PU1'], cause: 'mechanical' })).toBe('pump PU1 fails, from the start until the end');
    expect(eventSentence({ type: 'sensor-spoof', signal: 'L_T2', mode: 'offset', value: -1, start: { tank: 'T2', levelBelow: 3 } })).toBe('L_T2 reads the real value -1 at the instrument, when tank T2 is below 3 m until the end');
  });
});
