import type { ImpactReport } from './sim/impact.js';
import { formatDuration } from './sim/impact.js';
import type { SweepResult } from './sweep.js';

/** Elapsed simulation time as "h:mm" (hours may pass 24). */
export function clock(seconds: number): string {
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

const people = (n: number): string => Math.round(n).toLocaleString('en-GB');
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The summary a risk manager reads at the command line. */
export function formatReport(network: string, r: ImpactReport): string {
  const s = r.summary;
  const u = r.scenario.units;
  const lines: string[] = [];
  lines.push(`${network}: ${r.scenario.name} (${r.scenario.hours} h, ${r.scenario.demandModel}, service pressure ${r.scenario.servicePressure} ${u.pressure})`);
  lines.push(`status: ${r.status}`);
  if (r.failure) {
    const where = r.failure.element ? ` at ${r.failure.element.kind} ${r.failure.element.id}` : '';
    lines.push(`  ${r.failure.run} run stopped at ${clock(r.failure.time)}${where}: EPANET ${r.failure.code} ${r.failure.message}`);
  }
  lines.push(`people served (estimated from demand): ${people(s.population)}`);
  const at = s.peakPopulationWithoutService.at;
  lines.push(`without adequate pressure: peak ${people(s.peakPopulationWithoutService.scenario)} people${at !== null ? ` at ${clock(at)}` : ''} (normal operation ${people(s.peakPopulationWithoutService.baseline)}); ${people(s.populationAffected)} people at ${s.junctionsAffected} junctions affected; +${people(s.personHoursWithoutService.added)} person-hours`);
  lines.push(`water service availability: ${pct(s.waterServiceAvailability.scenario)} (normal ${pct(s.waterServiceAvailability.baseline)}); unserved demand +${people(s.unservedDemand.added)} ${s.unservedDemand.units}`);
  const tanks = r.tanks.filter((t) => t.emptiedAt !== null || t.fullAt !== null);
  if (tanks.length) {
    lines.push('tanks:');
    for (const t of tanks) {
      const parts: string[] = [];
      if (t.emptiedAt !== null) parts.push(`empty at ${clock(t.emptiedAt)} for ${t.hoursEmpty.toFixed(1)} h${t.baseline.emptiedAt !== null ? ' (also in normal operation)' : ''}`);
      if (t.fullAt !== null) parts.push(`full at ${clock(t.fullAt)} for ${t.hoursFull.toFixed(1)} h${t.baseline.fullAt !== null ? ' (also in normal operation)' : ''}`);
      lines.push(`  ${t.tank}: ${parts.join('; ')}`);
    }
  }
  if (r.criticalConsumers.length) {
    lines.push('critical consumers:');
    for (const c of r.criticalConsumers) lines.push(`  ${c.text}`);
  }
  if (r.contamination) {
    const c = r.contamination;
    lines.push(`${c.kind === 'age' ? 'water age' : 'contaminant'} above ${c.threshold} ${c.units}: ${c.junctionsExposed} junctions, ${people(c.populationExposed)} people (peak ${people(c.peakPopulationExposed)} at once)`);
    for (const f of c.firstArrival.slice(0, 5)) lines.push(`  reaches ${f.node} at ${clock(f.at)} (peak ${f.peak.toFixed(3)})`);
  }
  if (r.events.length) {
    lines.push('events:');
    for (const e of r.events) lines.push(`  ${clock(e.time)} ${e.event} (${e.type}) ${e.change}`);
  }
  if (r.warnings.count) {
    const w = r.warnings.first[0]!;
    lines.push(`engine warnings: ${r.warnings.count} (first at ${clock(w.time)}: ${w.message}${w.element ? ` — ${w.element.kind} ${w.element.id}` : ''})`);
  }
  const t = r.timing;
  lines.push(`computed in ${(t.wallMs / 1000).toFixed(2)} s (EPANET ${(t.engineMs / 1000).toFixed(2)} s, Vigil ${(t.vigilMs / 1000).toFixed(2)} s) for ${t.baselineReused ? 'the scenario (baseline reused)' : 'baseline and scenario'}`);
  return lines.join('\n');
}

export function formatSweep(network: string, r: SweepResult, top: number): string {
  const lines = [`${network}: ${r.kind} sweep, ${r.scenarios} scenarios on ${r.workers} worker threads in ${(r.wallMs / 1000).toFixed(1)} s`];
  lines.push('rank  score        people  +person-h  +unserved  WSA     scenario');
  for (const e of r.ranking.slice(0, top)) {
    if (e.status === 'error') {
      lines.push(`${String(e.rank).padStart(4)}  error: ${e.name}: ${e.error}`);
      continue;
    }
    lines.push(
      `${String(e.rank).padStart(4)}  ${e.impactScore.toFixed(0).padStart(10)}  ${people(e.populationAffected).padStart(8)}  ${people(e.personHoursAdded).padStart(9)}  ${people(e.unservedAdded).padStart(9)}  ${pct(e.waterServiceAvailability).padStart(6)}  ${e.name}${e.status !== 'completed' ? ` [${e.status}]` : ''}${e.tanksEmptied.length ? ` — empties ${e.tanksEmptied.join(', ')}` : ''}`,
    );
    for (const c of e.criticalConsumers) lines.push(`        ${c}`);
  }
  return lines.join('\n');
}

export { formatDuration };
