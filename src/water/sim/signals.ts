import { parseSignal, signalSources, type PlcLayout, type SignalRef } from '../cyber/layout.js';

/** What the instruments really measure right now (the simulator's truth). */
export type TruthReader = (signal: SignalRef) => number;

/** How a reading relates to reality, so the simulator can tell when a PLC will see a level crossed. */
export type Tracking = { kind: 'live'; offset: number } | { kind: 'frozen' };

export interface Reading {
  value: number;
  tracking: Tracking;
}

/** A lie told about a signal, at the instrument or on one communication link. */
export interface SpoofRule {
  eventId: string;
  signal: string;
  mode: 'constant' | 'offset' | 'replay';
  value: number;
  replay?: { from: number; to: number; startedAt: number };
}

/**
 * The data path of every signal from instrument to controller: instrument (may be spoofed), then a
 * communication link (may be spoofed or cut off, leaving the receiver with stale values).
 */
export class SignalPaths {
  private readonly sources = new Map<string, Map<string, string>>();
  private readonly refs = new Map<string, SignalRef>();
  readonly sensorSpoofs = new Map<string, SpoofRule>();
  readonly linkSpoofs = new Map<string, SpoofRule>();
  /** Links under denial of service, by "from->to". */
  readonly deadLinks = new Set<string>();
  /** Last value each receiver got over each link: what it keeps showing when the link goes dead. */
  private readonly delivered = new Map<string, number>();
  /** Real readings over time, kept for signals an attacker replays. */
  private readonly history = new Map<string, Array<[number, number]>>();

  constructor(
    readonly layout: PlcLayout,
    replayed: string[],
  ) {
    for (const c of [layout.scada.id, ...layout.plcs.map((p) => p.id)]) this.sources.set(c, signalSources(layout, c));
    for (const p of layout.plcs) for (const s of p.sensors) this.refs.set(s, parseSignal(s)!);
    for (const s of replayed) this.history.set(s, []);
  }

  ref(signal: string): SignalRef | undefined {
    return this.refs.get(signal);
  }

  /** Keeps the real readings of replayed signals (call once per time step, before attacks act). */
  remember(time: number, truth: TruthReader): void {
    for (const [signal, list] of this.history) {
      const last = list[list.length - 1];
      if (last && last[0] === time) list.pop();
      list.push([time, truth(this.refs.get(signal)!)]);
    }
  }

  /** What `controller` sees of `signal` at `time`. */
  seenBy(controller: string, signal: string, time: number, truth: TruthReader): Reading | undefined {
    const source = this.sources.get(controller)?.get(signal);
    const ref = this.refs.get(signal);
    if (source === undefined || !ref) return undefined;
    let reading: Reading = { value: truth(ref), tracking: { kind: 'live', offset: 0 } };
    const atSensor = this.sensorSpoofs.get(signal);
    if (atSensor) reading = this.lie(atSensor, reading, time);
    if (source === controller) return reading;
    const link = `${source}->${controller}`;
    const key = `${link}|${signal}`;
    if (this.deadLinks.has(link)) {
      const stale = this.delivered.get(key);
      return { value: stale ?? reading.value, tracking: { kind: 'frozen' } };
    }
    const onLink = this.linkSpoofs.get(key);
    if (onLink) reading = this.lie(onLink, reading, time);
    this.delivered.set(key, reading.value);
    return reading;
  }

  private lie(rule: SpoofRule, real: Reading, time: number): Reading {
    if (rule.mode === 'offset') {
      return { value: real.value + rule.value, tracking: real.tracking.kind === 'live' ? { kind: 'live', offset: real.tracking.offset + rule.value } : real.tracking };
    }
    if (rule.mode === 'constant') return { value: rule.value, tracking: { kind: 'frozen' } };
    const r = rule.replay!;
    const span = r.to - r.from;
    const at = r.from + ((((time - r.startedAt) % span) + span) % span);
    return { value: this.recorded(rule.signal, at) ?? real.value, tracking: { kind: 'frozen' } };
  }

  private recorded(signal: string, at: number): number | undefined {
    const list = this.history.get(signal);
    if (!list || list.length === 0) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    if (list[0]![0] > at) return list[0]![1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]![0] <= at) lo = mid;
      else hi = mid - 1;
    }
    return list[lo]![1];
  }

  /** Seconds until a replayed reading changes (the next recorded sample comes round), for time stepping. */
  nextReplayChange(time: number): number | undefined {
    let best: number | undefined;
    for (const rule of [...this.sensorSpoofs.values(), ...this.linkSpoofs.values()]) {
      if (rule.mode !== 'replay' || !rule.replay) continue;
      const r = rule.replay;
      const span = r.to - r.from;
      const at = r.from + ((((time - r.startedAt) % span) + span) % span);
      const list = this.history.get(rule.signal) ?? [];
      const next = list.find(([t]) => t > at && t < r.to);
      const wait = next ? next[0] - at : r.to - at;
      if (wait > 0 && (best === undefined || wait < best)) best = wait;
    }
    return best;
  }
}
