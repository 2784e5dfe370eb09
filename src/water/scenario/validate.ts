import { indexNetwork, type WaterNetwork } from '../network/model.js';
import { parseSignal, signalSources, type PlcLayout } from '../cyber/layout.js';
import { DEFAULT_HOURS, MAX_EVENTS, MAX_HOURS, type Condition, type Scenario, type ScenarioEvent } from './model.js';

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`scenario is not valid: ${problems.join('; ')}`);
    this.name = 'ScenarioError';
  }
}

const EVENT_TYPES = ['sensor-spoof', 'actuator', 'control-change', 'link-dos', 'leak', 'pipe-closure', 'pump-failure', 'contamination'];

/**
 * Checks a scenario against its network and PLC layout and fills in defaults. Lists every problem, with
 * where it is ("events[2].signal: ...").
 */
export function validateScenario(raw: unknown, network: WaterNetwork, layout: PlcLayout): Scenario {
  const problems: string[] = [];
  const s = raw as Partial<Scenario> | null;
  if (!s || typeof s !== 'object') throw new ScenarioError(['expected a JSON object']);
  const index = indexNetwork(network);
  const hours = s.hours ?? DEFAULT_HOURS;
  const at = (path: string, message: string): void => void problems.push(`${path}: ${message}`);
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

  if (typeof s.name !== 'string' || s.name.trim() === '') at('name', 'a scenario needs a name');
  if (!num(hours) || hours <= 0) at('hours', 'must be a positive number');
  else if (hours > MAX_HOURS) at('hours', `${hours} h is longer than the ${MAX_HOURS} h a scenario may cover`);
  if (s.demandModel !== undefined && !['PDA', 'DDA', 'network'].includes(s.demandModel)) at('demandModel', 'must be PDA, DDA or network');
  if (s.pressure) {
    const { minimum = 0, required = 20, exponent = 0.5 } = s.pressure;
    if (![minimum, required, exponent].every(num) || required <= minimum || exponent <= 0) at('pressure', 'needs minimum < required and a positive exponent');
  }
  if (s.servicePressure !== undefined && !num(s.servicePressure)) at('servicePressure', 'must be a number');
  if (s.litresPerPersonPerDay !== undefined && (!num(s.litresPerPersonPerDay) || s.litresPerPersonPerDay <= 0)) at('litresPerPersonPerDay', 'must be positive');
  (s.criticalConsumers ?? []).forEach((c, i) => {
    if (index.nodes.get(c?.node)?.kind !== 'junction') at(`criticalConsumers[${i}].node`, `"${c?.node}" is not a junction of the network`);
    if (typeof c?.name !== 'string') at(`criticalConsumers[${i}].name`, 'needs a name');
  });
  if (!Array.isArray(s.events)) at('events', 'must be a list (it may be empty)');
  const events = Array.isArray(s.events) ? s.events : [];
  if (events.length > MAX_EVENTS) at('events', `${events.length} events is more than the ${MAX_EVENTS} allowed`);

  const controllers = new Set([layout.scada.id, ...layout.plcs.map((p) => p.id)]);
  const allSignals = new Set(layout.plcs.flatMap((p) => p.sensors));
  const ids = new Set<string>();
  let contaminations = 0;
  const out: ScenarioEvent[] = events.map((e, i) => {
    const path = `events[${i}]`;
    const id = e?.id ?? `e${i + 1}`;
    if (ids.has(id)) at(`${path}.id`, `"${id}" is used twice`);
    ids.add(id);
    if (!e || !EVENT_TYPES.includes(e.type)) {
      at(`${path}.type`, `must be one of ${EVENT_TYPES.join(', ')}`);
      return { ...(e as ScenarioEvent), id };
    }
    checkCondition(e.start, `${path}.start`, false);
    checkCondition(e.end, `${path}.end`, true);
    const link = (lid: string | undefined, field: string, kinds: string[]): void => {
      const l = lid === undefined ? undefined : index.links.get(lid);
      if (!l || !kinds.includes(l.kind)) at(`${path}.${field}`, `"${lid}" is not a ${kinds.join(' or ')} of the network`);
    };
    switch (e.type) {
      case 'sensor-spoof': {
        if (!parseSignal(e.signal ?? '') || !allSignals.has(e.signal)) at(`${path}.signal`, `"${e.signal}" is not read by any PLC of the layout`);
        if (!['constant', 'offset', 'replay'].includes(e.mode)) at(`${path}.mode`, 'must be constant, offset or replay');
        if (e.mode !== 'replay' && !num(e.value)) at(`${path}.value`, `a ${e.mode} spoof needs a value`);
        if (e.mode === 'replay') {
          if (!num(e.replayFrom) || !num(e.replayTo) || e.replayTo <= e.replayFrom || e.replayFrom < 0) at(`${path}.replayFrom`, 'replay needs 0 <= replayFrom < replayTo (hours)');
          else if (e.start && 'hour' in e.start && e.replayTo > e.start.hour) at(`${path}.replayTo`, 'replay can only play back readings recorded before the attack starts');
        }
        if (e.on !== undefined && e.on !== 'sensor') {
          const [from, to] = e.on.split('->');
          const carried = layout.links.some((l) => l.from === from && l.to === to && l.signals.includes(e.signal));
          if (!carried) at(`${path}.on`, `no link ${e.on} carries ${e.signal}`);
        }
        break;
      }
      case 'actuator':
        link(e.link, 'link', ['pump', 'valve', 'pipe']);
        if ([e.status, e.speed, e.setting].filter((x) => x !== undefined).length !== 1) at(path, 'give exactly one of status, speed or setting');
        if (e.status !== undefined && e.status !== 'open' && e.status !== 'closed') at(`${path}.status`, 'must be open or closed');
        if (e.speed !== undefined && (!num(e.speed) || e.speed < 0)) at(`${path}.speed`, 'must be >= 0');
        break;
      case 'control-change': {
        const control = network.controls.find((c) => c.id === e.control);
        if (!control) at(`${path}.control`, `"${e.control}" is not a control (C1..C${network.controls.length})`);
        if (e.threshold === undefined && e.action === undefined && !e.disabled) at(path, 'change the threshold, the action, or disable the control');
        if (e.threshold !== undefined && control && !('node' in control.when)) at(`${path}.threshold`, `${e.control} is timed; it has no threshold`);
        break;
      }
      case 'link-dos': {
        const matches = layout.links.filter((l) => l.from === e.from && (e.to === undefined || l.to === e.to));
        if (!controllers.has(e.from) || matches.length === 0) at(path, `no communication link from ${e.from}${e.to ? ` to ${e.to}` : ''}`);
        break;
      }
      case 'leak': {
        if ((e.node === undefined) === (e.pipe === undefined)) at(path, 'give either node or pipe');
        if (e.node !== undefined && index.nodes.get(e.node)?.kind !== 'junction') at(`${path}.node`, `"${e.node}" is not a junction`);
        if (e.pipe !== undefined) {
          link(e.pipe, 'pipe', ['pipe']);
          if (network.controls.some((c) => c.link === e.pipe)) at(`${path}.pipe`, `${e.pipe} is operated by a control; put the leak on a node`);
        }
        const size = [e.emitterCoefficient, e.holeAreaCm2].filter((x) => x !== undefined);
        if (size.length !== 1 || !size.every((x) => num(x) && x > 0)) at(path, 'give a positive emitterCoefficient or holeAreaCm2');
        if (e.holeAreaCm2 !== undefined && network.options.emitterExponent !== 0.5) at(`${path}.holeAreaCm2`, 'an orifice area needs the network emitter exponent 0.5; give emitterCoefficient');
        const pu = network.options.pressureUnits?.toUpperCase();
        if (e.holeAreaCm2 !== undefined && pu && !['METERS', 'PSI'].includes(pu)) at(`${path}.holeAreaCm2`, `pressure in ${pu}: give emitterCoefficient`);
        break;
      }
      case 'pipe-closure':
        link(e.pipe, 'pipe', ['pipe']);
        break;
      case 'pump-failure':
        if (!Array.isArray(e.pumps) || e.pumps.length === 0) at(`${path}.pumps`, 'list at least one pump');
        else e.pumps.forEach((p, k) => link(p, `pumps[${k}]`, ['pump']));
        break;
      case 'contamination':
        contaminations++;
        if (!index.nodes.has(e.node)) at(`${path}.node`, `"${e.node}" is not a node of the network`);
        if ([e.concentration, e.massRate].filter((x) => x !== undefined).length !== 1) at(path, 'give concentration or massRate');
        if (e.massRate !== undefined && index.nodes.get(e.node)?.kind === 'reservoir') at(`${path}.massRate`, 'a reservoir takes a concentration');
        break;
    }
    return { ...e, id };
  });
  if (contaminations > 0 && s.quality?.kind === 'age') at('quality', 'water age and contamination cannot be simulated in the same run');
  if (problems.length) throw new ScenarioError(problems);
  return { ...(s as Scenario), hours, events: out };

  function checkCondition(c: Condition | undefined, path: string, isEnd: boolean): void {
    if (c === undefined) return;
    if (typeof c !== 'object') return at(path, 'must be an object');
    if ('hour' in c) {
      if (!num(c.hour) || c.hour < 0 || c.hour > hours) at(`${path}.hour`, `must be between 0 and the horizon (${hours} h)`);
    } else if ('afterHours' in c) {
      if (!isEnd) at(path, 'afterHours is for end conditions');
      if (!num(c.afterHours) || c.afterHours <= 0) at(`${path}.afterHours`, 'must be positive');
    } else if ('tank' in c) {
      if (index.nodes.get(c.tank)?.kind !== 'tank') at(`${path}.tank`, `"${c.tank}" is not a tank`);
      const v = 'levelBelow' in c ? c.levelBelow : 'levelAbove' in c ? c.levelAbove : undefined;
      if (!num(v)) at(path, 'needs levelBelow or levelAbove');
    } else if ('node' in c) {
      if (!index.nodes.has(c.node)) at(`${path}.node`, `"${c.node}" is not a node`);
      const v = 'pressureBelow' in c ? c.pressureBelow : 'pressureAbove' in c ? c.pressureAbove : undefined;
      if (!num(v)) at(path, 'needs pressureBelow or pressureAbove');
    } else {
      at(path, 'must be {hour}, {afterHours}, {tank, levelBelow|levelAbove} or {node, pressureBelow|pressureAbove}');
    }
  }
}

/** Every signal a controller has (used to tell which PLCs an attack on a sensor reaches). */
export function readersOf(layout: PlcLayout, signal: string): string[] {
  return [layout.scada.id, ...layout.plcs.map((p) => p.id)].filter((c) => signalSources(layout, c).has(signal));
}
