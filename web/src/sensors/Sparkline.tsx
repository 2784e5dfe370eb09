import { sparkPath } from './health';

/** A small picture of the last minute, second by second: the shape matters more than the numbers. */
export function Sparkline({ values, label, width = 180, height = 32, tone = 'accepted' }: { values: number[]; label: string; width?: number; height?: number; tone?: 'accepted' | 'refused' }) {
  const { line, area, max } = sparkPath(values, width, height);
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <svg className={`sparkline ${tone}`} viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${label}: ${total.toLocaleString('en-GB')} in the last minute, at most ${max.toLocaleString('en-GB')} in one second`}>
      <path d={area} className="spark-area" />
      <path d={line} className="spark-line" />
    </svg>
  );
}
