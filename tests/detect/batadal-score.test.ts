import { describe, expect, it } from 'vitest';
import { scoreBatadal, windowsFromLabels, type AttackWindow, type HourlyPrediction } from '../../src/detect/index.js';

const H = 3_600_000;
const T0 = Date.UTC(2016, 6, 4);
/** 100 hours; attack A = hours 10..19 (10 h), attack B = hours 50..89 (40 h). */
const windows: AttackWindow[] = [
  { id: 'A', start: T0 + 10 * H, end: T0 + 19 * H },
  { id: 'B', start: T0 + 50 * H, end: T0 + 89 * H },
];
const hours = (alarm: (i: number) => boolean): HourlyPrediction[] => Array.from({ length: 100 }, (_, i) => ({ time: T0 + i * H, alarm: alarm(i) }));
const inAttack = (i: number) => (i >= 10 && i <= 19) || (i >= 50 && i <= 89);

describe('BATADAL score', () => {
  it('no detection at all: S_TTD = 0, TPR = 0, TNR = 1, S = 0.25', () => {
    const s = scoreBatadal(hours(() => false), windows);
    expect(s.attacks.map((a) => [a.hours, a.ttdHours, a.detected])).toEqual([[10, 10, false], [40, 40, false]]);
    expect(s.sTtd).toBe(0);
    expect(s.tpr).toBe(0);
    expect(s.tnr).toBe(1);
    expect(s.sCm).toBe(0.5);
    expect(s.s).toBe(0.25);
  });

  it('instant, exact detection: S = 1', () => {
    const s = scoreBatadal(hours(inAttack), windows);
    expect(s.attacks.map((a) => a.ttdHours)).toEqual([0, 0]);
    expect([s.sTtd, s.tpr, s.tnr, s.sCm, s.s]).toEqual([1, 1, 1, 1, 1]);
  });

  it('all hours positive: S_CM = 0.5 (TPR 1, TNR 0), S_TTD = 1, S = 0.75', () => {
    const s = scoreBatadal(hours(() => true), windows);
    expect(s.tpr).toBe(1);
    expect(s.tnr).toBe(0);
    expect(s.sCm).toBe(0.5);
    expect(s.sTtd).toBe(1);
    expect(s.s).toBe(0.75);
  });

  it('a hand-computed mixed case', () => {
    // A detected from hour 15 (TTD 5 of 10), B from hour 60 to 69 only (TTD 10 of 40), false alarms at 0..4.
    const alarm = (i: number) => (i >= 15 && i <= 19) || (i >= 60 && i <= 69) || i < 5;
    const s = scoreBatadal(hours(alarm), windows);
    expect(s.attacks.map((a) => a.ttdHours)).toEqual([5, 10]);
    expect(s.sTtd).toBeCloseTo(1 - (0.5 + 0.25) / 2, 12); // 0.625
    expect(s.positives).toBe(50);
    expect(s.truePositives).toBe(15);
    expect(s.tpr).toBeCloseTo(0.3, 12);
    expect(s.negatives).toBe(50);
    expect(s.tnr).toBeCloseTo(45 / 50, 12);
    expect(s.sCm).toBeCloseTo(0.6, 12);
    expect(s.s).toBeCloseTo(0.6125, 12);
    expect(s.attacks[1]!.firstAlarm).toBe(T0 + 60 * H);
  });

  it('an alarm before a window does not count as detecting it', () => {
    const s = scoreBatadal(hours((i) => i === 9), windows);
    expect(s.attacks[0]!.detected).toBe(false);
    expect(s.sTtd).toBe(0);
  });

  it('derives windows from runs of ATT_FLAG = 1, ignoring unlabelled hours', () => {
    const flags = [0, 1, 1, -999, 1, 0, 1, 1, 1];
    const w = windowsFromLabels(flags.map((flag, i) => ({ time: T0 + i * H, flag })));
    expect(w).toEqual([
      { id: '1', start: T0 + H, end: T0 + 2 * H },
      { id: '2', start: T0 + 4 * H, end: T0 + 4 * H },
      { id: '3', start: T0 + 6 * H, end: T0 + 8 * H },
    ]);
  });
});
