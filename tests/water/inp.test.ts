import { describe, expect, it } from 'vitest';
import { InpError, readInp, writeInp, type WaterNetwork } from '../../src/water/index.js';
import { epanetOwnRun, hasShared, sharedText } from './helpers.js';

const comparable = (n: WaterNetwork): unknown => ({ ...n, coordinates: [...n.coordinates] });

describe.skipIf(!hasShared)('.inp import → export round trip', () => {
  for (const file of ['Net1.inp', 'Net2.inp', 'Net3.inp', 'CTOWN.INP', 'L-TOWN.inp']) {
    it(`${file} reads back to the same network`, () => {
      const network = readInp(sharedText(file));
      const again = readInp(writeInp(network));
      expect(comparable(again)).toEqual(comparable(network));
    });
  }

  it('reads the CRLF L-Town file fully (782 junctions, 905 pipes, 3 valves, 2 controls)', () => {
    const text = sharedText('L-TOWN.inp');
    expect(text.includes('\r\n')).toBe(true);
    const n = readInp(text);
    expect([n.junctions.length, n.pipes.length, n.valves.length, n.pumps.length, n.controls.length]).toEqual([782, 905, 3, 1, 2]);
    expect(n.junctions[0]!.demands.length).toBeGreaterThan(1);
    expect(n.options.flowUnits).toBe('CMH');
  });

  it('C-Town: counts, controls, status and timing as in the file', () => {
    const n = readInp(sharedText('CTOWN.INP'));
    expect([n.junctions.length, n.pipes.length, n.pumps.length, n.valves.length, n.tanks.length, n.reservoirs.length]).toEqual([388, 429, 11, 4, 7, 1]);
    expect(n.controls[0]).toEqual({ id: 'C1', link: 'PU1', action: { status: 'OPEN' }, when: { node: 'T1', relation: 'below', value: 4 }, enabled: true });
    expect(n.status.find((s) => s.link === 'PU3')?.value).toBe('CLOSED');
    expect(n.times).toMatchObject({ duration: 168 * 3600, hydraulicStep: 900, patternStep: 3600 });
    expect(n.curves.find((c) => c.id === n.pumps[0]!.headCurve)?.kind).toBe('PUMP');
  });

  it('EPANET gives the same results for the exported file as for the original (Net3, 24 h)', async () => {
    const original = sharedText('Net3.inp');
    const a = await epanetOwnRun(original, 24);
    const b = await epanetOwnRun(writeInp(readInp(original)), 24);
    const byId = new Map(b.results.nodes.map((x) => [x.id, x]));
    for (const node of a.results.nodes) expect(byId.get(node.id)!.pressure).toEqual(node.pressure);
    const links = new Map(b.results.links.map((x) => [x.id, x]));
    for (const link of a.results.links) expect(links.get(link.id)!.flow).toEqual(link.flow);
  });
});

describe('.inp errors name the line and the section', () => {
  const base = '[JUNCTIONS]\n J1 10 5\n[RESERVOIRS]\n R1 50\n[PIPES]\n P1 R1 J1 100 200 130\n';
  const fails = (text: string): InpError => {
    try {
      readInp(text);
    } catch (error) {
      expect(error).toBeInstanceOf(InpError);
      return error as InpError;
    }
    throw new Error('expected an InpError');
  };

  it('a number that is not one', () => {
    const e = fails(base.replace('J1 10 5', 'J1 ten 5'));
    expect([e.line, e.section]).toEqual([2, 'JUNCTIONS']);
    expect(e.message).toMatch(/line 2 \[JUNCTIONS\]: elevation "ten" is not a number/);
  });

  it('an unsupported section', () => {
    const e = fails(`${base}[GREENHOUSES]\n X 1\n`);
    expect([e.line, e.section]).toEqual([8, 'GREENHOUSES']);
  });

  it('a pipe to an undefined node', () => {
    const e = fails(base.replace('P1 R1 J1', 'P1 R1 J9'));
    expect([e.line, e.section]).toEqual([6, 'PIPES']);
    expect(e.message).toMatch(/undefined node "J9"/);
  });

  it('a malformed control', () => {
    const e = fails(`${base}[CONTROLS]\n LINK P1 OPEN WHEN NODE J1 BELOW 3\n`);
    expect([e.line, e.section]).toEqual([8, 'CONTROLS']);
  });

  it('a control on an undefined link', () => {
    const e = fails(`${base}[CONTROLS]\n LINK P7 OPEN IF NODE J1 BELOW 3\n`);
    expect(e.message).toMatch(/line 8 \[CONTROLS\]: control refers to undefined link "P7"/);
  });

  it('a duplicate ID and a tank outside its levels', () => {
    expect(fails(base.replace(' J1 10 5\n', ' J1 10 5\n J1 11 5\n')).line).toBe(3);
    expect(fails(`${base}[TANKS]\n T1 10 9 0 5 10 0\n`).message).toMatch(/starts outside its minimum and maximum levels/);
  });

  it('rules: reads premises and actions, rejects a rule without THEN', () => {
    const rules = `${base}[RULES]\nRULE R1\nIF JUNCTION J1 PRESSURE BELOW 20\nAND SYSTEM CLOCKTIME >= 6 AM\nTHEN PIPE P1 STATUS = CLOSED\nELSE PIPE P1 STATUS = OPEN\nPRIORITY 2\n`;
    const n = readInp(rules);
    expect(n.rules[0]).toMatchObject({ id: 'R1', priority: 2, premises: [{ logic: 'IF', object: 'JUNCTION', id: 'J1' }, { logic: 'AND', object: 'SYSTEM', variable: 'CLOCKTIME' }] });
    expect(readInp(writeInp(n)).rules).toEqual(n.rules);
    expect(fails(`${base}[RULES]\nRULE R1\nIF JUNCTION J1 PRESSURE BELOW 20\n`).message).toMatch(/needs at least one IF premise and one THEN action/);
  });
});
