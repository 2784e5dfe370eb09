/**
 * The BATADAL score (Taormina et al. 2018), exactly as in the product brief:
 *   TTD_i  = hours from the start of attack i to the first alarm inside it (Δt_i if none),
 *   S_TTD  = 1 − (1/n)·Σ TTD_i/Δt_i,
 *   S_CM   = (TPR + TNR)/2 over all predicted hours,
 *   S      = γ·S_TTD + (1−γ)·S_CM, γ = 0.5.
 * Positive hours are the hours inside an attack window (start and end inclusive); every other predicted
 * hour is negative. Δt_i is the window's length in hours, both ends counted. Pure.
 */

export interface AttackWindow {
  id: string;
  /** First attack hour, epoch ms. */
  start: number;
  /** Last attack hour (inclusive), epoch ms. */
  end: number;
}

export interface HourlyPrediction {
  time: number;
  alarm: boolean;
}

export interface AttackOutcome {
  id: string;
  start: number;
  end: number;
  hours: number;
  detected: boolean;
  /** Time of the first alarm inside the window. */
  firstAlarm?: number;
  ttdHours: number;
  /** TTD_i / Δt_i. */
  ttdFraction: number;
  /** Share of the window's predicted hours that alarmed. */
  hourlyRecall: number;
}

export interface ConfusionRates {
  positives: number;
  negatives: number;
  truePositives: number;
  trueNegatives: number;
  tpr: number;
  tnr: number;
}

export interface BatadalScore extends ConfusionRates {
  attacks: AttackOutcome[];
  sTtd: number;
  sCm: number;
  s: number;
  gamma: number;
}

export function scoreBatadal(
  predictions: HourlyPrediction[],
  windows: AttackWindow[],
  options: { periodMs?: number; gamma?: number } = {},
): BatadalScore {
  const periodMs = options.periodMs ?? 3_600_000;
  const gamma = options.gamma ?? 0.5;
  if (windows.length === 0) throw new RangeError('scoring needs at least one attack window');
  if (predictions.length === 0) throw new RangeError('scoring needs at least one prediction');
  const inAttack = (t: number): boolean => windows.some((w) => t >= w.start && t <= w.end);

  const attacks = windows.map((w): AttackOutcome => {
    const hours = Math.round((w.end - w.start) / periodMs) + 1;
    const inside = predictions.filter((p) => p.time >= w.start && p.time <= w.end);
    const first = inside.find((p) => p.alarm);
    const ttdHours = first ? Math.min(hours, (first.time - w.start) / periodMs) : hours;
    return {
      id: w.id,
      start: w.start,
      end: w.end,
      hours,
      detected: Boolean(first),
      ...(first ? { firstAlarm: first.time } : {}),
      ttdHours,
      ttdFraction: ttdHours / hours,
      hourlyRecall: inside.length ? inside.filter((p) => p.alarm).length / inside.length : 0,
    };
  });
  const sTtd = 1 - attacks.reduce((acc, a) => acc + a.ttdFraction, 0) / attacks.length;
  const rates = confusion(predictions.map((p) => ({ alarm: p.alarm, positive: inAttack(p.time) })));
  const sCm = (rates.tpr + rates.tnr) / 2;
  return { attacks, ...rates, sTtd, sCm, s: gamma * sTtd + (1 - gamma) * sCm, gamma };
}

/** TPR and TNR over hours that carry a truth; a class with no hours counts as perfectly classified. */
export function confusion(hours: { alarm: boolean; positive: boolean }[]): ConfusionRates {
  let positives = 0;
  let negatives = 0;
  let truePositives = 0;
  let trueNegatives = 0;
  for (const h of hours) {
    if (h.positive) {
      positives += 1;
      if (h.alarm) truePositives += 1;
    } else {
      negatives += 1;
      if (!h.alarm) trueNegatives += 1;
    }
  }
  return {
    positives,
    negatives,
    truePositives,
    trueNegatives,
    tpr: positives ? truePositives / positives : 1,
    tnr: negatives ? trueNegatives / negatives : 1,
  };
}

/** Attack windows as the runs of consecutive hours labelled 1 (for label files without a window list). */
export function windowsFromLabels(labels: { time: number; flag: number }[], periodMs = 3_600_000): AttackWindow[] {
  const windows: AttackWindow[] = [];
  let open: AttackWindow | undefined;
  for (const { time, flag } of labels) {
    if (flag === 1 && open && time - open.end === periodMs) {
      open.end = time;
    } else if (flag === 1) {
      open = { id: String(windows.length + 1), start: time, end: time };
      windows.push(open);
    } else {
      open = undefined;
    }
  }
  return windows;
}
