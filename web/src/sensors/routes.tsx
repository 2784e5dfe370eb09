// The sensor pages' addresses, registered in App's router and the main navigation.
import type { ReactElement } from 'react';
import type { Me } from '../api/types';
import { match } from '../router';
import { mayReadDetectors, mayReadIngestion } from './access';
import { DatastreamPage } from './DatastreamPage';
import { DatastreamsPage } from './DatastreamsPage';
import { DetectorsPage } from './DetectorsPage';
import { IngestionPage } from './IngestionPage';
import { SENSOR_PATHS } from './SensorTabs';
import './sensors.css';

/** The main navigation's entry: one for every sensor page. */
export const SENSORS_NAV = { to: '/datastreams', label: 'Sensors', paths: SENSOR_PATHS };

function Refused({ text }: { text: string }) {
  return (
    <main className="page narrow">
      <h1>Not for your role</h1>
      <p>{text}</p>
    </main>
  );
}

/** The page for a sensor address, or null when the address is not one of them. */
export function sensorPage(pathname: string, me: Me): ReactElement | null {
  let params: Record<string, string> | null;
  if (pathname === '/datastreams') return <DatastreamsPage me={me} />;
  if ((params = match('/datastreams/:id', pathname))) return <DatastreamPage key={params.id} id={params.id!} me={me} />;
  if (pathname === '/detectors') return mayReadDetectors(me) ? <DetectorsPage me={me} /> : <Refused text="Detector settings are for your organisation's admins, analysts and operators." />;
  if (pathname === '/ingestion') return mayReadIngestion(me) ? <IngestionPage me={me} /> : <Refused text="Ingestion health is for your organisation's admins." />;
  return null;
}
