import { ALERT_CATEGORIES, SEVERITIES } from '../api/types';
import { SEVERITY_COLOURS } from '../format';
import type { Overlay } from '../map/overlays';
import { type Filters, TIME_WINDOWS, type TimeWindow } from '../state/filters';
import { store } from '../state/store';

export function FilterBar({
  filters,
  onChange,
  overlays,
  visible,
  onToggle,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  overlays: Overlay[];
  visible: Record<string, boolean>;
  onToggle: (id: string, on: boolean) => void;
}) {
  const set = (change: Partial<Filters>) => onChange({ ...filters, ...change });
  const orgs = [...store.organisations.values()].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="filter-bar" role="search" aria-label="Filter the map and the alert queue">
      <label className="search">
        <span className="visually-hidden">Search by name</span>
        <input type="search" placeholder="Search alerts, incidents, assets by name…" value={filters.text} onChange={(e) => set({ text: e.target.value })} />
      </label>
      <label>
        <span className="visually-hidden">Time</span>
        <select value={filters.window} onChange={(e) => set({ window: e.target.value as TimeWindow })} aria-label="Time window">
          {TIME_WINDOWS.map((w) => (
            <option key={w.key} value={w.key}>
              {w.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="chips" aria-label="Severity">
        {SEVERITIES.map((s) => {
          const on = filters.severities.includes(s);
          return (
            <button
              key={s}
              type="button"
              className={`chip${on ? ' on' : ''}`}
              aria-pressed={on}
              style={{ borderColor: SEVERITY_COLOURS[s], ...(on ? { background: SEVERITY_COLOURS[s], color: '#0b1118' } : {}) }}
              onClick={() => set({ severities: on ? filters.severities.filter((x) => x !== s) : [...filters.severities, s] })}
            >
              {s}
            </button>
          );
        })}
      </fieldset>
      <select
        aria-label="Category"
        value={filters.categories[0] ?? ''}
        onChange={(e) => set({ categories: e.target.value ? [e.target.value as Filters['categories'][number]] : [] })}
      >
        <option value="">Every category</option>
        {ALERT_CATEGORIES.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <select aria-label="Organisation" value={filters.owner} onChange={(e) => set({ owner: e.target.value })}>
        <option value="">Every organisation</option>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <label className="toggle">
        <input type="checkbox" checked={filters.openOnly} onChange={(e) => set({ openOnly: e.target.checked })} /> Open only
      </label>
      <span className="layer-switch" role="group" aria-label="Map layers">
        {overlays.map((o) => (
          <label key={o.id} className="toggle">
            <input type="checkbox" checked={visible[o.id] !== false} onChange={(e) => onToggle(o.id, e.target.checked)} />
            <span className="swatch" style={{ background: o.swatch }} aria-hidden="true" /> {o.label}
          </label>
        ))}
      </span>
    </div>
  );
}
