import { signalName } from '../cyber/layout.js';
import { indexNetwork, type Rule, type RuleAction, type RulePremise, type WaterNetwork } from '../network/model.js';
import type { LinkCommand, LinkStates } from './link-states.js';
import type { SignalPaths } from './signals.js';
import type { ScanContext } from './plc-logic.js';

/** Everything a rule premise may read about the real network. */
export interface Plant {
  nodeValue(node: string, variable: 'LEVEL' | 'HEAD' | 'PRESSURE' | 'DEMAND'): number;
  linkValue(link: string, variable: 'FLOW' | 'STATUS' | 'SETTING'): number;
}

/**
 * EPANET's rule-based controls, run by the PLC that drives the first link a rule acts on. Premises read
 * what that PLC sees when it has the signal, and the plant otherwise. Rules are scanned at every time step
 * and at every rule time step (EPANET projects tank levels between solutions; Vigil solves there).
 */
export class RuleBook {
  private readonly entries: Array<{ rule: Rule; owner?: string }>;
  private readonly nodeKinds: Map<string, string>;

  constructor(
    network: WaterNetwork,
    driver: Map<string, string>,
    private readonly paths: SignalPaths,
    private readonly links: LinkStates,
    private readonly held: Map<string, string>,
  ) {
    this.nodeKinds = new Map([...indexNetwork(network).nodes].map(([id, n]) => [id, n.kind]));
    this.entries = network.rules.filter((r) => r.enabled).map((rule) => {
      const owner = driver.get(rule.then[0]?.id ?? '');
      return owner ? { rule, owner } : { rule };
    });
  }

  get count(): number {
    return this.entries.length;
  }

  scan(ctx: ScanContext): number {
    if (this.entries.length === 0) return 0;
    const chosen = new Map<string, { action: RuleAction; priority: number }>();
    for (const { rule, owner } of this.entries) {
      const actions = this.holds(rule.premises, owner, ctx) ? rule.then : rule.else;
      const priority = rule.priority ?? 0;
      for (const action of actions) {
        const prior = chosen.get(action.id);
        if (!prior || priority > prior.priority) chosen.set(action.id, { action, priority });
      }
    }
    let changed = 0;
    for (const [link, { action }] of chosen) {
      if (this.held.has(link)) continue;
      const command = toCommand(action);
      if (command && this.links.command(link, command)) changed++;
    }
    return changed;
  }

  private holds(premises: RulePremise[], owner: string | undefined, ctx: ScanContext): boolean {
    let result = true;
    for (const p of premises) {
      if (p.logic === 'OR') {
        if (!result) result = this.premise(p, owner, ctx);
      } else {
        if (!result) return false;
        result = this.premise(p, owner, ctx);
      }
    }
    return result;
  }

  private premise(p: RulePremise, owner: string | undefined, ctx: ScanContext): boolean {
    const v = p.variable;
    if (p.object === 'SYSTEM') {
      const now = v === 'CLOCKTIME' ? ctx.clock : ctx.time;
      const target = parseClock(p.value);
      return compare(now, p.relation, target, 1);
    }
    const id = p.id!;
    const isNode = ['NODE', 'JUNCTION', 'TANK', 'RESERVOIR'].includes(p.object);
    if (v === 'STATUS') {
      const open = this.read(owner, ctx, signalName('status', id), () => ctx.plant.linkValue(id, 'STATUS')) > 0.5;
      const wanted = p.value.toUpperCase() !== 'CLOSED';
      const same = open === wanted;
      return p.relation === 'NOT' || p.relation === '<>' ? !same : same;
    }
    let value: number;
    if (isNode) {
      if (v === 'LEVEL' && this.nodeKinds.get(id) === 'tank') value = this.read(owner, ctx, signalName('level', id), () => ctx.plant.nodeValue(id, 'LEVEL'));
      else if (v === 'PRESSURE') value = this.read(owner, ctx, signalName('pressure', id), () => ctx.plant.nodeValue(id, 'PRESSURE'));
      else value = ctx.plant.nodeValue(id, v === 'GRADE' ? 'HEAD' : (v as 'HEAD' | 'DEMAND'));
    } else if (v === 'FLOW') {
      value = this.read(owner, ctx, signalName('flow', id), () => ctx.plant.linkValue(id, 'FLOW'));
    } else {
      value = ctx.plant.linkValue(id, 'SETTING');
    }
    return compare(value, p.relation, Number(p.value), 0);
  }

  private read(owner: string | undefined, ctx: ScanContext, signal: string, plant: () => number): number {
    if (!owner) return plant();
    return this.paths.seenBy(owner, signal, ctx.time, ctx.truth)?.value ?? plant();
  }
}

function toCommand(a: RuleAction): LinkCommand | undefined {
  const value = a.value.toUpperCase();
  if (a.variable === 'STATUS') return value === 'CLOSED' ? { status: 'CLOSED' } : { status: 'OPEN' };
  const n = Number(a.value);
  return Number.isFinite(n) ? { setting: n } : undefined;
}

function parseClock(text: string): number {
  const [value = '0', unit] = text.split(/\s+/);
  const parts = value.split(':').map(Number);
  let s = (parts[0] ?? 0) * 3600 + (parts[1] ?? 0) * 60 + (parts[2] ?? 0);
  const u = unit?.toUpperCase();
  if (u === 'PM' && s < 12 * 3600) s += 12 * 3600;
  if (u === 'AM' && s >= 12 * 3600) s -= 12 * 3600;
  return s;
}

function compare(a: number, relation: string, b: number, tolerance: number): boolean {
  switch (relation) {
    case '=':
    case 'IS':
      return Math.abs(a - b) <= tolerance + 1e-9;
    case '<>':
    case 'NOT':
      return Math.abs(a - b) > tolerance + 1e-9;
    case '<':
    case 'BELOW':
      return a < b;
    case '>':
    case 'ABOVE':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}
