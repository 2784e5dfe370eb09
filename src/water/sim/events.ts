import type { PlcLayout } from '../cyber/layout.js';
import type { Condition, Scenario, ScenarioEvent } from '../scenario/model.js';
import type { LinkStates } from './link-states.js';
import type { PlcLogic, ScanContext } from './plc-logic.js';
import type { SignalPaths } from './signals.js';
import { secondsToLevel, type TankGeometry } from './tanks.js';

/** The physical side of events that the simulator applies to the engine. */
export interface PhysicalEffects {
  setEmitter(node: string, coefficient: number): void;
  baseEmitter(node: string): number;
  /** Junction where a leak event places its orifice (a split pipe's middle node). */
  leakNode(event: ScenarioEvent & { type: 'leak' }): string;
  leakCoefficient(event: ScenarioEvent & { type: 'leak' }): number;
  initialPipeOpen(pipe: string): boolean;
}

export interface EventChange {
  time: number;
  event: string;
  type: ScenarioEvent['type'];
  change: 'started' | 'ended';
}

type Phase = 'waiting' | 'active' | 'over';

/**
 * Plays a scenario's events: checks start and end conditions against the real network at every time
 * step, and applies or withdraws each event's effect (on signals, PLC logic, actuators or the pipes).
 */
export class EventPlayer {
  private readonly phase = new Map<string, Phase>();
  private readonly startedAt = new Map<string, number>();
  readonly intervals = new Map<string, Array<[number, number | undefined]>>();
  readonly changes: EventChange[] = [];

  constructor(
    private readonly events: ScenarioEvent[],
    private readonly layout: PlcLayout,
    private readonly paths: SignalPaths,
    private readonly logic: PlcLogic,
    private readonly links: LinkStates,
    private readonly physical: PhysicalEffects,
    private readonly tanks: Map<string, TankGeometry>,
    private readonly stillFlow: number,
  ) {
    for (const e of events) this.phase.set(e.id!, 'waiting');
  }

  static replayedSignals(scenario: Scenario): string[] {
    return scenario.events.filter((e) => e.type === 'sensor-spoof' && e.mode === 'replay').map((e) => (e as { signal: string }).signal);
  }

  /** Starts and ends events whose conditions hold now. */
  update(ctx: ScanContext): void {
    for (const e of this.events) {
      const id = e.id!;
      const phase = this.phase.get(id);
      if (phase === 'waiting' && this.holds(e.start ?? { hour: 0 }, ctx, id)) {
        this.phase.set(id, 'active');
        this.startedAt.set(id, ctx.time);
        this.intervals.set(id, [...(this.intervals.get(id) ?? []), [ctx.time, undefined]]);
        this.changes.push({ time: ctx.time, event: id, type: e.type, change: 'started' });
        this.apply(e, ctx.time);
      } else if (phase === 'active' && e.end && ctx.time > (this.startedAt.get(id) ?? 0) && this.holds(e.end, ctx, id)) {
        this.phase.set(id, 'over');
        const list = this.intervals.get(id)!;
        list[list.length - 1]![1] = ctx.time;
        this.changes.push({ time: ctx.time, event: id, type: e.type, change: 'ended' });
        this.withdraw(e);
      }
    }
  }

  isActive(id: string): boolean {
    return this.phase.get(id) === 'active';
  }

  private holds(c: Condition, ctx: ScanContext, id: string): boolean {
    if ('hour' in c) return ctx.time >= Math.round(c.hour * 3600);
    if ('afterHours' in c) return ctx.time >= (this.startedAt.get(id) ?? 0) + Math.round(c.afterHours * 3600);
    if ('tank' in c) {
      const tank = this.tanks.get(c.tank)!;
      const v1 = tank.volumeAt(ctx.tankLevel(c.tank));
      const plus = Math.abs(ctx.tankInflow(c.tank));
      if ('levelBelow' in c) return v1 <= tank.volumeAt(c.levelBelow) + plus;
      return v1 >= tank.volumeAt(c.levelAbove) - plus;
    }
    const p = ctx.plant.nodeValue(c.node, 'PRESSURE');
    return 'pressureBelow' in c ? p < c.pressureBelow : p > c.pressureAbove;
  }

  /** Seconds until a timed condition or a tank level condition is met, if sooner than `limit`. */
  secondsToNextChange(ctx: ScanContext, limit: number): number {
    let step = limit;
    const consider = (t: number | undefined): void => {
      if (t !== undefined && t > 0 && t < step) step = t;
    };
    for (const e of this.events) {
      const id = e.id!;
      const phase = this.phase.get(id);
      const c = phase === 'waiting' ? (e.start ?? { hour: 0 }) : phase === 'active' ? e.end : undefined;
      if (!c) continue;
      if ('hour' in c) consider(Math.round(c.hour * 3600) - ctx.time);
      else if ('afterHours' in c) consider((this.startedAt.get(id) ?? 0) + Math.round(c.afterHours * 3600) - ctx.time);
      else if ('tank' in c) {
        const target = 'levelBelow' in c ? c.levelBelow : c.levelAbove;
        const q = ctx.tankInflow(c.tank);
        if (('levelBelow' in c && q < 0) || ('levelAbove' in c && q > 0)) {
          consider(secondsToLevel(this.tanks.get(c.tank)!, ctx.tankLevel(c.tank), q, target, this.stillFlow));
        }
      }
    }
    return step;
  }

  private apply(e: ScenarioEvent, time: number): void {
    const id = e.id!;
    switch (e.type) {
      case 'sensor-spoof': {
        const rule = {
          eventId: id,
          signal: e.signal,
          mode: e.mode,
          value: e.value ?? 0,
          ...(e.mode === 'replay' ? { replay: { from: (e.replayFrom ?? 0) * 3600, to: (e.replayTo ?? 0) * 3600, startedAt: time } } : {}),
        };
        if (!e.on || e.on === 'sensor') this.paths.sensorSpoofs.set(e.signal, rule);
        else this.paths.linkSpoofs.set(`${e.on}|${e.signal}`, rule);
        break;
      }
      case 'link-dos':
        for (const l of this.layout.links) if (l.from === e.from && (!e.to || l.to === e.to)) this.paths.deadLinks.add(`${l.from}->${l.to}`);
        break;
      case 'control-change': {
        const program = this.logic.program(e.control)!;
        const c = program.current;
        if (e.disabled) c.enabled = false;
        if (e.threshold !== undefined && 'node' in c.when) c.when = { ...c.when, value: e.threshold };
        if (e.action !== undefined) c.action = typeof e.action === 'number' ? { setting: e.action } : { status: e.action === 'open' ? 'OPEN' : 'CLOSED' };
        break;
      }
      case 'actuator':
        this.hold(e.link, id);
        this.links.force(e.link, e.status ? { status: e.status === 'open' ? 'OPEN' : 'CLOSED' } : { setting: (e.speed ?? e.setting)! });
        break;
      case 'pump-failure':
        for (const p of e.pumps) {
          this.hold(p, id);
          this.links.force(p, { status: 'CLOSED' });
        }
        break;
      case 'pipe-closure':
        this.hold(e.pipe, id);
        this.links.force(e.pipe, { status: 'CLOSED' });
        break;
      case 'leak': {
        const node = this.physical.leakNode(e);
        this.physical.setEmitter(node, this.physical.baseEmitter(node) + this.physical.leakCoefficient(e));
        break;
      }
      case 'contamination':
        break; // played by the water quality pass, over this event's intervals
    }
  }

  private withdraw(e: ScenarioEvent): void {
    const id = e.id!;
    switch (e.type) {
      case 'sensor-spoof':
        if (!e.on || e.on === 'sensor') this.paths.sensorSpoofs.delete(e.signal);
        else this.paths.linkSpoofs.delete(`${e.on}|${e.signal}`);
        break;
      case 'link-dos':
        for (const l of this.layout.links) if (l.from === e.from && (!e.to || l.to === e.to)) this.paths.deadLinks.delete(`${l.from}->${l.to}`);
        break;
      case 'control-change': {
        const program = this.logic.program(e.control)!;
        program.current.enabled = program.original.enabled;
        program.current.when = { ...program.original.when };
        program.current.action = { ...program.original.action };
        break;
      }
      case 'actuator':
        this.release(e.link, id);
        break;
      case 'pump-failure':
        for (const p of e.pumps) this.release(p, id);
        break;
      case 'pipe-closure':
        this.release(e.pipe, id);
        if (this.physical.initialPipeOpen(e.pipe)) this.links.force(e.pipe, { status: 'OPEN' });
        break;
      case 'leak': {
        const node = this.physical.leakNode(e);
        this.physical.setEmitter(node, this.physical.baseEmitter(node));
        break;
      }
      case 'contamination':
        break;
    }
  }

  private hold(link: string, id: string): void {
    this.logic.heldLinks.set(link, id);
  }

  private release(link: string, id: string): void {
    if (this.logic.heldLinks.get(link) === id) this.logic.heldLinks.delete(link);
  }
}
