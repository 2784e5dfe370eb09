import { type KeyboardEvent, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { Alert } from '../api/types';
import { SEVERITY_COLOURS } from '../format';
import { placeAlarms } from '../sensors/alarms';
import { type ChartPoint, segments, valueRange } from '../sensors/series';

export type SeriesPoint = ChartPoint;

export interface TimeSeriesChartProps {
  points: ChartPoint[];
  from: number;
  to: number;
  unit: string;
  label: string;
  expected?: { min: number; max: number } | null;
  /** A moment to mark (the alert), and a value observed then. */
  marker?: { t: number; label: string } | null;
  /** Alarms to mark: a flag where each began, a bar for how long it lasted. */
  alarms?: Alert[];
  /** Clicking (or Enter on) an alarm's flag. */
  onAlarm?: (alerts: Alert[]) => void;
  height?: number;
  /** Drag across the chart to zoom into that time range. */
  onZoom?: (from: number, to: number) => void;
}

/** The drawing's width before the chart has measured its place (and in markup rendered without a browser). */
const DEFAULT_WIDTH = 640;
const PAD = { left: 48, right: 12, top: 16, bottom: 24 };
/** Below this many points, raw readings are also drawn as dots (each one can be seen). */
const DOTS_BELOW = 150;

function ticks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min === max) return [min];
  const raw = (max - min) / count;
  const step = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

const HOUR = 3_600_000;
/** Time ticks on whole minutes, hours or days, whichever gives about `count` of them. */
function timeTicks(from: number, to: number, count: number): number[] {
  const span = to - from;
  const steps = [60_000, 300_000, 600_000, 1_800_000, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 2 * 24 * HOUR, 7 * 24 * HOUR];
  const step = steps.find((s) => span / s <= count) ?? span / count;
  const offset = step >= 24 * HOUR ? new Date(from).getTimezoneOffset() * 60_000 : 0;
  const out: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) out.push(t);
  return out;
}

function timeLabel(t: number, span: number): string {
  const d = new Date(t);
  if (span <= 2 * 86_400_000) return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

function format(v: number): string {
  return Math.abs(v) >= 1000 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
}

/**
 * A small SVG time-series chart: the value line (broken where data are missing), the min–max band of
 * aggregated points, raw readings as dots when they are few, the expected range, alarms, drag to zoom.
 */
export function TimeSeriesChart({ points, from, to, unit, label, expected, marker, alarms, onAlarm, height = 170, onZoom }: TimeSeriesChartProps) {
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const [hover, setHover] = useState<ChartPoint | null>(null);
  // Drawn at the width it is shown at, so labels keep their size on a wide page and a narrow card alike.
  const [W, setW] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const element = svg.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.round(entry?.contentRect.width ?? 0);
      if (width > 100) setW(width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const plotW = W - PAD.left - PAD.right;
  const geometry = useMemo(() => {
    const { lo, hi } = valueRange(points, expected);
    const x = (t: number) => PAD.left + ((t - from) / (to - from || 1)) * plotW;
    const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (height - PAD.top - PAD.bottom);
    const runs = segments(points);
    const line = runs.map((run) => run.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('')).join('');
    const bands = runs
      .map((run) => run.filter((p) => p.min !== undefined && p.max !== undefined))
      .filter((run) => run.length > 0)
      .map((run) => {
        // A lone bucket still gets a visible band: as wide as a few pixels.
        const pts = run.length === 1 ? [{ ...run[0]!, t: run[0]!.t - ((to - from) / plotW) * 2 }, { ...run[0]!, t: run[0]!.t + ((to - from) / plotW) * 2 }] : run;
        return `M${pts.map((p) => `${x(p.t).toFixed(1)},${y(p.max!).toFixed(1)}`).join('L')}L${[...pts]
          .reverse()
          .map((p) => `${x(p.t).toFixed(1)},${y(p.min!).toFixed(1)}`)
          .join('L')}Z`;
      });
    const raw = points.every((p) => p.min === undefined);
    const dots = raw && points.length <= DOTS_BELOW ? points : points.filter((p) => p.q);
    return { x, y, line, bands, dots, yTicks: ticks(lo, hi, 4), xTicks: timeTicks(from, to, Math.max(3, Math.round(W / 110))) };
  }, [points, from, to, expected, height, plotW, W]);
  const markers = useMemo(() => placeAlarms(alarms ?? [], from, to, plotW), [alarms, from, to, plotW]);

  const toTime = (clientX: number) => {
    const rect = svg.current!.getBoundingClientRect();
    const px = ((clientX - rect.left) / rect.width) * W;
    return from + ((px - PAD.left) / plotW) * (to - from);
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
    let best: ChartPoint | null = null;
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
  const bottom = height - PAD.bottom;
  const openAlarm = (alerts: Alert[]) => onAlarm?.(alerts);
  return (
    <figure className="chart">
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`${label}: ${points.length} points${points.length ? `, last ${format(points[points.length - 1]!.v)} ${unit}` : ''}${markers.length ? `, ${markers.reduce((n, m) => n + m.alerts.length, 0)} alarms` : ''}`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerLeave={() => setHover(null)}
      >
        {expected && <rect x={PAD.left} width={plotW} y={y(expected.max)} height={Math.max(0, y(expected.min) - y(expected.max))} className="chart-expected" />}
        {geometry.yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {format(v)}
            </text>
          </g>
        ))}
        {geometry.xTicks.map((t) => (
          <text key={`x${t}`} x={x(t)} y={height - 6} textAnchor="middle" className="chart-tick">
            {timeLabel(t, span)}
          </text>
        ))}
        {markers.map((m, i) => (
          <rect key={`span${i}`} x={PAD.left + m.spanFrom} width={Math.max(2, m.spanTo - m.spanFrom)} y={PAD.top - 12} height={4} rx={2} fill={SEVERITY_COLOURS[m.severity]} opacity={0.75} />
        ))}
        {geometry.bands.map((d, i) => (
          <path key={`band${i}`} d={d} className="chart-band" />
        ))}
        <path d={geometry.line} className="chart-line" />
        {geometry.dots.map((p) => (
          <circle key={`dot${p.t}`} cx={x(p.t)} cy={y(p.v)} r={p.q ? 3 : 1.8} className={p.q ? `chart-dot quality-${p.q}` : 'chart-dot'} />
        ))}
        {marker && marker.t >= from && marker.t <= to && (
          <g>
            <line x1={x(marker.t)} x2={x(marker.t)} y1={PAD.top} y2={bottom} className="chart-marker" />
            <text x={x(marker.t) + 4} y={PAD.top + 10} className="chart-marker-label">
              {marker.label}
            </text>
          </g>
        )}
        {markers.map((m, i) =>
          m.x === null ? null : (
            <g
              key={`alarm${i}`}
              className={`chart-alarm${onAlarm ? ' clickable' : ''}`}
              data-alert-ids={m.alerts.map((a) => a.id).join(' ')}
              role={onAlarm ? 'button' : undefined}
              tabIndex={onAlarm ? 0 : undefined}
              aria-label={m.label}
              onPointerDown={(e) => e.stopPropagation()}
              onClick={() => openAlarm(m.alerts)}
              onKeyDown={(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), openAlarm(m.alerts))}
            >
              <title>{m.label}</title>
              <line x1={PAD.left + m.x} x2={PAD.left + m.x} y1={PAD.top - 6} y2={bottom} stroke={SEVERITY_COLOURS[m.severity]} className="chart-alarm-line" />
              <path d={`M${PAD.left + m.x - 6},${PAD.top - 14}h12l-6,9z`} fill={SEVERITY_COLOURS[m.severity]} className="chart-alarm-flag" />
              {/* A wider, invisible target: easier to hit than a 12-pixel flag. */}
              <rect x={PAD.left + m.x - 7} y={PAD.top - 15} width={14} height={bottom - PAD.top + 15} fill="transparent" />
              {m.alerts.length > 1 && (
                <text x={PAD.left + m.x + 8} y={PAD.top - 6} className="chart-alarm-count">
                  {m.alerts.length}
                </text>
              )}
            </g>
          ),
        )}
        {hover && <circle cx={x(hover.t)} cy={y(hover.v)} r={3.5} className="chart-hover" />}
        {drag && <rect x={x(Math.min(drag.x0, drag.x1))} width={Math.abs(x(drag.x1) - x(drag.x0))} y={PAD.top} height={bottom - PAD.top} className="chart-brush" />}
      </svg>
      <figcaption>
        <span>
          {label}
          {unit && ` (${unit})`}
        </span>
        {hover ? (
          <span className="muted">
            {new Date(hover.t).toLocaleString('en-GB')}: <strong>{format(hover.v)}</strong> {unit}
            {hover.min !== undefined && ` (min ${format(hover.min)}, max ${format(hover.max!)}${hover.count !== undefined ? `, ${hover.count} readings` : ''})`}
            {hover.q && ` · quality ${hover.q}`}
          </span>
        ) : (
          onZoom && <span className="muted">Drag across the chart to zoom in</span>
        )}
      </figcaption>
    </figure>
  );
}
