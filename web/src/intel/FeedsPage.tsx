import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Me, Tlp } from '../api/types';
import { TLP_LABELS } from '../sharing/rules';
import { SharingLine, TLP_TEXT } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { ago, formatTime } from '../format';
import { mayWriteIntel } from './access';
import { EMPTY_FEED, type FeedDraft, type FeedErrors, SCHEDULES, checkFeed, failureText, feedBody, feedState, outcomeText, scheduleText } from './feeds';
import { IntelHead } from './IntelTabs';
import type { Feed, PullOutcome } from './types';

/** The organisation's feeds (TAXII collections and MISP feeds pulled on a schedule), their last pull and error. */
export function FeedsPage({ me }: { me: Me }) {
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, string>>({});
  const [adding, setAdding] = useState(false);
  const mayWrite = mayWriteIntel(me);
  const load = () =>
    api<{ items: Feed[] }>('GET', '/cti/feeds')
      .then((r) => {
        setFeeds(r.items);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);

  async function pull(feed: Feed) {
    setBusy(feed.id);
    try {
      const r = await api<{ outcome: PullOutcome; feed: Feed }>('POST', `/cti/feeds/${feed.id}/pull`);
      setFeeds((list) => (list ?? []).map((f) => (f.id === feed.id ? r.feed : f)));
      setOutcomes((o) => ({ ...o, [feed.id]: outcomeText(r.outcome) }));
    } catch (e) {
      setOutcomes((o) => ({ ...o, [feed.id]: errorText(e) }));
    } finally {
      setBusy(null);
    }
  }

  async function toggle(feed: Feed) {
    setBusy(feed.id);
    try {
      const updated = await api<Feed>('PATCH', `/cti/feeds/${feed.id}`, { enabled: !feed.enabled });
      setFeeds((list) => (list ?? []).map((f) => (f.id === feed.id ? updated : f)));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  async function remove(feed: Feed) {
    if (!confirm(`Remove the feed “${feed.name}”? What it brought stays in the store.`)) return;
    setBusy(feed.id);
    try {
      await api('DELETE', `/cti/feeds/${feed.id}`);
      setFeeds((list) => (list ?? []).filter((f) => f.id !== feed.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <main className="page intel">
      <IntelHead me={me} current="/intel/feeds" subtitle={`Feeds of ${me.organisation.name}: remote TAXII collections and MISP feeds, pulled on a schedule`}>
        {mayWrite && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add a feed
          </button>
        )}
      </IntelHead>
      <ErrorMessage error={error} />
      {adding && (
        <AddFeed
          onAdded={(feed) => {
            setFeeds((list) => [feed, ...(list ?? [])]);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {feeds === null ? (
        !error && <p className="muted">Loading…</p>
      ) : feeds.length === 0 ? (
        <p className="muted">No feeds. {mayWrite ? 'Add one: a partner’s TAXII 2.1 collection (another Vigil, a national CSIRT, an ISAC) or a MISP feed.' : 'An analyst or admin of your organisation can add one.'}</p>
      ) : (
        <div className="feed-list">
          {feeds.map((f) => {
            const state = feedState(f);
            return (
              <article key={f.id} className={`panel feed feed-${state.replace(' ', '-')}`} data-feed={f.id} aria-labelledby={`feed-${f.id}`}>
                <header className="section-head">
                  <h2 id={`feed-${f.id}`}>
                    <span className="chip">{f.kind === 'taxii' ? 'TAXII 2.1' : 'MISP'}</span> {f.name}
                  </h2>
                  <span className={`state state-${state.replace(' ', '-')}`}>{state}</span>
                </header>
                <dl className="facts">
                  <dt>URL</dt>
                  <dd>
                    <code>{f.url}</code>
                  </dd>
                  {f.kind === 'taxii' && (
                    <>
                      <dt>Collection</dt>
                      <dd>
                        <code>{f.collectionId}</code>
                      </dd>
                    </>
                  )}
                  <dt>Schedule</dt>
                  <dd>
                    {scheduleText(f.everySeconds)}
                    {f.enabled && <span className="muted"> · next {formatTime(f.nextPullAt)}</span>}
                  </dd>
                  <dt>Last pull</dt>
                  <dd>
                    {f.lastPullAt ? `${formatTime(f.lastPullAt)} (${ago(f.lastPullAt)})` : 'never'}
                    {f.lastSuccessAt && f.lastSuccessAt !== f.lastPullAt && <span className="muted"> · last success {formatTime(f.lastSuccessAt)}</span>}
                  </dd>
                  <dt>Objects received</dt>
                  <dd data-testid="objects-received">{f.objectsReceived.toLocaleString('en-GB')}</dd>
                  <dt>Sharing</dt>
                  <dd>
                    <SharingLine record={f} /> <span className="muted small-text">(label for unmarked objects; each object's own label may narrow the distribution)</span>
                  </dd>
                  <dt>Credentials</dt>
                  <dd>{f.hasSecret ? `${f.username ? `${f.username} + ` : ''}token stored (never shown)` : 'none'}</dd>
                </dl>
                {f.lastError && (
                  <p className="error" role="status">
                    Last error: {f.lastError}
                    {f.failures > 0 && <span className="small-text"> — {failureText(f)}</span>}
                  </p>
                )}
                {outcomes[f.id] && (
                  <p className={`outcome${outcomes[f.id]!.startsWith('Pull failed') ? ' failed' : ''}`} role="status">
                    {outcomes[f.id]}
                  </p>
                )}
                {mayWrite && (
                  <p className="row-actions left">
                    <button type="button" onClick={() => void pull(f)} disabled={busy === f.id}>
                      {busy === f.id ? 'Working…' : 'Pull now'}
                    </button>
                    <button type="button" onClick={() => void toggle(f)} disabled={busy === f.id}>
                      {f.enabled ? 'Pause' : 'Resume'}
                    </button>
                    <button type="button" onClick={() => void remove(f)} disabled={busy === f.id}>
                      Remove
                    </button>
                  </p>
                )}
              </article>
            );
          })}
        </div>
      )}
    </main>
  );
}

function AddFeed({ onAdded, onCancel }: { onAdded: (feed: Feed) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<FeedDraft>(EMPTY_FEED);
  const [errors, setErrors] = useState<FeedErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<FeedDraft>) => setDraft((d) => ({ ...d, ...change }));
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkFeed(draft);
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      onAdded(await api<Feed>('POST', '/cti/feeds', feedBody(draft)));
    } catch (e) {
      setServerError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  const field = (name: keyof FeedDraft) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': `feed-${name}-error` } : {});
  const problem = (name: keyof FeedDraft) =>
    errors[name] && (
      <span className="field-error" id={`feed-${name}-error`}>
        {errors[name]}
      </span>
    );
  return (
    <form className="panel feed-form" onSubmit={submit} aria-label="Add a feed" noValidate>
      <h2>Add a feed</h2>
      <fieldset>
        <legend>Kind</legend>
        <label>
          <input type="radio" name="kind" checked={draft.kind === 'taxii'} onChange={() => set({ kind: 'taxii' })} /> TAXII 2.1 collection
        </label>
        <label>
          <input type="radio" name="kind" checked={draft.kind === 'misp'} onChange={() => set({ kind: 'misp' })} /> MISP feed (folder with manifest.json)
        </label>
      </fieldset>
      <label>
        URL {draft.kind === 'taxii' ? '(API root …/taxii2/api/ or discovery …/taxii2/)' : '(the feed folder)'}
        <input type="url" value={draft.url} onChange={(e) => set({ url: e.target.value })} {...field('url')} required />
        {problem('url')}
      </label>
      {draft.kind === 'taxii' && (
        <label>
          Collection id or alias
          <input value={draft.collectionId} onChange={(e) => set({ collectionId: e.target.value })} {...field('collectionId')} />
          {problem('collectionId')}
        </label>
      )}
      <label>
        Feed name (optional)
        <input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="the host, if left empty" />
      </label>
      <label>
        User name (optional)
        <input value={draft.username} autoComplete="off" onChange={(e) => set({ username: e.target.value })} />
      </label>
      <label>
        Token or password (stored, never shown again)
        <input type="password" autoComplete="new-password" value={draft.secret} onChange={(e) => set({ secret: e.target.value })} />
      </label>
      <label>
        Schedule
        <select value={draft.everySeconds} onChange={(e) => set({ everySeconds: Number(e.target.value) })}>
          {SCHEDULES.map((s) => (
            <option key={s.seconds} value={s.seconds}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Label for objects without a TLP marking
        <select value={draft.tlp} onChange={(e) => set({ tlp: e.target.value as Tlp | '' })}>
          <option value="">your organisation's default</option>
          {TLP_LABELS.map((t) => (
            <option key={t} value={t}>
              {TLP_TEXT[t]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small-text">What arrives is kept to your organisation's default distribution, bounded by each object's own label. Change it later with the API.</p>
      <ErrorMessage error={serverError} />
      <p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add and pull'}
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
