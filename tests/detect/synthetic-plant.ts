/**
 * A tiny simulated water plant for tests: one tank filled by a pump under hysteresis control, a daily
 * demand pattern, a discharge pressure that follows pump state and tank level, and an idle standby pump.
 * Deterministic (seeded), hourly.
 */
import type { ScadaTable } from '../../src/detect/index.js';

export const TAGS = ['L_T1', 'F_PU1', 'S_PU1', 'P_J1', 'S_PU2'];
export const H = 3_600_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulatePlant(hours: number, start: number, seed: number): ScadaTable {
  const random = rng(seed);
  const noise = (s: number) => (random() + random() + random() - 1.5) * s;
  let level = 3;
  let on = false;
  const times: number[] = [];
  const rows: Float64Array[] = [];
  for (let i = 0; i < hours; i++) {
    const time = start + i * H;
    const hour = new Date(time).getUTCHours();
    if (level < 2) on = true;
    if (level > 4) on = false;
    const flow = on ? 20 + noise(0.5) : 0;
    const demand = 10 + 4 * Math.sin((2 * Math.PI * hour) / 24) + noise(0.5);
    const pressure = (on ? 30 : 12) + 2 * level + noise(0.2);
    rows.push(Float64Array.from([level, flow, on ? 1 : 0, pressure, 0].map((v) => Math.round(v * 100) / 100)));
    times.push(time);
    level = Math.min(6, Math.max(0, level + 0.08 * (flow - demand)));
  }
  return { tags: [...TAGS], times, rows };
}

/** Copy of a table with some rows changed. */
export function tamper(table: ScadaTable, from: number, to: number, change: (row: Float64Array, i: number) => void): ScadaTable {
  const rows = table.rows.map((r, i) => {
    const copy = Float64Array.from(r);
    if (i >= from && i <= to) change(copy, i);
    return copy;
  });
  return { ...table, rows };
}
