// Charts of chosen elements of a run (GET /water/runs/{id}/series): tank levels, pressures at critical
// consumers, flows of pumps; added from the impact tables, the map, or by name.
import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../components/Modal';
import { useApi } from './data';
import { SimChart } from './SimChart';
import type { ElementSeries } from './types';

export interface ChartedElement {
  kind: 'node' | 'link';
  id: string;
  label: string;
  /** A pressure to mark (the consumer's minimum, or the service pressure). */
  threshold?: { value: number; label: string };
}

/** The quantity a person looks at first for each type of element. */
export function mainQuantity(type: string, series: Record<string, unknown>): string {
  if (type === 'tank' && 'level' in series) return 'level';
  if ((type === 'junction' || type === 'reservoir') && 'pressure' in series) return 'pressure';
  if ('flow' in series) return 'flow';
  return Object.keys(series)[0] ?? 'pressure';
}

function ElementChart({ runId, element, cursor, spans, onPick, onRemove }: { runId: string; element: ChartedElement; cursor: number | null; spans: Array<{ from: number; to: number; label: string }>; onPick: (t: number) => void; onRemove: () => void }) {
  const read = useApi<ElementSeries>(`/water/runs/${runId}/series?${element.kind}=${encodeURIComponent(element.id)}&points=400`);
  return (
    <div className="element-chart" data-element={element.id}>
      <div className="element-chart-head">
        <h3>{element.label}</h3>
        <button type="button" className="icon-button" aria-label={`Remove the chart of ${element.label}`} onClick={onRemove}>
          ×
        </button>
      </div>
      {read.status === 'loading' && <p className="muted">Loading…</p>}
      {read.status === 'error' && <p className="muted">{read.error}</p>}
      {read.status === 'ok' &&
        (() => {
          const s = read.value;
          const main = mainQuantity(s.type, s.series);
          const charts = [main, ...(s.series.quality ? ['quality'] : []), ...(s.type === 'junction' && (s.series.expectedDemand ?? []).some((v) => (v ?? 0) > 0) ? ['demand'] : [])];
          return charts.map((q) =>
            q === 'demand' ? (
              <SimChart
                key={q}
                title="Demand delivered and expected"
                unit={s.units.demand ?? ''}
                times={s.times}
                series={[
                  { label: 'delivered', colour: '#5aa9ff', values: s.series.demand! },
                  { label: 'expected', colour: '#8da2b5', values: s.series.expectedDemand ?? [], dashed: true },
                ]}
                spans={spans}
                cursor={cursor}
                onPick={onPick}
                height={130}
              />
            ) : (
              <SimChart
                key={q}
                title={q === 'level' ? 'Level' : q === 'pressure' ? 'Pressure' : q === 'quality' ? 'Contaminant' : q === 'flow' ? 'Flow' : q}
                unit={s.units[q] ?? ''}
                times={s.times}
                series={[{ label: q, colour: q === 'quality' ? '#e040fb' : '#5aa9ff', values: s.series[q] ?? [] }]}
                threshold={q === 'pressure' ? (element.threshold ?? null) : null}
                spans={spans}
                cursor={cursor}
                onPick={onPick}
              />
            ),
          );
        })()}
    </div>
  );
}

export function ElementCharts({
  runId,
  elements,
  onRemove,
  onAdd,
  cursor,
  spans,
  onPick,
  suggestions,
  resolve,
}: {
  runId: string;
  elements: ChartedElement[];
  onRemove: (id: string) => void;
  onAdd: (e: ChartedElement) => void;
  cursor: number | null;
  spans: Array<{ from: number; to: number; label: string }>;
  onPick: (t: number) => void;
  suggestions: string[];
  /** The element of the network with this id, or null. */
  resolve: (id: string) => ChartedElement | null;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = (event: FormEvent) => {
    event.preventDefault();
    const id = name.trim();
    if (!id) return setError('Type a junction, tank, pump or pipe, e.g. T1 or PU10');
    if (elements.some((e) => e.id === id)) return setError(`${id} is charted already`);
    const element = resolve(id);
    if (!element) return setError(`${id} is not an element of this network`);
    onAdd(element);
    setName('');
    setError(null);
  };
  return (
    <div className="element-charts">
      {elements.map((e) => (
        <ElementChart key={`${e.kind}:${e.id}`} runId={runId} element={e} cursor={cursor} spans={spans} onPick={onPick} onRemove={() => onRemove(e.id)} />
      ))}
      <form className="add-chart" onSubmit={add}>
        <label className="field inline">
          Chart an element
          <input list="chart-suggestions" value={name} onChange={(e) => setName(e.target.value)} placeholder="T1, PU10, J1025, P280…" />
        </label>
        <datalist id="chart-suggestions">
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <button type="submit">Add chart</button>
        <span className="muted small-text">or click an element on the map</span>
      </form>
      <ErrorMessage error={error} />
    </div>
  );
}
