// CAP warnings received from other agencies: each valid Alert became an alert of category hazard, drawn with
// its areas on the map. A message can also be pasted here (as an integration would POST it) to check it.
import { useMemo, useState } from 'react';
import { currentToken } from '../api/client';
import { SeverityBadge } from '../components/badges';
import { formatTime } from '../format';
import { MapView } from '../map/MapView';
import { alertsOverlay } from '../map/overlays';
import { can } from '../state/actions';
import { DEFAULT_FILTERS, pointOf } from '../state/filters';
import { store, useStoreVersion } from '../state/store';
import { hazardAreasOverlay, isReceivedCap } from './hazardLayer';
import { WarningTabs } from './WarningTabs';
import type { CapProblem } from './types';

const OVERLAYS = [hazardAreasOverlay, alertsOverlay];

export function InboxPage() {
  const version = useStoreVersion();
  const received = [...store.alerts.values()].filter(isReceivedCap).sort((a, b) => b.time.localeCompare(a.time));
  const only = useMemo(() => new Set(received.map((a) => a.id)), [version]);
  const focus = useMemo(() => received.map((a) => pointOf(a.location)).filter((p): p is [number, number] => p !== null), [version]);
  return (
    <main className="page warnings-page" aria-labelledby="inbox-title">
      <WarningTabs current="/warnings/inbox" />
      <h1 id="inbox-title">Received CAP warnings</h1>
      <p className="muted">
        Warnings other agencies send to <code>POST /api/v1/cap/inbox</code> appear here and on the operations map as hazard alerts, with their areas. Updates change them; a Cancel or an all clear closes them.
      </p>
      <div className="columns">
        <div>
          {received.length === 0 ? (
            <p className="muted">Nothing received yet.</p>
          ) : (
            <ul className="plain received-list" data-testid="received-cap">
              {received.map((a) => (
                <li key={a.id}>
                  <SeverityBadge severity={a.severity} /> {a.title} <span className="muted">· {a.source.slice(4)} · {formatTime(a.time)} · {a.status}</span>
                </li>
              ))}
            </ul>
          )}
          {can.write(store.me) && <PasteCap />}
        </div>
        <MapView className="mini-map" label="Map of the received warnings" overlays={OVERLAYS} visible={{}} filters={DEFAULT_FILTERS} only={only} focus={focus} />
      </div>
    </main>
  );
}

function PasteCap() {
  const [xml, setXml] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string; problems: CapProblem[] } | null>(null);
  async function send() {
    setResult(null);
    try {
      const res = await fetch('/api/v1/cap/inbox', { method: 'POST', headers: { 'content-type': 'application/cap+xml', authorization: `Bearer ${currentToken() ?? ''}`, accept: 'application/json, application/problem+json' }, body: xml });
      const body = (await res.json().catch(() => ({}))) as { action?: string; detail?: string; problems?: CapProblem[]; warnings?: CapProblem[] };
      if (res.ok) setResult({ ok: true, text: `Received: ${body.action}.`, problems: body.warnings ?? [] });
      else setResult({ ok: false, text: body.detail ?? `The server answered ${res.status}`, problems: body.problems ?? [] });
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message, problems: [] });
    }
  }
  return (
    <details className="paste-cap">
      <summary>Receive a CAP message by hand</summary>
      <label className="field">
        CAP 1.1 or 1.2 XML
        <textarea rows={8} value={xml} onChange={(e) => setXml(e.target.value)} spellCheck={false} />
      </label>
      <button type="button" disabled={!xml.trim()} onClick={send}>
        Validate and receive
      </button>
      {result && (
        <div role="status" className={result.ok ? 'valid' : 'error'}>
          <p>{result.text}</p>
          {result.problems.length > 0 && (
            <ul className="problems">
              {result.problems.map((p, i) => (
                <li key={i}>
                  <code>{p.path}</code>
                  {p.line ? ` (line ${p.line})` : ''} {p.message} <span className="muted">({p.rule})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
