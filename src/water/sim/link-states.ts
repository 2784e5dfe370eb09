import type { LinkKind, WaterNetwork } from '../network/model.js';

/**
 * What a pump, valve or pipe has been told to do, mirroring EPANET's link status and setting so that
 * Vigil's control logic decides exactly as EPANET's would. `setting` null is EPANET's MISSING: a valve
 * held fully open or closed rather than regulating.
 */
export interface LinkState {
  kind: LinkKind;
  status: 'OPEN' | 'CLOSED' | 'ACTIVE';
  setting: number | null;
}

export type LinkCommand = { status: 'OPEN' | 'CLOSED' } | { setting: number };

/** The engine side: reads a pump's actual state and changes links. */
export interface Actuators {
  pumpIsRunning(link: string): boolean;
  apply(link: string, command: LinkCommand): void;
}

export class LinkStates {
  private readonly states = new Map<string, LinkState>();

  constructor(
    network: WaterNetwork,
    private readonly actuators: Actuators,
  ) {
    const initial = new Map(network.status.map((s) => [s.link, s.value]));
    for (const p of network.pumps) {
      const s = initial.get(p.id);
      const speed = typeof s === 'number' ? s : (p.speed ?? 1);
      const closed = s === 'CLOSED' || speed === 0;
      this.states.set(p.id, { kind: 'pump', status: closed ? 'CLOSED' : 'OPEN', setting: closed ? 0 : speed });
    }
    for (const v of network.valves) {
      const s = initial.get(v.id);
      const setting = typeof s === 'number' ? s : typeof v.setting === 'number' ? v.setting : null;
      if (s === 'OPEN' || s === 'CLOSED') this.states.set(v.id, { kind: 'valve', status: s, setting: null });
      else this.states.set(v.id, { kind: 'valve', status: 'ACTIVE', setting });
    }
    for (const p of network.pipes) {
      const s = initial.get(p.id);
      const closed = s === 'CLOSED' || (s === undefined && p.status === 'CLOSED');
      this.states.set(p.id, { kind: 'pipe', status: closed ? 'CLOSED' : 'OPEN', setting: null });
    }
  }

  get(link: string): LinkState | undefined {
    const state = this.states.get(link);
    if (state?.kind === 'pump') {
      // A pump may be shut by the solver (cannot deliver head); EPANET's controls see that.
      const running = this.actuators.pumpIsRunning(link);
      return { ...state, status: running ? 'OPEN' : 'CLOSED' };
    }
    return state;
  }

  /** The state a command leads to, as EPANET's control code computes it. */
  target(link: string, command: LinkCommand): LinkState | undefined {
    const state = this.states.get(link);
    if (!state) return undefined;
    if ('status' in command) {
      if (state.kind === 'pump') return { ...state, status: command.status, setting: command.status === 'OPEN' ? 1 : 0 };
      if (state.kind === 'valve') return { ...state, status: command.status, setting: null };
      return { ...state, status: command.status };
    }
    if (state.kind === 'pump') return { ...state, status: command.setting > 0 ? 'OPEN' : 'CLOSED', setting: command.setting };
    if (state.kind === 'valve') return { ...state, status: 'ACTIVE', setting: command.setting };
    return { ...state, status: command.setting === 0 ? 'CLOSED' : 'OPEN' };
  }

  /** Would the command change the link (EPANET's test before it shortens a time step for a control)? */
  wouldChange(link: string, command: LinkCommand): boolean {
    const now = this.get(link);
    const next = this.target(link, command);
    if (!now || !next) return false;
    return now.status !== next.status || (now.kind !== 'pipe' && now.setting !== next.setting);
  }

  /** Applies the command if it changes the link; returns whether it did. */
  command(link: string, command: LinkCommand): boolean {
    const now = this.get(link);
    const next = this.target(link, command);
    if (!now || !next) return false;
    const collapsed = (s: LinkState['status']): string => (s === 'CLOSED' ? 'CLOSED' : 'OPEN');
    const changes = collapsed(now.status) !== collapsed(next.status) || (now.kind !== 'pipe' && now.setting !== next.setting);
    if (!changes) return false;
    this.actuators.apply(link, command);
    this.states.set(link, next);
    return true;
  }

  /** Forces a link regardless of its current state (attacks, failures, repairs). */
  force(link: string, command: LinkCommand): void {
    const next = this.target(link, command);
    if (!next) return;
    this.actuators.apply(link, command);
    this.states.set(link, next);
  }
}
