/**
 * Replay (exercise mode) as pure planning: which readings a recorded SCADA log becomes, stamped as if it
 * were happening now, and when each row is sent.
 *
 * Times: the log keeps its spacing and is moved so that its last row is stamped the moment it is sent.
 * Row i is sent at start + (tᵢ − t₀)/speed and stamped start + (tᵢ − t₀) − D·(1 − 1/speed), D = t_last − t₀:
 * never later than the moment it is sent (so never "in the future"), and at speed 1 exactly the moment it
 * is sent. Hour-spaced rows stay an hour apart, so detectors that work on hourly periods see the same
 * periods as in the log.
 */
export interface ReplayRow {
  /** Milliseconds after the start at which the row is due. */
  dueMs: number;
  /** The readings of the row, already stamped (empty cells are left out). */
  readings: Array<{ stream: string; t: number; v: number }>;
}

export function planReplay(log: { tags: string[]; times: number[]; rows: ArrayLike<number>[] }, start: number, speed: number): ReplayRow[] {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('speed must be a number greater than 0');
  const t0 = log.times[0] ?? 0;
  const span = (log.times[log.times.length - 1] ?? t0) - t0;
  const shift = start - t0 - span * (1 - 1 / speed);
  return log.times.map((t, i) => {
    const row = log.rows[i]!;
    const readings: ReplayRow['readings'] = [];
    log.tags.forEach((stream, j) => {
      const v = row[j]!;
      if (Number.isFinite(v)) readings.push({ stream, t: Math.round(t + shift), v });
    });
    return { dueMs: Math.max(0, (t - t0) / speed), readings };
  });
}
