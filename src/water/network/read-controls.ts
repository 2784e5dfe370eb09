import type { ControlAction, ControlCondition, Rule, RuleAction, RulePremise, SimpleControl } from './model.js';
import { InpError, parseNumber, parseTime, type InpLine } from './inp-text.js';

/**
 * One [CONTROLS] line:
 *   LINK id OPEN|CLOSED|setting IF NODE id ABOVE|BELOW value
 *   LINK id OPEN|CLOSED|setting AT TIME t
 *   LINK id OPEN|CLOSED|setting AT CLOCKTIME t [AM|PM]
 */
export function readControl(line: InpLine, id: string): SimpleControl {
  const w = line.words;
  const up = w.map((x) => x.toUpperCase());
  const fail = (why: string): never => {
    throw new InpError(`${why} in control "${w.join(' ')}"`, line.number, line.section);
  };
  if (up[0] !== 'LINK' || w.length < 5) fail('expected LINK <id> <status or setting> IF|AT ...');
  const link = w[1]!;
  const actionWord = up[2]!;
  const action: ControlAction =
    actionWord === 'OPEN' || actionWord === 'CLOSED' ? { status: actionWord } : { setting: parseNumber(w[2], 'setting', line) };
  let when: ControlCondition;
  if (up[3] === 'IF') {
    if (up[4] !== 'NODE' || w.length < 8) fail('expected IF NODE <id> ABOVE|BELOW <value>');
    const relation = up[6] === 'ABOVE' ? 'above' : up[6] === 'BELOW' ? 'below' : fail(`unknown relation "${w[6]}"`);
    when = { node: w[5]!, relation, value: parseNumber(w[7], 'control level', line) };
  } else if (up[3] === 'AT' && up[4] === 'TIME') {
    when = { time: parseTime(w.slice(5), 'control time', line) };
  } else if (up[3] === 'AT' && up[4] === 'CLOCKTIME') {
    when = { clockTime: parseTime(w.slice(5), 'control clock time', line) % 86400 };
  } else {
    return fail('expected IF NODE, AT TIME or AT CLOCKTIME');
  }
  return { id, link, action, when, enabled: true };
}

const RELATIONS = new Set(['=', '<>', '<', '>', '<=', '>=', 'IS', 'NOT', 'BELOW', 'ABOVE']);

/** The [RULES] section: RULE id, IF/AND/OR premises, THEN/AND actions, ELSE/AND actions, PRIORITY. */
export function readRules(lines: InpLine[]): Rule[] {
  const rules: Rule[] = [];
  let rule: Rule | undefined;
  let clause: 'premise' | 'then' | 'else' = 'premise';
  for (const line of lines) {
    const w = line.words;
    const head = w[0]!.toUpperCase();
    const fail = (why: string): never => {
      throw new InpError(`${why} in rule line "${w.join(' ')}"`, line.number, line.section);
    };
    if (head === 'RULE') {
      if (!w[1]) fail('missing rule ID');
      if (rule) finish(rule, line);
      rule = { id: w[1]!, premises: [], then: [], else: [], enabled: true };
      rules.push(rule);
      clause = 'premise';
      continue;
    }
    if (!rule) return fail('statement before the first RULE');
    if (head === 'PRIORITY') {
      rule.priority = parseNumber(w[1], 'priority', line);
    } else if (head === 'IF' || (head === 'AND' && clause === 'premise') || head === 'OR') {
      if (clause !== 'premise') fail(`${head} premise after THEN`);
      rule.premises.push(readPremise(head as RulePremise['logic'], w.slice(1), fail));
    } else if (head === 'THEN') {
      clause = 'then';
      rule.then.push(readAction(w.slice(1), fail));
    } else if (head === 'ELSE') {
      clause = 'else';
      rule.else.push(readAction(w.slice(1), fail));
    } else if (head === 'AND') {
      (clause === 'then' ? rule.then : rule.else).push(readAction(w.slice(1), fail));
    } else {
      fail(`unknown keyword "${w[0]}"`);
    }
  }
  if (rule) finish(rule, lines[lines.length - 1]!);
  return rules;
}

function finish(rule: Rule, line: InpLine): void {
  if (rule.premises.length === 0 || rule.then.length === 0) {
    throw new InpError(`rule ${rule.id} needs at least one IF premise and one THEN action`, line.number, line.section);
  }
}

function readPremise(logic: RulePremise['logic'], w: string[], fail: (why: string) => never): RulePremise {
  const object = w[0]?.toUpperCase();
  if (!object) return fail('missing premise object');
  if (object === 'SYSTEM') {
    // SYSTEM TIME|CLOCKTIME|DEMAND relation value [AM|PM]
    if (w.length < 4) fail('incomplete SYSTEM premise');
    const relation = w[2]!.toUpperCase();
    if (!RELATIONS.has(relation)) fail(`unknown relation "${w[2]}"`);
    return { logic, object, variable: w[1]!.toUpperCase(), relation, value: w.slice(3).join(' ') };
  }
  if (w.length < 5) fail('incomplete premise');
  const relation = w[3]!.toUpperCase();
  if (!RELATIONS.has(relation)) fail(`unknown relation "${w[3]}"`);
  return { logic, object, id: w[1]!, variable: w[2]!.toUpperCase(), relation, value: w.slice(4).join(' ') };
}

function readAction(w: string[], fail: (why: string) => never): RuleAction {
  // LINK|PIPE|PUMP|VALVE id STATUS|SETTING = value
  if (w.length < 5 || w[3] !== '=') return fail('expected <object> <id> STATUS|SETTING = <value>');
  return { object: w[0]!.toUpperCase(), id: w[1]!, variable: w[2]!.toUpperCase(), value: w[4]! };
}
