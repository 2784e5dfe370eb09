import type { Me } from '../api/types';
import { Link } from '../router';
import { mayReadDetectors, mayReadIngestion } from './access';

/** The sensor pages, one tab each; each has its own address. */
export const SENSOR_PATHS = ['/datastreams', '/detectors', '/ingestion'];

export function SensorTabs({ me, current }: { me: Me; current: string }) {
  const tabs = [
    { to: '/datastreams', label: 'Datastreams', show: true },
    { to: '/detectors', label: 'Detectors', show: mayReadDetectors(me) },
    { to: '/ingestion', label: 'Ingestion health', show: mayReadIngestion(me) },
  ].filter((t) => t.show);
  return (
    <nav className="tabs sensor-tabs" aria-label="Sensors">
      {tabs.map((t) => (
        <Link key={t.to} to={t.to} className={current === t.to ? 'active' : ''} aria-current={current === t.to ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
