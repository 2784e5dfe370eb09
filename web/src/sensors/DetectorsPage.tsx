import { useCallback, useEffect, useMemo, useState } from 'react';
import { allPages, api, errorText } from '../api/client';
import type { Alert, Datastream, Me } from '../api/types';
import { SeverityBadge } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { ago, formatTime } from '../format';
import { store, useStoreVersion } from '../state/store';
import { mayEditDetectors } from './access';
import { AlarmDialog } from './AlarmDialog';
import { DetectorEditor } from './DetectorEditor';
import { draftOf, emptyDraft, summaryOf } from './detectorForm';
import { type RuntimeStatus, detectorState, lastAlarmOf } from './detectorStatus';
import type { ModelInfo } from './models';
import { ModelsPanel } from './ModelsPanel';
import { SensorTabs } from './SensorTabs';

interface Settings {
  detectors: unknown[];
  version: number;
  updatedAt: string | null;
}

/** The runtime's status changes without events (a failure, a suspension): read again every 10 s. */
const STATUS_REFRESH_MS = 10_000;

/** An organisation's detectors: what each watches, whether it runs, its last alarm; edit, resume, models. */
export function DetectorsPage({ me }: { me: Me }) {
  const version = useStoreVersion();
  const admin = mayEditDetectors(me);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<RuntimeStatus | null>(null);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [keys, setKeys] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ index: number; isNew: boolean } | null>(null);
  const [open, setOpen] = useState<Alert[] | null>(null);
  const closeAlarm = useCallback(() => setOpen(null), []);

  const loadSettings = useCallback(() => {
    api<Settings>('GET', '/detectors')
      .then((s) => {
        setSettings(s);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, []);
  const loadStatus = useCallback(() => {
    api<RuntimeStatus>('GET', '/detectors/status')
      .then(setStatus)
      .catch(() => setStatus(null));
  }, []);
  const loadModels = useCallback(() => {
    api<{ items: ModelInfo[] }>('GET', '/detectors/models')
      .then((m) => setModels(m.items))
      .catch(() => setModels([]));
  }, []);
  useEffect(() => {
    loadSettings();
    loadModels();
    allPages<Datastream>('/datastreams')
      .then((items) => setKeys(items.filter((d) => d.ownerOrgId === me.organisation.id).map((d) => d.key).sort()))
      .catch(() => setKeys([]));
  }, []);
  useEffect(() => {
    loadStatus();
    const timer = setInterval(loadStatus, STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const rows = useMemo(
    () =>
      (settings?.detectors ?? []).map((d, index) => {
        const s = d as { id: string; kind: string; enabled?: boolean };
        return { index, settings: d, id: s.id, kind: s.kind, state: detectorState(s, status), last: lastAlarmOf(s.id, me.organisation.id, store.alerts.values()) };
      }),
    [settings, status, version],
  );
  const modelRefs = useMemo(() => [...new Set(models.flatMap((m) => [m.name, `${m.name}@${m.version}`]))].sort(), [models]);

  /** Saves the list with one detector replaced (or added); the server checks the whole list. */
  const saveOne = async (index: number, isNew: boolean, detector: Record<string, unknown>) => {
    const list = [...(settings?.detectors ?? [])];
    if (isNew) list.push(detector);
    else list[index] = detector;
    const saved = await api<Settings>('PUT', '/detectors', { detectors: list, version: settings?.version ?? 0 });
    setSettings(saved);
    setEditing(null);
    loadStatus();
  };
  const remove = async (index: number) => {
    const id = rows[index]?.id;
    if (!window.confirm(`Remove the detector “${id}”? It stops at once; its alerts stay.`)) return;
    setRowError(null);
    try {
      const list = (settings?.detectors ?? []).filter((_, i) => i !== index);
      setSettings(await api<Settings>('PUT', '/detectors', { detectors: list, version: settings?.version ?? 0 }));
      loadStatus();
    } catch (e) {
      setRowError(errorText(e));
      loadSettings();
    }
  };
  const resume = async (id: string) => {
    setRowError(null);
    try {
      setStatus(await api<RuntimeStatus>('POST', `/detectors/${encodeURIComponent(id)}/resume`));
    } catch (e) {
      setRowError(errorText(e));
    }
  };

  const editingRow = editing && !editing.isNew ? rows[editing.index] : undefined;
  return (
    <main className="page">
      <header className="page-head">
        <div>
          <h1>Sensors</h1>
          <p className="muted">
            Detectors of {me.organisation.name}
            {settings?.updatedAt && ` · settings version ${settings.version}, changed ${ago(settings.updatedAt)}`}
          </p>
        </div>
        {admin && !editing && (
          <button type="button" className="primary" onClick={() => setEditing({ index: settings?.detectors.length ?? 0, isNew: true })}>
            Add a detector
          </button>
        )}
      </header>
      <SensorTabs me={me} current="/detectors" />
      {!admin && <p className="notice">Only your organisation’s admins change detectors, resume them or store models; you see what they run.</p>}
      <ErrorMessage error={error ?? rowError} />
      {status?.state === 'broken' && (
        <p className="error" role="alert">
          Your detectors are not running: {status.problem}. Readings are stored but not assessed until the settings are fixed.
        </p>
      )}
      {settings && rows.length === 0 && <p className="muted">No detectors: readings are stored and charted, nothing raises alarms.</p>}
      {rows.length > 0 && (
        <table className="list detectors">
          <thead>
            <tr>
              <th scope="col">Detector</th>
              <th scope="col">Watches for</th>
              <th scope="col">State</th>
              <th scope="col">Last alarm</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.index}-${r.id}`} data-detector={r.id} className={editing?.index === r.index && !editing.isNew ? 'selected' : ''}>
                <td>
                  <strong>{r.id}</strong>
                  <div className="muted small-text">{r.kind}</div>
                </td>
                <td>{summaryOf(r.settings)}</td>
                <td>
                  <span className={`state state-${r.state.state.replace(' ', '-')}`}>{r.state.state}</span>
                  {r.state.text.toLowerCase() !== r.state.state && <div className="small-text muted state-text">{r.state.text}</div>}
                </td>
                <td>
                  {r.last ? (
                    <button type="button" className="link-button" onClick={() => setOpen([r.last!])} title={formatTime(r.last.lastSeen)}>
                      <SeverityBadge severity={r.last.severity} /> {ago(r.last.lastSeen)}
                    </button>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </td>
                <td className="row-actions">
                  <button type="button" className="small" onClick={() => setEditing({ index: r.index, isNew: false })}>
                    {admin ? 'Edit' : 'View'}
                  </button>
                  {admin && r.state.resumable && (
                    <button type="button" className="small primary" onClick={() => resume(r.id)}>
                      Resume
                    </button>
                  )}
                  {admin && (
                    <button type="button" className="small danger" onClick={() => remove(r.index)}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <section className="panel" aria-label="Detector settings">
          <h2>{editing.isNew ? 'New detector' : `Detector ${editingRow?.id ?? ''}`}</h2>
          <DetectorEditor
            key={`${editing.index}-${editing.isNew}`}
            initial={editing.isNew ? emptyDraft() : draftOf(editingRow?.settings)}
            index={editing.index}
            otherIds={rows.filter((r) => editing.isNew || r.index !== editing.index).map((r) => r.id)}
            streamKeys={keys}
            modelRefs={modelRefs}
            readOnly={!admin}
            save={(d) => saveOne(editing.index, editing.isNew, d)}
            onClose={() => {
              setEditing(null);
              loadSettings();
            }}
          />
        </section>
      )}
      {status && status.recentFailures.length > 0 && (
        <section aria-labelledby="failures">
          <h2 id="failures">Recent failures</h2>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Detector</th>
                <th scope="col">While</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {[...status.recentFailures].reverse().slice(0, 10).map((f, i) => (
                <tr key={`${f.at}-${i}`}>
                  <td>{formatTime(f.at)}</td>
                  <td>{f.detector}</td>
                  <td>{f.phase === 'tick' ? 'checking the time' : 'assessing a reading'}</td>
                  <td>
                    {f.message}
                    {f.suspended && <strong> — suspended</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <ModelsPanel
        models={models}
        detectors={settings?.detectors ?? []}
        admin={admin}
        onStored={() => {
          loadModels();
          loadStatus();
        }}
      />
      {open && <AlarmDialog alerts={open} onClose={closeAlarm} />}
    </main>
  );
}
