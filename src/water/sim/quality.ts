import type { WaterNetwork } from '../network/model.js';
import type { Contamination, Scenario } from '../scenario/model.js';
import type { EngineSession } from '../engine/epanet.js';

const NODE = { SOURCEQUAL: 5, SOURCETYPE: 7, QUALITY: 12 } as const;
const SOURCE = { CONCEN: 0, MASS: 1, SETPOINT: 2 } as const;

export interface QualityRecord {
  kind: 'chemical' | 'age';
  units: string;
  threshold: number;
  reportTimes: number[];
  /** Per junction: first time above the threshold (seconds, -1 never) and highest value. */
  firstAbove: Float64Array;
  peak: Float64Array;
  /** Junctions and people above the threshold at each report time. */
  junctionsAbove: number[];
  populationAbove: number[];
  /** Quality of every node at report times (model order: junctions, reservoirs, tanks). */
  series: Float32Array[];
}

export interface QualityPassOptions {
  quality: NonNullable<Scenario['quality']>;
  nodeIndex: Map<string, number>;
  reportStep: number;
  population: number[];
  contaminations: Contamination[];
  intervals: Map<string, Array<[number, number | undefined]>>;
}

/**
 * EPANET's water quality over the hydraulics just solved (saved by the hydraulic pass): a chemical
 * injected over the contamination events' intervals, or the water age.
 */
export function runQualityPass(session: EngineSession, network: WaterNetwork, o: QualityPassOptions): QualityRecord {
  const p = session.project;
  const chemical = o.quality.kind === 'chemical';
  const threshold = o.quality.kind === 'chemical' ? (o.quality.threshold ?? 0.01) : (o.quality.thresholdHours ?? 24);
  const nodeIds = [...network.junctions.map((j) => j.id), ...network.reservoirs.map((r) => r.id), ...network.tanks.map((t) => t.id)];
  const order = nodeIds.map((id) => o.nodeIndex.get(id)! - 1);
  const nj = network.junctions.length;
  const record: QualityRecord = {
    kind: o.quality.kind,
    units: chemical ? ((o.quality as { units?: string }).units ?? 'mg/L') : 'hours',
    threshold,
    reportTimes: [],
    firstAbove: new Float64Array(nj).fill(-1),
    peak: new Float64Array(nj),
    junctionsAbove: [],
    populationAbove: [],
    series: [],
  };
  const sources = o.contaminations.map((e) => {
    const index = o.nodeIndex.get(e.node)!;
    const isReservoir = network.reservoirs.some((r) => r.id === e.node);
    const type = e.massRate !== undefined ? SOURCE.MASS : isReservoir ? SOURCE.CONCEN : SOURCE.SETPOINT;
    p.setNodeValue(index, NODE.SOURCETYPE, type);
    p.setNodeValue(index, NODE.SOURCEQUAL, 0);
    return { event: e, index, strength: e.massRate ?? e.concentration ?? 0, on: false };
  });
  p.openQ();
  p.initQ(0);
  let t = 0;
  for (;;) {
    for (const s of sources) {
      const on = (o.intervals.get(s.event.id!) ?? []).some(([a, b]) => t >= a && (b === undefined || t < b));
      if (on !== s.on) {
        p.setNodeValue(s.index, NODE.SOURCEQUAL, on ? s.strength : 0);
        s.on = on;
      }
    }
    t = p.runQ();
    const q = p.getNodeValues(NODE.QUALITY);
    for (let j = 0; j < nj; j++) {
      const v = q[order[j]!]!;
      if (v > record.peak[j]!) record.peak[j] = v;
      if (v > threshold && record.firstAbove[j]! < 0) record.firstAbove[j] = t;
    }
    if (t % o.reportStep === 0 && record.reportTimes[record.reportTimes.length - 1] !== t) {
      record.reportTimes.push(t);
      let count = 0;
      let people = 0;
      for (let j = 0; j < nj; j++) {
        if (q[order[j]!]! > threshold) {
          count++;
          people += o.population[j] ?? 0;
        }
      }
      record.junctionsAbove.push(count);
      record.populationAbove.push(people);
      record.series.push(Float32Array.from(order.map((i) => q[i]!)));
    }
    const step = p.nextQ();
    if (step <= 0) break;
  }
  p.closeQ();
  return record;
}
