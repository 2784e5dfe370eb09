import { flowUnitInVolumePerSecond, isMetric, type WaterNetwork } from '../network/model.js';
import type { Leak, Scenario } from '../scenario/model.js';

/**
 * The network as the engine gets it for one scenario: pipes that break are split at their middle so the
 * leak sits there (as WNTR does), reporting is off (Vigil reads results through the API), and the
 * file's initial qualities and sources are dropped.
 */
export function prepareNetwork(network: WaterNetwork, scenario: Scenario): { network: WaterNetwork; leakNodes: Map<string, string> } {
  const net: WaterNetwork = {
    ...network,
    junctions: [...network.junctions],
    pipes: [...network.pipes],
    coordinates: new Map(network.coordinates),
    vertices: [...network.vertices],
    report: [],
    times: { ...network.times, reportStart: 0 },
    // The file's own quality data describe another substance (often chlorine); Vigil's quality runs
    // follow one contaminant, or the water age, from clean water.
    initialQuality: [],
    sources: [],
  };
  const leakNodes = new Map<string, string>();
  for (const e of scenario.events) {
    if (e.type !== 'leak') continue;
    if (e.node) {
      leakNodes.set(e.id!, e.node);
      continue;
    }
    leakNodes.set(e.id!, splitPipe(net, e.pipe!));
  }
  return { network: net, leakNodes };
}

function splitPipe(net: WaterNetwork, pipeId: string): string {
  const existing = `${pipeId}_break`;
  if (net.junctions.some((j) => j.id === existing)) return existing;
  const i = net.pipes.findIndex((p) => p.id === pipeId);
  const pipe = net.pipes[i]!;
  const elevation = (id: string): number =>
    net.junctions.find((j) => j.id === id)?.elevation ?? net.tanks.find((t) => t.id === id)?.elevation ?? net.reservoirs.find((r) => r.id === id)?.head ?? 0;
  net.junctions.push({ id: existing, elevation: (elevation(pipe.from) + elevation(pipe.to)) / 2, demands: [] });
  net.pipes[i] = { ...pipe, to: existing, length: pipe.length / 2 };
  net.pipes.splice(i + 1, 0, { ...pipe, id: `${pipeId}_B`, from: existing, length: pipe.length / 2 });
  const a = net.coordinates.get(pipe.from);
  const b = net.coordinates.get(pipe.to);
  if (a && b) net.coordinates.set(existing, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  net.vertices = net.vertices.filter((v) => v.link !== pipeId);
  return existing;
}

/**
 * Emitter coefficient of an orifice of the given area: Q = Cd·A·√(2g·p), Cd = 0.75 (WNTR's default),
 * in the network's flow units per (pressure unit)^0.5.
 */
export function orificeCoefficient(network: WaterNetwork, leak: Leak): number {
  if (leak.emitterCoefficient !== undefined) return leak.emitterCoefficient;
  const areaM2 = (leak.holeAreaCm2 ?? 0) / 1e4;
  const metric = isMetric(network.options.flowUnits);
  const perUnit = flowUnitInVolumePerSecond(network.options.flowUnits);
  if (metric) return (0.75 * areaM2 * Math.sqrt(2 * 9.81)) / perUnit;
  const areaFt2 = areaM2 * 10.7639;
  // p in psi → head in ft: 2.3067 ft per psi
  return (0.75 * areaFt2 * Math.sqrt(2 * 32.174 * 2.3067)) / perUnit;
}

/** Demand patterns resolved once, so the expected demand of every junction can be had at any time. */
export class DemandBook {
  private readonly terms: Array<Array<{ base: number; multipliers: number[] | undefined }>>;
  private readonly patternStep: number;
  private readonly patternStart: number;
  private readonly multiplier: number;

  constructor(network: WaterNetwork) {
    const patterns = new Map(network.patterns.map((p) => [p.id, p.multipliers]));
    const fallback = network.options.defaultPattern ?? (patterns.has('1') ? '1' : undefined);
    this.terms = network.junctions.map((j) =>
      j.demands.map((d) => ({ base: d.base, multipliers: patterns.get(d.pattern ?? fallback ?? '') })),
    );
    this.patternStep = network.times.patternStep || 3600;
    this.patternStart = network.times.patternStart;
    this.multiplier = network.options.demandMultiplier;
  }

  /** Demand each junction asks for at `time` (flow units), as EPANET's demands() computes it. */
  expectedAt(time: number, out: Float64Array): Float64Array {
    const period = Math.floor((time + this.patternStart) / this.patternStep);
    for (let j = 0; j < this.terms.length; j++) {
      let sum = 0;
      for (const t of this.terms[j]!) {
        const m = t.multipliers && t.multipliers.length ? t.multipliers[period % t.multipliers.length]! : 1;
        sum += t.base * m * this.multiplier;
      }
      out[j] = sum;
    }
    return out;
  }

  /** Average positive demand of each junction over its patterns (flow units). */
  averages(): number[] {
    return this.terms.map((terms) =>
      Math.max(0, terms.reduce((s, t) => {
        const m = t.multipliers && t.multipliers.length ? t.multipliers.reduce((a, b) => a + b, 0) / t.multipliers.length : 1;
        return s + t.base * m * this.multiplier;
      }, 0)),
    );
  }
}

export const DEFAULT_LITRES_PER_PERSON_PER_DAY = 757;

/**
 * People served by each junction, estimated from its average demand at a per-person water use (WNTR's
 * method; the default 757 L/day is WNTR's 200 US gallons, which counts all urban uses, not only homes).
 */
export function populationByJunction(network: WaterNetwork, litresPerPersonPerDay = DEFAULT_LITRES_PER_PERSON_PER_DAY): number[] {
  const litresPerSecondPerUnit = flowUnitInVolumePerSecond(network.options.flowUnits) * (isMetric(network.options.flowUnits) ? 1000 : 28.3168466);
  const perPerson = litresPerPersonPerDay / 86400;
  return new DemandBook(network).averages().map((q) => (q * litresPerSecondPerUnit) / perPerson);
}
