import { useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Datastream, ObservationSeries } from '../api/types';
import { TimeSeriesChart, type SeriesPoint } from './TimeSeriesChart';

export const RANGES = [
  { label: '1 h', ms: 3600_000 },
  { label: '6 h', ms: 6 * 3600_000 },
  { label: '24 h', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
  { label: '30 d', ms: 30 * 86_400_000 },
];

/**
 * One datastream's observations over a time range, downsampled by the API (resolution=auto), with
 * range presets, zoom by dragging, and zoom out.
 */
export function DatastreamChart({ datastream, initial, marker }: { datastream: Datastream; initial?: { from: number; to: number }; marker?: { t: number; label: string } | null }) {
  const end = () => (datastream.lastObservationAt ? Date.parse(datastream.lastObservationAt) : Date.now());
  const [range, setRange] = useState(() => initial ?? { from: end() - 86_400_000, to: end() });
  const [series, setSeries] = useState<SeriesPoint[] | null>(null);
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    const query = new URLSearchParams({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), resolution: 'auto' });
    api<ObservationSeries>('GET', `/datastreams/${datastream.id}/observations?${query}`, undefined, { signal: controller.signal })
      .then((s) => {
        setResolution(s.resolution);
        setSeries(s.points.map((p) => ({ t: Date.parse(p.t), v: p.v, ...(p.min !== undefined ? { min: p.min } : {}), ...(p.max !== undefined ? { max: p.max } : {}) })));
      })
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setSeries([]);
        setError(e instanceof ApiError && e.status === 404 ? 'No observations are available for this datastream' : errorText(e));
      });
    return () => controller.abort();
  }, [datastream.id, range.from, range.to]);

  const zoomOut = () => {
    const span = range.to - range.from;
    setRange({ from: range.from - span / 2, to: Math.min(Date.now(), range.to + span / 2) });
  };
  return (
    <div className="datastream-chart" data-datastream={datastream.key}>
      <div className="chart-controls" role="group" aria-label={`Time range of ${datastream.key}`}>
        {RANGES.map((r) => (
          <button key={r.label} type="button" className="small" onClick={() => setRange({ from: end() - r.ms, to: end() })}>
            {r.label}
          </button>
        ))}
        <button type="button" className="small" onClick={zoomOut}>
          Zoom out
        </button>
        {resolution && <span className="muted small-text">resolution: {resolution}</span>}
      </div>
      {error ? (
        <p className="muted">{error}</p>
      ) : series === null ? (
        <p className="muted">Loading observations…</p>
      ) : series.length === 0 ? (
        <p className="muted">No observations in this time range.</p>
      ) : (
        <TimeSeriesChart
          points={series}
          from={range.from}
          to={range.to}
          unit={datastream.unit}
          label={`${datastream.key} · ${datastream.kind}`}
          expected={datastream.expectedRange}
          marker={marker ?? null}
          onZoom={(from, to) => setRange({ from, to })}
        />
      )}
    </div>
  );
}

/** The datastreams of an asset; an empty list or a server without the datastream API (404) is "none". */
export async function datastreamsOf(assetId: string, signal?: AbortSignal): Promise<Datastream[]> {
  try {
    const page = await api<{ items: Datastream[] }>('GET', `/datastreams?asset=${encodeURIComponent(assetId)}`, undefined, signal ? { signal } : {});
    return page.items ?? [];
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}
