import type { PlcLayout } from '../../src/water/index.js';

/**
 * A small town for API tests, quick to simulate: a source pumps into tank T1 (PLC1 drives the pumps on
 * T1's level, which PLC2 reads and sends), the tank feeds three junctions. Metric units, coordinates in
 * metres. Without its pump the tank empties in about ten hours and the town loses pressure.
 */
export function townInp(options: { extraJunction?: boolean } = {}): string {
  return `[TITLE]
Small town
[JUNCTIONS]
 J1 10 0
 J2 10 5
 J3 10 5
 J4 5 3
${options.extraJunction ? ' J5 5 1\n' : ''}
[RESERVOIRS]
 R1 0
[TANKS]
 T1 40 3 0 6 15 0
[PIPES]
 P1 J1 T1 500 300 130 0 Open
 P2 T1 J2 800 250 130 0 Open
 P3 J2 J3 600 150 130 0 Open
 P4 J2 J4 400 150 130 0 Open
 P5 J3 J4 500 100 130 0 Open
${options.extraJunction ? ' P6 J4 J5 300 100 130 0 Open\n' : ''}
[PUMPS]
 PU1 R1 J1 HEAD 1
 PU2 R1 J1 HEAD 1
[CURVES]
 1 50 60
[PATTERNS]
 1 0.8 1.0 1.2 1.4 1.0 0.6
[CONTROLS]
 LINK PU1 OPEN IF NODE T1 BELOW 2
 LINK PU1 CLOSED IF NODE T1 ABOVE 5
[STATUS]
 PU2 Closed
[TIMES]
 Duration 24:00
 Hydraulic Timestep 0:15
 Report Timestep 0:15
 Pattern Timestep 4:00
[OPTIONS]
 Units LPS
 Headloss H-W
 Pattern 1
[COORDINATES]
 R1 0 0
 J1 100 0
 T1 200 0
 J2 300 0
 J3 400 100
 J4 400 -100
${options.extraJunction ? ' J5 500 -100\n' : ''}
[END]
`;
}

export const townLayout: PlcLayout = {
  network: 'Small town',
  scada: { id: 'SCADA', name: 'Town SCADA', site: 'R1' },
  plcs: [
    { id: 'PLC1', name: 'Pumping station', site: 'PU1', sensors: ['S_PU1', 'F_PU1'], actuators: ['PU1', 'PU2'] },
    { id: 'PLC2', name: 'Tank T1', site: 'T1', sensors: ['L_T1'], actuators: [] },
  ],
  links: [
    { from: 'PLC2', to: 'PLC1', signals: ['L_T1'] },
    { from: 'PLC2', to: 'SCADA', signals: ['L_T1'] },
    { from: 'PLC1', to: 'SCADA', signals: ['S_PU1', 'F_PU1'] },
  ],
};

/** Near the demo city, a few hundred metres across. */
export const townPlacement = { centre: { lon: 7.42, lat: 43.736 }, metresPerUnit: 1 };
