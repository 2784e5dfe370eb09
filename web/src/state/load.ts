// The first load after sign-in: who I am, the directory, then the records. Assets and incidents come whole;
// alerts come newest first, page by page, so the map is usable after the first page while older ones arrive.
import { allPages, api, errorText } from '../api/client';
import type { Alert, Asset, Incident, Me, Organisation, Page, SharingGroup } from '../api/types';
import type { CityStore } from './store';

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
    const firstAlerts = api<Page<Alert>>('GET', '/alerts?limit=1000', undefined, { signal });
    const [assets, incidents, alerts] = await Promise.all([
      allPages<Asset>('/assets', undefined, signal),
      allPages<Incident>('/incidents', undefined, signal),
      firstAlerts,
    ]);
    store.upsertMany('asset', assets);
    store.upsertMany('incident', incidents);
    store.upsertMany('alert', alerts.items);
    store.ready = true;
    store.changed();
    let cursor = alerts.nextCursor;
    if (cursor) {
      store.loadingMore = true;
      store.changed();
      while (cursor && !signal.aborted) {
        const page: Page<Alert> = await api('GET', `/alerts?limit=1000&cursor=${encodeURIComponent(cursor)}`, undefined, { signal });
        store.upsertMany('alert', page.items);
        cursor = page.nextCursor;
      }
      store.loadingMore = false;
      store.changed();
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') return;
    store.loadError = errorText(error);
    store.loadingMore = false;
    store.changed();
  }
}
