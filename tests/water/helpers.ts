import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as epanet from 'epanet-js';
import { loadWorkspace } from '../../src/water/engine/epanet.js';
import { readInp, type PlcLayout, type WaterNetwork } from '../../src/water/index.js';

/** The part of EPANET's binary output the tests read (epanet-js's own typings do not resolve under NodeNext). */
export interface EpanetResults {
  results: {
    nodes: Array<{ id: string; head: number[]; pressure: number[] }>;
    links: Array<{ id: string; flow: number[] }>;
  };
}
const { Project } = epanet;
const readBinary = (epanet as unknown as { readBinary: (bytes: Uint8Array) => EpanetResults }).readBinary;

/** The shared evaluation data (networks from ../shared/data/epanet); tests that need it say so when absent. */
export const SHARED = fileURLToPath(new URL('../../../shared/data/epanet/', import.meta.url));
export const SEED = fileURLToPath(new URL('../../data-seed/water/', import.meta.url));
export const hasShared = existsSync(`${SHARED}Net1.inp`);

export function sharedText(name: string): string {
  return readFileSync(`${SHARED}${name}`, 'utf8');
}

export function seedText(name: string): string {
  return readFileSync(`${SEED}${name}`, 'utf8');
}

export function ctown(): { network: WaterNetwork; layout: PlcLayout } {
  return { network: readInp(seedText('ctown.inp')), layout: JSON.parse(seedText('ctown-plcs.json')) as PlcLayout };
}

/** EPANET's own full run of an .inp text (its controls inside the engine), read from its binary output. */
export async function epanetOwnRun(inpText: string, hours: number): Promise<EpanetResults> {
  const ws = await loadWorkspace();
  ws.writeFile('/reference.inp', inpText);
  const p = new Project(ws);
  p.open('/reference.inp', '/reference.rpt', '/reference.out');
  p.setTimeParameter(0, hours * 3600);
  p.solveH();
  p.saveH();
  p.close();
  return readBinary(ws.readFile('/reference.out', 'binary'));
}

/** A small network written for hand-checked metrics: reservoir → pipe → junction, metric units. */
export function tinyNetworkText(options: { tank?: boolean } = {}): string {
  const source = options.tank
    ? '[TANKS]\n T1 50 5 0 5 5 0\n\n[RESERVOIRS]\n'
    : '[RESERVOIRS]\n R1 50\n\n[TANKS]\n';
  const from = options.tank ? 'T1' : 'R1';
  return `[TITLE]
tiny
[JUNCTIONS]
 J1 0 10
 J2 0 0
${source}
[PIPES]
 P1 ${from} J1 10 1000 130 0 Open
 P2 J1 J2 10 300 130 0 Open
[TIMES]
 Duration 8:00
 Hydraulic Timestep 0:15
 Report Timestep 0:15
 Pattern Timestep 1:00
[OPTIONS]
 Units LPS
 Headloss H-W
[COORDINATES]
 J1 0 0
 J2 100 0
 ${from} -100 0
[END]
`;
}
