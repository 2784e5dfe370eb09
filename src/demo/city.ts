import type { AlertCategory, Severity } from '../alerts/index.js';
import type { DependencyKind } from '../assets/index.js';
import type { IncidentStatus } from '../incidents/index.js';
import type { Tlp } from '../kernel/sharing/index.js';
import type { OrganisationKind, Sector } from '../organisations/model.js';

/**
 * The demo city: Monaco's real streets, with a believable set of public-service operators and security
 * practitioners sharing at mixed labels, so the sharing policy can be seen at work. Data only; ./load.ts
 * puts it in the database through the same code paths as the API.
 */
export interface DemoOrganisation {
  slug: string;
  name: string;
  sector: Sector;
  kind: OrganisationKind;
  defaultTlp: Tlp;
}

export const ORGANISATIONS: DemoOrganisation[] = [
  { slug: 'water', name: 'City Water Utility', sector: 'water', kind: 'operator', defaultTlp: 'amber' },
  { slug: 'energy', name: 'City Energy Grid', sector: 'energy', kind: 'operator', defaultTlp: 'amber' },
  { slug: 'transit', name: 'City Transit', sector: 'transport', kind: 'operator', defaultTlp: 'green' },
  { slug: 'hospital', name: 'Princess Grace Hospital', sector: 'health', kind: 'operator', defaultTlp: 'amber' },
  { slug: 'police', name: 'City Police', sector: 'police', kind: 'practitioner', defaultTlp: 'amber' },
  { slug: 'fire', name: 'Fire and Rescue Service', sector: 'fire', kind: 'practitioner', defaultTlp: 'amber' },
  { slug: 'cert', name: 'City CERT', sector: 'cert', kind: 'authority', defaultTlp: 'green' },
];

export interface DemoGroup {
  key: string;
  owner: string;
  name: string;
  description: string;
  members: string[];
}

export const GROUPS: DemoGroup[] = [
  {
    key: 'critical-infrastructure',
    owner: 'cert',
    name: 'Critical infrastructure operators',
    description: 'Utilities and operators of essential services, with the city CERT',
    members: ['water', 'energy', 'transit', 'hospital'],
  },
  {
    key: 'emergency-services',
    owner: 'police',
    name: 'Emergency services',
    description: 'Police, fire and rescue, the hospital and the city CERT',
    members: ['fire', 'hospital', 'cert'],
  },
];

/** A distribution written with slugs and group keys; the loader turns them into ids. */
export type DemoDistribution =
  | { scope: 'owner' }
  | { scope: 'orgs'; orgs: string[] }
  | { scope: 'group'; group: string }
  | { scope: 'community' }
  | { scope: 'public' };

/** A place on a real street: the vertex of the named street nearest to `near`. */
export interface StreetPlace {
  street: string;
  near: [number, number];
}

export interface DemoAsset {
  key: string;
  owner: string;
  name: string;
  type: string;
  criticality: number;
  place: StreetPlace;
  attributes?: Record<string, unknown>;
  tlp: Tlp;
  distribution: DemoDistribution;
  dependencies?: Array<{ kind: DependencyKind; asset: string }>;
}

const community: DemoDistribution = { scope: 'community' };
const infra: DemoDistribution = { scope: 'group', group: 'critical-infrastructure' };

export const ASSETS: DemoAsset[] = [
  // Hospital, stations and public places first: others' dependencies point at them.
  { key: 'hospital', owner: 'hospital', name: 'Princess Grace Hospital', type: 'hospital', criticality: 5, place: { street: 'Avenue Pasteur', near: [7.4133, 43.7317] }, attributes: { beds: 400, waterDemandM3PerDay: 350 }, tlp: 'clear', distribution: { scope: 'public' } },
  { key: 'station', owner: 'transit', name: 'Monaco Monte-Carlo railway station', type: 'station', criticality: 4, place: { street: 'Boulevard Princesse Charlotte', near: [7.4205, 43.74] }, attributes: { dailyPassengers: 16000 }, tlp: 'clear', distribution: { scope: 'public' } },
  { key: 'casino-square', owner: 'police', name: 'Place du Casino', type: 'venue', criticality: 4, place: { street: 'Place du Casino', near: [7.428, 43.7395] }, attributes: { peakCrowd: 5000 }, tlp: 'clear', distribution: { scope: 'public' } },
  { key: 'police-hq', owner: 'police', name: 'Police headquarters', type: 'police-station', criticality: 4, place: { street: 'Rue Suffren Reymond', near: [7.4214, 43.7345] }, tlp: 'green', distribution: community },
  { key: 'fire-station', owner: 'fire', name: 'Fontvieille fire station', type: 'fire-station', criticality: 4, place: { street: 'Avenue de Fontvieille', near: [7.4137, 43.7296] }, tlp: 'green', distribution: community },
  { key: 'camera-casino', owner: 'police', name: 'CCTV camera Place du Casino', type: 'camera', criticality: 2, place: { street: 'Place du Casino', near: [7.4276, 43.7392] }, tlp: 'amber', distribution: { scope: 'group', group: 'emergency-services' }, dependencies: [{ kind: 'monitors', asset: 'casino-square' }] },
  // Energy.
  { key: 'substation-fontvieille', owner: 'energy', name: 'Substation Fontvieille', type: 'substation', criticality: 5, place: { street: 'Avenue Albert II', near: [7.4154, 43.7289] }, attributes: { voltageKv: 63 }, tlp: 'green', distribution: community, dependencies: [{ kind: 'feeds', asset: 'hospital' }] },
  { key: 'substation-monte-carlo', owner: 'energy', name: 'Substation Monte-Carlo', type: 'substation', criticality: 4, place: { street: 'Avenue des Spélugues', near: [7.4295, 43.7402] }, attributes: { voltageKv: 20 }, tlp: 'green', distribution: community, dependencies: [{ kind: 'feeds', asset: 'station' }] },
  // Water network.
  { key: 'treatment-plant', owner: 'water', name: 'Larvotto water treatment plant', type: 'treatment-plant', criticality: 5, place: { street: 'Avenue Princesse Grace', near: [7.435, 43.745] }, attributes: { capacityM3PerDay: 24000 }, tlp: 'green', distribution: community },
  { key: 'reservoir-upper', owner: 'water', name: 'Moyenne Corniche reservoir', type: 'reservoir', criticality: 5, place: { street: 'Boulevard du Jardin Exotique', near: [7.4135, 43.731] }, attributes: { volumeM3: 12000 }, tlp: 'green', distribution: community },
  { key: 'pumping-station', owner: 'water', name: 'Sainte-Dévote pumping station', type: 'pumping-station', criticality: 5, place: { street: 'Boulevard Princesse Charlotte', near: [7.4235, 43.7405] }, tlp: 'green', distribution: community },
  { key: 'pu1', owner: 'water', name: 'Pump PU1', type: 'pump', criticality: 4, place: { street: 'Boulevard Princesse Charlotte', near: [7.4238, 43.7404] }, attributes: { scadaTag: 'S_PU1', ratedFlowLps: 90 }, tlp: 'green', distribution: community, dependencies: [{ kind: 'located-in', asset: 'pumping-station' }] },
  { key: 'pu2', owner: 'water', name: 'Pump PU2', type: 'pump', criticality: 4, place: { street: 'Boulevard Princesse Charlotte', near: [7.4241, 43.7405] }, attributes: { scadaTag: 'S_PU2', ratedFlowLps: 90 }, tlp: 'green', distribution: community, dependencies: [{ kind: 'located-in', asset: 'pumping-station' }] },
  { key: 't1', owner: 'water', name: 'Tank T1 Moneghetti', type: 'tank', criticality: 5, place: { street: 'Boulevard de Belgique', near: [7.4177, 43.7367] }, attributes: { scadaTag: 'L_T1', maxLevelM: 6.5 }, tlp: 'green', distribution: community, dependencies: [{ kind: 'supplies', asset: 'hospital' }] },
  { key: 't2', owner: 'water', name: 'Tank T2 Saint-Roman', type: 'tank', criticality: 4, place: { street: 'Avenue Princesse Grace', near: [7.4388, 43.7494] }, attributes: { scadaTag: 'L_T2', maxLevelM: 5.9 }, tlp: 'green', distribution: community },
  { key: 't3', owner: 'water', name: 'Tank T3 Fontvieille', type: 'tank', criticality: 4, place: { street: 'Avenue Albert II', near: [7.4165, 43.7283] }, attributes: { scadaTag: 'L_T3', maxLevelM: 6.75 }, tlp: 'green', distribution: community },
  { key: 'valve-v1', owner: 'water', name: 'Pressure reducing valve V1', type: 'valve', criticality: 3, place: { street: 'Avenue de la Costa', near: [7.4221, 43.7378] }, attributes: { scadaTag: 'S_V1' }, tlp: 'green', distribution: community },
  { key: 'plc1', owner: 'water', name: 'PLC1 pumping station', type: 'plc', criticality: 5, place: { street: 'Boulevard Princesse Charlotte', near: [7.4236, 43.7406] }, attributes: { vendor: 'Siemens', model: 'S7-1500', firmware: '2.9.4' }, tlp: 'amber', distribution: infra, dependencies: [{ kind: 'controls', asset: 'pu1' }, { kind: 'controls', asset: 'pu2' }] },
  { key: 'plc2', owner: 'water', name: 'PLC2 tank T1', type: 'plc', criticality: 4, place: { street: 'Boulevard de Belgique', near: [7.4179, 43.7368] }, attributes: { vendor: 'Schneider Electric', model: 'M580' }, tlp: 'amber', distribution: infra, dependencies: [{ kind: 'monitors', asset: 't1' }] },
  { key: 'plc3', owner: 'water', name: 'PLC3 tank T3', type: 'plc', criticality: 4, place: { street: 'Avenue Albert II', near: [7.4167, 43.7284] }, attributes: { vendor: 'Schneider Electric', model: 'M580' }, tlp: 'amber', distribution: infra, dependencies: [{ kind: 'monitors', asset: 't3' }] },
  { key: 'scada', owner: 'water', name: 'Water SCADA server', type: 'scada-server', criticality: 5, place: { street: 'Avenue Princesse Grace', near: [7.4352, 43.7452] }, attributes: { hostname: 'scada-01.water.city', address: '10.20.0.5' }, tlp: 'amber+strict', distribution: { scope: 'owner' }, dependencies: [{ kind: 'controls', asset: 'plc1' }, { kind: 'controls', asset: 'plc2' }, { kind: 'controls', asset: 'plc3' }] },
];

export interface DemoAlert {
  key: string;
  owner: string;
  minutesAgo: number;
  source: string;
  category: AlertCategory;
  severity: Severity;
  title: string;
  description: string;
  assets: string[];
  evidence: Record<string, unknown>;
  tlp: Tlp;
  distribution: DemoDistribution;
}

export const ALERTS: DemoAlert[] = [
  { key: 'scada-login', owner: 'water', minutesAgo: 47, source: 'scada-auth', category: 'cyber', severity: 'high', title: 'SCADA engineering login from an unknown address', description: 'Interactive login to the SCADA server from 203.0.113.45, outside the maintenance window.', assets: ['scada'], evidence: { user: 'eng-maint', sourceIp: '203.0.113.45', host: 'scada-01.water.city' }, tlp: 'amber+strict', distribution: { scope: 'owner' } },
  { key: 't1-level', owner: 'water', minutesAgo: 31, source: 'detector:scada-model', category: 'cyber-physical', severity: 'high', title: 'Tank T1 level inconsistent with pump flows', description: 'Reported level of T1 stays flat while PU1 and PU2 run; expected a rise of 0.6 m over the last hour.', assets: ['t1', 'plc2'], evidence: { datastreams: { L_T1: { observed: 3.12, expected: 3.74, unit: 'm' }, F_PU1: { observed: 88.1, unit: 'L/s' } } }, tlp: 'amber', distribution: { scope: 'orgs', orgs: ['cert', 'police'] } },
  { key: 'breaker', owner: 'energy', minutesAgo: 95, source: 'grid-scada', category: 'physical', severity: 'medium', title: 'Feeder breaker tripped at Substation Fontvieille', description: 'Feeder F3 tripped on overcurrent and reclosed after 4 s.', assets: ['substation-fontvieille'], evidence: { feeder: 'F3', currentA: 612 }, tlp: 'green', distribution: { scope: 'community' } },
  { key: 'crowd', owner: 'transit', minutesAgo: 12, source: 'crowd-counter', category: 'crowd', severity: 'medium', title: 'Crowd density high on platform 1', description: 'People counters report 3.1 persons/m² on platform 1 after two cancelled trains.', assets: ['station'], evidence: { densityPerM2: 3.1, threshold: 2.5 }, tlp: 'green', distribution: { scope: 'group', group: 'emergency-services' } },
  { key: 'phishing', owner: 'cert', minutesAgo: 240, source: 'cert-triage', category: 'cyber', severity: 'medium', title: 'Phishing campaign targeting utility engineers', description: 'Emails impersonating a PLC vendor ask engineers to install a "firmware update".', assets: [], evidence: { senderDomain: 'plc-vendor-support.example', subject: 'Urgent firmware update' }, tlp: 'clear', distribution: { scope: 'public' } },
  { key: 'bag', owner: 'police', minutesAgo: 8, source: 'patrol', category: 'physical', severity: 'high', title: 'Unattended bag near the casino entrance', description: 'Patrol reports an unattended backpack next to the fountain; area being cordoned.', assets: ['casino-square', 'camera-casino'], evidence: { reportedBy: 'patrol 12' }, tlp: 'red', distribution: { scope: 'orgs', orgs: ['fire'] } },
  { key: 'pressure', owner: 'hospital', minutesAgo: 20, source: 'bms', category: 'hazard', severity: 'medium', title: 'Water pressure drop at the hospital inlet', description: 'Inlet pressure fell from 4.2 bar to 2.9 bar within 15 minutes.', assets: ['hospital'], evidence: { pressureBar: { before: 4.2, now: 2.9 } }, tlp: 'amber', distribution: infra },
];

export interface DemoIncident {
  owner: string;
  title: string;
  description: string;
  severity: Severity;
  status: IncidentStatus;
  type: string;
  alerts: string[];
  assets: string[];
  notes: Array<{ by: string; text: string }>;
  tlp: Tlp;
  distribution: DemoDistribution;
}

export const INCIDENTS: DemoIncident[] = [
  {
    owner: 'water',
    title: 'Suspected manipulation of tank T1 level readings',
    description: 'A SCADA login from an unknown address was followed by T1 level readings that contradict the pump flows. The hospital is supplied from T1.',
    severity: 'high',
    status: 'response',
    type: 'scada-intrusion',
    alerts: ['scada-login', 't1-level'],
    assets: ['t1', 'plc2', 'hospital'],
    notes: [
      { by: 'water', text: 'Field crew sent to T1 to read the level gauge by hand.' },
      { by: 'cert', text: 'The source address belongs to a VPS range seen in the phishing campaign; please preserve the SCADA server logs.' },
    ],
    tlp: 'amber',
    distribution: { scope: 'orgs', orgs: ['cert', 'police'] },
  },
  {
    owner: 'police',
    title: 'Suspicious device at Place du Casino',
    description: 'Unattended bag at the casino entrance; 100 m cordon, bomb disposal requested.',
    severity: 'high',
    status: 'triage',
    type: 'suspicious-device',
    alerts: ['bag'],
    assets: ['casino-square'],
    notes: [{ by: 'fire', text: 'Engine 2 staged on Avenue des Spélugues.' }],
    tlp: 'red',
    distribution: { scope: 'orgs', orgs: ['fire'] },
  },
  {
    owner: 'energy',
    title: 'Feeder F3 instability at Substation Fontvieille',
    description: 'Repeated trips on feeder F3; the hospital is on this substation. Crew inspecting.',
    severity: 'medium',
    status: 'open',
    type: 'power-outage',
    alerts: ['breaker'],
    assets: ['substation-fontvieille'],
    notes: [],
    tlp: 'green',
    distribution: { scope: 'community' },
  },
];

export interface DemoIndicator {
  owner: string;
  id: string;
  name: string;
  description: string;
  pattern: string;
  tlp: Tlp;
  distribution: DemoDistribution;
}

/**
 * The CERT's threat intelligence on the phishing campaign: the sender domain for the whole community, and the
 * VPS address the campaign used, for the critical-infrastructure operators. The address is the one the SCADA
 * login came from, so the demo starts with a match (an alert and a sighting for the water utility).
 */
export const INDICATORS: DemoIndicator[] = [
  {
    owner: 'cert',
    id: 'indicator--4d3c2b1a-0f9e-4d8c-b7a6-958473625140',
    name: 'Phishing sender domain: fake PLC vendor support',
    description: 'Sends "urgent firmware update" mails to utility engineers.',
    pattern: "[domain-name:value = 'plc-vendor-support.example']",
    tlp: 'green',
    distribution: community,
  },
  {
    owner: 'cert',
    id: 'indicator--7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908',
    name: 'VPS address used by the phishing campaign',
    description: 'Hosts the fake firmware download; seen logging in to utility remote access.',
    pattern: "[ipv4-addr:value = '203.0.113.45']",
    tlp: 'amber',
    distribution: infra,
  },
];
