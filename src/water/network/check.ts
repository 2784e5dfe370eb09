import { indexNetwork, type WaterNetwork } from './model.js';
import { InpError, type InpLine } from './inp-text.js';

/**
 * Cross-section checks EPANET makes when it opens a file (undefined nodes, links, patterns, curves),
 * reported against the line that makes the reference.
 */
export function checkReferences(net: WaterNetwork, declaredAt: Map<string, InpLine>): void {
  const { nodes, links } = indexNetwork(net);
  const patterns = new Set(net.patterns.map((p) => p.id));
  const curves = new Set(net.curves.map((c) => c.id));
  const fail = (key: string, message: string): never => {
    const line = declaredAt.get(key);
    throw new InpError(message, line?.number ?? 0, line?.section ?? key.split(/[:#]/)[0] ?? '');
  };
  const needNode = (key: string, id: string, what: string): void => {
    if (!nodes.has(id)) fail(key, `${what} refers to undefined node "${id}"`);
  };
  const needPattern = (key: string, id: string | undefined, what: string): void => {
    if (id !== undefined && !patterns.has(id)) fail(key, `${what} refers to undefined pattern "${id}"`);
  };
  const needCurve = (key: string, id: string | undefined, what: string): void => {
    if (id !== undefined && !curves.has(id)) fail(key, `${what} refers to undefined curve "${id}"`);
  };
  if (nodes.size === 0) throw new InpError('the network has no nodes', 0, 'JUNCTIONS');
  if (net.reservoirs.length + net.tanks.length === 0) throw new InpError('the network has no reservoir or tank', 0, 'RESERVOIRS');

  for (const j of net.junctions) for (const d of j.demands) needPattern(`JUNCTIONS:${j.id}`, d.pattern, `junction ${j.id}`);
  for (const r of net.reservoirs) needPattern(`RESERVOIRS:${r.id}`, r.pattern, `reservoir ${r.id}`);
  for (const t of net.tanks) {
    needCurve(`TANKS:${t.id}`, t.volumeCurve, `tank ${t.id}`);
    if (t.maxLevel < t.minLevel) fail(`TANKS:${t.id}`, `tank ${t.id} has a maximum level below its minimum level`);
    if (t.initLevel < t.minLevel || t.initLevel > t.maxLevel) fail(`TANKS:${t.id}`, `tank ${t.id} starts outside its minimum and maximum levels`);
  }
  for (const [section, list] of [['PIPES', net.pipes], ['PUMPS', net.pumps], ['VALVES', net.valves]] as const) {
    for (const l of list) {
      needNode(`${section}:${l.id}`, l.from, `link ${l.id}`);
      needNode(`${section}:${l.id}`, l.to, `link ${l.id}`);
      if (l.from === l.to) fail(`${section}:${l.id}`, `link ${l.id} starts and ends at the same node`);
    }
  }
  for (const p of net.pipes) {
    if (p.length <= 0 || p.diameter <= 0 || p.roughness <= 0) fail(`PIPES:${p.id}`, `pipe ${p.id} needs a positive length, diameter and roughness`);
  }
  for (const p of net.pumps) {
    needCurve(`PUMPS:${p.id}`, p.headCurve, `pump ${p.id}`);
    needPattern(`PUMPS:${p.id}`, p.pattern, `pump ${p.id}`);
  }
  for (const v of net.valves) if (typeof v.setting === 'string') needCurve(`VALVES:${v.id}`, v.setting, `valve ${v.id}`);
  net.status.forEach((s, i) => {
    const link = links.get(s.link);
    if (!link) fail(`STATUS#${i}`, `status refers to undefined link "${s.link}"`);
  });
  for (const c of net.controls) {
    if (!links.has(c.link)) fail(`CONTROLS:${c.id}`, `control refers to undefined link "${c.link}"`);
    if ('node' in c.when) needNode(`CONTROLS:${c.id}`, c.when.node, 'control');
  }
  for (const r of net.rules) {
    for (const p of r.premises) {
      if (p.id === undefined) continue;
      const isNode = ['NODE', 'JUNCTION', 'TANK', 'RESERVOIR'].includes(p.object);
      if (isNode ? !nodes.has(p.id) : !links.has(p.id)) fail(`RULES:${r.id}`, `rule ${r.id} refers to undefined ${p.object.toLowerCase()} "${p.id}"`);
    }
    for (const a of [...r.then, ...r.else]) if (!links.has(a.id)) fail(`RULES:${r.id}`, `rule ${r.id} acts on undefined link "${a.id}"`);
  }
  net.initialQuality.forEach((q, i) => needNode(`QUALITY#${i}`, q.node, 'initial quality'));
  net.sources.forEach((s, i) => {
    needNode(`SOURCES#${i}`, s.node, 'source');
    needPattern(`SOURCES#${i}`, s.pattern, `source at ${s.node}`);
  });
  net.mixing.forEach((m, i) => {
    if (nodes.get(m.tank)?.kind !== 'tank') fail(`MIXING#${i}`, `mixing refers to "${m.tank}", which is not a tank`);
  });
  for (const id of net.coordinates.keys()) if (!nodes.has(id)) fail(`COORDINATES:${id}`, `coordinates of undefined node "${id}"`);
  net.vertices.forEach((v, i) => {
    if (!links.has(v.link)) fail(`VERTICES#${i}`, `vertex of undefined link "${v.link}"`);
  });
  const defaultPattern = net.options.defaultPattern;
  if (defaultPattern !== undefined && defaultPattern !== '1' && !patterns.has(defaultPattern)) {
    throw new InpError(`default pattern "${defaultPattern}" is undefined`, 0, 'OPTIONS');
  }
  for (const c of net.curves) {
    for (let i = 1; i < c.points.length; i++) {
      if (c.points[i]![0] <= c.points[i - 1]![0]) fail(`CURVES:${c.id}`, `curve ${c.id} has X values that do not increase`);
    }
  }
  const nodeCount = net.junctions.length + net.reservoirs.length + net.tanks.length;
  if (nodes.size !== nodeCount) throw new InpError('a node ID is used by two nodes of different kinds', 0, 'JUNCTIONS');
  if (links.size !== net.pipes.length + net.pumps.length + net.valves.length) {
    throw new InpError('a link ID is used by two links of different kinds', 0, 'PIPES');
  }
}
