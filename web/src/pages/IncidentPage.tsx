import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import { INCIDENT_STATUSES, type Incident, SEVERITIES, type TimelineEntry } from '../api/types';
import { AlertDetail } from '../components/AlertDetail';
import { SeverityBadge, SharingLine, TlpBadge, distributionText } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { PlaybookSection } from '../components/PlaybookSection';
import { ShareButton } from '../components/ShareButton';
import { formatTime } from '../format';
import { MapView } from '../map/MapView';
import { alertsOverlay, assetsOverlay, incidentsOverlay } from '../map/overlays';
import { Link } from '../router';
import { currentAudience, worldOf } from '../sharing/rules';
import { can, whyNotChange } from '../state/actions';
import { DEFAULT_FILTERS, pointOf } from '../state/filters';
import { store, useStoreVersion } from '../state/store';
import { DispatchPanel } from '../units/DispatchPanel';
import { ExtensionSection, INCIDENT_SECTIONS } from './incidentSections';

const MINI_OVERLAYS = [incidentsOverlay, assetsOverlay, alertsOverlay];

/** The incident workspace: everything the incident has, and what the user may do with it. */
export function IncidentPage({ id }: { id: string }) {
  const version = useStoreVersion();
  const incident = store.incidents.get(id);
  if (!incident) {
    return <main className="page narrow">{store.ready ? <p>This incident does not exist or is not shared with your organisation.</p> : <p className="muted">Loading…</p>}</main>;
  }
  return <Workspace incident={incident} version={version} />;
}

function Workspace({ incident, version }: { incident: Incident; version: number }) {
  const me = store.me;
  const why = whyNotChange(me, incident);
  const [error, setError] = useState<string | null>(null);
  const alerts = incident.alertIds.map((a) => store.alerts.get(a)).filter((a) => a !== undefined);
  const hiddenAlerts = incident.alertIds.length - alerts.length;
  const only = useMemo(() => new Set([incident.id, ...incident.assetIds, ...incident.alertIds]), [incident]);
  const focus = useMemo(() => incident.assetIds.map((a) => pointOf(store.assets.get(a)?.geometry)).filter((p): p is [number, number] => p !== null), [incident.assetIds, version]);

  async function change(field: 'status' | 'severity', value: string) {
    setError(null);
    try {
      const updated = await api<Incident>('PATCH', `/incidents/${incident.id}`, { [field]: value, version: incident.version });
      store.upsert('incident', updated);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <main className="page workspace" aria-labelledby="incident-title">
      <header className="page-head">
        <div>
          <p className="muted">
            <Link to="/incidents">Incidents</Link> / {incident.type}
          </p>
          <h1 id="incident-title">
            <SeverityBadge severity={incident.severity} /> {incident.title}
          </h1>
          <p className="sharing">
            <SharingLine record={incident} /> <ShareButton kind="incident" record={incident} />
          </p>
        </div>
        <div className="controls" role="group" aria-label="Status and severity">
          <label className="field inline">
            Status
            <select value={incident.status} disabled={!!why} title={why ?? undefined} onChange={(e) => change('status', e.target.value)}>
              {INCIDENT_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="field inline">
            Severity
            <select value={incident.severity} disabled={!!why} title={why ?? undefined} onChange={(e) => change('severity', e.target.value)}>
              {SEVERITIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <ErrorMessage error={error} />
      {why && <p className="muted small-text">{why}.</p>}
      <div className="columns">
        <div>
          <section aria-labelledby="summary">
            <h2 id="summary">Summary</h2>
            <p>{incident.description || <span className="muted">No description.</span>}</p>
            <p className="meta">
              Owner {store.orgName(incident.ownerOrgId)} · opened {formatTime(incident.openedAt)}
              {incident.closedAt && ` · closed ${formatTime(incident.closedAt)}`} · version {incident.version}
            </p>
          </section>
          <SharedWith incident={incident} />
          <section aria-labelledby="alerts">
            <h2 id="alerts">Alerts ({incident.alertIds.length})</h2>
            {alerts.length === 0 && <p className="muted">No alerts you may see.</p>}
            {alerts.map((a) => (
              <details key={a.id} className="alert-in-incident">
                <summary>
                  <SeverityBadge severity={a.severity} /> {a.title} <TlpBadge tlp={a.tlp} />
                </summary>
                <AlertDetail alert={a} />
              </details>
            ))}
            {hiddenAlerts > 0 && <p className="muted">{hiddenAlerts} more alert(s) are not shared with your organisation.</p>}
          </section>
          <PlaybookSection incident={incident} />
          {INCIDENT_SECTIONS.filter((s) => s.id !== 'tasks').map((s) => (
            <ExtensionSection key={s.id} section={s} incident={incident} />
          ))}
        </div>
        <div>
          <section aria-labelledby="assets">
            <h2 id="assets">Assets ({incident.assetIds.length})</h2>
            <MapView className="mini-map" label={`Map of the assets of ${incident.title}`} overlays={MINI_OVERLAYS} visible={{}} filters={DEFAULT_FILTERS} only={only} focus={focus} />
            <ul className="plain">
              {incident.assetIds.map((a) => (
                <li key={a}>{store.assets.has(a) ? <Link to={`/assets/${a}`}>{store.assets.get(a)!.name}</Link> : <span className="muted">an asset you may not see</span>}</li>
              ))}
            </ul>
          </section>
          <DispatchPanel incident={incident} />
          <Timeline incident={incident} />
        </div>
      </div>
    </main>
  );
}

function SharedWith({ incident }: { incident: Incident }) {
  const seen = currentAudience({
    actorOrgId: store.me!.organisation.id,
    mayShare: false,
    record: incident,
    world: worldOf(store.organisations.keys(), store.groups.values()),
    groupIds: [],
  });
  return (
    <section aria-labelledby="shared-with">
      <h2 id="shared-with">Shared with</h2>
      <p>
        <TlpBadge tlp={incident.tlp} /> {distributionText(incident.distribution, incident.ownerOrgId)}
      </p>
      {seen === 'everyone' ? (
        <p className="muted">Everyone, also without an account.</p>
      ) : (
        <ul className="plain" data-testid="audience">
          {[...seen].map((org) => (
            <li key={org}>
              {store.orgName(org)}
              {org === incident.ownerOrgId && <span className="muted"> (owner)</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timeline({ incident }: { incident: Incident }) {
  const me = store.me;
  const [entries, setEntries] = useState<TimelineEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
        if (event.type === 'incident.note' && event.recordId === incident.id) {
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
      const entry = await api<TimelineEntry>('POST', `/incidents/${incident.id}/notes`, { text: note.trim() });
      setEntries((list) => (list && !list.some((e) => e.id === entry.id) ? [...list, entry] : list));
      setNote('');
    } catch (e) {
      setNoteError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">Timeline and notes</h2>
      {error && <p className="error">{error}</p>}
      <ol className="timeline">
        {(entries ?? []).map((e) => (
          <li key={e.id} className={`entry entry-${e.kind}`}>
            <time dateTime={e.at}>{formatTime(e.at)}</time> <strong>{store.orgName(e.authorOrgId)}</strong> <span className="pill">{e.kind}</span>
            <p>{e.text}</p>
          </li>
        ))}
      </ol>
      {can.contribute(me) ? (
        <form onSubmit={add} className="note-form" noValidate>
          <label className="field">
            Add a note (partners who see the incident see it too)
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={20000} />
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
