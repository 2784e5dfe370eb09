import { controlSignal, type PlcLayout } from '../cyber/layout.js';
import { indexNetwork, type NetworkIndex, type SimpleControl, type WaterNetwork } from '../network/model.js';
import type { LinkCommand, LinkStates } from './link-states.js';
import type { SignalPaths, TruthReader } from './signals.js';
import { secondsToLevel, type TankGeometry } from './tanks.js';
import { RuleBook, type Plant } from './rules.js';

/** A control of the network as a PLC runs it; `owner` undefined: no PLC of the layout drives its link. */
interface ControlProgram {
  original: SimpleControl;
  /** The logic as it currently is in the PLC (control-change attacks alter it). */
  current: SimpleControl;
  owner?: string;
  signal?: string;
  onTank: boolean;
}

export interface ScanContext {
  time: number;
  /** Seconds since midnight. */
  clock: number;
  truth: TruthReader;
  plant: Plant;
  /** Net inflow of each tank, volume per second, from the last solution. */
  tankInflow(tank: string): number;
  tankLevel(tank: string): number;
}

/**
 * The control logic of every PLC: the network's simple controls and rules, each run by the PLC that drives
 * its pump or valve, on what that PLC sees. Mirrors EPANET's control semantics (tolerances, order,
 * "only if it changes the link") so that with honest signals the results are EPANET's own.
 */
export class PlcLogic {
  private readonly programs: ControlProgram[];
  private readonly index: NetworkIndex;
  /** Links an attacker or a failure holds; PLC commands to them are lost. */
  readonly heldLinks = new Map<string, string>();
  readonly rules: RuleBook;

  constructor(
    network: WaterNetwork,
    layout: PlcLayout,
    private readonly paths: SignalPaths,
    private readonly links: LinkStates,
    private readonly tanks: Map<string, TankGeometry>,
    private readonly stillFlow: number,
  ) {
    this.index = indexNetwork(network);
    const driver = new Map<string, string>();
    for (const p of layout.plcs) for (const a of p.actuators) driver.set(a, p.id);
    this.programs = network.controls.map((c) => ({
      original: c,
      current: { ...c, when: { ...c.when }, action: { ...c.action } },
      ...(driver.has(c.link) ? { owner: driver.get(c.link)! } : {}),
      ...('node' in c.when ? { signal: controlSignal(network, this.index, c.when.node) } : {}),
      onTank: 'node' in c.when && this.index.nodes.get(c.when.node)?.kind === 'tank',
    }));
    this.rules = new RuleBook(network, driver, paths, links, this.heldLinks);
  }

  /** The control a control-change attack alters (undefined if unknown). */
  program(controlId: string): { current: SimpleControl; original: SimpleControl } | undefined {
    return this.programs.find((p) => p.original.id === controlId);
  }

  /** PLCs running the network's controls, for the report. */
  owners(): Array<{ control: string; plc: string | null }> {
    return this.programs.map((p) => ({ control: p.original.id, plc: p.owner ?? null }));
  }

  private seen(p: ControlProgram, ctx: ScanContext): { value: number; offset: number | undefined } | undefined {
    if (!p.signal) return undefined;
    if (!p.owner) {
      const ref = this.paths.ref(p.signal) ?? parseRef(p.signal);
      return { value: ctx.truth(ref), offset: 0 };
    }
    const r = this.paths.seenBy(p.owner, p.signal, ctx.time, ctx.truth);
    if (!r) return undefined;
    return { value: r.value, offset: r.tracking.kind === 'live' ? r.tracking.offset : undefined };
  }

  private command(p: ControlProgram): LinkCommand {
    return p.current.action;
  }

  /** The scan before the engine solves a time step: tank-level and timed controls, then rules. */
  scanBeforeSolve(ctx: ScanContext): number {
    let changed = 0;
    for (const p of this.programs) {
      const c = p.current;
      if (!c.enabled || this.heldLinks.has(c.link)) continue;
      let fire = false;
      if ('node' in c.when) {
        if (!p.onTank) continue;
        const seen = this.seen(p, ctx);
        if (!seen) continue;
        const tank = this.tanks.get(c.when.node)!;
        const v1 = tank.volumeAt(seen.value);
        const v2 = tank.volumeAt(c.when.value);
        const plus = Math.abs(ctx.tankInflow(c.when.node));
        fire = c.when.relation === 'below' ? v1 <= v2 + plus : v1 >= v2 - plus;
      } else if ('time' in c.when) {
        fire = c.when.time === ctx.time;
      } else {
        fire = ctx.clock === c.when.clockTime;
      }
      if (fire && this.links.command(c.link, this.command(p))) changed++;
    }
    changed += this.rules.scan(ctx);
    return changed;
  }

  /** Controls on junction pressure act on the solved pressures; true if any changed a link (re-solve). */
  scanAfterSolve(ctx: ScanContext): boolean {
    let changed = false;
    for (const p of this.programs) {
      const c = p.current;
      if (!c.enabled || p.onTank || !('node' in c.when) || this.heldLinks.has(c.link)) continue;
      const seen = this.seen(p, ctx);
      if (!seen) continue;
      const fire = c.when.relation === 'below' ? seen.value <= c.when.value : seen.value >= c.when.value;
      if (fire && this.links.command(c.link, this.command(p))) changed = true;
    }
    return changed;
  }

  /**
   * Seconds until some PLC will act (a tank reaching a control level as the PLC sees it, a timed control),
   * if sooner than `limit`. EPANET shortens its time step the same way.
   */
  secondsToNextAction(ctx: ScanContext, limit: number): number {
    let step = limit;
    for (const p of this.programs) {
      const c = p.current;
      if (!c.enabled || this.heldLinks.has(c.link)) continue;
      let t: number | undefined;
      if ('node' in c.when) {
        if (!p.onTank) continue;
        const seen = this.seen(p, ctx);
        if (!seen || seen.offset === undefined) continue;
        const tank = c.when.node;
        const q = ctx.tankInflow(tank);
        if ((c.when.relation === 'above' && q <= 0) || (c.when.relation === 'below' && q >= 0)) continue;
        t = secondsToLevel(this.tanks.get(tank)!, ctx.tankLevel(tank), q, c.when.value - seen.offset, this.stillFlow);
      } else if ('time' in c.when) {
        if (c.when.time > ctx.time) t = c.when.time - ctx.time;
      } else {
        const t1 = ctx.clock;
        const t2 = c.when.clockTime;
        t = t2 >= t1 ? t2 - t1 : 86400 - t1 + t2;
      }
      if (t !== undefined && t > 0 && t < step && this.links.wouldChange(c.link, this.command(p))) step = t;
    }
    return step;
  }
}

function parseRef(signal: string): { id: string; kind: 'level' | 'pressure'; element: string } {
  return { id: signal, kind: signal.startsWith('L_') ? 'level' : 'pressure', element: signal.slice(2) };
}
