import { describe, expect, it } from 'vitest';
import {
  INCIDENT_CORE_EXTENSION_ID,
  TLP_2_MARKING_IDS,
  alertToStix,
  incidentToStix,
  organisationToIdentity,
  sightingToStix,
  validateObjects,
  type VigilAlertRecord,
} from '../../src/cti/index.js';

const owner = { id: 'org-water', name: 'Aqua City Water', sector: 'water', kind: 'operator' as const, created: '2026-01-01T00:00:00Z', modified: '2026-01-02T00:00:00Z' };
const alert: VigilAlertRecord = {
  id: 'alert-17',
  title: 'Pump P1 switched from an unknown address',
  description: 'Modbus write to the pump controller from outside the SCADA network',
  time: '2026-03-14T10:00:00Z',
  category: 'cyber-physical',
  severity: 'high',
  evidence: { 'source.ip': '203.0.113.45', 'destination.port': 502, 'user.name': 'scada-op', 'url.full': 'http://scada-update.example/a' },
  location: { name: 'Pumping station 1', latitude: 43.7384, longitude: 7.4246 },
  assetNames: ['P1'],
  owner,
  tlp: 'amber',
  created: '2026-03-14T10:00:01Z',
  modified: '2026-03-14T10:05:00Z',
};

describe('Vigil records as STIX 2.1', () => {
  it('exports an organisation as an identity with a STIX sector', () => {
    expect(organisationToIdentity(owner)).toMatchObject({ type: 'identity', identity_class: 'organization', name: 'Aqua City Water', sectors: ['water'] });
  });

  it('exports an alert as a valid incident with the Incident Core extension, its place and its observables', () => {
    const objects = alertToStix(alert);
    expect(validateObjects(objects).filter((r) => !r.valid)).toEqual([]);
    const incident = objects.find((o) => o.type === 'incident')!;
    expect(incident).toMatchObject({
      name: alert.title,
      object_marking_refs: [TLP_2_MARKING_IDS.amber],
      extensions: { [INCIDENT_CORE_EXTENSION_ID]: { extension_type: 'property-extension', determination: 'suspected', investigation_status: 'new', criticality: 75 } },
    });
    expect(objects.map((o) => o.type).sort()).toEqual(
      ['identity', 'incident', 'ipv4-addr', 'location', 'marking-definition', 'relationship', 'relationship', 'relationship', 'relationship', 'url', 'user-account'].sort(),
    );
    expect(objects.find((o) => o.type === 'location')).toMatchObject({ latitude: 43.7384, longitude: 7.4246, name: 'Pumping station 1' });
  });

  it('gives the same ids every time the same record is exported', () => {
    expect(alertToStix(alert)).toEqual(alertToStix(structuredClone(alert)));
    expect(alertToStix({ ...alert, id: 'alert-18' }).find((o) => o.type === 'incident')!.id).not.toBe(alertToStix(alert).find((o) => o.type === 'incident')!.id);
  });

  it('exports an incident with its alerts, derived-from each', () => {
    const objects = incidentToStix({ id: 'inc-3', title: 'Water SCADA attack', status: 'contained', severity: 'critical', alerts: [alert], owner, tlp: 'amber+strict', created: '2026-03-14T10:10:00Z', modified: '2026-03-14T11:00:00Z' });
    expect(validateObjects(objects).filter((r) => !r.valid)).toEqual([]);
    const incidents = objects.filter((o) => o.type === 'incident');
    expect(incidents).toHaveLength(2);
    const top = incidents.find((o) => o.x_vigil_record === 'incident')!;
    expect(top.object_marking_refs).toEqual([TLP_2_MARKING_IDS['amber+strict']]);
    expect((top.extensions as Record<string, { determination: string }>)[INCIDENT_CORE_EXTENSION_ID]!.determination).toBe('successful-attempt');
    expect(objects.filter((o) => o.type === 'relationship' && o.relationship_type === 'derived-from')).toEqual([
      expect.objectContaining({ source_ref: top.id, target_ref: incidents.find((o) => o.x_vigil_record === 'alert')!.id }),
    ]);
  });

  it('exports an indicator match as a sighting with observed data', () => {
    const objects = sightingToStix({
      indicatorId: 'indicator--0d2f6a1e-3b4c-4d5e-8f60-718293a4b5c6', seenBy: owner, firstSeen: alert.time, lastSeen: '2026-03-14T10:04:00Z', count: 3, alert, tlp: 'green',
      created: '2026-03-14T10:04:01Z', modified: '2026-03-14T10:04:01Z',
    });
    expect(validateObjects(objects).filter((r) => !r.valid)).toEqual([]);
    const sighting = objects.find((o) => o.type === 'sighting')!;
    const observed = objects.find((o) => o.type === 'observed-data')!;
    expect(sighting).toMatchObject({ count: 3, sighting_of_ref: 'indicator--0d2f6a1e-3b4c-4d5e-8f60-718293a4b5c6', observed_data_refs: [observed.id], where_sighted_refs: [organisationToIdentity(owner).id] });
    expect(observed).toMatchObject({ number_observed: 3, first_observed: '2026-03-14T10:00:00.000Z' });
  });

  it('refuses a record whose time is not a timestamp', () => {
    expect(() => alertToStix({ ...alert, created: 'yesterday' })).toThrow(RangeError);
  });
});
