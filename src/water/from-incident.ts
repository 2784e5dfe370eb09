import { parseSignal, type PlcLayout } from './cyber/layout.js';
import type { WaterNetwork } from './network/model.js';
import type { CriticalConsumer, Scenario, ScenarioEvent } from './scenario/model.js';

/**
 * A first draft of a what-if scenario from an incident (pure: data in, data out): each asset of the
 * incident that is part of the water network becomes the event an attacker or a failure would most
 * plausibly cause there, starting now. The risk manager then edits the draft. Rules:
 *
 * - tank: its level signal is spoofed "full" at the instrument (the pumps filling it stop, it drains);
 *   in a contamination incident, the tank is contaminated instead;
 * - reservoir: contaminated in a contamination incident, otherwise left alone;
 * - pump: switched off by the attacker in a cyber incident, otherwise out of service (a power incident
 *   says so: cause "power");
 * - valve: closed by the attacker;
 * - PLC: a compromised PLC stops the pumps and valves it drives; a PLC that only reads tanks lies about
 *   them (spoofed full);
 * - an energy asset of the incident that feeds pumps of the network: those pumps lose power.
 * The network's critical consumers (hospitals, ...) become the scenario's.
 */
export interface IncidentAsset {
  id: string;
  name: string;
  type: string;
  /** The network element or controller this asset stands for, if any. */
  element?: { kind: string; ref: string };
  /** Pumps of the network this asset feeds (energy assets). */
  feedsPumps?: string[];
}

export interface IncidentDraftInput {
  incident: { id: string; title: string; type: string; description: string };
  assets: IncidentAsset[];
  network: WaterNetwork;
  layout: PlcLayout;
  consumers: CriticalConsumer[];
  hours: number;
}

export interface IncidentDraft {
  scenario: Scenario;
  /** Assets of the incident that gave no event, and why. */
  skipped: Array<{ assetId: string; name: string; reason: string }>;
}

const CONTAMINATION = /contamin|poison|chemical|toxic|pollut/i;
const CYBER = /cyber|scada|intrusion|malware|ransom|hack|plc|spoof|manipulat/i;
const POWER = /power|outage|electric|blackout|grid|substation|feeder/i;

export function draftFromIncident(input: IncidentDraftInput): IncidentDraft {
  const { incident, network, layout } = input;
  const text = `${incident.type} ${incident.title} ${incident.description}`;
  const contamination = CONTAMINATION.test(text);
  const cyber = CYBER.test(text);
  const power = POWER.test(text);
  const readSignals = new Set(layout.plcs.flatMap((p) => p.sensors));
  const tankMax = new Map(network.tanks.map((t) => [t.id, t.maxLevel]));
  const events: ScenarioEvent[] = [];
  const seen = new Set<string>();
  const skipped: IncidentDraft['skipped'] = [];
  const add = (key: string, event: ScenarioEvent): void => {
    if (seen.has(key)) return;
    seen.add(key);
    events.push({ ...event, id: `e${events.length + 1}`, start: { hour: 0 } });
  };
  const spoofFull = (tank: string, why: string): boolean => {
    const signal = `L_${tank}`;
    if (!readSignals.has(signal) || !tankMax.has(tank)) return false;
    add(`spoof:${signal}`, { type: 'sensor-spoof', signal, mode: 'constant', value: tankMax.get(tank)!, on: 'sensor', note: why });
    return true;
  };

  for (const a of input.assets) {
    const skip = (reason: string): void => void skipped.push({ assetId: a.id, name: a.name, reason });
    if (a.feedsPumps?.length) {
      add(`power:${a.id}`, { type: 'pump-failure', pumps: a.feedsPumps, cause: 'power', energyAssetId: a.id, note: `${a.name} feeds ${a.feedsPumps.join(', ')}: they lose power` });
      continue;
    }
    const e = a.element;
    if (!e) {
      skip('not part of this water network');
      continue;
    }
    switch (e.kind) {
      case 'water-tank':
        if (contamination) add(`contaminate:${e.ref}`, { type: 'contamination', node: e.ref, concentration: 10, note: `${a.name} contaminated` });
        else if (!spoofFull(e.ref, `${a.name}: its level reads full, so the pumps filling it stop`)) skip(`no PLC reads the level of ${e.ref}`);
        break;
      case 'water-reservoir':
        if (contamination) add(`contaminate:${e.ref}`, { type: 'contamination', node: e.ref, concentration: 10, note: `${a.name} contaminated` });
        else skip('a source is only affected in a contamination incident');
        break;
      case 'water-pump':
        if (cyber) add(`actuator:${e.ref}`, { type: 'actuator', link: e.ref, status: 'closed', note: `${a.name} switched off by the attacker` });
        else add(`pump:${e.ref}`, { type: 'pump-failure', pumps: [e.ref], cause: power ? 'power' : 'mechanical', note: `${a.name} out of service` });
        break;
      case 'water-valve':
        add(`actuator:${e.ref}`, { type: 'actuator', link: e.ref, status: 'closed', note: `${a.name} closed` });
        break;
      case 'plc': {
        const plc = layout.plcs.find((p) => p.id === e.ref);
        if (!plc) {
          skip(`${e.ref} is not in the PLC layout`);
          break;
        }
        const driven = plc.actuators.filter((l) => network.pumps.some((p) => p.id === l) || network.valves.some((v) => v.id === l));
        for (const link of driven) add(`actuator:${link}`, { type: 'actuator', link, status: 'closed', note: `${a.name} compromised: ${link} stopped` });
        const tanks = plc.sensors.flatMap((s) => {
          const ref = parseSignal(s);
          return ref?.kind === 'level' && tankMax.has(ref.element) ? [ref.element] : [];
        });
        if (driven.length === 0) for (const t of tanks) spoofFull(t, `${a.name} compromised: ${t} reads full`);
        if (driven.length === 0 && tanks.length === 0) skip(`${e.ref} drives no pump or valve and reads no tank level`);
        break;
      }
      default:
        skip(`a ${a.type} acts on nothing in the simulation; add events by hand`);
    }
  }
  const notes = skipped.map((s) => `${s.name}: ${s.reason}`);
  return {
    scenario: {
      name: `What if: ${incident.title}`.slice(0, 200),
      description: [`Drafted from incident "${incident.title}".`, ...(notes.length ? [`Not simulated: ${notes.join('; ')}.`] : [])].join(' '),
      hours: input.hours,
      criticalConsumers: input.consumers,
      ...(contamination ? { quality: { kind: 'chemical' as const, threshold: 0.01 } } : {}),
      events,
    },
    skipped,
  };
}
