// Simulation times and impact in plain words. Durations read as the server writes them (src/water/sim/impact.ts).
import type { CriticalConsumerImpact, Units } from './types';

/** "45 min", "6 h 11 min", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

/** A moment of the simulation: "day 1 · 16:15" (the simulation starts at 00:00 of day 1). */
export function simClock(seconds: number): string {
  const day = Math.floor(seconds / 86_400) + 1;
  const rest = seconds % 86_400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  return `day ${day} · ${hh}:${mm}`;
}

/** "at +16 h 15 min" since the start of the simulation, or "at the start". */
export function sinceStart(seconds: number): string {
  return seconds === 0 ? 'at the start' : `at +${formatDuration(seconds)}`;
}

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

export function people(n: number): string {
  return integer.format(Math.round(n));
}

export function amount(n: number): string {
  return Math.abs(n) >= 100 ? integer.format(n) : decimal.format(n);
}

export function percent(fraction: number): string {
  return `${decimal.format(fraction * 100)} %`;
}

/**
 * What happens to a critical consumer, said plainly: "Princess Grace Hospital drops below 20 m in 6 h 11 min"
 * (counted from the first event of the scenario). Without its threshold (a run's short summary) the server's
 * own sentence is used.
 */
export function consumerSentence(c: CriticalConsumerImpact, units: Pick<Units, 'pressure'> | null, hours?: number): string {
  if (c.minPressure === undefined || !units) return c.text;
  const main =
    c.timeToImpact === null
      ? `${c.name} keeps at least ${c.minPressure} ${units.pressure}${hours ? ` over the ${hours} h` : ''}`
      : `${c.name} drops below ${c.minPressure} ${units.pressure} in ${formatDuration(c.timeToImpact)}`;
  return main;
}

/** The contaminant's arrival at a critical consumer, or null when there is no quality run or it never arrives. */
export function arrivalSentence(c: CriticalConsumerImpact): string | null {
  if (c.contaminantArrival === undefined || c.contaminantArrival === null) return null;
  return `The contaminant reaches ${c.name} in ${formatDuration(c.contaminantArrival)}`;
}

export const RUN_STATUS_TEXT: Record<string, string> = {
  queued: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};
