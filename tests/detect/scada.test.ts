import { describe, expect, it } from 'vitest';
import {
  assessTable,
  createDetector,
  parseDetectorSettings,
  parseScadaModel,
  SCADA_MODEL_VERSION,
  ScadaModelError,
  trainScadaModel,
  type AlertDraft,
} from '../../src/detect/index.js';
import { H, simulatePlant, tamper, TAGS } from './synthetic-plant.js';

const TRAIN_START = Date.UTC(2024, 0, 1);
const TEST_START = Date.UTC(2024, 6, 1);
const history = simulatePlant(24 * 90, TRAIN_START, 1);
const model = trainScadaModel([history]);
const normal = simulatePlant(24 * 20, TEST_START, 2);
const alarms = (table = normal) => assessTable(model, table).map((a) => a.alarm);
const idx = (tag: string) => TAGS.indexOf(tag);

describe('SCADA attack model: training and serialisation', () => {
  it('models the varying tags, keeps constant ones to an envelope, and records how it was trained', () => {
    expect(model.format).toBe('vigil.scada-attack-model');
    expect(model.version).toBe(SCADA_MODEL_VERSION);
    expect(model.modelled).toEqual(['L_T1', 'F_PU1', 'S_PU1', 'P_J1']);
    expect(model.envelopes.S_PU2).toEqual({ min: 0, max: 0 });
    expect(model.checks).toHaveLength(8);
    expect(model.training).toMatchObject({ hours: 24 * 90, periodMs: H, from: new Date(TRAIN_START).toISOString() });
    expect(model.training.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(trainScadaModel([simulatePlant(24 * 90, TRAIN_START, 1)]).training.fingerprint).toBe(model.training.fingerprint);
    expect(trainScadaModel([simulatePlant(24 * 90, TRAIN_START, 3)]).training.fingerprint).not.toBe(model.training.fingerprint);
  });

  it('survives a JSON round trip and gives identical assessments', () => {
    const restored = parseScadaModel(JSON.parse(JSON.stringify(model)));
    expect(restored).toEqual(model);
    expect(assessTable(restored, normal)).toEqual(assessTable(model, normal));
  });

  it('refuses documents of another format or version, or with damaged checks', () => {
    const json = JSON.parse(JSON.stringify(model));
    expect(() => parseScadaModel({ ...json, version: 99 })).toThrow(/version 99 is not supported/);
    expect(() => parseScadaModel({ ...json, format: 'other' })).toThrow(ScadaModelError);
    json.checks[0].weights.pop();
    expect(() => parseScadaModel(json)).toThrow(/checks\[0\] is malformed/);
  });
});

describe('SCADA attack model: detection', () => {
  it('stays quiet on fresh attack-free operation', () => {
    const a = alarms();
    expect(a.filter(Boolean).length / a.length).toBeLessThan(0.02);
  });

  it('flags a manipulated level sensor and names it with its deviation', () => {
    const attacked = tamper(normal, 200, 240, (row) => (row[idx('L_T1')] = row[idx('L_T1')]! + 1.2));
    const results = assessTable(model, attacked);
    const first = results.findIndex((r, i) => i >= 200 && r.alarm);
    expect(first).toBeGreaterThanOrEqual(200);
    expect(first).toBeLessThanOrEqual(202);
    expect(results.slice(200, 241).filter((r) => r.alarm).length).toBeGreaterThan(35);
    const lead = results[first]!.deviations[0]!;
    expect(lead.datastream).toMatch(/L_T1|P_J1/);
    const level = results[first + 3]!.deviations.find((d) => d.datastream === 'L_T1')!;
    expect(level.deviation).toBeGreaterThan(0.6);
    expect(level.check).toMatch(/^consistency-/);
  });

  it('flags a tampered actuator: pump reported running with no flow', () => {
    const attacked = tamper(normal, 300, 320, (row) => {
      row[idx('S_PU1')] = 1;
      row[idx('F_PU1')] = 0;
    });
    const hits = alarms(attacked).slice(300, 321).filter(Boolean).length;
    expect(hits).toBeGreaterThan(15);
  });

  it('flags a concealed attack: level, flow and status replayed from a day before while pressure is live', () => {
    const attacked = tamper(normal, 150, 200, (row, i) => {
      for (const tag of ['L_T1', 'F_PU1', 'S_PU1']) row[idx(tag)] = normal.rows[i - 37]![idx(tag)]!;
    });
    const window = alarms(attacked).slice(150, 201);
    expect(window.slice(0, 6).some(Boolean)).toBe(true);
    expect(window.filter(Boolean).length / window.length).toBeGreaterThan(0.7);
  });

  it('flags a standby pump that never ran in training through its envelope, at once', () => {
    const attacked = tamper(normal, 100, 100, (row) => (row[idx('S_PU2')] = 1));
    const r = assessTable(model, attacked)[100]!;
    expect(r.alarm).toBe(true);
    expect(r.deviations[0]).toMatchObject({ datastream: 'S_PU2', check: 'envelope', observed: 1 });
  });
});

describe('SCADA attack detector fed observation by observation', () => {
  it('matches the batch assessment and raises alert drafts with one dedup key per episode', () => {
    const attacked = tamper(normal, 200, 230, (row) => (row[idx('L_T1')] = row[idx('L_T1')]! + 1.2));
    const detector = createDetector(parseDetectorSettings({ id: 'ctown', kind: 'scada-attack', datastreams: ['*'], model: 'm1' }), {
      scadaModel: (id) => (id === 'm1' ? model : undefined),
    });
    const drafts: AlertDraft[] = [];
    attacked.rows.forEach((row, i) => {
      // Readings of one hour arrive in a shuffled order, with a reading for an unknown tag mixed in.
      const order = [3, 0, 4, 2, 1];
      detector.observe({ datastream: 'UNKNOWN', time: attacked.times[i]!, value: 1 });
      for (const j of order) drafts.push(...detector.observe({ datastream: TAGS[j]!, time: attacked.times[i]! + j * 60_000, value: row[j]! }));
    });
    const batch = assessTable(model, attacked);
    const alarmHours = batch.flatMap((r, i) => (r.alarm ? [attacked.times[i]] : []));
    expect(drafts.map((d) => d.time)).toEqual(alarmHours);
    const inAttack = drafts.filter((d) => d.time >= attacked.times[200]! && d.time <= attacked.times[230]!);
    expect(new Set(inAttack.map((d) => d.dedupKey)).size).toBe(1);
    expect(inAttack[0]).toMatchObject({ category: 'cyber-physical', detector: 'ctown' });
    expect(inAttack[0]!.datastreams.length).toBeGreaterThan(0);
    expect(inAttack[0]!.evidence.deviations[0]!.expected).toEqual(expect.any(Number));
  });

  it('skips an hour with a missing reading and warms up again after it', () => {
    const detector = createDetector(parseDetectorSettings({ id: 'c', kind: 'scada-attack', datastreams: ['*'], model: 'm' }), { scadaModel: () => model });
    const attacked = tamper(normal, 10, 40, (row) => (row[idx('S_PU2')] = 1));
    const alarmed: number[] = [];
    attacked.rows.slice(0, 20).forEach((row, i) => {
      TAGS.forEach((tag, j) => {
        if (i === 15 && tag === 'P_J1') return;
        if (detector.observe({ datastream: tag, time: attacked.times[i]!, value: row[j]! }).length) alarmed.push(i);
      });
    });
    expect(alarmed).toEqual([10, 11, 12, 13, 14, 16, 17, 18, 19]);
  });
});
