import { capDateTimeProblem, parseCapDateTime, type DateTimeProblem } from './datetime.js';
import { isWithinWgs84, parseCircle, parseCoordinatePair, type LatLon } from './geometry.js';
import type { CapVersion } from './model.js';
import type { CapElement } from './xml-read.js';

/**
 * The rules of CAP §3 that the XML schema cannot express, checked on the element tree of a message (ours or
 * received, 1.1 or 1.2). An "error" breaks a MUST/SHALL of the data dictionary (§3.2) or the
 * implementation notes (§3.3); a "warning" is a SHOULD or a likely mistake, and never makes a message invalid.
 * Absent or empty optional elements are fine: "Unless explicitly constrained within this Data Dictionary,
 * CAP elements MAY have null values" (§3.2).
 */

export interface CapProblem {
  severity: 'error' | 'warning';
  /** Short name of the rule (stable, for tests and for people searching the documentation). */
  rule: string;
  /** Element path, e.g. /alert/info[1]/area[2]/polygon[1]. */
  path: string;
  line?: number;
  message: string;
}

const RESTRICTED_CHARACTERS = /[\s,<&]/;

export function checkRules(alert: CapElement, version: CapVersion): CapProblem[] {
  const problems: CapProblem[] = [];
  const report = (severity: CapProblem['severity'], rule: string, el: CapElement, message: string): void => {
    problems.push({ severity, rule, path: el.path, line: el.line, message });
  };
  const at = (parent: CapElement, name: string): CapElement | undefined => parent.children.find((c) => c.name === name);
  const all = (parent: CapElement, name: string): CapElement[] => parent.children.filter((c) => c.name === name);
  const value = (parent: CapElement, name: string): string => at(parent, name)?.text.trim() ?? '';

  for (const name of ['identifier', 'sender'] as const) {
    const el = at(alert, name);
    if (!el) continue; // the schema reports a missing required element
    const v = el.text.trim();
    if (v === '') report('error', `${name}-empty`, el, `<${name}> is empty; earlier and later messages name this one by its sender and identifier`);
    else if (RESTRICTED_CHARACTERS.test(v)) {
      report('error', `${name}-characters`, el, `<${name}> "${v}" contains ${describeRestricted(v)}; it MUST NOT include spaces, commas or restricted characters (< and &) (§3.2.1)`);
    }
  }

  for (const el of [at(alert, 'sent'), ...all(alert, 'info').flatMap((i) => ['effective', 'onset', 'expires'].map((n) => at(i, n)))]) {
    if (!el) continue;
    const problem = capDateTimeProblem(el.text, version);
    if (problem) report('error', 'date-time', el, `<${el.name}> "${el.text.trim()}" ${DATE_TIME_EXPLANATION[problem]} (§3.3.2)`);
  }

  const scope = value(alert, 'scope');
  const restriction = at(alert, 'restriction');
  if (scope === 'Restricted' && !restriction?.text.trim()) {
    report('error', 'restriction-required', restriction ?? alert, 'scope is "Restricted" but <restriction>, the rule limiting its distribution, is missing (§3.2.1)');
  }
  if (scope !== 'Restricted' && restriction?.text.trim()) {
    report('error', 'restriction-scope', restriction, `<restriction> is used only when <scope> is "Restricted", here it is "${scope}" (§3.2.1)`);
  }
  const addresses = at(alert, 'addresses');
  if (scope === 'Private' && !addresses?.text.trim()) {
    report('error', 'addresses-required', addresses ?? alert, '<addresses> is required when <scope> is "Private" (§3.2.1)');
  }
  for (const el of [addresses, at(alert, 'incidents')]) {
    if (el && (el.text.match(/"/g)?.length ?? 0) % 2 === 1) {
      report('error', `${el.name}-quotes`, el, `<${el.name}> has an unmatched double quote; entries containing whitespace MUST be enclosed in double quotes (§3.2.1)`);
    }
  }

  const msgType = value(alert, 'msgType');
  const references = at(alert, 'references');
  if (['Update', 'Cancel', 'Ack', 'Error'].includes(msgType) && !references?.text.trim()) {
    report('error', 'references-required', references ?? alert, `a message of type "${msgType}" acts on "the earlier message(s) identified in <references>", but it has none (§3.2.1)`);
  }
  if (references?.text.trim()) {
    for (const problem of referencesProblems(references.text, version)) report('error', 'references-form', references, problem);
  }
  if (value(alert, 'status') === 'Exercise' && !value(alert, 'note')) {
    report('warning', 'exercise-note', alert, 'status is "Exercise": the exercise identifier SHOULD appear in <note> (§3.2.1)');
  }
  if (msgType === 'Error' && !value(alert, 'note')) {
    report('warning', 'error-note', alert, 'msgType is "Error": the explanation SHOULD appear in <note> (§3.2.1)');
  }

  for (const info of all(alert, 'info')) {
    const web = at(info, 'web');
    if (web?.text.trim() && !isAbsoluteUri(web.text.trim())) {
      report('error', 'web-absolute', web, `<web> "${web.text.trim()}" must be a full, absolute URI (§3.2.2)`);
    }
    const headline = at(info, 'headline');
    if (headline && [...headline.text.trim()].length > 160) {
      report('warning', 'headline-length', headline, `<headline> has ${[...headline.text.trim()].length} characters; 160 is the target limit for short displays (§3.2.2)`);
    }
    if (scope === 'Public') {
      for (const rt of all(info, 'responseType')) {
        if (rt.text.trim() === 'Assess') report('warning', 'assess-public', rt, '"Assess" SHOULD NOT be used in public warning applications (§3.2.2)');
      }
    }
    const sent = parseCapDateTime(value(alert, 'sent'));
    const expires = parseCapDateTime(value(info, 'expires'));
    const starts = parseCapDateTime(value(info, 'effective')) ?? sent;
    if (expires !== null && starts !== null && expires <= starts) {
      report('warning', 'expires-before-effective', at(info, 'expires')!, '<expires> is not later than <effective> (or <sent>): the information is never in effect');
    }
    for (const resource of all(info, 'resource')) checkResource(resource);
    for (const area of all(info, 'area')) checkArea(area);
  }
  return problems;

  function checkResource(resource: CapElement): void {
    const uri = at(resource, 'uri');
    const derefUri = at(resource, 'derefUri');
    if (uri?.text.trim() && !isAbsoluteUri(uri.text.trim()) && !derefUri?.text.trim()) {
      report('error', 'resource-uri', uri, `<uri> "${uri.text.trim()}" is relative, which is allowed only to name the content of a <derefUri> in the same resource (§3.2.3)`);
    }
    if (derefUri?.text.trim() && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(derefUri.text)) {
      report('error', 'resource-deref-uri', derefUri, '<derefUri> must be base-64 encoded data (§3.2.3)');
    }
    const size = at(resource, 'size');
    if (size && Number(size.text.trim()) < 0) report('error', 'resource-size', size, '<size> is a number of bytes and cannot be negative (§3.2.3)');
    const digest = at(resource, 'digest');
    if (digest?.text.trim() && !/^[0-9a-fA-F]{40}$/.test(digest.text.trim())) {
      report('warning', 'resource-digest', digest, '<digest> is expected to be a SHA-1 hash (40 hexadecimal digits) (§3.2.3)');
    }
  }

  function checkArea(area: CapElement): void {
    for (const polygon of all(area, 'polygon')) {
      for (const problem of polygonProblems(polygon.text)) report('error', 'polygon', polygon, problem);
    }
    for (const circle of all(area, 'circle')) {
      for (const problem of circleProblems(circle.text)) report('error', 'circle', circle, problem);
    }
    const altitude = at(area, 'altitude');
    const ceiling = at(area, 'ceiling');
    if (ceiling && !altitude) report('error', 'ceiling-without-altitude', ceiling, '<ceiling> MUST NOT be used except in combination with <altitude> (§3.2.4)');
    if (ceiling && altitude && Number(altitude.text) > Number(ceiling.text)) {
      report('error', 'altitude-above-ceiling', altitude, `<altitude> ${altitude.text.trim()} is the lower limit of the range and is above <ceiling> ${ceiling.text.trim()} (§3.2.4)`);
    }
    if (!at(area, 'polygon') && !at(area, 'circle') && !at(area, 'geocode')) {
      report('warning', 'area-unlocated', area, '<area> has only a description: without <polygon>, <circle> or <geocode> no device can tell who is inside');
    }
  }
}

const DATE_TIME_EXPLANATION: Record<DateTimeProblem, string> = {
  'alphabetic-time-zone': 'uses an alphabetic time zone designator such as "Z", which MUST NOT be used; write UTC as "-00:00"',
  'no-time-zone': 'has no time zone; the form is YYYY-MM-DDThh:mm:ssXzh:zm',
  'fractional-seconds': 'has fractions of a second; the form is YYYY-MM-DDThh:mm:ssXzh:zm',
  form: 'is not of the form YYYY-MM-DDThh:mm:ssXzh:zm (e.g. 2002-05-24T16:49:00-07:00)',
  'out-of-range': 'has a month, day, hour, minute, second or offset out of range',
  'utc-as-plus': 'writes UTC as "+00:00"; in CAP 1.2 the time zone for UTC MUST be represented as "-00:00"',
};

function describeRestricted(v: string): string {
  const found = new Set<string>();
  for (const c of v) {
    if (/\s/.test(c)) found.add('white space');
    else if (c === ',') found.add('a comma');
    else if (c === '<' || c === '&') found.add(`"${c}"`);
  }
  return [...found].join(' and ');
}

/** Problems of a `references` value: whitespace-separated "sender,identifier,sent" triples (§3.2.1). */
export function referencesProblems(references: string, version: CapVersion): string[] {
  const problems: string[] = [];
  for (const triple of references.trim().split(/\s+/)) {
    const parts = triple.split(',');
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      problems.push(`"${triple}" is not of the form sender,identifier,sent (entries are separated by whitespace)`);
      continue;
    }
    const problem = capDateTimeProblem(parts[2]!, version);
    if (problem) problems.push(`in "${triple}", the sent time ${DATE_TIME_EXPLANATION[problem]}`);
    if (/[<&]/.test(parts[0]! + parts[1]!)) problems.push(`in "${triple}", sender and identifier MUST NOT include < or &`);
  }
  return problems;
}

/** Problems of a polygon: coordinate pairs, WGS 84 ranges, at least 4 pairs, closed (§3.2.4, §3.3.1). */
export function polygonProblems(polygon: string): string[] {
  const pairs = polygon.trim().split(/\s+/).filter(Boolean);
  const points: LatLon[] = [];
  const problems: string[] = [];
  for (const pair of pairs) {
    const point = parseCoordinatePair(pair);
    if (!point) problems.push(`"${pair}" is not a coordinate pair "latitude,longitude" in decimal degrees`);
    else if (!isWithinWgs84(point)) problems.push(`"${pair}" is outside WGS 84 (latitude −90…90, longitude −180…180)`);
    else points.push(point);
  }
  if (pairs.length < 4) problems.push(`a polygon needs a minimum of 4 coordinate pairs, this one has ${pairs.length}`);
  const first = points[0];
  const last = points[points.length - 1];
  if (problems.length === 0 && first && last && (first.lat !== last.lat || first.lon !== last.lon)) {
    problems.push('the first and last coordinate pairs MUST be the same (the polygon is not closed)');
  }
  return problems;
}

/** Problems of a circle: "latitude,longitude radius" with the radius in kilometres (§3.2.4). */
export function circleProblems(circle: string): string[] {
  const parsed = parseCircle(circle);
  if (!parsed) return [`"${circle.trim()}" is not of the form "latitude,longitude radius" (a coordinate pair, a space, a radius in km)`];
  const problems: string[] = [];
  if (!isWithinWgs84(parsed.centre)) problems.push('the centre is outside WGS 84 (latitude −90…90, longitude −180…180)');
  if (parsed.radiusKm < 0) problems.push('the radius cannot be negative');
  return problems;
}

function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value);
}
