/**
 * A water distribution network as EPANET describes it in an .inp file, in the file's own units
 * (see `options.flowUnits`). Times are seconds. Elements keep the order of the file, because EPANET
 * numbers them in that order and the simulator addresses them by that number.
 */
export type FlowUnits = 'CFS' | 'GPM' | 'MGD' | 'IMGD' | 'AFD' | 'LPS' | 'LPM' | 'MLD' | 'CMH' | 'CMD' | 'CMS';

export interface Demand {
  base: number;
  pattern?: string;
  category?: string;
}

export interface Junction {
  id: string;
  elevation: number;
  /** From [JUNCTIONS], replaced by the junction's [DEMANDS] lines when it has any (as EPANET does). */
  demands: Demand[];
  emitter?: number;
  comment?: string;
}

export interface Reservoir {
  id: string;
  head: number;
  pattern?: string;
  comment?: string;
}

export interface Tank {
  id: string;
  elevation: number;
  initLevel: number;
  minLevel: number;
  maxLevel: number;
  diameter: number;
  minVolume: number;
  volumeCurve?: string;
  /** EPANET 2.2+: the tank may spill when full instead of closing its inlet. */
  overflow?: boolean;
  comment?: string;
}

export type PipeStatus = 'OPEN' | 'CLOSED' | 'CV';

export interface Pipe {
  id: string;
  from: string;
  to: string;
  length: number;
  diameter: number;
  roughness: number;
  minorLoss: number;
  status: PipeStatus;
  comment?: string;
}

export interface Pump {
  id: string;
  from: string;
  to: string;
  headCurve?: string;
  /** Constant power in kW (metric) or hp (US) when there is no head curve. */
  power?: number;
  speed?: number;
  pattern?: string;
  comment?: string;
}

export type ValveType = 'PRV' | 'PSV' | 'PBV' | 'FCV' | 'TCV' | 'GPV' | 'PCV';

export interface Valve {
  id: string;
  from: string;
  to: string;
  diameter: number;
  type: ValveType;
  /** A number, except for a GPV, whose setting names its head-loss curve. */
  setting: number | string;
  minorLoss: number;
  comment?: string;
}

export interface Pattern {
  id: string;
  multipliers: number[];
}

export type CurveKind = 'PUMP' | 'EFFICIENCY' | 'VOLUME' | 'HEADLOSS' | 'GENERIC';

export interface Curve {
  id: string;
  kind: CurveKind;
  points: Array<[number, number]>;
}

/** Initial status or setting of a pump or valve ([STATUS]). */
export interface InitialStatus {
  link: string;
  value: 'OPEN' | 'CLOSED' | 'ACTIVE' | number;
}

export type ControlAction = { status: 'OPEN' | 'CLOSED' } | { setting: number };

export type ControlCondition =
  | { node: string; relation: 'below' | 'above'; value: number }
  | { time: number }
  | { clockTime: number };

/** A simple control ([CONTROLS]). Its id is "C" + its position, since the file gives none. */
export interface SimpleControl {
  id: string;
  link: string;
  action: ControlAction;
  when: ControlCondition;
  enabled: boolean;
}

export interface RulePremise {
  logic: 'IF' | 'AND' | 'OR';
  object: string;
  id?: string;
  variable: string;
  relation: string;
  value: string;
}

export interface RuleAction {
  object: string;
  id: string;
  variable: string;
  value: string;
}

/** A rule-based control ([RULES]). */
export interface Rule {
  id: string;
  premises: RulePremise[];
  then: RuleAction[];
  else: RuleAction[];
  priority?: number;
  enabled: boolean;
}

export interface QualitySource {
  node: string;
  type: 'CONCEN' | 'MASS' | 'SETPOINT' | 'FLOWPACED';
  strength: number;
  pattern?: string;
}

export interface TankMixing {
  tank: string;
  model: 'MIXED' | '2COMP' | 'FIFO' | 'LIFO';
  fraction?: number;
}

/**
 * A statement kept as written, for sections whose content Vigil passes through to EPANET unchanged
 * ([ENERGY], [REACTIONS], [REPORT], [TAGS], [LABELS], [BACKDROP], [LEAKAGE]): its words, no comment.
 */
export type Statement = string[];

export interface Vertex {
  link: string;
  x: number;
  y: number;
}

export interface NetworkOptions {
  flowUnits: FlowUnits;
  headloss: 'H-W' | 'D-W' | 'C-M';
  /** Pressure units written in [OPTIONS] (EPANET 2.2+); undefined means the default for the flow units. */
  pressureUnits?: string;
  demandMultiplier: number;
  emitterExponent: number;
  /** Default demand pattern; EPANET falls back to pattern "1" when it exists. */
  defaultPattern?: string;
  quality: string;
  demandModel: 'DDA' | 'PDA';
  minimumPressure: number;
  requiredPressure: number;
  pressureExponent: number;
  /** Every other option, in file order, as written (key words, then value words). */
  other: Array<{ key: string; value: string }>;
}

export interface NetworkTimes {
  duration: number;
  hydraulicStep: number;
  qualityStep: number;
  patternStep: number;
  patternStart: number;
  reportStep: number;
  reportStart: number;
  ruleStep?: number;
  startClockTime: number;
  statistic: string;
}

export interface WaterNetwork {
  title: string[];
  junctions: Junction[];
  reservoirs: Reservoir[];
  tanks: Tank[];
  pipes: Pipe[];
  pumps: Pump[];
  valves: Valve[];
  patterns: Pattern[];
  curves: Curve[];
  status: InitialStatus[];
  controls: SimpleControl[];
  rules: Rule[];
  initialQuality: Array<{ node: string; value: number }>;
  sources: QualitySource[];
  mixing: TankMixing[];
  options: NetworkOptions;
  times: NetworkTimes;
  coordinates: Map<string, { x: number; y: number }>;
  vertices: Vertex[];
  energy: Statement[];
  reactions: Statement[];
  report: Statement[];
  tags: Statement[];
  labels: Statement[];
  backdrop: Statement[];
  leakage: Statement[];
}

export type NodeKind = 'junction' | 'reservoir' | 'tank';
export type LinkKind = 'pipe' | 'pump' | 'valve';

export function emptyNetwork(): WaterNetwork {
  return {
    title: [],
    junctions: [],
    reservoirs: [],
    tanks: [],
    pipes: [],
    pumps: [],
    valves: [],
    patterns: [],
    curves: [],
    status: [],
    controls: [],
    rules: [],
    initialQuality: [],
    sources: [],
    mixing: [],
    options: {
      flowUnits: 'GPM',
      headloss: 'H-W',
      demandMultiplier: 1,
      emitterExponent: 0.5,
      quality: 'NONE',
      demandModel: 'DDA',
      minimumPressure: 0,
      requiredPressure: 0.1,
      pressureExponent: 0.5,
      other: [],
    },
    times: {
      duration: 0,
      hydraulicStep: 3600,
      qualityStep: 300,
      patternStep: 3600,
      patternStart: 0,
      reportStep: 3600,
      reportStart: 0,
      startClockTime: 0,
      statistic: 'NONE',
    },
    coordinates: new Map(),
    vertices: [],
    energy: [],
    reactions: [],
    report: [],
    tags: [],
    labels: [],
    backdrop: [],
    leakage: [],
  };
}

/** Where each node and link is, by id: its kind and its position in its own list. */
export interface NetworkIndex {
  nodes: Map<string, { kind: NodeKind; position: number }>;
  links: Map<string, { kind: LinkKind; position: number; from: string; to: string }>;
}

export function indexNetwork(network: WaterNetwork): NetworkIndex {
  const nodes = new Map<string, { kind: NodeKind; position: number }>();
  network.junctions.forEach((j, position) => nodes.set(j.id, { kind: 'junction', position }));
  network.reservoirs.forEach((r, position) => nodes.set(r.id, { kind: 'reservoir', position }));
  network.tanks.forEach((t, position) => nodes.set(t.id, { kind: 'tank', position }));
  const links = new Map<string, { kind: LinkKind; position: number; from: string; to: string }>();
  network.pipes.forEach((p, position) => links.set(p.id, { kind: 'pipe', position, from: p.from, to: p.to }));
  network.pumps.forEach((p, position) => links.set(p.id, { kind: 'pump', position, from: p.from, to: p.to }));
  network.valves.forEach((v, position) => links.set(v.id, { kind: 'valve', position, from: v.from, to: v.to }));
  return { nodes, links };
}

export function isMetric(units: FlowUnits): boolean {
  return !['CFS', 'GPM', 'MGD', 'IMGD', 'AFD'].includes(units);
}

/** Volume per second (m³/s for metric units, ft³/s for US units) of one flow unit. */
export function flowUnitInVolumePerSecond(units: FlowUnits): number {
  switch (units) {
    case 'CFS':
      return 1;
    case 'GPM':
      return 1 / 448.831;
    case 'MGD':
      return 1.54723;
    case 'IMGD':
      return 1.85799;
    case 'AFD':
      return 0.504167;
    case 'LPS':
      return 0.001;
    case 'LPM':
      return 1 / 60000;
    case 'MLD':
      return 1000 / 86400;
    case 'CMH':
      return 1 / 3600;
    case 'CMD':
      return 1 / 86400;
    case 'CMS':
      return 1;
  }
}

/** Units a person reads next to numbers of this network. */
export function unitLabels(network: WaterNetwork): { flow: string; length: string; pressure: string; volume: string } {
  const metric = isMetric(network.options.flowUnits);
  const pressure = network.options.pressureUnits?.toLowerCase() ?? (metric ? 'm' : 'psi');
  return {
    flow: network.options.flowUnits,
    length: metric ? 'm' : 'ft',
    pressure: pressure === 'meters' ? 'm' : pressure,
    volume: metric ? 'm³' : 'ft³',
  };
}
