// A chart over simulation time (hours since the start): several series (scenario and normal operation, or
// several elements), a threshold (service pressure), the attack's events as shaded spans, and a cursor at
// the animation's time. SVG, no library; gaps (null) where a failed run stopped.
import { type PointerEvent, useMemo, useRef, useState } from 'react';
import { formatDuration } from './format';

export interface SimSeries {
  label: string;
  colour: string;
  values: Array<number | null>;
  dashed?: boolean;
}

export interface SimChartProps {
  title: string;
  unit: string;
  /** Seconds since the start of the simulation, one per value. */
  times: number[];
  series: SimSeries[];
  threshold?: { value: number; label: string } | null;
  spans?: Array<{ from: number; to: number; label: string }>;
  cursor?: number | null;
  height?: number;
  /** Clicking a moment of the chart (the animation jumps there). */
  onPick?: (seconds: number) => void;
}

const W = 640;
const PAD = { left: 52, right: 12, top: 12, bottom: 24 };

function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const step = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * step).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-9; v += nice) out.push(Number(v.toPrecision(10)));
  return out;
}

/** Hour ticks: every 6, 12 or 24 h so that a few fit. */
function hourTicks(end: number): number[] {
  const hours = end / 3600;
  const step = hours <= 12 ? 2 : hours <= 36 ? 6 : hours <= 96 ? 12 : 24;
  const out: number[] = [];
  for (let h = 0; h <= hours + 1e-9; h += step) out.push(h * 3600);
  return out;
}

export function SimChart({ title, unit, times, series, threshold, spans, cursor, height = 180, onPick }: SimChartProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const end = times.length ? times[times.length - 1]! : 1;
  const g = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of series) for (const v of s.values) if (v !== null) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    if (threshold) [lo, hi] = [Math.min(lo, threshold.value), Math.max(hi, threshold.value)];
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    const margin = (hi - lo) * 0.06;
    [lo, hi] = [lo - margin, hi + margin];
    const x = (t: number) => PAD.left + (t / (end || 1)) * (W - PAD.left - PAD.right);
    const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (height - PAD.top - PAD.bottom);
    const paths = series.map((s) => {
      let d = '';
      let pen = false;
      s.values.forEach((v, i) => {
        if (v === null || times[i] === undefined) return void (pen = false);
        d += `${pen ? 'L' : 'M'}${x(times[i]!).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      });
      return d;
    });
    return { x, y, paths, yTicks: niceTicks(lo, hi, 4), xTicks: hourTicks(end) };
  }, [series, times, threshold, end, height]);

  const indexAt = (clientX: number): number => {
    const rect = svg.current!.getBoundingClientRect();
    const t = ((((clientX - rect.left) / rect.width) * W - PAD.left) / (W - PAD.left - PAD.right)) * end;
    let best = 0;
    times.forEach((tt, i) => {
      if (Math.abs(tt - t) < Math.abs(times[best]! - t)) best = i;
    });
    return best;
  };
  const onMove = (e: PointerEvent) => setHover(indexAt(e.clientX));
  const { x, y } = g;
  const at = hover !== null ? times[hover] : undefined;
  return (
    <figure className="chart sim-chart">
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`${title} (${unit}) over ${formatDuration(end)}`}
        onPointerMove={onMove}
        onPointerLeave={() => setHover(null)}
        onClick={(e) => onPick?.(times[indexAt(e.clientX)]!)}
      >
        {spans?.map((s) => (
          <rect key={`${s.label}${s.from}`} x={x(s.from)} width={Math.max(1, x(Math.min(s.to, end)) - x(s.from))} y={PAD.top} height={height - PAD.top - PAD.bottom} className="sim-span">
            <title>{s.label}</title>
          </rect>
        ))}
        {g.yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {Math.abs(v) >= 10000 ? `${Math.round(v / 1000)}k` : v}
            </text>
          </g>
        ))}
        {g.xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={height - 6} textAnchor="middle" className="chart-tick">
            {t / 3600} h
          </text>
        ))}
        {threshold && (
          <g>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(threshold.value)} y2={y(threshold.value)} className="sim-threshold" />
            <text x={W - PAD.right - 4} y={y(threshold.value) - 4} textAnchor="end" className="sim-threshold-label">
              {threshold.label}
            </text>
          </g>
        )}
        {g.paths.map((d, i) => (
          <path key={series[i]!.label} d={d} fill="none" stroke={series[i]!.colour} strokeWidth={1.8} strokeDasharray={series[i]!.dashed ? '5 4' : undefined} />
        ))}
        {cursor !== null && cursor !== undefined && <line x1={x(cursor)} x2={x(cursor)} y1={PAD.top} y2={height - PAD.bottom} className="sim-cursor" />}
        {at !== undefined && <line x1={x(at)} x2={x(at)} y1={PAD.top} y2={height - PAD.bottom} className="chart-grid" />}
      </svg>
      <figcaption>
        <span>
          {title} ({unit}){' '}
          {series.length > 1 &&
            series.map((s) => (
              <span key={s.label} className="sim-key">
                <span className="swatch" style={{ background: s.colour }} aria-hidden="true" /> {s.label}
              </span>
            ))}
        </span>
        {at !== undefined && hover !== null && (
          <span className="muted">
            {formatDuration(at)}: {series.map((s) => `${s.values[hover] ?? '—'}`).join(' / ')} {unit}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
