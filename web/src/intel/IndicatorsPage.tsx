import { useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Me, Page } from '../api/types';
import { TlpBadge, TLP_TEXT } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { ago, formatTime } from '../format';
import { Link, navigate, useLocation } from '../router';
import { registerStreamEventType } from '../state/live';
import { store, useStoreVersion } from '../state/store';
import { IntelHead } from './IntelTabs';
import { type IndicatorFilters, filterOptions, filtersFromSearch, filtersToSearch, indicatorRows, sourceText } from './indicators';
import type { Feed, IndicatorItem } from './types';

registerStreamEventType('stix.imported');

/** Pages of 1,000 read at first; more on demand (a city may hold millions of indicators). */
const FIRST_PAGES = 5;

/** Every indicator the user may see (each holder's latest version), with their organisation's sightings. */
export function IndicatorsPage({ me }: { me: Me }) {
  useStoreVersion();
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const [items, setItems] = useState<IndicatorItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [feeds, setFeeds] = useState<Map<string, Feed>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => store.onEvent((e) => e.type === 'stix.imported' && setReloads((n) => n + 1)), []);
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      const all: IndicatorItem[] = [];
      let next: string | null = null;
      for (let i = 0; i < FIRST_PAGES; i++) {
        const page: Page<IndicatorItem> = await api('GET', `/cti/indicators?limit=1000${next ? `&cursor=${encodeURIComponent(next)}` : ''}`, undefined, { signal: controller.signal });
        all.push(...page.items);
        next = page.nextCursor;
        if (!next) break;
      }
      setItems(all);
      setCursor(next);
      setError(null);
    })().catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    api<{ items: Feed[] }>('GET', '/cti/feeds', undefined, { signal: controller.signal })
      .then((r) => setFeeds(new Map(r.items.map((f) => [f.id, f]))))
      .catch(() => undefined);
    return () => controller.abort();
  }, [reloads]);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api<Page<IndicatorItem>>('GET', `/cti/indicators?limit=1000&cursor=${encodeURIComponent(cursor)}`);
      setItems((current) => [...(current ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  }

  const set = (change: Partial<IndicatorFilters>) => navigate(`/intel/indicators${filtersToSearch({ ...filters, ...change })}`, { replace: true });
  const rows = useMemo(() => indicatorRows(items ?? [], filters), [items, search.toString()]);
  const options = useMemo(() => filterOptions(items ?? []), [items]);
  const maxSightings = Math.max(1, ...rows.map((r) => r.item.sightings.count));
  return (
    <main className="page intel">
      <IntelHead me={me} current="/intel/indicators" subtitle={`Indicators ${me.organisation.name} may see, and how often it sighted each`}>
        <input type="search" aria-label="Search indicators" placeholder="Search name, pattern, label or id…" value={filters.text} onChange={(e) => set({ text: e.target.value })} />
      </IntelHead>
      <form className="filter-row" aria-label="Filter indicators" onSubmit={(e) => e.preventDefault()}>
        <label>
          Observes{' '}
          <select value={filters.type} onChange={(e) => set({ type: e.target.value })}>
            <option value="">any type</option>
            {options.types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          TLP{' '}
          <select value={filters.tlp} onChange={(e) => set({ tlp: e.target.value as IndicatorFilters['tlp'] })}>
            <option value="">any label</option>
            {options.tlps.map((t) => (
              <option key={t} value={t}>
                {TLP_TEXT[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source{' '}
          <select value={filters.source} onChange={(e) => set({ source: e.target.value })}>
            <option value="">any source</option>
            {options.sources.map((s) => (
              <option key={s} value={s}>
                {sourceText({ kind: s })}
              </option>
            ))}
          </select>
        </label>
        <label>
          Holder{' '}
          <select value={filters.holder} onChange={(e) => set({ holder: e.target.value })}>
            <option value="">any organisation</option>
            {options.holders.map((h) => (
              <option key={h} value={h}>
                {store.orgName(h)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={filters.sightedOnly} onChange={(e) => set({ sightedOnly: e.target.checked })} /> sighted only
        </label>
        <label>
          Order{' '}
          <select value={filters.sort} onChange={(e) => set({ sort: e.target.value as IndicatorFilters['sort'] })}>
            <option value="newest">newest first</option>
            <option value="sightings">most sighted first</option>
          </select>
        </label>
      </form>
      <ErrorMessage error={error} />
      {items === null ? (
        !error && <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">{items.length ? 'No indicator matches these filters.' : 'No indicators yet: import a STIX bundle or a MISP event, or add a feed.'}</p>
      ) : (
        <>
          <p className="muted small-text" data-testid="indicator-count">
            {rows.length.toLocaleString('en-GB')} of {items.length.toLocaleString('en-GB')} indicators{cursor ? ' loaded' : ''}
          </p>
          <table className="list indicators">
            <thead>
              <tr>
                <th scope="col">Indicator</th>
                <th scope="col">Observes</th>
                <th scope="col">Label</th>
                <th scope="col">Held by · source</th>
                <th scope="col">Valid</th>
                <th scope="col">Sightings</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ item, types, validity }) => (
                <tr key={item.rowId} data-indicator={item.stixId} className={validity === 'in force' ? '' : 'inactive'}>
                  <td>
                    <Link to={`/intel/indicators/${item.stixId}`}>{item.name ?? item.stixId}</Link>
                    <div>
                      <code className="pattern">{item.pattern}</code>
                    </div>
                    {!item.matchable && (
                      <div className="muted small-text" title={item.refusedBecause ?? undefined}>
                        not matched{item.refusedBecause ? `: ${item.refusedBecause}` : item.patternType !== 'stix' ? ` (${item.patternType} pattern)` : ''}
                      </div>
                    )}
                  </td>
                  <td>{types.length ? types.join(', ') : <span className="muted">{item.patternType}</span>}</td>
                  <td>
                    <TlpBadge tlp={item.tlp} />
                  </td>
                  <td>
                    {store.orgName(item.ownerOrgId)}
                    <div className="muted small-text">{sourceText(item.source, feeds)}</div>
                  </td>
                  <td>
                    <span className={`validity validity-${validity.replace(/ /g, '-')}`}>{validity}</span>
                    <div className="muted small-text" title={`${formatTime(item.validFrom)} – ${item.validUntil ? formatTime(item.validUntil) : 'no end'}`}>
                      from {item.validFrom ? formatTime(item.validFrom) : '—'}
                      {item.validUntil ? ` until ${formatTime(item.validUntil)}` : ''}
                    </div>
                  </td>
                  <td className="bar-cell" data-testid="sightings">
                    <span className="bar" style={{ width: `${item.sightings.count ? Math.max(4, (item.sightings.count / maxSightings) * 100) : 0}%` }} aria-hidden="true" />
                    <span className="bar-value">{item.sightings.count.toLocaleString('en-GB')}</span>
                    {item.sightings.lastSeen && <div className="muted small-text">last {ago(item.sightings.lastSeen)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor && (
            <p>
              <button type="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load older indicators'}
              </button>
            </p>
          )}
        </>
      )}
    </main>
  );
}
