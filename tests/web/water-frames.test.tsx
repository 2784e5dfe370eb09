// The animation frames as the map draws them: decoding, the bits of each view, the state of pipes from
// their ends, and the legend.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describeCode } from '../../src/water/results/frames.js';
import { LEGENDS, badness, colourExpression, countValues, decodeFrame, frameState, linkValue, nodeKinds, viewValue } from '../../web/src/water/frames.js';
import { FrameLegend } from '../../web/src/water/Legend.js';

// A junction with no water, unserved, above threshold, affected: 1 | 1<<2 | 2<<4 | 1<<6 = 0b1_10_01_01 = 101.
const NO_WATER_CONTAMINATED = 1 | (1 << 2) | (2 << 4) | (1 << 6);
// Adequate, served, clean: 3 | 3<<2 = 15. A tank that is empty: 1. A reservoir: 3.
const FINE = 3 | (3 << 2);

describe('frames', () => {
  it('decodes a base64 frame to one byte per node, as the server packs it', () => {
    const bytes = [NO_WATER_CONTAMINATED, FINE, 0, 255, 3, 1];
    const base64 = Buffer.from(bytes).toString('base64');
    expect([...decodeFrame(base64)]).toEqual(bytes);
  });

  it('reads each view from its bits exactly as the server describes a code', () => {
    for (let code = 0; code < 128; code++) {
      const d = describeCode(code);
      expect(viewValue(code, 'pressure')).toBe(d.pressure);
      expect(viewValue(code, 'service')).toBe(d.service);
      expect(viewValue(code, 'contaminant')).toBe(d.contaminant);
      expect(viewValue(code, 'affected')).toBe(d.affected ? 1 : 0);
    }
  });

  it('gives a pipe the state of its worse end, with tanks read in junction terms', () => {
    const junction = (value: number) => ({ value, kind: 'junction' as const });
    expect(linkValue('pressure', junction(3), junction(1))).toBe(1);
    expect(linkValue('pressure', junction(2), junction(3))).toBe(2);
    // An empty tank is "no water" for the pipe leaving it; a tank between levels is as good as adequate.
    expect(linkValue('pressure', { value: 1, kind: 'tank' }, junction(3))).toBe(1);
    expect(linkValue('pressure', { value: 2, kind: 'tank' }, junction(3))).toBe(3);
    // A junction without demand (0) does not hide an unserved neighbour.
    expect(linkValue('service', junction(0), junction(1))).toBe(1);
    expect(linkValue('contaminant', junction(1), junction(3))).toBe(3);
    expect(linkValue('affected', junction(0), undefined)).toBe(0);
    expect(linkValue('pressure', undefined, undefined)).toBe(-1);
    expect(badness('pressure', 1)).toBeGreaterThan(badness('pressure', 2));
    expect(badness('pressure', 0)).toBe(0);
  });

  it('works out every node and link of a frame, ends outside the frame included', () => {
    const kinds = nodeKinds({ junctions: 2, reservoirs: 1, tanks: 1 });
    expect(kinds).toEqual(['junction', 'junction', 'reservoir', 'tank']);
    const frame = Uint8Array.from([NO_WATER_CONTAMINATED, FINE, 3, 1]);
    const state = frameState(frame, 'pressure', kinds, [[0, 1], [1, 3], [1, 2], [-1, 1], [7, -1]]);
    expect([...state.nodes]).toEqual([1, 3, 3, 1]);
    expect([...state.links]).toEqual([1, 1, 3, 3, -1]);
    expect([...frameState(frame, 'contaminant', kinds, [[0, 1]]).links]).toEqual([2]);
    expect(countValues(state.nodes, kinds)).toEqual(new Map([[1, 1], [3, 1]]));
    expect(countValues(state.nodes, kinds, 'tank')).toEqual(new Map([[1, 1]]));
  });

  it('colours by feature state with the legend’s colours, and the type colour without a state', () => {
    const expression = colourExpression('pressure', '#2f8fd8');
    expect(expression.slice(0, 2)).toEqual(['match', ['coalesce', ['feature-state', 'v'], -1]]);
    expect(expression.at(-1)).toBe('#2f8fd8');
    for (const e of LEGENDS.pressure.entries) expect(expression[expression.indexOf(e.value) + 1]).toBe(e.colour);
    const tanks = colourExpression('pressure', '#1fc7b6', true);
    expect(tanks[tanks.indexOf(1) + 1]).toBe(LEGENDS.pressure.tanks![0]!.colour);
    // No two entries of a view share a colour, so a person can tell them apart.
    for (const legend of Object.values(LEGENDS)) expect(new Set(legend.entries.map((e) => e.colour)).size).toBe(legend.entries.length);
  });
});

describe('FrameLegend', () => {
  it('names every state of the view with its colour and how many junctions show it', () => {
    const html = renderToStaticMarkup(<FrameLegend view="pressure" counts={new Map([[1, 41], [3, 300]])} tankCounts={new Map([[1, 2]])} />);
    expect(html).toContain('Has this street water at adequate pressure?');
    expect(html).toMatch(/background:#ff3b3b[^>]*><\/span> no water<span class="legend-count"> 41<\/span>/);
    expect(html).toContain('low (below service pressure)<span class="legend-count"> 0</span>');
    expect(html).toContain('tank empty<span class="legend-count"> 2</span>');
  });

  it('shows the contaminant view without counts before a frame is read', () => {
    const html = renderToStaticMarkup(<FrameLegend view="contaminant" />);
    expect(html).toContain('10 × threshold or more');
    expect(html).not.toContain('legend-count');
    expect(html).not.toContain('tank empty');
  });
});
