import { useEffect, useMemo, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Alert, Datastream, ObservationSeries } from '../api/types';
import { alarmsInWindow } from '../sensors/alarms';
import { AlarmList } from '../sensors/AlarmList';
import { type RequestedResolution, type ShapedSeries, type TimeWindow, followNow, initialWindow, refreshInterval, shapeSeries, showsNow, zoomOut } from '../sensors/series';
import { store, useStoreVersion } from '../state/store';
import { TimeSeriesChart } from './TimeSeriesChart';

export const RANGES = [
  { label: '1 h', ms: 3600_000 },
  { label: '6 h', ms: 6 * 3600_000 },
  { label: '24 h', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
  { label: '30 d', ms: 30 * 86_400_000 },
];

const RESOLUTIONS: Array<{ value: RequestedResolution; label: string }> = [
  { value: 'auto', label: 'auto' },
  { value: 'raw', label: 'raw' },
  { value: 'minute', label: 'per minute' },
  { value: 'hour', label: 'per hour' },
];

/** Pauses while the tab is hidden: nobody is looking, and the server has better things to do. */
function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/**
 * One datastream's observations over a time range, downsampled by the API (resolution auto, or the one
 * chosen), with its alarms marked: range presets, zoom by dragging, zoom out, back to now. A window that
 * shows now is asked for again on an interval (readings are not on the live stream; see
 * `refreshInterval`); alarms arrive live through the store.
 */
export function DatastreamChart({
  datastream,
  initial,
  marker,
  height,
  span = 86_400_000,
  onOpenAlarm,
  listAlarms,
}: {
  datastream: Datastream;
  initial?: TimeWindow;
  /** The span it opens on, ending now (or at the last reading of a sensor that went quiet); 24 h by default. */
  span?: number;
  marker?: { t: number; label: string } | null;
  height?: number;
  /** Clicking an alarm's flag; without it the flags only explain themselves on hover. */
  onOpenAlarm?: (alerts: Alert[]) => void;
  /** Also list the window's alarms in a table under the chart. */
  listAlarms?: boolean;
}) {
  const version = useStoreVersion();
  const visible = useDocumentVisible();
  const [view, setView] = useState<TimeWindow>(() => initial ?? initialWindow(datastream.lastObservationAt, span, Date.now()));
  const [requested, setRequested] = useState<RequestedResolution>('auto');
  const [series, setSeries] = useState<ShapedSeries | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fetched, setFetched] = useState<{ window: TimeWindow; alerts: Alert[]; truncated: boolean } | null>(null);
  // What the person chose (a preset, a zoom): alarms are read for it; following now only slides it.
  const [chosen, setChosen] = useState<TimeWindow>(view);
  const choose = (w: TimeWindow) => {
    setView(w);
    setChosen(w);
  };

  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams({ from: new Date(view.from).toISOString(), to: new Date(view.to).toISOString(), resolution: requested });
    api<ObservationSeries>('GET', `/datastreams/${datastream.id}/observations?${query}`, undefined, { signal: controller.signal })
      .then((s) => {
        setError(null);
        setSeries(shapeSeries(s));
      })
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setSeries(null);
        setError(e instanceof ApiError && e.status === 404 ? 'No observations are available for this datastream' : errorText(e));
      });
    return () => controller.abort();
  }, [datastream.id, view.from, view.to, requested]);

  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams({ from: new Date(chosen.from).toISOString(), to: new Date(Math.max(chosen.to, Date.now())).toISOString(), limit: '500' });
    api<{ items: Alert[]; truncated: boolean }>('GET', `/datastreams/${datastream.id}/alerts?${query}`, undefined, { signal: controller.signal })
      .then((r) => setFetched({ window: chosen, alerts: r.items, truncated: r.truncated }))
      // A server without the alarms query still has the alerts in the store; the chart draws those.
      .catch((e) => (e as Error).name !== 'AbortError' && setFetched({ window: chosen, alerts: [], truncated: false }));
    return () => controller.abort();
  }, [datastream.id, chosen.from, chosen.to]);

  const interval = visible ? refreshInterval(view, Date.now(), series?.resolution ?? null, series?.bucketMs ?? 0) : null;
  useEffect(() => {
    if (interval === null) return;
    const timer = setTimeout(() => setView((w) => followNow(w, Date.now())), interval);
    return () => clearTimeout(timer);
  }, [interval, view, series]);

  const alarms = useMemo(() => alarmsInWindow(datastream, fetched?.alerts ?? [], store.alerts.values(), view.from, view.to), [datastream, fetched, version, view.from, view.to]);
  const live = interval !== null;
  // A preset ends now, or at the last reading when the sensor has been quiet for longer than the preset.
  const lastReading = () => {
    const known = datastream.lastObservationAt ? Date.parse(datastream.lastObservationAt) : -Infinity;
    const drawn = series?.points.length ? series.points[series.points.length - 1]!.t : -Infinity;
    const last = Math.max(known, drawn);
    return Number.isFinite(last) ? new Date(last).toISOString() : null;
  };

  return (
    <div className="datastream-chart" data-datastream={datastream.key} data-points={series?.points.length ?? 0} data-alarms={alarms.length}>
      <div className="chart-controls" role="group" aria-label={`Time range of ${datastream.key}`}>
        {RANGES.map((r) => (
          <button key={r.label} type="button" className="small" onClick={() => choose(initialWindow(lastReading(), r.ms, Date.now()))}>
            {r.label}
          </button>
        ))}
        <button type="button" className="small" onClick={() => choose(zoomOut(view, Date.now()))}>
          Zoom out
        </button>
        {!showsNow(view, Date.now()) && (
          <button type="button" className="small" onClick={() => choose(followNow(view, Date.now()))}>
            Now
          </button>
        )}
        <label className="small-text muted resolution-choice">
          resolution{' '}
          <select className="small" value={requested} onChange={(e) => setRequested(e.target.value as RequestedResolution)} aria-label={`Resolution of ${datastream.key}`}>
            {RESOLUTIONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <span className={`live-badge${live ? ' on' : ''}`} title={live ? 'This window includes now: it is read again on an interval' : 'This window is in the past: it does not change'}>
          {live ? `live · every ${Math.round(interval! / 1000)} s` : 'past'}
        </span>
      </div>
      {error ? (
        <p className="muted">{error}</p>
      ) : series === null ? (
        <p className="muted">Loading observations…</p>
      ) : (
        <>
          {series.points.length === 0 ? (
            <p className="muted chart-empty">No observations in this time range{alarms.length ? '; its alarms are listed below' : ''}.</p>
          ) : (
            <TimeSeriesChart
              points={series.points}
              from={view.from}
              to={view.to}
              unit={datastream.unit}
              label={`${datastream.key} · ${datastream.kind}`}
              expected={datastream.expectedRange}
              marker={marker ?? null}
              alarms={alarms}
              {...(onOpenAlarm ? { onAlarm: onOpenAlarm } : {})}
              {...(height ? { height } : {})}
              onZoom={(from, to) => choose({ from, to })}
            />
          )}
          <p className="chart-legend small-text muted" data-testid="chart-resolution">
            <span className="legend-line" aria-hidden="true" /> {series.description}
            {datastream.expectedRange && (
              <>
                {' · '}
                <span className="legend-expected" aria-hidden="true" /> expected {datastream.expectedRange.min}–{datastream.expectedRange.max} {datastream.unit}
              </>
            )}
            {alarms.length > 0 && ` · ${alarms.length} alarm${alarms.length > 1 ? 's' : ''}${fetched?.truncated ? ' (the newest 500)' : ''}`}
          </p>
          {listAlarms && onOpenAlarm && <AlarmList alarms={alarms} onOpen={onOpenAlarm} />}
        </>
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
