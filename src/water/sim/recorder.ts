import type { WaterNetwork } from '../network/model.js';

/** Values of one solved time step, in the network's units, in Vigil's element order. */
export interface StepValues {
  time: number;
  /** Junction pressures, then the expected and delivered demand of each junction. */
  junctionPressure: Float64Array;
  expected: Float64Array;
  delivered: Float64Array;
  /** All node pressures (junctions, reservoirs, tanks in model order) — for series. */
  nodePressure: Float64Array;
  tankLevel: Float64Array;
  /** Net inflow of each tank (flow units). */
  tankInflow: Float64Array;
  linkFlow: Float64Array;
  /** 1 open / 0 closed, for pumps then valves. */
  actuatorStatus: Float64Array;
}

export interface RecorderOptions {
  servicePressure: number;
  population: number[];
  critical: Array<{ node: string; position: number; minPressure: number }>;
  reportStep: number;
  keepSeries: boolean;
}

/**
 * Accumulates what the impact metrics need, step by step: each solved state holds until the next step
 * (as EPANET accounts energy), and report times get a snapshot.
 */
export class Recorder {
  readonly reportTimes: number[] = [];
  readonly junctionsBelow: number[] = [];
  readonly populationBelow: number[] = [];
  /** Delivered over expected demand at each report time (1 = every consumer fully served). */
  readonly satisfaction: number[] = [];
  readonly belowAt: Uint8Array[] = [];
  readonly tankLevels: number[][];
  readonly actuatorStatus: number[][];
  readonly expectedVolume: Float64Array;
  readonly unservedVolume: Float64Array;
  readonly secondsBelow: Float64Array;
  readonly firstBelow: Float64Array;
  readonly minPressure: Float64Array;
  readonly tankStats: Array<{ firstEmpty: number; emptySeconds: number; firstFull: number; fullSeconds: number; min: number; max: number }>;
  readonly criticalFirstBelow: Map<string, number> = new Map();
  readonly series = { nodePressure: [] as Float32Array[], expected: [] as Float32Array[], delivered: [] as Float32Array[], linkFlow: [] as Float32Array[] };
  private last?: StepValues;

  constructor(
    private readonly network: WaterNetwork,
    private readonly options: RecorderOptions,
  ) {
    const nj = network.junctions.length;
    this.expectedVolume = new Float64Array(nj);
    this.unservedVolume = new Float64Array(nj);
    this.secondsBelow = new Float64Array(nj);
    this.firstBelow = new Float64Array(nj).fill(-1);
    this.minPressure = new Float64Array(nj).fill(Infinity);
    this.tankLevels = network.tanks.map(() => []);
    this.actuatorStatus = [...network.pumps, ...network.valves].map(() => []);
    this.tankStats = network.tanks.map(() => ({ firstEmpty: -1, emptySeconds: 0, firstFull: -1, fullSeconds: 0, min: Infinity, max: -Infinity }));
  }

  /** Records a solved step. `duration` (seconds) is known once the engine has chosen the next step. */
  record(values: StepValues): void {
    this.last = values;
    const { time } = values;
    const o = this.options;
    for (let j = 0; j < values.junctionPressure.length; j++) {
      const p = values.junctionPressure[j]!;
      if (p < this.minPressure[j]!) this.minPressure[j] = p;
      if (p < o.servicePressure && values.expected[j]! > 0 && this.firstBelow[j]! < 0) this.firstBelow[j] = time;
    }
    for (const c of o.critical) {
      if (!this.criticalFirstBelow.has(c.node) && values.junctionPressure[c.position]! < c.minPressure) this.criticalFirstBelow.set(c.node, time);
    }
    this.network.tanks.forEach((tank, k) => {
      const level = values.tankLevel[k]!;
      const s = this.tankStats[k]!;
      s.min = Math.min(s.min, level);
      s.max = Math.max(s.max, level);
      if (level <= tank.minLevel + 1e-3 && s.firstEmpty < 0) s.firstEmpty = time;
      if (level >= tank.maxLevel - 1e-3 && s.firstFull < 0) s.firstFull = time;
    });
    if (time % o.reportStep === 0 && this.reportTimes[this.reportTimes.length - 1] !== time) this.snapshot(values);
  }

  /** Adds the time the last recorded state lasted. */
  lasted(duration: number): void {
    const v = this.last;
    if (!v || duration <= 0) return;
    const o = this.options;
    for (let j = 0; j < v.expected.length; j++) {
      const expected = Math.max(0, v.expected[j]!);
      this.expectedVolume[j]! += expected * duration;
      this.unservedVolume[j]! += Math.max(0, expected - Math.max(0, v.delivered[j]!)) * duration;
      if (expected > 0 && v.junctionPressure[j]! < o.servicePressure) this.secondsBelow[j]! += duration;
    }
    this.network.tanks.forEach((tank, k) => {
      const level = v.tankLevel[k]!;
      const s = this.tankStats[k]!;
      if (level <= tank.minLevel + 1e-3) s.emptySeconds += duration;
      if (level >= tank.maxLevel - 1e-3) s.fullSeconds += duration;
    });
  }

  private snapshot(v: StepValues): void {
    const o = this.options;
    this.reportTimes.push(v.time);
    const below = new Uint8Array(v.junctionPressure.length);
    let count = 0;
    let people = 0;
    let expected = 0;
    let delivered = 0;
    for (let j = 0; j < below.length; j++) {
      const e = Math.max(0, v.expected[j]!);
      expected += e;
      delivered += Math.min(e, Math.max(0, v.delivered[j]!));
      if (e > 0 && v.junctionPressure[j]! < o.servicePressure) {
        below[j] = 1;
        count++;
        people += o.population[j] ?? 0;
      }
    }
    this.belowAt.push(below);
    this.junctionsBelow.push(count);
    this.populationBelow.push(people);
    this.satisfaction.push(expected > 0 ? delivered / expected : 1);
    v.tankLevel.forEach((l, k) => this.tankLevels[k]!.push(l));
    v.actuatorStatus.forEach((s, k) => this.actuatorStatus[k]!.push(s));
    if (o.keepSeries) {
      this.series.nodePressure.push(Float32Array.from(v.nodePressure));
      this.series.expected.push(Float32Array.from(v.expected));
      this.series.delivered.push(Float32Array.from(v.delivered));
      this.series.linkFlow.push(Float32Array.from(v.linkFlow));
    }
  }
}
