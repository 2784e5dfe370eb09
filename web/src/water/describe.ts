// Water things in words: a scenario's events and conditions (to read a scenario without its JSON), and an
// element's properties for its card. Pure.
import type { Condition, NetworkFeature, ScenarioEvent } from './types';

export function conditionText(c: Condition | undefined, isEnd: boolean): string {
  if (!c) return isEnd ? 'until the end' : 'from the start';
  if ('hour' in c) return `${isEnd ? 'until' : 'from'} hour ${c.hour}`;
  if ('afterHours' in c) return `for ${c.afterHours} h`;
  if ('tank' in c) return `${isEnd ? 'until' : 'when'} tank ${c.tank} is ${'levelBelow' in c ? `below ${c.levelBelow}` : `above ${c.levelAbove}`} m`;
  return `${isEnd ? 'until' : 'when'} pressure at ${c.node} is ${'pressureBelow' in c ? `below ${c.pressureBelow}` : `above ${c.pressureAbove}`} m`;
}

const list = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : String(v));

/** "L_T1 reads a constant 6.3 on the link PLC2 → PLC1". */
export function eventText(e: ScenarioEvent): string {
  switch (e.type) {
    case 'sensor-spoof': {
      const where = !e.on || e.on === 'sensor' ? 'at the instrument' : `on the link ${String(e.on).replace('->', ' → ')}`;
      const lie = e.mode === 'constant' ? `a constant ${e.value}` : e.mode === 'offset' ? `the real value ${Number(e.value) >= 0 ? '+' : ''}${e.value}` : `a replay of hours ${e.replayFrom}–${e.replayTo}`;
      return `${e.signal} reads ${lie} ${where}`;
    }
    case 'actuator': {
      const what = [e.status !== undefined ? String(e.status) : null, e.speed !== undefined ? `speed ${e.speed}` : null, e.setting !== undefined ? `setting ${e.setting}` : null].filter(Boolean).join(', ');
      return `the attacker holds ${e.link} ${what}`;
    }
    case 'control-change':
      return e.disabled ? `control ${e.control} is disabled in its PLC` : `control ${e.control} is altered${e.threshold !== undefined ? `: threshold ${e.threshold}` : ''}${e.action !== undefined ? `, action ${e.action}` : ''}`;
    case 'link-dos':
      return `denial of service on the link from ${e.from}${e.to ? ` to ${e.to}` : ''}: readings go stale`;
    case 'leak':
      return `a leak ${e.pipe ? `in pipe ${e.pipe}` : `at junction ${e.node}`} (${e.holeAreaCm2 !== undefined ? `${e.holeAreaCm2} cm²` : `emitter ${e.emitterCoefficient}`})`;
    case 'pipe-closure':
      return `pipe ${e.pipe} is closed`;
    case 'pump-failure': {
      const many = Array.isArray(e.pumps) && e.pumps.length > 1;
      return `pump${many ? 's' : ''} ${list(e.pumps)} ${e.cause === 'power' ? (many ? 'lose power' : 'loses power') : many ? 'fail' : 'fails'}`;
    }
    case 'contamination':
      return `a contaminant enters at ${e.node} (${e.concentration !== undefined ? `${e.concentration} mg/L` : `${e.massRate} mg/min`})`;
    default:
      return e.type;
  }
}

/** The whole event: what, from when, until when. */
export function eventSentence(e: ScenarioEvent): string {
  return `${eventText(e)}, ${conditionText(e.start, false)} ${conditionText(e.end, true)}`;
}

const VALVE_TYPES: Record<string, string> = { PRV: 'pressure reducing', PSV: 'pressure sustaining', PBV: 'pressure breaker', FCV: 'flow control', TCV: 'throttle control', GPV: 'general purpose', PCV: 'positional control' };

/** The rows of an element's card, in the network's units (SI unless it uses US flow units). */
export function elementRows(p: NetworkFeature['properties'], si = true): Array<[string, string]> {
  const length = si ? 'm' : 'ft';
  const diameter = si ? 'mm' : 'in';
  const n = (v: unknown, unit: string) => (typeof v === 'number' ? `${Math.round(v * 100) / 100} ${unit}` : '—');
  switch (p.kind) {
    case 'junction':
      return [['Elevation', n(p.elevation, length)], ['Base demand', n(p.baseDemand, si ? 'L/s' : 'gpm')]];
    case 'reservoir':
      return [['Head', n(p.head, length)]];
    case 'tank':
      return [['Elevation', n(p.elevation, length)], ['Level range', `${n(p.minLevel, length)} – ${n(p.maxLevel, length)}`], ['Diameter', n(p.diameter, length)]];
    case 'pipe':
      return [['From → to', `${p.from} → ${p.to}`], ['Diameter', n(p.diameter, diameter)], ['Length', n(p.length, length)], ['Status', String(p.status ?? 'OPEN').toLowerCase()]];
    case 'pump':
      return [['From → to', `${p.from} → ${p.to}`], ['Head curve', String(p.headCurve ?? '—')]];
    case 'valve':
      return [['From → to', `${p.from} → ${p.to}`], ['Type', `${p.valveType} (${VALVE_TYPES[String(p.valveType)] ?? 'valve'})`], ['Setting', String(p.setting ?? '—')]];
  }
}
