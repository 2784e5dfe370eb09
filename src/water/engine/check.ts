import type { WaterNetwork } from '../network/model.js';
import { writeInp } from '../network/write.js';
import { EngineSession } from './epanet.js';

/**
 * Whether EPANET accepts a network as Vigil will hand it over (without its controls, which Vigil's PLCs
 * run): null, or EPANET's own words for what it refuses. Checked at import, so a network that cannot run
 * is refused then and not at its first simulation.
 */
export async function engineRefusal(network: WaterNetwork): Promise<string | null> {
  try {
    const session = await EngineSession.open(writeInp(network, { withoutControls: true }));
    session.close();
    return null;
  } catch (error) {
    if ((error as Error).name === 'EngineError') return (error as Error).message;
    throw error;
  }
}
