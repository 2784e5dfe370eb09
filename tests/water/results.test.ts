import { describe, expect, it } from 'vitest';
import { describeCode, readInp, simulateScenario, supplyingStorage, validateLayout } from '../../src/water/index.js';
import { decimationIndices } from '../../src/water/results/decimate.js';
import { frameCodes } from '../../src/water/results/frames.js';
import { decodeFloats, decodeFrames, encodeFloats } from '../../src/water/results/pack.js';
import { draftFromIncident } from '../../src/water/from-incident.js';
import { townInp, townLayout } from './town.js';

describe('stored results', () => {
  it('round-trips series through the 16-bit delta encoding, to a 65535th of their range', () => {
    const a = Float32Array.from({ length: 289 }, (_, i) => 40 + Math.sin(i / 10));
    const b = Float32Array.from({ length: 289 }, (_, i) => (i > 100 ? NaN : i * 0.25));
    const status = Float32Array.from({ length: 289 }, (_, i) => (i % 7 < 3 ? 1 : 0));
    const data = encodeFloats([a, b, status]);
    expect(data.length).toBeLessThan(289 * 3 * 2);
    const [a2, b2, s2] = decodeFloats(data, 3, 289);
    a2!.forEach((v, i) => expect(Math.abs(v - a[i]!)).toBeLessThan(2 / 65534));
    expect(Number.isNaN(b2![200]!)).toBe(true);
    expect(b2![40]).toBeCloseTo(10, 3);
    expect([...s2!].map((v) => Math.round(v * 1000) / 1000)).toEqual([...status]);
  });

  it('keeps the extremes when decimating for a chart', () => {
    const times = Array.from({ length: 1000 }, (_, i) => i * 900);
    const values = times.map((_, i) => (i === 613 ? -50 : 30));
    const keep = decimationIndices(times, values, 50);
    expect(keep).toHaveLength(50);
    expect(keep[0]).toBe(0);
    expect(keep.at(-1)).toBe(999);
    expect(keep).toContain(613);
    expect(decimationIndices(times.slice(0, 10), values.slice(0, 10), 50)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('codes a node state in one byte: pressure class, service, contaminant, affected', () => {
    const [codes] = frameCodes({
      junctions: 3,
      reservoirs: 1,
      tanks: [{ min: 0, max: 6 }],
      pressure: [Float32Array.from([30, 10, -2, 0, 0])],
      expected: [Float32Array.from([1, 1, 1])],
      delivered: [Float32Array.from([1, 0.5, 0])],
      tankLevels: [[0]],
      quality: { series: [Float32Array.from([0, 0.005, 0.5, 0, 0])], threshold: 0.01 },
      below: [Uint8Array.from([0, 1, 1])],
      baselineBelow: [Uint8Array.from([0, 0, 1])],
      servicePressure: 20,
      minimumPressure: 0,
    });
    expect([...codes!].map(describeCode)).toEqual([
      { pressure: 3, service: 3, contaminant: 0, affected: false },
      { pressure: 2, service: 2, contaminant: 1, affected: true },
      { pressure: 1, service: 1, contaminant: 3, affected: false },
      { pressure: 3, service: 0, contaminant: 0, affected: false },
      { pressure: 1, service: 0, contaminant: 0, affected: false },
    ]);
  });

  it('packs a run: one record per element, frames that decode to one byte per node per report time', async () => {
    const network = readInp(townInp());
    const outcome = await simulateScenario({ network, layout: townLayout, scenario: { name: 'PU1 out', hours: 16, events: [{ type: 'pump-failure', pumps: ['PU1'] }] }, pack: true });
    const packed = outcome.packed!;
    expect(packed.times).toHaveLength(65);
    expect(packed.elements.map((e) => `${e.kind}:${e.id}`)).toEqual(['node:J1', 'node:J2', 'node:J3', 'node:J4', 'node:R1', 'node:T1', 'link:P1', 'link:P2', 'link:P3', 'link:P4', 'link:P5', 'link:PU1', 'link:PU2']);
    const t1 = packed.elements.find((e) => e.id === 'T1')!;
    expect(t1.quantities).toEqual(['pressure', 'level']);
    const [, level] = decodeFloats(t1.data, 2, t1.points);
    expect(level![0]).toBeCloseTo(3, 3);
    expect(level!.at(-1)!).toBeLessThan(1);
    const frames = packed.frames.chunks.flatMap((c) => decodeFrames(c, packed.frames.nodes.length));
    expect(frames).toHaveLength(65);
    const j4 = packed.frames.nodes.indexOf('J4');
    expect(describeCode(frames[0]![j4]!)).toMatchObject({ pressure: 3, service: 3, affected: false });
    expect(describeCode(frames[64]![j4]!)).toMatchObject({ pressure: 1, service: 1, affected: true });
    expect(packed.junctions.find((j) => j.node === 'J4')!.hoursWithoutService).toBeGreaterThan(2);
  });
});

describe('drafting a scenario from an incident', () => {
  const network = readInp(townInp());
  const layout = validateLayout(townLayout, network);
  const incident = { id: 'i1', title: 'Tank T1 level readings manipulated', type: 'scada-intrusion', description: '' };

  it('turns the incident assets of the network into events, and says why others give none', () => {
    const draft = draftFromIncident({
      incident,
      network,
      layout,
      consumers: [{ node: 'J4', name: 'Clinic', assetId: 'clinic' }],
      hours: 24,
      assets: [
        { id: 'a1', name: 'Tank T1', type: 'tank', element: { kind: 'water-tank', ref: 'T1' } },
        { id: 'a2', name: 'PLC2', type: 'plc', element: { kind: 'plc', ref: 'PLC2' } },
        { id: 'a3', name: 'Pump PU2', type: 'pump', element: { kind: 'water-pump', ref: 'PU2' } },
        { id: 'a4', name: 'Clinic', type: 'hospital' },
        { id: 'a5', name: 'Substation', type: 'substation', feedsPumps: ['PU1'] },
      ],
    });
    expect(draft.scenario.events).toEqual([
      expect.objectContaining({ type: 'sensor-spoof', signal: 'L_T1', mode: 'constant', value: 6, on: 'sensor', start: { hour: 0 } }),
      expect.objectContaining({ type: 'actuator', link: 'PU2', status: 'closed' }),
      expect.objectContaining({ type: 'pump-failure', pumps: ['PU1'], cause: 'power', energyAssetId: 'a5' }),
    ]);
    expect(draft.skipped).toEqual([{ assetId: 'a4', name: 'Clinic', reason: 'not part of this water network' }]);
    expect(draft.scenario.criticalConsumers).toEqual([{ node: 'J4', name: 'Clinic', assetId: 'clinic' }]);
    expect(draft.scenario.description).toContain('Clinic: not part of this water network');
  });

  it('contaminates a tank in a contamination incident, and asks for water quality', () => {
    const draft = draftFromIncident({
      incident: { ...incident, title: 'Chemical found in tank T1', type: 'water-contamination' },
      network, layout, consumers: [], hours: 12,
      assets: [{ id: 'a1', name: 'Tank T1', type: 'tank', element: { kind: 'water-tank', ref: 'T1' } }],
    });
    expect(draft.scenario.events).toEqual([expect.objectContaining({ type: 'contamination', node: 'T1', concentration: 10 })]);
    expect(draft.scenario.quality).toEqual({ kind: 'chemical', threshold: 0.01 });
  });

  it('finds the tank that supplies a junction along the pipes', () => {
    expect(supplyingStorage(network, 'J4')).toBe('T1');
    const noTank = { ...network, tanks: [], pipes: network.pipes.map((p) => (p.id === 'P1' ? { ...p, to: 'J2' } : p.id === 'P2' ? { ...p, from: 'J1' } : p)) };
    expect(supplyingStorage(noTank, 'J4')).toBe('R1');
  });
});
