import { type FormEvent, useEffect, useRef, useState } from 'react';
import { TLP_LABELS, tlpRank, type Tlp } from '../../../../src/kernel/sharing/policy.js';
import { api, errorText } from '../../api/client';
import type { Attachment, Incident } from '../../api/types';
import { formatTime } from '../../format';
import { can } from '../../state/actions';
import { store } from '../../state/store';
import { TlpBadge, distributionText } from '../badges';
import { ErrorMessage } from '../Modal';
import { downloadAttachment, uploadAttachment } from './files';

/** Photos, logs and reports of the incident, each under its own label (never looser than the incident's). */
export function Attachments({ incident }: { incident: Incident }) {
  const [items, setItems] = useState<Attachment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tlp, setTlp] = useState<Tlp>(incident.tlp);
  const [ownerOnly, setOwnerOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    api<{ items: Attachment[] }>('GET', `/incidents/${incident.id}/attachments`, undefined, { signal: controller.signal })
      .then((p) => setItems(p.items))
      .catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    return () => controller.abort();
  }, [incident.id, incident.updatedAt]);

  // Attachments added by others (partners too) arrive on the live stream, only to those they are shared with.
  useEffect(
    () =>
      store.onEvent((event) => {
        if (event.type === 'incident.attachment' && event.recordId === incident.id) {
          const a = event.data as Attachment;
          setItems((list) => (list && !list.some((x) => x.id === a.id) ? [...list, a] : list));
        }
      }),
    [incident.id],
  );

  async function upload(event: FormEvent) {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setError('Choose a file first');
    setBusy(true);
    setError(null);
    try {
      const stricter = tlp !== incident.tlp || ownerOnly;
      const a = await uploadAttachment(incident.id, file, stricter ? { tlp, ...(ownerOnly ? { scope: 'owner' } : {}) } : {});
      setItems((list) => [...(list ?? []), a]);
      if (input.current) input.current.value = '';
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="section-attachments" data-section="attachments">
      <h2 id="section-attachments">Attachments</h2>
      {items === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">No attachments you may see.</p>
      ) : (
        <ul className="plain" data-testid="attachments">
          {items.map((a) => (
            <li key={a.id}>
              <button type="button" className="link-button" onClick={() => downloadAttachment(a).catch((e) => setError(errorText(e)))}>
                {a.filename}
              </button>{' '}
              <TlpBadge tlp={a.label?.tlp ?? incident.tlp} />{' '}
              <span className="muted">
                {a.mediaType} · {Math.ceil(a.size / 1024)} KB · {store.orgName(a.authorOrgId)} · {formatTime(a.createdAt)}
                {a.label && ` · ${distributionText(a.label.distribution, incident.ownerOrgId)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {can.contribute(store.me) && (
        <form onSubmit={upload} className="row-form" noValidate>
          <label className="field inline">
            File
            <input type="file" ref={input} accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/json,.log" />
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
            {store.me?.organisation.id !== incident.ownerOrgId && ' and us'}
          </label>
          <button type="submit" disabled={busy}>
            Attach
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
