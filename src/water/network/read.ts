import {
  emptyNetwork,
  type CurveKind,
  type FlowUnits,
  type PipeStatus,
  type QualitySource,
  type TankMixing,
  type ValveType,
  type WaterNetwork,
} from './model.js';
import { InpError, optionalNumber, parseNumber, parseTime, splitInp, type InpLine } from './inp-text.js';
import { readControl, readRules } from './read-controls.js';
import { checkReferences } from './check.js';

const FLOW_UNITS: FlowUnits[] = ['CFS', 'GPM', 'MGD', 'IMGD', 'AFD', 'LPS', 'LPM', 'MLD', 'CMH', 'CMD', 'CMS'];
const VALVE_TYPES: ValveType[] = ['PRV', 'PSV', 'PBV', 'FCV', 'TCV', 'GPV', 'PCV'];
const KNOWN_SECTIONS = new Set([
  'TITLE', 'JUNCTIONS', 'RESERVOIRS', 'TANKS', 'PIPES', 'PUMPS', 'VALVES', 'TAGS', 'DEMANDS', 'STATUS',
  'PATTERNS', 'CURVES', 'CONTROLS', 'RULES', 'ENERGY', 'EMITTERS', 'QUALITY', 'SOURCES', 'REACTIONS',
  'MIXING', 'TIMES', 'REPORT', 'OPTIONS', 'COORDINATES', 'VERTICES', 'LABELS', 'BACKDROP', 'LEAKAGE', 'END',
]);

/** Where each element was declared, so later checks can name the line. */
export type DeclaredAt = Map<string, InpLine>;

/**
 * Reads an EPANET .inp file into a WaterNetwork. Throws InpError (line and section) on anything
 * EPANET would reject or that Vigil cannot represent faithfully.
 */
export function readInp(text: string): WaterNetwork {
  const net = emptyNetwork();
  const lines = splitInp(text);
  const declaredAt: DeclaredAt = new Map();
  const demandLines = new Map<string, InpLine[]>();
  const patternOrder = new Map<string, number[]>();
  let pendingCurveKind: CurveKind | undefined;
  const ruleLines: InpLine[] = [];
  let ended = false;

  for (const line of lines) {
    if (ended) break;
    const w = line.words;
    const need = (n: number, what: string): void => {
      if (w.length < n) throw new InpError(`expected ${what}`, line.number, line.section);
    };
    const declare = (id: string): void => {
      const key = `${line.section}:${id}`;
      if (declaredAt.has(key)) throw new InpError(`"${id}" is declared twice`, line.number, line.section);
      declaredAt.set(key, line);
    };
    switch (line.section) {
      case 'TITLE':
        net.title.push(line.raw.trim());
        break;
      case 'JUNCTIONS': {
        need(2, 'ID and elevation');
        const id = w[0]!;
        declare(id);
        const base = optionalNumber(w[2], 'demand', line, 0);
        net.junctions.push({
          id,
          elevation: parseNumber(w[1], 'elevation', line),
          demands: w[2] === undefined ? [] : [{ base, ...(w[3] ? { pattern: w[3] } : {}) }],
          ...(line.comment ? { comment: line.comment } : {}),
        });
        break;
      }
      case 'RESERVOIRS':
        need(2, 'ID and head');
        declare(w[0]!);
        net.reservoirs.push({
          id: w[0]!,
          head: parseNumber(w[1], 'head', line),
          ...(w[2] ? { pattern: w[2] } : {}),
          ...(line.comment ? { comment: line.comment } : {}),
        });
        break;
      case 'TANKS': {
        need(7, 'ID, elevation, initial, minimum and maximum level, diameter and minimum volume');
        declare(w[0]!);
        const curve = w[7] && w[7] !== '*' ? w[7] : undefined;
        const overflow = w[8]?.toUpperCase();
        net.tanks.push({
          id: w[0]!,
          elevation: parseNumber(w[1], 'elevation', line),
          initLevel: parseNumber(w[2], 'initial level', line),
          minLevel: parseNumber(w[3], 'minimum level', line),
          maxLevel: parseNumber(w[4], 'maximum level', line),
          diameter: parseNumber(w[5], 'diameter', line),
          minVolume: parseNumber(w[6], 'minimum volume', line),
          ...(curve ? { volumeCurve: curve } : {}),
          ...(overflow === 'YES' || overflow === 'TRUE' ? { overflow: true } : {}),
          ...(line.comment ? { comment: line.comment } : {}),
        });
        break;
      }
      case 'PIPES': {
        need(6, 'ID, start and end node, length, diameter and roughness');
        declare(w[0]!);
        let minorLoss = 0;
        let status: PipeStatus = 'OPEN';
        const rest = w.slice(6);
        if (rest[0] !== undefined && !isStatusWord(rest[0])) minorLoss = parseNumber(rest.shift(), 'minor loss', line);
        if (rest[0] !== undefined) {
          const s = rest[0].toUpperCase();
          if (s !== 'OPEN' && s !== 'CLOSED' && s !== 'CV') throw new InpError(`unknown pipe status "${rest[0]}"`, line.number, line.section);
          status = s;
        }
        net.pipes.push({
          id: w[0]!, from: w[1]!, to: w[2]!,
          length: parseNumber(w[3], 'length', line),
          diameter: parseNumber(w[4], 'diameter', line),
          roughness: parseNumber(w[5], 'roughness', line),
          minorLoss, status,
          ...(line.comment ? { comment: line.comment } : {}),
        });
        break;
      }
      case 'PUMPS': {
        need(3, 'ID, start and end node');
        declare(w[0]!);
        const pump: WaterNetwork['pumps'][number] = { id: w[0]!, from: w[1]!, to: w[2]! };
        for (let i = 3; i < w.length; i += 2) {
          const key = w[i]!.toUpperCase();
          const value = w[i + 1];
          if (value === undefined) throw new InpError(`pump keyword ${w[i]} has no value`, line.number, line.section);
          if (key === 'HEAD') pump.headCurve = value;
          else if (key === 'POWER') pump.power = parseNumber(value, 'power', line);
          else if (key === 'SPEED') pump.speed = parseNumber(value, 'speed', line);
          else if (key === 'PATTERN') pump.pattern = value;
          else throw new InpError(`unknown pump keyword "${w[i]}"`, line.number, line.section);
        }
        if (pump.headCurve === undefined && pump.power === undefined) {
          throw new InpError(`pump ${pump.id} has neither a HEAD curve nor a POWER`, line.number, line.section);
        }
        if (line.comment) pump.comment = line.comment;
        net.pumps.push(pump);
        break;
      }
      case 'VALVES': {
        need(6, 'ID, start and end node, diameter, type and setting');
        declare(w[0]!);
        const type = w[4]!.toUpperCase() as ValveType;
        if (!VALVE_TYPES.includes(type)) throw new InpError(`unknown valve type "${w[4]}"`, line.number, line.section);
        net.valves.push({
          id: w[0]!, from: w[1]!, to: w[2]!,
          diameter: parseNumber(w[3], 'diameter', line),
          type,
          setting: type === 'GPV' ? w[5]! : parseNumber(w[5], 'setting', line),
          minorLoss: optionalNumber(w[6], 'minor loss', line, 0),
          ...(line.comment ? { comment: line.comment } : {}),
        });
        break;
      }
      case 'DEMANDS': {
        need(2, 'junction and demand');
        const list = demandLines.get(w[0]!) ?? [];
        list.push(line);
        demandLines.set(w[0]!, list);
        break;
      }
      case 'STATUS': {
        need(2, 'link and status or setting');
        const v = w[1]!.toUpperCase();
        declaredAt.set(`STATUS#${net.status.length}`, line);
        net.status.push({
          link: w[0]!,
          value: v === 'OPEN' || v === 'CLOSED' || v === 'ACTIVE' ? v : parseNumber(w[1], 'setting', line),
        });
        break;
      }
      case 'PATTERNS': {
        need(2, 'ID and multipliers');
        let pattern = net.patterns.find((p) => p.id === w[0]);
        if (!pattern) {
          pattern = { id: w[0]!, multipliers: [] };
          net.patterns.push(pattern);
          declaredAt.set(`PATTERNS:${w[0]}`, line);
        }
        for (const m of w.slice(1)) pattern.multipliers.push(parseNumber(m, 'multiplier', line));
        patternOrder.set(w[0]!, [...(patternOrder.get(w[0]!) ?? []), line.number]);
        break;
      }
      case 'CURVES': {
        if (w.length === 0) {
          pendingCurveKind = curveKindFromComment(line.comment);
          break;
        }
        need(3, 'ID, X and Y');
        let curve = net.curves.find((c) => c.id === w[0]);
        if (!curve) {
          curve = { id: w[0]!, kind: pendingCurveKind ?? 'GENERIC', points: [] };
          net.curves.push(curve);
          declaredAt.set(`CURVES:${w[0]}`, line);
        }
        for (let i = 1; i + 1 < w.length; i += 2) {
          curve.points.push([parseNumber(w[i], 'X value', line), parseNumber(w[i + 1], 'Y value', line)]);
        }
        break;
      }
      case 'CONTROLS': {
        const id = `C${net.controls.length + 1}`;
        declaredAt.set(`CONTROLS:${id}`, line);
        net.controls.push(readControl(line, id));
        break;
      }
      case 'RULES':
        ruleLines.push(line);
        break;
      case 'EMITTERS':
        need(2, 'junction and coefficient');
        setJunction(net, w[0]!, line).emitter = parseNumber(w[1], 'emitter coefficient', line);
        break;
      case 'QUALITY':
        need(2, 'node and initial quality');
        declaredAt.set(`QUALITY#${net.initialQuality.length}`, line);
        net.initialQuality.push({ node: w[0]!, value: parseNumber(w[1], 'initial quality', line) });
        break;
      case 'SOURCES': {
        need(3, 'node, type and strength');
        const type = w[1]!.toUpperCase() as QualitySource['type'];
        if (!['CONCEN', 'MASS', 'SETPOINT', 'FLOWPACED'].includes(type)) {
          throw new InpError(`unknown source type "${w[1]}"`, line.number, line.section);
        }
        declaredAt.set(`SOURCES#${net.sources.length}`, line);
        net.sources.push({ node: w[0]!, type, strength: parseNumber(w[2], 'strength', line), ...(w[3] ? { pattern: w[3] } : {}) });
        break;
      }
      case 'MIXING': {
        need(2, 'tank and model');
        const model = w[1]!.toUpperCase() as TankMixing['model'];
        if (!['MIXED', '2COMP', 'FIFO', 'LIFO'].includes(model)) throw new InpError(`unknown mixing model "${w[1]}"`, line.number, line.section);
        declaredAt.set(`MIXING#${net.mixing.length}`, line);
        net.mixing.push({ tank: w[0]!, model, ...(w[2] !== undefined ? { fraction: parseNumber(w[2], 'fraction', line) } : {}) });
        break;
      }
      case 'TIMES':
        readTime(net, line);
        break;
      case 'OPTIONS':
        readOption(net, line);
        break;
      case 'COORDINATES':
        need(3, 'node, X and Y');
        declaredAt.set(`COORDINATES:${w[0]}`, line);
        net.coordinates.set(w[0]!, { x: parseNumber(w[1], 'X', line), y: parseNumber(w[2], 'Y', line) });
        break;
      case 'VERTICES':
        need(3, 'link, X and Y');
        declaredAt.set(`VERTICES#${net.vertices.length}`, line);
        net.vertices.push({ link: w[0]!, x: parseNumber(w[1], 'X', line), y: parseNumber(w[2], 'Y', line) });
        break;
      case 'ENERGY': net.energy.push(w); break;
      case 'REACTIONS': net.reactions.push(w); break;
      case 'REPORT': net.report.push(w); break;
      case 'TAGS': net.tags.push(w); break;
      case 'LABELS': net.labels.push(w); break;
      case 'BACKDROP': net.backdrop.push(w); break;
      case 'LEAKAGE': net.leakage.push(w); break;
      case 'END': ended = true; break;
      default:
        if (!KNOWN_SECTIONS.has(line.section)) throw new InpError(`unsupported section [${line.section}]`, line.number, line.section);
    }
  }

  for (const [id, list] of demandLines) {
    const junction = setJunction(net, id, list[0]!);
    junction.demands = list.map((l) => ({
      base: parseNumber(l.words[1], 'demand', l),
      ...(l.words[2] ? { pattern: l.words[2] } : {}),
      ...(l.comment ? { category: l.comment } : {}),
    }));
  }
  net.rules = readRules(ruleLines);
  net.rules.forEach((r) => {
    const at = ruleLines.find((l) => l.words[0]?.toUpperCase() === 'RULE' && l.words[1] === r.id);
    if (at) declaredAt.set(`RULES:${r.id}`, at);
  });
  markCurveKinds(net);
  checkReferences(net, declaredAt);
  return net;
}

function isStatusWord(word: string): boolean {
  return ['OPEN', 'CLOSED', 'CV'].includes(word.toUpperCase());
}

function setJunction(net: WaterNetwork, id: string, line: InpLine): WaterNetwork['junctions'][number] {
  const junction = net.junctions.find((j) => j.id === id);
  if (!junction) throw new InpError(`"${id}" is not a junction`, line.number, line.section);
  return junction;
}

function curveKindFromComment(comment: string | undefined): CurveKind | undefined {
  const head = comment?.split(':')[0]?.trim().toUpperCase();
  return head === 'PUMP' || head === 'EFFICIENCY' || head === 'VOLUME' || head === 'HEADLOSS' ? head : undefined;
}

/** A curve's use decides its kind; the GUI's comment is only a hint. */
function markCurveKinds(net: WaterNetwork): void {
  const kindOf = new Map<string, CurveKind>();
  for (const p of net.pumps) if (p.headCurve) kindOf.set(p.headCurve, 'PUMP');
  for (const t of net.tanks) if (t.volumeCurve) kindOf.set(t.volumeCurve, 'VOLUME');
  for (const v of net.valves) if (v.type === 'GPV' && typeof v.setting === 'string') kindOf.set(v.setting, 'HEADLOSS');
  for (const s of net.energy) if (s[0]?.toUpperCase() === 'PUMP' && s[2]?.toUpperCase().startsWith('EFFIC') && s[3]) kindOf.set(s[3], 'EFFICIENCY');
  for (const c of net.curves) c.kind = kindOf.get(c.id) ?? c.kind;
}

function readTime(net: WaterNetwork, line: InpLine): void {
  const w = line.words.map((x) => x.toUpperCase());
  const key = w[0] === 'START' || w[0] === 'PATTERN' || w[0] === 'REPORT' || w[0] === 'HYDRAULIC' || w[0] === 'QUALITY' || w[0] === 'RULE'
    ? `${w[0]} ${w[1]}` : (w[0] ?? '');
  const rest = line.words.slice(key.split(' ').length);
  const t = net.times;
  switch (key) {
    case 'DURATION': t.duration = parseTime(rest, 'duration', line); break;
    case 'HYDRAULIC TIMESTEP': t.hydraulicStep = parseTime(rest, 'hydraulic time step', line); break;
    case 'QUALITY TIMESTEP': t.qualityStep = parseTime(rest, 'quality time step', line); break;
    case 'PATTERN TIMESTEP': t.patternStep = parseTime(rest, 'pattern time step', line); break;
    case 'PATTERN START': t.patternStart = parseTime(rest, 'pattern start', line); break;
    case 'REPORT TIMESTEP': t.reportStep = parseTime(rest, 'report time step', line); break;
    case 'REPORT START': t.reportStart = parseTime(rest, 'report start', line); break;
    case 'RULE TIMESTEP': t.ruleStep = parseTime(rest, 'rule time step', line); break;
    case 'START CLOCKTIME': t.startClockTime = parseTime(rest, 'start clock time', line); break;
    case 'STATISTIC': t.statistic = (rest[0] ?? 'NONE').toUpperCase(); break;
    default: throw new InpError(`unknown time option "${line.words.join(' ')}"`, line.number, line.section);
  }
}

function readOption(net: WaterNetwork, line: InpLine): void {
  const words = line.words;
  const w = words.map((x) => x.toUpperCase());
  const o = net.options;
  const value = (n: number, what: string): number => parseNumber(words[n], what, line);
  if (w[0] === 'UNITS') {
    const units = w[1] as FlowUnits;
    if (!FLOW_UNITS.includes(units)) throw new InpError(`unknown flow units "${words[1]}"`, line.number, line.section);
    o.flowUnits = units;
  } else if (w[0] === 'HEADLOSS') {
    const h = w[1] as 'H-W' | 'D-W' | 'C-M';
    if (!['H-W', 'D-W', 'C-M'].includes(h)) throw new InpError(`unknown headloss formula "${words[1]}"`, line.number, line.section);
    o.headloss = h;
  } else if (w[0] === 'PRESSURE' && w[1] === 'EXPONENT') o.pressureExponent = value(2, 'pressure exponent');
  else if (w[0] === 'PRESSURE') o.pressureUnits = w[1];
  else if (w[0] === 'DEMAND' && w[1] === 'MULTIPLIER') o.demandMultiplier = value(2, 'demand multiplier');
  else if (w[0] === 'DEMAND' && w[1] === 'MODEL') {
    if (w[2] !== 'DDA' && w[2] !== 'PDA') throw new InpError(`unknown demand model "${words[2]}"`, line.number, line.section);
    o.demandModel = w[2];
  } else if (w[0] === 'EMITTER' && w[1] === 'EXPONENT') o.emitterExponent = value(2, 'emitter exponent');
  else if (w[0] === 'MINIMUM' && w[1] === 'PRESSURE') o.minimumPressure = value(2, 'minimum pressure');
  else if (w[0] === 'REQUIRED' && w[1] === 'PRESSURE') o.requiredPressure = value(2, 'required pressure');
  else if (w[0] === 'PATTERN') o.defaultPattern = words[1];
  else if (w[0] === 'QUALITY') o.quality = words.slice(1).join(' ');
  else o.other.push({ key: words[0]!, value: words.slice(1).join(' ') });
}
