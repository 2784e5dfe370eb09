import type { PlcLayout, SignalRef } from '../cyber/layout.js';
import { isMetric, type WaterNetwork } from '../network/model.js';
import { writeInp } from '../network/write.js';
import type { Scenario } from '../scenario/model.js';
import { discardEngine, EngineSession, elementFromReport, toEngineError } from '../engine/epanet.js';
import { EventPlayer, type EventChange } from './events.js';
import { LinkStates, type LinkCommand } from './link-states.js';
import { PlcLogic, type ScanContext } from './plc-logic.js';
import { DemandBook, orificeCoefficient, populationByJunction, prepareNetwork } from './prepare.js';
import { Recorder, type StepValues } from './recorder.js';
import type { Plant } from './rules.js';
import { SignalPaths } from './signals.js';
import { TankGeometry, stillFlow, volumePerSecond } from './tanks.js';
import { runQualityPass, type QualityRecord } from './quality.js';

const NODE = { HEAD: 10, PRESSURE: 11, DEMAND: 9, DEFICIT: 27, EMITTER: 3 } as const;
const LINK = { FLOW: 8, STATUS: 11, SETTING: 12 } as const;
const TIME = { DURATION: 0, HYDSTEP: 1, QUALSTEP: 2, RULESTEP: 7, REPORTSTEP: 5 } as const;

export interface RunOptions {
  network: WaterNetwork;
  layout: PlcLayout;
  /** A validated scenario (validateScenario). */
  scenario: Scenario;
  /** false: the baseline — the same settings, no events. */
  withEvents: boolean;
  keepSeries?: boolean;
  onProgress?: (simulatedSeconds: number, horizonSeconds: number) => void;
  isCancelled?: () => boolean;
}

export interface EngineIssue {
  time: number;
  code: number;
  message: string;
  element?: { kind: 'node' | 'link'; id: string };
}

export interface HydraulicRun {
  status: 'completed' | 'failed' | 'cancelled';
  failure?: EngineIssue;
  horizon: number;
  simulated: number;
  steps: number;
  network: WaterNetwork;
  servicePressure: number;
  population: number[];
  recorder: Recorder;
  warnings: EngineIssue[];
  warningCount: number;
  eventChanges: EventChange[];
  intervals: Map<string, Array<[number, number | undefined]>>;
  actions: Array<{ time: number; link: string; command: string }>;
  controlOwners: Array<{ control: string; plc: string | null }>;
  /** What SCADA and the real instrument show for attacked signals, at report times. */
  scadaView: Map<string, { seen: number[]; real: number[] }>;
  quality?: QualityRecord;
  timing: { engineMs: number; totalMs: number };
}

/** Runs one simulation: EPANET solves the hydraulics step by step, Vigil's PLCs and events act in between. */
export async function runHydraulics(o: RunOptions): Promise<HydraulicRun> {
  const started = performance.now();
  let engineMs = 0;
  const timed = <T>(fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      engineMs += performance.now() - t0;
    }
  };
  const scenario = o.scenario;
  const events = o.withEvents ? scenario.events : [];
  const { network, leakNodes } = prepareNetwork(o.network, { ...scenario, events });
  const horizon = Math.round((scenario.hours ?? 24) * 3600);
  const metric = isMetric(network.options.flowUnits);
  const demandModel = scenario.demandModel ?? 'PDA';
  const required = scenario.pressure?.required ?? (metric ? 20 : 30);
  const servicePressure = scenario.servicePressure ?? (demandModel === 'PDA' ? required : metric ? 20 : 30);
  const quality = qualityKind(scenario);
  const wantsQuality = quality !== undefined && (quality.kind === 'age' || events.some((e) => e.type === 'contamination'));

  const session = await timed(() => EngineSession.open(writeInp(network, { withoutControls: true })));
  const p = session.project;
  try {
    timed(() => {
      p.setTimeParameter(TIME.DURATION, horizon);
      if (demandModel !== 'network') {
        p.setDemandModel(demandModel === 'PDA' ? 1 : 0, scenario.pressure?.minimum ?? 0, required, scenario.pressure?.exponent ?? 0.5);
      }
      if (wantsQuality && quality) {
        if (quality.kind === 'age') p.setQualityType(2, '', 'hrs', '');
        else p.setQualityType(1, quality.name ?? 'Contaminant', quality.units ?? 'mg/L', '');
      }
    });
    const nodeIds = [...network.junctions.map((j) => j.id), ...network.reservoirs.map((r) => r.id), ...network.tanks.map((t) => t.id)];
    const linkIds = [...network.pipes.map((l) => l.id), ...network.pumps.map((l) => l.id), ...network.valves.map((l) => l.id)];
    const nodeIndex = new Map(nodeIds.map((id) => [id, p.getNodeIndex(id)]));
    const linkIndex = new Map(linkIds.map((id) => [id, p.getLinkIndex(id)]));
    const actuatorIds = [...network.pumps.map((l) => l.id), ...network.valves.map((l) => l.id)];
    const nj = network.junctions.length;
    const junctionIdx = network.junctions.map((j) => nodeIndex.get(j.id)! - 1);
    const allNodeIdx = nodeIds.map((id) => nodeIndex.get(id)! - 1);
    const tankIdx = network.tanks.map((t) => nodeIndex.get(t.id)!);
    const linkIdx = linkIds.map((id) => linkIndex.get(id)! - 1);
    const actuatorIdx = actuatorIds.map((id) => linkIndex.get(id)! - 1);
    const tankPos = new Map(network.tanks.map((t, k) => [t.id, k]));
    const hydStep = p.getTimeParameter(TIME.HYDSTEP);
    const ruleStep = network.rules.length ? p.getTimeParameter(TIME.RULESTEP) : 0;
    const reportStep = p.getTimeParameter(TIME.REPORTSTEP);

    const pressures = new Float64Array(nodeIds.length);
    const flows = new Float64Array(linkIds.length);
    const statuses = new Float64Array(linkIds.length).fill(1);
    const demands = new Float64Array(nodeIds.length);
    const deficits = new Float64Array(nodeIds.length);
    const tankLevel = new Float64Array(network.tanks.length);
    const tankInflow = new Float64Array(network.tanks.length);
    const readTankLevels = (): void => {
      network.tanks.forEach((t, k) => {
        tankLevel[k] = timed(() => p.getNodeValue(tankIdx[k]!, NODE.HEAD)) - t.elevation;
      });
    };
    const truth = (ref: SignalRef): number => {
      switch (ref.kind) {
        case 'level':
          return tankLevel[tankPos.get(ref.element)!]!;
        case 'pressure': {
          const k = tankPos.get(ref.element);
          return k !== undefined && metric ? tankLevel[k]! : pressures[nodeIndex.get(ref.element)! - 1]!;
        }
        case 'flow':
          return flows[linkIndex.get(ref.element)! - 1]!;
        case 'status':
          return statuses[linkIndex.get(ref.element)! - 1]!;
      }
    };
    const plant: Plant = {
      nodeValue: (node, variable) => {
        const i = nodeIndex.get(node)! - 1;
        const k = tankPos.get(node);
        if (variable === 'LEVEL') return k !== undefined ? tankLevel[k]! : pressures[i]!;
        if (variable === 'PRESSURE') return pressures[i]!;
        if (variable === 'DEMAND') return demands[i]!;
        return timed(() => p.getNodeValue(i + 1, NODE.HEAD));
      },
      linkValue: (link, variable) => {
        const i = linkIndex.get(link)! - 1;
        if (variable === 'FLOW') return flows[i]!;
        if (variable === 'STATUS') return statuses[i]!;
        return timed(() => p.getLinkValue(i + 1, LINK.SETTING));
      },
    };

    let now = 0;
    const actions: HydraulicRun['actions'] = [];
    const links = new LinkStates(network, {
      pumpIsRunning: (link) => timed(() => p.getLinkValue(linkIndex.get(link)!, LINK.STATUS)) > 0.5,
      apply: (link, command: LinkCommand) => {
        const i = linkIndex.get(link)!;
        if ('status' in command) timed(() => p.setLinkValue(i, LINK.STATUS, command.status === 'OPEN' ? 1 : 0));
        else timed(() => p.setLinkValue(i, LINK.SETTING, command.setting));
        if (actions.length < 5000) actions.push({ time: now, link, command: 'status' in command ? command.status : `setting ${command.setting}` });
      },
    });
    const tanks = new Map(network.tanks.map((t) => [t.id, new TankGeometry(t, network)]));
    const still = stillFlow(network);
    const paths = new SignalPaths(o.layout, EventPlayer.replayedSignals({ ...scenario, events }));
    const logic = new PlcLogic(network, o.layout, paths, links, tanks, still);
    const baseEmitters = new Map(network.junctions.map((j) => [j.id, j.emitter ?? 0]));
    const player = new EventPlayer(events, o.layout, paths, logic, links, {
      setEmitter: (node, c) => timed(() => p.setNodeValue(nodeIndex.get(node)!, NODE.EMITTER, c)),
      baseEmitter: (node) => baseEmitters.get(node) ?? 0,
      leakNode: (e) => leakNodes.get(e.id!)!,
      leakCoefficient: (e) => orificeCoefficient(network, e),
      initialPipeOpen: (pipe) => network.pipes.find((x) => x.id === pipe)?.status !== 'CLOSED',
    }, tanks, still);

    const population = populationByJunction(network, scenario.litresPerPersonPerDay);
    const critical = (scenario.criticalConsumers ?? []).map((c) => ({
      node: c.node,
      position: network.junctions.findIndex((j) => j.id === c.node),
      minPressure: c.minPressure ?? servicePressure,
    }));
    const recorder = new Recorder(network, { servicePressure, population, critical, reportStep, keepSeries: o.keepSeries ?? false });
    const book = new DemandBook(network);
    const watched = [...new Set(events.flatMap((e) => (e.type === 'sensor-spoof' ? [e.signal] : e.type === 'link-dos' ? o.layout.links.filter((l) => l.from === e.from && (!e.to || l.to === e.to)).flatMap((l) => l.signals) : [])))];
    const scadaView = new Map(watched.map((s) => [s, { seen: [] as number[], real: [] as number[] }]));

    const values: StepValues = {
      time: 0,
      junctionPressure: new Float64Array(nj),
      expected: new Float64Array(nj),
      delivered: new Float64Array(nj),
      nodePressure: new Float64Array(nodeIds.length),
      tankLevel,
      tankInflow,
      linkFlow: new Float64Array(linkIds.length),
      actuatorStatus: new Float64Array(actuatorIds.length),
    };
    const ctx: ScanContext = {
      time: 0,
      clock: 0,
      truth,
      plant,
      tankInflow: (tank) => tankInflow[tankPos.get(tank)!]!,
      tankLevel: (tank) => tankLevel[tankPos.get(tank)!]!,
    };
    const warnings: EngineIssue[] = [];
    let warningCount = 0;
    let diagnoses = 0;
    let reportReads = 0;
    const collectWarnings = (resolvable: boolean): void => {
      const fresh = session.takeWarnings();
      if (fresh.length === 0) return;
      // Reading EPANET's report costs more as it grows: name elements (disconnected nodes, pumps and
      // valves that cannot deliver) for the first warnings only.
      const named = fresh.some((w) => w.code >= 3 && w.code <= 5);
      let element = named && reportReads++ < 10 ? elementFromReport(session.newReportLines()) : undefined;
      if (!element && resolvable && diagnoses < 10 && fresh.some((w) => w.code === 1)) {
        // EPANET names the link with the largest flow change only in its full status report: solve
        // this step again with that report on.
        diagnoses++;
        timed(() => {
          p.setStatusReport(2);
          p.runH();
          p.setStatusReport(0);
        });
        session.takeWarnings();
        element = elementFromReport(session.newReportLines().filter((l) => /maximum\s+flow change|ill-cond|disconnected/i.test(l)).reverse());
      }
      for (const w of fresh) {
        warningCount++;
        if (warnings.length < 200) warnings.push({ time: now, code: w.code, message: w.text, ...(element ? { element } : {}) });
      }
    };

    let status: HydraulicRun['status'] = 'completed';
    let failure: EngineIssue | undefined;
    let steps = 0;
    let lastProgress = -Infinity;
    timed(() => {
      p.openH();
      p.initH(wantsQuality ? 1 : 0);
    });
    readTankLevels();
    for (;;) {
      if (o.isCancelled?.()) {
        status = 'cancelled';
        break;
      }
      ctx.time = now;
      ctx.clock = (now + network.times.startClockTime) % 86400;
      paths.remember(now, truth);
      player.update(ctx);
      logic.scanBeforeSolve(ctx);
      try {
        let passes = 0;
        do {
          timed(() => p.runH());
          collectWarnings(true);
          timed(() => {
            session.readAll('node', NODE.PRESSURE, pressures);
            session.readAll('link', LINK.FLOW, flows);
            session.readAll('link', LINK.STATUS, statuses);
          });
        } while (logic.scanAfterSolve(ctx) && ++passes < 4);
        timed(() => {
          session.readAll('node', NODE.DEMAND, demands);
          if (demandModel !== 'DDA') session.readAll('node', NODE.DEFICIT, deficits);
        });
        book.expectedAt(now, values.expected);
        for (let j = 0; j < nj; j++) {
          const i = junctionIdx[j]!;
          values.junctionPressure[j] = pressures[i]!;
          values.delivered[j] = values.expected[j]! - (demandModel === 'DDA' ? 0 : deficits[i]!);
        }
        for (let k = 0; k < allNodeIdx.length; k++) values.nodePressure[k] = pressures[allNodeIdx[k]!]!;
        network.tanks.forEach((_, k) => {
          tankInflow[k] = volumePerSecond(network, demands[tankIdx[k]! - 1]!);
        });
        for (let k = 0; k < linkIdx.length; k++) values.linkFlow[k] = flows[linkIdx[k]!]!;
        for (let k = 0; k < actuatorIdx.length; k++) values.actuatorStatus[k] = statuses[actuatorIdx[k]!]!;
      } catch (error) {
        status = 'failed';
        failure = asIssue(error, now, session);
        break;
      }
      values.time = now;
      recorder.record(values);
      if (now % reportStep === 0) {
        for (const [signal, view] of scadaView) {
          const ref = paths.ref(signal)!;
          view.real.push(truth(ref));
          view.seen.push(paths.seenBy(o.layout.scada.id, signal, now, truth)?.value ?? NaN);
        }
      }
      steps++;

      let limit = logic.secondsToNextAction(ctx, hydStep);
      limit = player.secondsToNextChange(ctx, limit);
      const replay = paths.nextReplayChange(now);
      if (replay !== undefined && replay < limit) limit = replay;
      if (ruleStep > 0) limit = Math.min(limit, ruleStep - (now % ruleStep) || ruleStep);
      let tstep: number;
      try {
        if (limit < hydStep) timed(() => p.setTimeParameter(TIME.HYDSTEP, limit));
        tstep = timed(() => p.nextH());
        if (limit < hydStep) timed(() => p.setTimeParameter(TIME.HYDSTEP, hydStep));
        collectWarnings(false);
      } catch (error) {
        status = 'failed';
        failure = asIssue(error, now, session);
        break;
      }
      recorder.lasted(tstep);
      if (tstep <= 0) {
        if (now < horizon) {
          // EPANET halted (UNBALANCED STOP, or an error it reported as a warning).
          status = 'failed';
          const last = warnings[warnings.length - 1];
          failure = { time: now, code: last?.code ?? 0, message: `EPANET stopped the run: ${last?.message ?? 'no reason given'}`, ...(last?.element ? { element: last.element } : {}) };
        }
        break;
      }
      now += tstep;
      readTankLevels();
      if (o.onProgress && now - lastProgress >= horizon / 100) {
        lastProgress = now;
        o.onProgress(now, horizon);
      }
    }
    timed(() => p.closeH());
    let qualityRecord: QualityRecord | undefined;
    if (wantsQuality && quality && status === 'completed') {
      try {
        qualityRecord = timed(() => runQualityPass(session, network, {
          quality,
          nodeIndex,
          reportStep,
          population,
          contaminations: events.filter((e) => e.type === 'contamination'),
          intervals: player.intervals,
        }));
      } catch (error) {
        status = 'failed';
        const issue = asIssue(error, now, session);
        failure = { ...issue, message: `water quality: ${issue.message}` };
      }
    }
    return {
      status,
      ...(failure ? { failure } : {}),
      horizon,
      simulated: status === 'completed' ? horizon : now,
      steps,
      network,
      servicePressure,
      population,
      recorder,
      warnings,
      warningCount,
      eventChanges: player.changes,
      intervals: player.intervals,
      actions,
      controlOwners: logic.owners(),
      scadaView,
      ...(qualityRecord ? { quality: qualityRecord } : {}),
      timing: { engineMs, totalMs: performance.now() - started },
    };
  } finally {
    session.close();
  }
}

function qualityKind(scenario: Scenario): Scenario['quality'] | undefined {
  if (scenario.quality) return scenario.quality;
  return scenario.events.some((e) => e.type === 'contamination') ? { kind: 'chemical' } : undefined;
}

function asIssue(error: unknown, time: number, session: EngineSession): EngineIssue {
  const e = toEngineError(error, session.newReportLines());
  // A WebAssembly trap ("memory access out of bounds", ...) is no EPANET error: the engine is unusable.
  if (e.code === 0) discardEngine();
  const element = elementFromReport(e.reportLines);
  return { time, code: e.code, message: e.text, ...(element ? { element } : {}) };
}
