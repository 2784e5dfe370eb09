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
  /** Where it stands; water network assets have none here (the network places them). */
  place?: StreetPlace;
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
  // Water network. The utility's model is C-Town placed on Monaco (data-seed/water, loaded by ./water.ts): its
  // import creates every pump, tank, valve, source, PLC and the SCADA server, and links these hand-made
  // ones (same SCADA tag, PLC id or name), which give the names, details and labels the utility chose.
  // They have no place of their own: the network places them.
  { key: 'treatment-plant', owner: 'water', name: 'Larvotto water treatment plant', type: 'treatment-plant', criticality: 5, place: { street: 'Avenue Princesse Grace', near: [7.435, 43.745] }, attributes: { capacityM3PerDay: 24000 }, tlp: 'green', distribution: community },
  { key: 'pu1', owner: 'water', name: 'Pump PU1', type: 'pump', criticality: 4, attributes: { scadaTag: 'S_PU1', ratedFlowLps: 90 }, tlp: 'green', distribution: community },
  { key: 'pu2', owner: 'water', name: 'Pump PU2', type: 'pump', criticality: 4, attributes: { scadaTag: 'S_PU2', ratedFlowLps: 90 }, tlp: 'green', distribution: community },
  { key: 't1', owner: 'water', name: 'Tank T1 Moneghetti', type: 'tank', criticality: 5, attributes: { scadaTag: 'L_T1', maxLevelM: 6.5 }, tlp: 'green', distribution: community },
  { key: 't2', owner: 'water', name: 'Tank T2 Saint-Roman', type: 'tank', criticality: 4, attributes: { scadaTag: 'L_T2', maxLevelM: 5.9 }, tlp: 'green', distribution: community },
  { key: 't3', owner: 'water', name: 'Tank T3 Fontvieille', type: 'tank', criticality: 4, attributes: { scadaTag: 'L_T3', maxLevelM: 6.75 }, tlp: 'green', distribution: community },
  { key: 'valve-v1', owner: 'water', name: 'Pressure reducing valve V1', type: 'valve', criticality: 3, attributes: { scadaTag: 'S_V1' }, tlp: 'green', distribution: community },
  { key: 'plc1', owner: 'water', name: 'PLC1 pumping station', type: 'plc', criticality: 5, attributes: { plcId: 'PLC1', vendor: 'Siemens', model: 'S7-1500', firmware: '2.9.4' }, tlp: 'amber', distribution: infra },
  { key: 'plc2', owner: 'water', name: 'PLC2 tank T1', type: 'plc', criticality: 4, attributes: { plcId: 'PLC2', vendor: 'Schneider Electric', model: 'M580' }, tlp: 'amber', distribution: infra },
  { key: 'plc4', owner: 'water', name: 'PLC4 tank T3', type: 'plc', criticality: 4, attributes: { plcId: 'PLC4', vendor: 'Schneider Electric', model: 'M580' }, tlp: 'amber', distribution: infra },
  { key: 'scada', owner: 'water', name: 'Water SCADA server', type: 'scada-server', criticality: 5, attributes: { scadaId: 'SCADA', hostname: 'scada-01.water.city', address: '10.20.0.5' }, tlp: 'amber+strict', distribution: { scope: 'owner' } },
];

/** Datastreams (SCADA tags) on the water utility's assets; the other C-Town tags are created on first sight by a replay. */
export interface DemoDatastream {
  owner: string;
  asset: string;
  key: string;
  kind: string;
  unit: string;
  expectedRange?: { min: number; max: number };
}

export const DATASTREAMS: DemoDatastream[] = [
  { owner: 'water', asset: 't1', key: 'L_T1', kind: 'level', unit: 'm', expectedRange: { min: 0.25, max: 5.5 } },
  { owner: 'water', asset: 't2', key: 'L_T2', kind: 'level', unit: 'm', expectedRange: { min: 0.25, max: 5.7 } },
  { owner: 'water', asset: 't3', key: 'L_T3', kind: 'level', unit: 'm', expectedRange: { min: 2.5, max: 5.5 } },
  { owner: 'water', asset: 'pu1', key: 'F_PU1', kind: 'flow', unit: 'L/s' },
  { owner: 'water', asset: 'pu1', key: 'S_PU1', kind: 'status', unit: '' },
  { owner: 'water', asset: 'pu2', key: 'F_PU2', kind: 'flow', unit: 'L/s' },
  { owner: 'water', asset: 'pu2', key: 'S_PU2', kind: 'status', unit: '' },
  { owner: 'water', asset: 'valve-v1', key: 'S_V1', kind: 'status', unit: '' },
];

/** Detector settings (docs/detection.md) and the trained model they name. */
export const DETECTORS: Array<{ owner: string; model: string; detectors: unknown[] }> = [
  {
    owner: 'water',
    model: 'ctown',
    detectors: [
      { id: 'ctown', kind: 'scada-attack', datastreams: ['*'], model: 'ctown' },
      { id: 't1-level', kind: 'range', datastreams: ['L_T1'], min: 0.25, max: 5.5, severity: 'high' },
    ],
  },
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

/**
 * Response units, at their stations or on patrol, on real streets. Police cars share their positions with the
 * emergency services only (a police car's live position is not for everyone); fire engines are seen by all and
 * may also be dispatched by the police (mutual aid); the hospital's ambulances by the fire service and the police.
 */
export interface DemoUnit {
  owner: string;
  name: string;
  type: string;
  status: 'available' | 'out-of-service';
  /** Where it is: a street place, or null for a unit whose AVL terminal reports nothing. */
  place: StreetPlace | null;
  homeStation: string;
  dispatchers: string[];
  tlp: Tlp;
  distribution: DemoDistribution;
  attributes?: Record<string, unknown>;
}

const emergency: DemoDistribution = { scope: 'group', group: 'emergency-services' };
const fireStation: StreetPlace = { street: 'Avenue de Fontvieille', near: [7.4137, 43.7296] };
const hospital: StreetPlace = { street: 'Avenue Pasteur', near: [7.4133, 43.7317] };
const policeHq: StreetPlace = { street: 'Rue Suffren Reymond', near: [7.4214, 43.7345] };

export const UNITS: DemoUnit[] = [
  { owner: 'fire', name: 'Engine 1', type: 'fire-engine', status: 'available', place: fireStation, homeStation: 'fire-station', dispatchers: ['police'], tlp: 'green', distribution: community, attributes: { crew: 6, waterLitres: 3000 } },
  { owner: 'fire', name: 'Engine 2', type: 'fire-engine', status: 'available', place: { street: 'Avenue des Spélugues', near: [7.4295, 43.7402] }, homeStation: 'fire-station', dispatchers: ['police'], tlp: 'green', distribution: community, attributes: { crew: 6, staged: 'Place du Casino' } },
  { owner: 'fire', name: 'Ladder 1', type: 'ladder-truck', status: 'available', place: fireStation, homeStation: 'fire-station', dispatchers: ['police'], tlp: 'green', distribution: community, attributes: { ladderMetres: 32 } },
  { owner: 'fire', name: 'Rescue 1', type: 'rescue', status: 'out-of-service', place: fireStation, homeStation: 'fire-station', dispatchers: [], tlp: 'green', distribution: community, attributes: { note: 'pump maintenance until tomorrow' } },
  { owner: 'hospital', name: 'Ambulance 1', type: 'ambulance', status: 'available', place: hospital, homeStation: 'hospital', dispatchers: ['fire', 'police'], tlp: 'amber', distribution: emergency },
  { owner: 'hospital', name: 'Ambulance 2', type: 'ambulance', status: 'available', place: { street: 'Boulevard Princesse Charlotte', near: [7.4205, 43.74] }, homeStation: 'hospital', dispatchers: ['fire', 'police'], tlp: 'amber', distribution: emergency, attributes: { returning: true } },
  { owner: 'police', name: 'Police 1', type: 'police-car', status: 'available', place: policeHq, homeStation: 'police-hq', dispatchers: [], tlp: 'amber', distribution: emergency },
  { owner: 'police', name: 'Patrol 7', type: 'police-car', status: 'available', place: { street: 'Avenue Princesse Grace', near: [7.4388, 43.7494] }, homeStation: 'police-hq', dispatchers: [], tlp: 'amber', distribution: emergency },
  { owner: 'police', name: 'Patrol 12', type: 'police-car', status: 'available', place: { street: 'Boulevard de Belgique', near: [7.4177, 43.7367] }, homeStation: 'police-hq', dispatchers: [], tlp: 'amber', distribution: emergency },
  { owner: 'police', name: 'Patrol 9', type: 'police-car', status: 'available', place: null, homeStation: 'police-hq', dispatchers: [], tlp: 'amber', distribution: emergency, attributes: { note: 'AVL terminal under repair: no position' } },
  { owner: 'water', name: 'Water repair crew 1', type: 'repair-crew', status: 'available', place: { street: 'Avenue Princesse Grace', near: [7.435, 43.745] }, homeStation: 'treatment-plant', dispatchers: [], tlp: 'amber', distribution: infra, attributes: { crew: 3, skills: ['mains', 'valves', 'tank inspection'] } },
];

/** Roads closed in the demo city: the police cordon around the suspicious device at Place du Casino. */
export interface DemoClosure {
  owner: string;
  reason: string;
  /** The incident (by title) that closed the roads. */
  incident: string;
  /** A rectangle around a point, metres east-west and north-south. */
  around: [number, number];
  halfWidthM: number;
  halfHeightM: number;
  tlp: Tlp;
  distribution: DemoDistribution;
}

export const CLOSURES: DemoClosure[] = [
  {
    owner: 'police',
    reason: 'Police cordon: suspicious device at Place du Casino',
    incident: 'Suspicious device at Place du Casino',
    around: [7.428, 43.7395],
    halfWidthM: 90,
    halfHeightM: 80,
    tlp: 'green',
    distribution: community,
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
