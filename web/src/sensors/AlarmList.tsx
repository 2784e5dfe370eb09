import type { Alert } from '../api/types';
import { SeverityBadge } from '../components/badges';
import { formatTime } from '../format';

/** The alarms of the chart's window as a table: the same alerts as its flags, for reading and for the keyboard. */
export function AlarmList({ alarms, onOpen }: { alarms: Alert[]; onOpen: (alerts: Alert[]) => void }) {
  if (alarms.length === 0) return <p className="muted">No alarms in this time range.</p>;
  return (
    <table className="list alarm-list">
      <thead>
        <tr>
          <th scope="col">Began</th>
          <th scope="col">Last seen</th>
          <th scope="col">Severity</th>
          <th scope="col">Alarm</th>
          <th scope="col">Status</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody>
        {[...alarms].reverse().map((a) => (
          <tr key={a.id} data-alert-id={a.id}>
            <td>{formatTime(a.time)}</td>
            <td>
              {a.count > 1 ? `${formatTime(a.lastSeen)} (${a.count}×)` : '—'}
            </td>
            <td>
              <SeverityBadge severity={a.severity} />
            </td>
            <td>
              <button type="button" className="link-button" onClick={() => onOpen([a])}>
                {a.title}
              </button>
            </td>
            <td>{a.status}</td>
            <td className="muted">{a.source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
