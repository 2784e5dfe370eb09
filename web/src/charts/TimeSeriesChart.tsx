import { type PointerEvent, useMemo, useRef, useState } from 'react';

export interface SeriesPoint {
  t: number;
  v: number;
  min?: number;
  max?: number;
}

export interface TimeSeriesChartProps {
  points: SeriesPoint[];
  from: number;
  to: number;
  unit: string;
  label: string;
  expected?: { min: number; max: number } | null;
  /** A moment to mark (the alert), and a value observed then. */
  marker?: { t: number; label: string } | null;
  height?: number;
  /** Drag across the chart to zoom into that time range. */
  onZoom?: (from: number, to: number) => void;
}

const W = 640;
const PAD = { left: 48, right: 12, top: 10, bottom: 24 };

function ticks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min === max) return [min];
  const raw = (max - min) / count;
  const step = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

function timeLabel(t: number, span: number): string {
  const d = new Date(t);
  if (span <= 2 * 86_400_000) return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

/** A small SVG time-series chart: the value line, the min–max band of downsampled points, the expected range. */
export function TimeSeriesChart({ points, from, to, unit, label, expected, marker, height = 170, onZoom }: TimeSeriesChartProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const [hover, setHover] = useState<SeriesPoint | null>(null);
  const geometry = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of points) {
      lo = Math.min(lo, p.min ?? p.v, p.v);
      hi = Math.max(hi, p.max ?? p.v, p.v);
    }
    if (expected) {
      lo = Math.min(lo, expected.min);
      hi = Math.max(hi, expected.max);
    }
    if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    const margin = (hi - lo) * 0.08;
    lo -= margin;
    hi += margin;
    const x = (t: number) => PAD.left + ((t - from) / (to - from || 1)) * (W - PAD.left - PAD.right);
    const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (height - PAD.top - PAD.bottom);
    const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
    const banded = points.filter((p) => p.min !== undefined && p.max !== undefined);
    const band = banded.length
      ? `M${banded.map((p) => `${x(p.t).toFixed(1)},${y(p.max!).toFixed(1)}`).join('L')}L${[...banded]
          .reverse()
          .map((p) => `${x(p.t).toFixed(1)},${y(p.min!).toFixed(1)}`)
          .join('L')}Z`
      : '';
    return { x, y, line, band, yTicks: ticks(lo, hi, 4), xTicks: ticks(from, to, 5) };
  }, [points, from, to, expected, height]);

  const toTime = (clientX: number) => {
    const rect = svg.current!.getBoundingClientRect();
    const px = ((clientX - rect.left) / rect.width) * W;
    return from + ((px - PAD.left) / (W - PAD.left - PAD.right)) * (to - from);
  };
  const onDown = (e: PointerEvent) => {
    if (!onZoom) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const t = toTime(e.clientX);
    setDrag({ x0: t, x1: t });
  };
  const onMove = (e: PointerEvent) => {
    const t = toTime(e.clientX);
    if (drag) setDrag({ ...drag, x1: t });
    let best: SeriesPoint | null = null;
    for (const p of points) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
    setHover(best);
  };
  const onUp = () => {
    if (drag && onZoom) {
      const [a, b] = [Math.min(drag.x0, drag.x1), Math.max(drag.x0, drag.x1)];
      if (b - a > (to - from) / 100) onZoom(Math.max(from, a), Math.min(to, b));
    }
    setDrag(null);
  };
  const { x, y } = geometry;
  const span = to - from;
  return (
    <figure className="chart">
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`${label}: ${points.length} points${points.length ? `, last ${points[points.length - 1]!.v} ${unit}` : ''}`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerLeave={() => setHover(null)}
      >
        {expected && <rect x={PAD.left} width={W - PAD.left - PAD.right} y={y(expected.max)} height={Math.max(0, y(expected.min) - y(expected.max))} className="chart-expected" />}
        {geometry.yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {Math.abs(v) >= 1000 ? v.toExponential(1) : v}
            </text>
          </g>
        ))}
        {geometry.xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={height - 6} textAnchor="middle" className="chart-tick">
            {timeLabel(t, span)}
          </text>
        ))}
        {geometry.band && <path d={geometry.band} className="chart-band" />}
        <path d={geometry.line} className="chart-line" />
        {marker && marker.t >= from && marker.t <= to && (
          <g>
            <line x1={x(marker.t)} x2={x(marker.t)} y1={PAD.top} y2={height - PAD.bottom} className="chart-marker" />
            <text x={x(marker.t) + 4} y={PAD.top + 10} className="chart-marker-label">
              {marker.label}
            </text>
          </g>
        )}
        {hover && <circle cx={x(hover.t)} cy={y(hover.v)} r={3.5} className="chart-hover" />}
        {drag && <rect x={x(Math.min(drag.x0, drag.x1))} width={Math.abs(x(drag.x1) - x(drag.x0))} y={PAD.top} height={height - PAD.top - PAD.bottom} className="chart-brush" />}
      </svg>
      <figcaption>
        <span>
          {label} ({unit})
        </span>
        {hover ? (
          <span className="muted">
            {new Date(hover.t).toLocaleString('en-GB')}: <strong>{hover.v}</strong> {unit}
            {hover.min !== undefined && ` (min ${hover.min}, max ${hover.max})`}
          </span>
        ) : (
          onZoom && <span className="muted">Drag across the chart to zoom in</span>
        )}
      </figcaption>
    </figure>
  );
}
