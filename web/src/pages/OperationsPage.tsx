import { useMemo, useState } from 'react';
import type { Alert } from '../api/types';
import { AlertQueue } from '../components/AlertQueue';
import { FeatureCard } from '../components/FeatureCard';
import { FilterBar } from '../components/FilterBar';
import { MapView, type Selection } from '../map/MapView';
import { OVERLAYS } from '../map/overlays';
import { DEFAULT_FILTERS, type Filters, alertMatches, alertPosition, assetMatches, incidentMatches, incidentPosition, pointOf } from '../state/filters';
import { store, useStoreVersion } from '../state/store';
import { mapClickTool } from '../units/data';
import { RoadTools } from '../units/RoadTools';

// ISO-8601 UTC times and ids order as plain strings; localeCompare gave the same order at several times the cost
// (the queue sorts every alert on each store change).
const newestFirst = (a: Alert, b: Alert) => (a.time !== b.time ? (a.time < b.time ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The common operational picture: the live map, its filters and layers, the alert queue and the card of what is selected. */
export function OperationsPage() {
  const version = useStoreVersion();
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [visible, setVisible] = useState<Record<string, boolean>>(() => Object.fromEntries(OVERLAYS.map((o) => [o.id, o.defaultVisible])));
  const [selection, setSelection] = useState<Selection | null>(null);
  const [focus, setFocus] = useState<Array<[number, number]> | null>(null);

  const alerts = useMemo(() => {
    const now = Date.now();
    return [...store.alerts.values()].filter((a) => alertMatches(a, filters, now)).sort(newestFirst);
  }, [version, filters]);

  // Searching by name moves the map to what matches.
  const searchFocus = useMemo(() => {
    if (!filters.text.trim()) return null;
    const now = Date.now();
    const points = [
      ...[...store.assets.values()].filter((a) => assetMatches(a, filters)).map((a) => pointOf(a.geometry)),
      ...[...store.incidents.values()].filter((i) => incidentMatches(i, filters, now)).map((i) => incidentPosition(i, store.assets)),
      ...alerts.slice(0, 50).map((a) => alertPosition(a, store.assets)),
    ].filter((p): p is [number, number] => p !== null);
    return points.length ? points : null;
  }, [filters.text, version]);

  const open = (alert: Alert) => {
    setSelection({ kind: 'alert', id: alert.id });
    const p = alertPosition(alert, store.assets);
    if (p) setFocus([p]);
  };

  return (
    <main className="operations" aria-label="Operations">
      <FilterBar filters={filters} onChange={setFilters} overlays={OVERLAYS} visible={visible} onToggle={(id, on) => setVisible({ ...visible, [id]: on })} />
      <div className="operations-body">
        <MapView main label="Live map of the city" overlays={OVERLAYS} visible={visible} filters={filters} onSelect={setSelection} onMapClick={mapClickTool} focus={focus ?? searchFocus} />
        <aside className="side-panel" aria-label="Selected record and alert queue">
          {selection && <FeatureCard selection={selection} onClose={() => setSelection(null)} />}
          <RoadTools />
          <AlertQueue alerts={alerts} selectedId={selection?.kind === 'alert' ? selection.id : null} onOpen={open} />
        </aside>
      </div>
    </main>
  );
}
