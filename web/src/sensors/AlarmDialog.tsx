import { useState } from 'react';
import type { Alert } from '../api/types';
import { AlertDetail } from '../components/AlertDetail';
import { SeverityBadge } from '../components/badges';
import { Modal } from '../components/Modal';
import { formatTime } from '../format';
import { store, useStoreVersion } from '../state/store';

/**
 * The alarm(s) behind a flag on a chart, opened in place: one alert in full (acknowledge, escalate, share,
 * its evidence), or, for a flag that stands for several, the list to choose from. The store's copy wins
 * when it is newer (the alert changed live while the dialog was open).
 */
export function AlarmDialog({ alerts, onClose, title = 'Alarm' }: { alerts: Alert[]; onClose: () => void; title?: string }) {
  useStoreVersion();
  const current = (a: Alert) => {
    const live = store.alerts.get(a.id);
    return live && live.version >= a.version ? live : a;
  };
  const [picked, setPicked] = useState<string | null>(alerts.length === 1 ? alerts[0]!.id : null);
  const chosen = picked ? alerts.find((a) => a.id === picked) : undefined;
  return (
    <Modal title={chosen ? title : `${alerts.length} alarms here`} onClose={onClose} wide>
      {chosen ? (
        <>
          {alerts.length > 1 && (
            <button type="button" className="small" onClick={() => setPicked(null)}>
              ← All {alerts.length} alarms here
            </button>
          )}
          <AlertDetail alert={current(chosen)} />
        </>
      ) : (
        <ul className="plain alarm-choices">
          {alerts.map((a) => (
            <li key={a.id}>
              <button type="button" className="alarm-choice" onClick={() => setPicked(a.id)}>
                <SeverityBadge severity={current(a).severity} /> {current(a).title} <span className="muted">· {formatTime(a.time)} · {current(a).status}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
