import { type FormEvent, useEffect, useState } from 'react';
import { TLP_LABELS, tlpRank, type Tlp } from '../../../../src/kernel/sharing/policy.js';
import { api, errorText } from '../../api/client';
import type { Incident, TimelineEntry } from '../../api/types';
import { formatTime } from '../../format';
import { can } from '../../state/actions';
import { store } from '../../state/store';
import { TlpBadge, distributionText } from '../badges';
import { ErrorMessage } from '../Modal';

/** Stream events whose data is one timeline entry: a note, and a unit sent, on scene or released. */
const TIMELINE_EVENTS = new Set(['incident.note', 'incident.unit']);

/**
 * The timeline: automatic entries and notes, each marked with the organisation that wrote it; partners'
 * contributions stand out, and a note shared more narrowly than the incident shows its own label.
 */
export function Timeline({ incident }: { incident: Incident }) {
  const me = store.me;
  const [entries, setEntries] = useState<TimelineEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [tlp, setTlp] = useState<Tlp>(incident.tlp);
  const [ownerOnly, setOwnerOnly] = useState(false);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const partner = !!me && me.organisation.id !== incident.ownerOrgId;

  useEffect(() => {
    const controller = new AbortController();
    api<{ items: TimelineEntry[] }>('GET', `/incidents/${incident.id}/timeline?limit=1000`, undefined, { signal: controller.signal })
      .then((p) => setEntries(p.items))
      .catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    return () => controller.abort();
  }, [incident.id, incident.version, incident.updatedAt]);

  useEffect(
    () =>
      store.onEvent((event) => {
        if (TIMELINE_EVENTS.has(event.type) && event.recordId === incident.id) {
          const entry = event.data as TimelineEntry;
          setEntries((list) => (list && !list.some((e) => e.id === entry.id) ? [...list, entry] : list));
        }
      }),
    [incident.id],
  );

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!note.trim()) return setNoteError('Write the note first');
    setBusy(true);
    setNoteError(null);
    try {
      const label = { ...(tlp !== incident.tlp ? { tlp } : {}), ...(ownerOnly ? { distribution: { scope: 'owner' } } : {}) };
      const entry = await api<TimelineEntry>('POST', `/incidents/${incident.id}/notes`, { text: note.trim(), ...label });
      setEntries((list) => (list && !list.some((e) => e.id === entry.id) ? [...list, entry] : list));
      setNote('');
    } catch (e) {
      setNoteError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const contributions = (entries ?? []).filter((e) => e.authorOrgId && e.authorOrgId !== incident.ownerOrgId).length;
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">Timeline and notes</h2>
      {contributions > 0 && <p className="muted">{contributions} contribution(s) from partner organisations.</p>}
      {error && <p className="error">{error}</p>}
      <ol className="timeline">
        {(entries ?? []).map((e) => {
          const fromPartner = !!e.authorOrgId && e.authorOrgId !== incident.ownerOrgId;
          return (
            <li key={e.id} className={`entry entry-${e.kind}${fromPartner ? ' entry-partner' : ''}`} data-partner={fromPartner || undefined}>
              <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{store.orgName(e.authorOrgId)}</strong>
              {fromPartner && <span className="pill">partner</span>} <span className="pill">{e.kind}</span>
              {e.label && (
                <span title="shared more narrowly than the incident">
                  {' '}
                  <TlpBadge tlp={e.label.tlp} /> <span className="muted small-text">{distributionText(e.label.distribution, incident.ownerOrgId)}</span>
                </span>
              )}
              <p>{e.text}</p>
            </li>
          );
        })}
      </ol>
      {can.contribute(me) ? (
        <form onSubmit={add} className="note-form" noValidate>
          <label className="field">
            Add a note (everyone who sees the incident sees it, unless you narrow it below)
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={20000} />
          </label>
          <label className="field inline">
            Label
            <select value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
              {TLP_LABELS.filter((l) => tlpRank(l) >= tlpRank(incident.tlp)).map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <input type="checkbox" checked={ownerOnly} onChange={(e) => setOwnerOnly(e.target.checked)} /> only {store.orgName(incident.ownerOrgId)}
            {partner && ' and us'}
          </label>
          <ErrorMessage error={noteError} />
          <button type="submit" className="primary" disabled={busy}>
            Add note
          </button>
        </form>
      ) : (
        <p className="muted">Your role may not add notes.</p>
      )}
    </section>
  );
}
