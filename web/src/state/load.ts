// The first load after sign-in: who I am, the directory, then the records. Assets and incidents come whole;
// alerts come newest first, a first small page, so the map is usable at once while older ones arrive.
import { allPages, api, errorText } from '../api/client';
import type { Alert, Asset, Incident, Me, Organisation, Page, SharingGroup } from '../api/types';
import type { CityStore } from './store';

/** How often the older pages still arriving are handed to the store (and so to the queue and the map). */
const BACKGROUND_FLUSH_MS = 2000;

/**
 * The older pages, fetched back to back. Each page handed to the store re-renders the queue and makes the map
 * re-cluster and redraw every alert so far; doing that per page (10 pages for 10,000 alerts) kept the main thread
 * so busy that the next page waited ~0.6 s to be asked for, and the map never settled until the last one.
 * So pages are gathered and handed over at most every BACKGROUND_FLUSH_MS, and at the end. A live change that
 * arrives meanwhile still wins: upsertMany never replaces a newer version.
 */
async function rest<T extends { id: string; version: number }>(store: CityStore, kind: 'alert' | 'incident', path: string, cursor: string | null, signal: AbortSignal): Promise<void> {
  let gathered: T[] = [];
  let flushed = Date.now();
  const flush = () => {
    if (gathered.length) store.upsertMany(kind, gathered);
    gathered = [];
    flushed = Date.now();
  };
  while (cursor && !signal.aborted) {
    const page: Page<T> = await api('GET', `${path}?limit=1000&cursor=${encodeURIComponent(cursor)}`, undefined, { signal });
    gathered.push(...page.items);
    cursor = page.nextCursor;
    if (Date.now() - flushed >= BACKGROUND_FLUSH_MS) flush();
  }
  if (!signal.aborted) flush();
}

export async function loadCity(store: CityStore, signal: AbortSignal): Promise<void> {
  try {
    const [me, orgs, groups] = await Promise.all([
      api<Me>('GET', '/me', undefined, { signal }),
      api<Page<Organisation>>('GET', '/organisations', undefined, { signal }),
      api<Page<SharingGroup>>('GET', '/sharing-groups', undefined, { signal }),
    ]);
    store.me = me;
    for (const o of orgs.items) store.organisations.set(o.id, o);
    for (const g of groups.items) store.groups.set(g.id, g);
    // A first, small page of the newest alerts and incidents makes the map usable; the rest follows.
    const [assets, incidents, alerts] = await Promise.all([
      allPages<Asset>('/assets', undefined, signal),
      api<Page<Incident>>('GET', '/incidents?limit=200', undefined, { signal }),
      api<Page<Alert>>('GET', '/alerts?limit=200', undefined, { signal }),
    ]);
    store.upsertMany('asset', assets);
    store.upsertMany('incident', incidents.items);
    store.upsertMany('alert', alerts.items);
    store.ready = true;
    store.loadingMore = Boolean(alerts.nextCursor || incidents.nextCursor);
    store.changed();
    await Promise.all([rest<Incident>(store, 'incident', '/incidents', incidents.nextCursor, signal), rest<Alert>(store, 'alert', '/alerts', alerts.nextCursor, signal)]);
    store.loadingMore = false;
    store.changed();
  } catch (error) {
    if ((error as Error).name === 'AbortError') return;
    store.loadError = errorText(error);
    store.loadingMore = false;
    store.changed();
  }
}
