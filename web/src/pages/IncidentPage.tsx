import { useMemo } from 'react';
import type { Incident } from '../api/types';
import { SeverityBadge, SharingLine, TlpBadge, distributionText } from '../components/badges';
import { PlaybookSection } from '../components/PlaybookSection';
import { Attachments } from '../components/incident/Attachments';
import { IncidentAlerts } from '../components/incident/IncidentAlerts';
import { LifecycleControls } from '../components/incident/LifecycleControls';
import { PeopleAndLinks } from '../components/incident/PeopleAndLinks';
import { Timeline } from '../components/incident/Timeline';
import { ShareButton } from '../components/ShareButton';
import { formatTime } from '../format';
import { MapView } from '../map/MapView';
import { alertsOverlay, assetsOverlay, incidentsOverlay } from '../map/overlays';
import { Link } from '../router';
import { currentAudience, worldOf } from '../sharing/rules';
import { whyNotChange } from '../state/actions';
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
  const only = useMemo(() => new Set([incident.id, ...incident.assetIds, ...incident.alertIds]), [incident]);
  const focus = useMemo(() => incident.assetIds.map((a) => pointOf(store.assets.get(a)?.geometry)).filter((p): p is [number, number] => p !== null), [incident.assetIds, version]);

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
        <LifecycleControls incident={incident} why={why} />
      </header>
      {why && <p className="muted small-text">{why}.</p>}
      <div className="columns">
        <div>
          <section aria-labelledby="summary">
            <h2 id="summary">Summary</h2>
            <p>{incident.description || <span className="muted">No description.</span>}</p>
            <p className="meta">
              Owner {store.orgName(incident.ownerOrgId)} · opened {formatTime(incident.openedAt)}
              {incident.closedAt && ` · closed ${formatTime(incident.closedAt)}`}
              {incident.resolution && ` (${incident.resolution})`}
              {(incident.reopenCount ?? 0) > 0 && ` · reopened ${incident.reopenCount}×`} · version {incident.version}
            </p>
          </section>
          <SharedWith incident={incident} />
          <IncidentAlerts incident={incident} why={why} />
          <PeopleAndLinks incident={incident} why={why} />
          <Attachments incident={incident} />
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
