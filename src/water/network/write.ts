import type { ControlCondition, Rule, SimpleControl, Statement, WaterNetwork } from './model.js';
import { formatNumber as n, formatTime } from './inp-text.js';

export interface WriteOptions {
  /**
   * Leave out [CONTROLS] and [RULES]. The simulator does this: in Vigil the control logic runs in the
   * PLCs, on what each PLC sees, not inside the hydraulic engine.
   */
  withoutControls?: boolean;
}

/** Writes a network as an EPANET .inp file that EPANET 2.2/2.3 reads back to the same network. */
export function writeInp(net: WaterNetwork, options: WriteOptions = {}): string {
  const out: string[] = [];
  const section = (name: string, rows: string[]): void => {
    out.push(`[${name}]`, ...rows, '');
  };
  const row = (...cells: Array<string | number | undefined>): string =>
    ' ' + cells.filter((c) => c !== undefined).map((c) => (typeof c === 'number' ? n(c) : c)).join('\t');
  const comment = (text: string | undefined): string => (text ? `\t;${text}` : '');

  section('TITLE', net.title);
  section('JUNCTIONS', net.junctions.map((j) => {
    // The primary demand goes to [DEMANDS] with the others, so categories and several patterns survive.
    return row(j.id, j.elevation) + comment(j.comment);
  }));
  section('RESERVOIRS', net.reservoirs.map((r) => row(r.id, r.head, r.pattern) + comment(r.comment)));
  section('TANKS', net.tanks.map((t) =>
    row(t.id, t.elevation, t.initLevel, t.minLevel, t.maxLevel, t.diameter, t.minVolume,
      t.volumeCurve ?? (t.overflow ? '*' : undefined), t.overflow ? 'YES' : undefined) + comment(t.comment)));
  section('PIPES', net.pipes.map((p) =>
    row(p.id, p.from, p.to, p.length, p.diameter, p.roughness, p.minorLoss, p.status) + comment(p.comment)));
  section('PUMPS', net.pumps.map((p) => {
    const words: Array<string | number> = [];
    if (p.headCurve !== undefined) words.push('HEAD', p.headCurve);
    if (p.power !== undefined) words.push('POWER', p.power);
    if (p.speed !== undefined) words.push('SPEED', p.speed);
    if (p.pattern !== undefined) words.push('PATTERN', p.pattern);
    return row(p.id, p.from, p.to, ...words) + comment(p.comment);
  }));
  section('VALVES', net.valves.map((v) =>
    row(v.id, v.from, v.to, v.diameter, v.type, v.setting, v.minorLoss) + comment(v.comment)));
  section('TAGS', net.tags.map(statement));
  section('DEMANDS', net.junctions.flatMap((j) =>
    j.demands.map((d) => row(j.id, d.base, d.pattern ?? (d.category ? '' : undefined)) + comment(d.category))));
  section('STATUS', net.status.map((s) => row(s.link, s.value)));
  section('PATTERNS', net.patterns.flatMap((p) => {
    const rows: string[] = [];
    for (let i = 0; i < p.multipliers.length; i += 6) rows.push(row(p.id, ...p.multipliers.slice(i, i + 6)));
    return rows.length ? rows : [];
  }));
  section('CURVES', net.curves.flatMap((c) => [`;${c.kind}: ${c.id}`, ...c.points.map(([x, y]) => row(c.id, x, y))]));
  section('CONTROLS', options.withoutControls ? [] : net.controls.filter((c) => c.enabled).map(controlLine));
  section('RULES', options.withoutControls ? [] : net.rules.filter((r) => r.enabled).flatMap(ruleLines));
  section('ENERGY', net.energy.map(statement));
  section('EMITTERS', net.junctions.filter((j) => j.emitter !== undefined).map((j) => row(j.id, j.emitter)));
  section('QUALITY', net.initialQuality.map((q) => row(q.node, q.value)));
  section('SOURCES', net.sources.map((s) => row(s.node, s.type, s.strength, s.pattern)));
  section('REACTIONS', net.reactions.map(statement));
  section('MIXING', net.mixing.map((m) => row(m.tank, m.model, m.fraction)));
  if (net.leakage.length) section('LEAKAGE', net.leakage.map(statement));
  const t = net.times;
  section('TIMES', [
    row('Duration', formatTime(t.duration)),
    row('Hydraulic Timestep', formatTime(t.hydraulicStep)),
    row('Quality Timestep', formatTime(t.qualityStep)),
    row('Pattern Timestep', formatTime(t.patternStep)),
    row('Pattern Start', formatTime(t.patternStart)),
    row('Report Timestep', formatTime(t.reportStep)),
    row('Report Start', formatTime(t.reportStart)),
    ...(t.ruleStep !== undefined ? [row('Rule Timestep', formatTime(t.ruleStep))] : []),
    row('Start ClockTime', formatTime(t.startClockTime)),
    row('Statistic', t.statistic),
  ]);
  section('REPORT', net.report.map(statement));
  const o = net.options;
  section('OPTIONS', [
    row('Units', o.flowUnits),
    row('Headloss', o.headloss),
    ...(o.pressureUnits ? [row('Pressure', o.pressureUnits)] : []),
    row('Demand Multiplier', o.demandMultiplier),
    row('Emitter Exponent', o.emitterExponent),
    ...(o.defaultPattern !== undefined ? [row('Pattern', o.defaultPattern)] : []),
    row('Quality', o.quality),
    row('Demand Model', o.demandModel),
    row('Minimum Pressure', o.minimumPressure),
    row('Required Pressure', o.requiredPressure),
    row('Pressure Exponent', o.pressureExponent),
    ...o.other.map((x) => row(x.key, x.value)),
  ]);
  section('COORDINATES', [...net.coordinates].map(([id, c]) => row(id, c.x, c.y)));
  section('VERTICES', net.vertices.map((v) => row(v.link, v.x, v.y)));
  section('LABELS', net.labels.map(statement));
  section('BACKDROP', net.backdrop.map(statement));
  out.push('[END]', '');
  return out.join('\n');
}

function statement(words: Statement): string {
  return ' ' + words.join('\t');
}

export function controlLine(c: SimpleControl): string {
  const action = 'status' in c.action ? c.action.status : n(c.action.setting);
  return `LINK ${c.link} ${action} ${conditionText(c.when)}`;
}

function conditionText(when: ControlCondition): string {
  if ('node' in when) return `IF NODE ${when.node} ${when.relation.toUpperCase()} ${n(when.value)}`;
  if ('time' in when) return `AT TIME ${formatTime(when.time)}`;
  return `AT CLOCKTIME ${formatTime(when.clockTime)}`;
}

function ruleLines(r: Rule): string[] {
  const lines = [`RULE ${r.id}`];
  for (const p of r.premises) {
    lines.push([p.logic, p.object, p.id, p.variable, p.relation, p.value].filter((x) => x !== undefined).join(' '));
  }
  r.then.forEach((a, i) => lines.push(`${i === 0 ? 'THEN' : 'AND'} ${a.object} ${a.id} ${a.variable} = ${a.value}`));
  r.else.forEach((a, i) => lines.push(`${i === 0 ? 'ELSE' : 'AND'} ${a.object} ${a.id} ${a.variable} = ${a.value}`));
  if (r.priority !== undefined) lines.push(`PRIORITY ${n(r.priority)}`);
  lines.push('');
  return lines;
}
