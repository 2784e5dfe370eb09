import type { PlcLayout } from '../cyber/layout.js';
import type { WaterNetwork } from '../network/model.js';
import type { SimulationOutcome } from '../sim/simulate.js';

/** Messages between Vigil and its simulation worker threads. */
export type ToWorker =
  { type: 'simulate'; id: number; network: WaterNetwork; layout?: PlcLayout; scenario: unknown; keepSeries?: boolean; pack?: boolean; networkKey?: string; cancel: SharedArrayBuffer }
  | { type: 'check'; id: number; network: WaterNetwork };

export type FromWorker =
  | { type: 'progress'; id: number; fraction: number; note: string }
  | { type: 'result'; id: number; outcome: SimulationOutcome }
  | { type: 'checked'; id: number; problem: string | null }
  | { type: 'error'; id: number; error: { name: string; message: string; problems?: string[] } };
