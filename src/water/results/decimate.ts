/**
 * Which points of a series to keep for a chart of at most `max` points: Largest-Triangle-Three-Buckets
 * (Steinarsson 2013), which keeps the peaks and troughs a person looks for (a tank emptying, a pressure
 * drop) where plain striding would step over them. Always keeps the first and last points. NaN values
 * (a run that failed before the end) count as zero for the choice only.
 */
export function decimationIndices(times: ArrayLike<number>, values: ArrayLike<number>, max: number): number[] {
  const n = Math.min(times.length, values.length);
  if (max >= n || n <= 2) return Array.from({ length: n }, (_, i) => i);
  if (max < 3) return [0, n - 1].slice(0, Math.max(1, max));
  const v = (i: number): number => (Number.isFinite(values[i]!) ? values[i]! : 0);
  const keep = [0];
  const bucket = (n - 2) / (max - 2);
  let a = 0;
  for (let b = 0; b < max - 2; b++) {
    const start = Math.floor(b * bucket) + 1;
    const end = Math.min(n - 1, Math.floor((b + 1) * bucket) + 1);
    // The average of the next bucket stands in for the point that will be chosen there.
    const nextStart = end;
    const nextEnd = Math.min(n, Math.floor((b + 2) * bucket) + 1);
    let avgT = 0;
    let avgV = 0;
    const count = Math.max(1, nextEnd - nextStart);
    for (let i = nextStart; i < nextEnd; i++) {
      avgT += times[i]!;
      avgV += v(i);
    }
    avgT /= count;
    avgV /= count;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((times[a]! - avgT) * (v(i) - v(a)) - (times[a]! - times[i]!) * (avgV - v(a)));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    keep.push(best);
    a = best;
  }
  keep.push(n - 1);
  return keep;
}
