import { describe, expect, it } from 'vitest';
import {
  capDateTimeProblem,
  formatCapDateTime,
  validateCap,
  type CapProblem,
} from '../../src/warnings/index.js';

/** A valid CAP 1.2 message; each case below changes one thing. */
function message(changes: { header?: Record<string, string>; info?: string; area?: string; namespace?: string } = {}): string {
  const header: Record<string, string> = {
    identifier: 'MC-VIGIL.case.1',
    sender: 'protection-civile@vigil.example.mc',
    sent: '2025-07-14T11:30:00+02:00',
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    ...changes.header,
  };
  const order = ['identifier', 'sender', 'sent', 'status', 'msgType', 'source', 'scope', 'restriction', 'addresses', 'code', 'note', 'references', 'incidents'];
  const head = order.filter((k) => header[k] !== undefined && header[k] !== '<omit>').map((k) => `  <${k}>${header[k]}</${k}>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="${changes.namespace ?? 'urn:oasis:names:tc:emergency:cap:1.2'}">
${head}
  <info>
    <category>Safety</category>
    <event>Avoid area</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    ${changes.info ?? '<expires>2025-07-14T17:30:00+02:00</expires>'}
    <area>
      <areaDesc>Port Hercule</areaDesc>
      ${changes.area ?? '<polygon>43.7347,7.4177 43.7307,7.4210 43.7335,7.4261 43.7347,7.4177</polygon>'}
    </area>
  </info>
</alert>`;
}

const errors = (xml: string): CapProblem[] => validateCap(xml).problems.filter((p) => p.severity === 'error');
const rulesOf = (xml: string): string[] => errors(xml).map((p) => p.rule);

describe('CAP §3 rules the schema cannot express', () => {
  it('accepts the base message', () => {
    expect(validateCap(message()).problems).toEqual([]);
  });

  describe('polygon (§3.2.4): closed, at least 4 coordinate pairs, WGS 84', () => {
    it.each([
      ['not closed', '43.7347,7.4177 43.7307,7.4210 43.7335,7.4261 43.7340,7.4177', /first and last coordinate pairs MUST be the same/],
      ['3 pairs', '43.7347,7.4177 43.7307,7.4210 43.7347,7.4177', /minimum of 4 coordinate pairs, this one has 3/],
      ['latitude 91', '91,7.4177 43.7307,7.4210 43.7335,7.4261 91,7.4177', /"91,7\.4177" is outside WGS 84/],
      ['longitude -181', '43.7,-181 43.7307,7.4210 43.7335,7.4261 43.7,-181', /outside WGS 84/],
      ['longitude first, space-separated', '7.4177 43.7347 7.4210 43.7307', /is not a coordinate pair/],
    ])('%s', (_case, polygon, message_) => {
      const found = errors(message({ area: `<polygon>${polygon}</polygon>` }));
      expect(found.map((p) => p.rule)).toContain('polygon');
      expect(found.find((p) => p.rule === 'polygon')!.message).toMatch(message_);
      expect(found.find((p) => p.rule === 'polygon')!.path).toBe('/alert/info[1]/area[1]/polygon[1]');
    });

    it('compares first and last pairs as numbers', () => {
      expect(rulesOf(message({ area: '<polygon>43.7347,7.4177 43.7307,7.4210 43.7335,7.4261 43.73470,7.41770</polygon>' }))).toEqual([]);
    });
  });

  describe('circle (§3.2.4): "lat,lon radius", radius in km', () => {
    it.each([
      ['no radius', '43.7347,7.4177'],
      ['comma before radius', '43.7347,7.4177,0.5'],
      ['negative radius', '43.7347,7.4177 -1'],
      ['centre out of range', '43.7347,190 1'],
    ])('%s is an error', (_case, circle) => {
      expect(rulesOf(message({ area: `<circle>${circle}</circle>` }))).toEqual(['circle']);
    });

    it('accepts a zero radius (a point)', () => {
      expect(rulesOf(message({ area: '<circle>43.7347,7.4177 0</circle>' }))).toEqual([]);
    });
  });

  describe('identifier and sender (§3.2.1): no spaces, commas or restricted characters', () => {
    it.each([
      ['identifier', 'MC VIGIL 1', /white space/],
      ['identifier', 'MC,1', /a comma/],
      ['identifier', 'MC&amp;1', /"&"/],
      ['identifier', 'MC&lt;1', /"<"/],
      ['sender', 'protection civile', /white space/],
    ])('%s "%s"', (element, value, explanation) => {
      const found = errors(message({ header: { [element]: value } }));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: `${element}-characters`, path: `/alert/${element}` });
      expect(found[0]!.message).toMatch(explanation);
    });

    it('an empty identifier is an error', () => {
      expect(rulesOf(message({ header: { identifier: '' } }))).toEqual(['identifier-empty']);
    });
  });

  describe('dateTime (§3.3.2): explicit offset, no "Z", UTC as "-00:00"', () => {
    it('refuses "Z" in CAP 1.2 (the schema pattern and the rule both say so)', () => {
      const found = errors(message({ header: { sent: '2025-07-14T09:30:00Z' } }));
      expect(found.map((p) => p.rule).sort()).toEqual(['date-time', 'schema']);
      expect(found.find((p) => p.rule === 'date-time')!.message).toMatch(/alphabetic time zone designator/);
    });

    it('refuses "Z" in CAP 1.1 too, where only the rule sees it', () => {
      const xml = message({ namespace: 'urn:oasis:names:tc:emergency:cap:1.1', info: '<expires>2025-07-14T15:30:00Z</expires>' });
      const found = errors(xml);
      expect(found.map((p) => [p.rule, p.path])).toEqual([['date-time', '/alert/info[1]/expires']]);
    });

    it('"+00:00" is wrong in CAP 1.2 and accepted in CAP 1.1', () => {
      expect(rulesOf(message({ header: { sent: '2025-07-14T09:30:00+00:00' } }))).toEqual(['date-time']);
      expect(rulesOf(message({ namespace: 'urn:oasis:names:tc:emergency:cap:1.1', header: { sent: '2025-07-14T09:30:00+00:00' } }))).toEqual([]);
    });

    it.each([
      ['2025-07-14T09:30:00', 'no-time-zone'],
      ['2025-07-14T09:30:00.5+02:00', 'fractional-seconds'],
      ['2025-02-30T09:30:00+01:00', 'out-of-range'],
      ['2025-07-14 09:30:00+02:00', 'form'],
      ['2025-07-14T09:30:00-00:00', null],
    ])('%s → %s', (value, problem) => {
      expect(capDateTimeProblem(value)).toBe(problem);
    });

    it('writes UTC as -00:00 and Monaco time with its offset, summer and winter', () => {
      expect(formatCapDateTime(new Date('2025-07-14T09:30:00.789Z'))).toBe('2025-07-14T09:30:00-00:00');
      expect(formatCapDateTime(new Date('2025-07-14T09:30:00Z'), 'Europe/Monaco')).toBe('2025-07-14T11:30:00+02:00');
      expect(formatCapDateTime(new Date('2025-01-14T09:30:00Z'), 'Europe/Monaco')).toBe('2025-01-14T10:30:00+01:00');
    });
  });

  describe('message types, scope and references (§3.2.1)', () => {
    const triple = 'protection-civile@vigil.example.mc,MC-VIGIL.case.0,2025-07-14T10:30:00+02:00';

    it.each(['Update', 'Cancel', 'Ack', 'Error'])('%s without references is an error', (msgType) => {
      expect(rulesOf(message({ header: { msgType, note: 'n' } }))).toEqual(['references-required']);
      expect(rulesOf(message({ header: { msgType, note: 'n', references: triple } }))).toEqual([]);
    });

    it.each([
      ['two parts', 'sender,identifier', /not of the form sender,identifier,sent/],
      ['comma-separated list', `${triple},${triple}`, /not of the form/],
      ['bad time', 'a,b,2025-07-14T10:30:00Z', /alphabetic time zone/],
    ])('references with %s', (_case, references, explanation) => {
      const found = errors(message({ header: { msgType: 'Update', references } }));
      expect(found.map((p) => p.rule)).toEqual(['references-form']);
      expect(found[0]!.message).toMatch(explanation);
    });

    it('accepts several whitespace-separated triples', () => {
      expect(rulesOf(message({ header: { msgType: 'Update', references: `${triple}\n  ${triple.replace('case.0', 'case.00')}` } }))).toEqual([]);
    });

    it('Restricted needs <restriction>; <restriction> needs Restricted; Private needs <addresses>', () => {
      expect(rulesOf(message({ header: { scope: 'Restricted' } }))).toEqual(['restriction-required']);
      expect(rulesOf(message({ header: { scope: 'Restricted', restriction: 'Services de secours' } }))).toEqual([]);
      expect(rulesOf(message({ header: { restriction: 'Services de secours' } }))).toEqual(['restriction-scope']);
      expect(rulesOf(message({ header: { scope: 'Private' } }))).toEqual(['addresses-required']);
      expect(rulesOf(message({ header: { scope: 'Private', addresses: '"Police Monaco" pompiers@gouv.mc' } }))).toEqual([]);
      expect(rulesOf(message({ header: { scope: 'Private', addresses: '"Police Monaco pompiers' } }))).toEqual(['addresses-quotes']);
    });

    it('empty optional elements are null values, not errors (§3.2)', () => {
      expect(rulesOf(message({ header: { restriction: '', addresses: '', note: '', incidents: '' } }))).toEqual([]);
    });
  });

  describe('info, resource and area', () => {
    it('<web> must be an absolute URI', () => {
      expect(rulesOf(message({ info: '<web>/public/warnings/1</web>' }))).toEqual(['web-absolute']);
      expect(rulesOf(message({ info: '<web>https://vigil.example.mc/public/warnings/1</web>' }))).toEqual([]);
    });

    it('<ceiling> needs <altitude>, and altitude is the lower limit', () => {
      const poly = '<polygon>43.7347,7.4177 43.7307,7.4210 43.7335,7.4261 43.7347,7.4177</polygon>';
      expect(rulesOf(message({ area: `${poly}<ceiling>500</ceiling>` }))).toEqual(['ceiling-without-altitude']);
      expect(rulesOf(message({ area: `${poly}<altitude>600</altitude><ceiling>500</ceiling>` }))).toEqual(['altitude-above-ceiling']);
      expect(rulesOf(message({ area: `${poly}<altitude>100</altitude><ceiling>500</ceiling>` }))).toEqual([]);
    });

    it('a relative resource <uri> needs a <derefUri>', () => {
      const resource = (inner: string) =>
        `<resource><resourceDesc>map</resourceDesc><mimeType>image/png</mimeType>${inner}</resource>`;
      const withResource = (inner: string) =>
        message().replace('<area>', `${resource(inner)}\n    <area>`);
      expect(rulesOf(withResource('<uri>map.png</uri>'))).toEqual(['resource-uri']);
      expect(rulesOf(withResource('<uri>map.png</uri><derefUri>iVBORw0KGgo=</derefUri>'))).toEqual([]);
      expect(rulesOf(withResource('<uri>https://vigil.example.mc/map.png</uri>'))).toEqual([]);
    });

    it('SHOULDs are warnings, which leave a message valid', () => {
      const long = 'x'.repeat(161);
      const result = validateCap(message({ header: { status: 'Exercise' }, info: `<expires>2025-07-14T17:30:00+02:00</expires><headline>${long}</headline>` }));
      expect(result.valid).toBe(true);
      expect(result.problems.map((p) => [p.severity, p.rule])).toEqual([
        ['warning', 'exercise-note'],
        ['warning', 'headline-length'],
      ]);
    });
  });

  describe('schema errors are explained where they are', () => {
    it('a wrong enumeration value names the element and the accepted values', () => {
      const found = errors(message({ header: { status: 'Real' } }));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: 'schema', path: '/alert/status', line: 6 });
      expect(found[0]!.message).toMatch(/<status>: \[facet 'enumeration'\] The value 'Real' is not an element of the set/);
    });

    it('a document that is not CAP, or not XML, is invalid with one explained error', () => {
      expect(validateCap('<feed xmlns="http://www.w3.org/2005/Atom"/>').problems).toMatchObject([{ rule: 'not-cap' }]);
      expect(validateCap('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>')).toMatchObject({
        valid: false,
        problems: [{ rule: 'xml-syntax' }],
      });
    });
  });
});
