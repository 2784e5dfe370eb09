/**
 * A what-if scenario on a water network: a list of cyber and physical events, each with a start and an
 * end condition, played over a horizon. JSON; documented in docs/water.md ("Scenario").
 */

/** When an event starts or ends. Conditions read the real state of the network, not what PLCs see. */
export type Condition =
  | { hour: number }
  /** Only as an end: hours after the event started. */
  | { afterHours: number }
  | { tank: string; levelBelow: number }
  | { tank: string; levelAbove: number }
  | { node: string; pressureBelow: number }
  | { node: string; pressureAbove: number };

interface EventTiming {
  /** Short name used in the report; defaults to "e1", "e2", ... */
  id?: string;
  note?: string;
  /** Default: the start of the simulation. */
  start?: Condition;
  /** Default: the end of the horizon. */
  end?: Condition;
}

/** What a PLC (or the SCADA server) sees of a signal differs from reality. */
export interface SensorSpoof extends EventTiming {
  type: 'sensor-spoof';
  signal: string;
  mode: 'constant' | 'offset' | 'replay';
  /** The constant reading, or the offset added to the real one. */
  value?: number;
  /** For replay: the window of earlier real readings played back in a loop, hours since the start. */
  replayFrom?: number;
  replayTo?: number;
  /**
   * Where the lie is injected: "sensor" (default: the instrument itself, so every reader sees it) or a
   * communication link "PLC2->PLC1" (only that receiver sees it).
   */
  on?: string;
}

/** An attacker drives a pump or valve directly; the PLC's commands are ignored meanwhile. */
export interface ActuatorManipulation extends EventTiming {
  type: 'actuator';
  link: string;
  status?: 'open' | 'closed';
  /** Pump relative speed (1 = nominal). */
  speed?: number;
  /** Valve setting, in the valve's own units. */
  setting?: number;
}

/** The logic in a PLC is altered: a control's threshold, its action, or the control disabled. */
export interface ControlChange extends EventTiming {
  type: 'control-change';
  /** Control ID as Vigil numbers them: "C1" is the first line of [CONTROLS]. */
  control: string;
  threshold?: number;
  action?: 'open' | 'closed' | number;
  disabled?: boolean;
}

/** Denial of service on a communication link: the receiver keeps the last values it got (stale). */
export interface LinkDenialOfService extends EventTiming {
  type: 'link-dos';
  from: string;
  /** Default: every link leaving `from`. */
  to?: string;
}

/** A pipe break or leak: water lost through an orifice (an EPANET emitter). */
export interface Leak extends EventTiming {
  type: 'leak';
  /** A junction, or ... */
  node?: string;
  /** ... a pipe, which is split at its middle where the leak is placed. */
  pipe?: string;
  emitterCoefficient?: number;
  /** Orifice area; converted with a discharge coefficient of 0.75 (as WNTR). */
  holeAreaCm2?: number;
}

/** A pipe taken out of service (closed), e.g. isolated for repair. */
export interface PipeClosure extends EventTiming {
  type: 'pipe-closure';
  pipe: string;
}

/** Pumps that cannot run: a mechanical fault or the loss of their power supply. */
export interface PumpFailure extends EventTiming {
  type: 'pump-failure';
  pumps: string[];
  cause?: 'mechanical' | 'power';
  /** The energy asset (substation, feeder) whose outage stops the pumps, for cascades. */
  energyAssetId?: string;
}

/** A contaminant enters at a tank, a source or a junction (EPANET single-species water quality). */
export interface Contamination extends EventTiming {
  type: 'contamination';
  node: string;
  /** Concentration of the water leaving the node (tanks, junctions) or of the source water (reservoirs). */
  concentration?: number;
  /** Mass injected per minute (mg/min for mg/L), e.g. by a pump pushing into the main. */
  massRate?: number;
}

export type ScenarioEvent =
  | SensorSpoof
  | ActuatorManipulation
  | ControlChange
  | LinkDenialOfService
  | Leak
  | PipeClosure
  | PumpFailure
  | Contamination;

export interface CriticalConsumer {
  node: string;
  name: string;
  /** The Vigil asset (hospital, school, ...) this junction serves. */
  assetId?: string;
  /** Pressure below which the consumer is out of service; default: the scenario's service pressure. */
  minPressure?: number;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Horizon in hours; default 24, at most MAX_HOURS. */
  hours?: number;
  /** 'PDA' (default): consumers get less water when pressure is low. 'DDA': as written in the network. */
  demandModel?: 'PDA' | 'DDA' | 'network';
  /** Pressure-driven demand: no water below `minimum`, full demand from `required` (network pressure units). */
  pressure?: { minimum?: number; required?: number; exponent?: number };
  /** Pressure below which a junction counts as without adequate service; default: the required pressure. */
  servicePressure?: number;
  quality?: { kind: 'chemical'; name?: string; units?: string; threshold?: number } | { kind: 'age'; thresholdHours?: number };
  criticalConsumers?: CriticalConsumer[];
  /** Water use per person used to estimate population from demand; default 757 L/day (WNTR's 200 gal). */
  litresPerPersonPerDay?: number;
  events: ScenarioEvent[];
}

export const MAX_HOURS = 24 * 14;
export const MAX_EVENTS = 200;
export const DEFAULT_HOURS = 24;
