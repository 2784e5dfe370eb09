import { indexNetwork, type NetworkIndex, type WaterNetwork } from '../network/model.js';

/**
 * The control system of a water network: PLCs at pumping stations and tanks, the SCADA server, and the
 * links between them. JSON, documented in docs/water.md ("PLC layout").
 *
 * A signal is named after what it measures, as in the BATADAL data set: L_<tank> (tank level),
 * P_<node> (pressure), F_<link> (flow), S_<link> (status of a pump or valve, 1 open / 0 closed).
 */
export interface PlcLayout {
  network?: string;
  description?: string;
  scada: { id: string; name?: string; site?: string };
  plcs: Plc[];
  links: CyberLink[];
}

export interface Plc {
  id: string;
  name?: string;
  /** Node or link the PLC stands at (used to place it on the map). */
  site?: string;
  /** Signals wired to this PLC's own inputs. */
  sensors: string[];
  /** Pumps and valves this PLC drives; it runs every control of the network that acts on them. */
  actuators: string[];
}

/** A communication link: `from` sends the listed signals (its own sensors) to `to`. */
export interface CyberLink {
  from: string;
  to: string;
  signals: string[];
}

export type SignalKind = 'level' | 'pressure' | 'flow' | 'status';

export interface SignalRef {
  id: string;
  kind: SignalKind;
  element: string;
}

const PREFIX: Record<string, SignalKind> = { L: 'level', P: 'pressure', F: 'flow', S: 'status' };

/** "L_T1" → level of T1. Returns undefined for a name that is not a signal. */
export function parseSignal(id: string): SignalRef | undefined {
  const m = /^([LPFS])_(.+)$/.exec(id);
  if (!m) return undefined;
  return { id, kind: PREFIX[m[1]!]!, element: m[2]! };
}

export function signalName(kind: SignalKind, element: string): string {
  const prefix = { level: 'L', pressure: 'P', flow: 'F', status: 'S' }[kind];
  return `${prefix}_${element}`;
}

export class LayoutError extends Error {
  constructor(readonly problems: string[]) {
    super(`PLC layout is not valid: ${problems.join('; ')}`);
    this.name = 'LayoutError';
  }
}

/** The signal a simple control reads: the level of a tank or the pressure at a junction. */
export function controlSignal(network: WaterNetwork, index: NetworkIndex, node: string): string {
  return signalName(index.nodes.get(node)?.kind === 'tank' ? 'level' : 'pressure', node);
}

/**
 * Checks a layout against its network. Every problem is listed (unknown elements, a PLC that runs a
 * control on a signal it neither reads nor receives, an actuator driven by two PLCs, ...).
 */
export function validateLayout(layout: unknown, network: WaterNetwork): PlcLayout {
  const problems: string[] = [];
  const l = layout as Partial<PlcLayout> | null;
  if (!l || typeof l !== 'object' || !Array.isArray(l.plcs) || !l.scada || typeof l.scada.id !== 'string') {
    throw new LayoutError(['expected an object with "scada": {"id": ...}, "plcs": [...] and "links": [...]']);
  }
  const links = Array.isArray(l.links) ? l.links : [];
  const index = indexNetwork(network);
  const ids = new Set<string>([l.scada.id]);
  const drivenBy = new Map<string, string>();
  const sees = new Map<string, Set<string>>();
  const checkSignal = (owner: string, signal: string): void => {
    const ref = parseSignal(signal);
    if (!ref) return void problems.push(`${owner}: "${signal}" is not a signal name (L_, P_, F_ or S_ followed by an element ID)`);
    const node = index.nodes.get(ref.element);
    const link = index.links.get(ref.element);
    if (ref.kind === 'level' && node?.kind !== 'tank') problems.push(`${owner}: ${signal} needs a tank named ${ref.element}`);
    if (ref.kind === 'pressure' && !node) problems.push(`${owner}: ${signal} needs a node named ${ref.element}`);
    if ((ref.kind === 'flow' || ref.kind === 'status') && !link) problems.push(`${owner}: ${signal} needs a link named ${ref.element}`);
  };
  for (const plc of l.plcs) {
    if (!plc || typeof plc.id !== 'string' || !Array.isArray(plc.sensors) || !Array.isArray(plc.actuators)) {
      problems.push(`each PLC needs "id", "sensors" and "actuators"`);
      continue;
    }
    if (ids.has(plc.id)) problems.push(`${plc.id} is declared twice`);
    ids.add(plc.id);
    if (plc.site !== undefined && !index.nodes.has(plc.site) && !index.links.has(plc.site)) problems.push(`${plc.id}: site ${plc.site} is not in the network`);
    plc.sensors.forEach((s) => checkSignal(plc.id, s));
    sees.set(plc.id, new Set(plc.sensors));
    for (const a of plc.actuators) {
      const link = index.links.get(a);
      if (!link) problems.push(`${plc.id}: actuator ${a} is not in the network`);
      else if (link.kind === 'pipe' && !network.controls.some((c) => c.link === a)) problems.push(`${plc.id}: actuator ${a} is a pipe no control acts on`);
      if (drivenBy.has(a)) problems.push(`${a} is driven by both ${drivenBy.get(a)} and ${plc.id}`);
      drivenBy.set(a, plc.id);
    }
  }
  if (l.scada.site !== undefined && !index.nodes.has(l.scada.site) && !index.links.has(l.scada.site)) problems.push(`SCADA: site ${l.scada.site} is not in the network`);
  sees.set(l.scada.id, new Set());
  for (const link of links) {
    const name = `link ${link?.from}->${link?.to}`;
    if (!link || !ids.has(link.from) || !ids.has(link.to)) {
      problems.push(`${name} joins unknown controllers`);
      continue;
    }
    const own = new Set(l.plcs.find((p) => p.id === link.from)?.sensors ?? []);
    for (const s of link.signals ?? []) {
      if (!own.has(s)) problems.push(`${name} carries ${s}, which ${link.from} does not read`);
      sees.get(link.to)?.add(s);
    }
  }
  for (const c of network.controls) {
    const plc = drivenBy.get(c.link);
    if (!plc || !('node' in c.when)) continue;
    const needed = controlSignal(network, index, c.when.node);
    if (!sees.get(plc)?.has(needed)) problems.push(`${plc} runs control ${c.id} on ${c.link} but neither reads nor receives ${needed}`);
  }
  if (problems.length) throw new LayoutError(problems);
  return { ...(l as PlcLayout), links };
}

/**
 * A layout for a network that comes without one: controls that share a link or a sensed node are run by
 * one PLC, which reads what they need and reports everything to the SCADA server.
 */
export function defaultLayout(network: WaterNetwork): PlcLayout {
  const index = indexNetwork(network);
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x) ?? x;
    return x;
  };
  const union = (a: string, b: string): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  };
  for (const c of network.controls) {
    const linkKey = `link:${c.link}`;
    union(linkKey, linkKey);
    if ('node' in c.when) union(linkKey, `node:${c.when.node}`);
  }
  const groups = new Map<string, { actuators: Set<string>; sensors: Set<string> }>();
  for (const c of network.controls) {
    const root = find(`link:${c.link}`);
    const g = groups.get(root) ?? { actuators: new Set<string>(), sensors: new Set<string>() };
    g.actuators.add(c.link);
    if (index.links.get(c.link)?.kind !== 'pipe') g.sensors.add(signalName('status', c.link));
    if ('node' in c.when) g.sensors.add(controlSignal(network, index, c.when.node));
    groups.set(root, g);
  }
  const plcs: Plc[] = [...groups.values()].map((g, i) => ({
    id: `PLC${i + 1}`,
    site: [...g.actuators][0],
    sensors: [...g.sensors],
    actuators: [...g.actuators],
  }));
  return {
    description: 'generated: one PLC per group of controls sharing a link or a sensed node',
    scada: { id: 'SCADA', site: network.reservoirs[0]?.id ?? network.tanks[0]?.id },
    plcs,
    links: plcs.map((p) => ({ from: p.id, to: 'SCADA', signals: p.sensors })),
  };
}

/** The signals a controller has, own or received, and who sends each one. */
export function signalSources(layout: PlcLayout, controller: string): Map<string, string> {
  const out = new Map<string, string>();
  const plc = layout.plcs.find((p) => p.id === controller);
  for (const link of layout.links) if (link.to === controller) for (const s of link.signals) out.set(s, link.from);
  for (const s of plc?.sensors ?? []) out.set(s, controller);
  return out;
}
