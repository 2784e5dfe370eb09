// What a run did to the city, in the order a risk manager asks: who critical loses water and when, how many
// people and for how long, how much water was not delivered, which tanks ran dry or overflowed, how far a
// contaminant went. Figures are against normal operation (the baseline) over the same horizon.
import { Link } from '../router';
import { store } from '../state/store';
import { amount, arrivalSentence, consumerSentence, formatDuration, people, percent, simClock, sinceStart } from './format';
import { SimChart } from './SimChart';
import type { RunImpact } from './types';

export interface ImpactProps {
  impact: RunImpact;
  cursor: number | null;
  /** Moves the animation to a moment (the nearest frame; `atOrAfter`: the first frame that shows it). */
  onPick: (seconds: number, atOrAfter?: boolean) => void;
  onChart: (element: { node: string; label: string }) => void;
}

/** The events of the run as spans from their start to their end (or the horizon). */
export function eventSpans(impact: RunImpact): Array<{ from: number; to: number; label: string }> {
  const end = impact.scenario.hours * 3600;
  const spans: Array<{ from: number; to: number; label: string }> = [];
  for (const e of impact.events) {
    if (e.change !== 'started') continue;
    const ended = impact.events.find((x) => x.event === e.event && x.change === 'ended' && x.time >= e.time);
    spans.push({ from: e.time, to: ended?.time ?? end, label: `${e.event} (${e.type})` });
  }
  return spans;
}

export function CriticalConsumers({ impact, onPick }: Pick<ImpactProps, 'impact' | 'onPick'>) {
  const units = impact.scenario.units;
  const firstEvent = impact.events.find((e) => e.change === 'started')?.time ?? 0;
  if (impact.criticalConsumers.length === 0) return <p className="muted">The scenario names no critical consumer (hospital, school, …): add one to see its time to impact.</p>;
  return (
    <ul className="consumers" data-testid="critical-consumers">
      {impact.criticalConsumers.map((c) => {
        const hit = c.timeToImpact !== null;
        const asset = c.assetId ? store.assets.get(c.assetId) : undefined;
        const arrival = arrivalSentence(c);
        return (
          <li key={c.node} className={hit ? 'consumer hit' : 'consumer safe'}>
            <p className="consumer-sentence">{consumerSentence(c, units, impact.scenario.hours)}</p>
            <p className="meta">
              Junction {c.node}
              {asset && (
                <>
                  {' · '}
                  <Link to={`/assets/${asset.id}`}>{asset.name}</Link>
                </>
              )}
              {hit && c.firstBelowAt != null && (
                <>
                  {' · '}counted from the first event ({sinceStart(firstEvent)}); below from {simClock(c.firstBelowAt)}{' '}
                  <button type="button" className="small" onClick={() => onPick(c.firstBelowAt!, true)}>
                    Show on the map
                  </button>
                </>
              )}
              {c.baselineFirstBelowAt != null && ` · in normal operation too, from ${simClock(c.baselineFirstBelowAt)}`}
            </p>
            {arrival && <p className="consumer-sentence contaminant">{arrival}</p>}
          </li>
        );
      })}
    </ul>
  );
}

export function ImpactFigures({ impact }: { impact: RunImpact }) {
  const s = impact.summary;
  const peak = s.peakPopulationWithoutService;
  const figure = (label: string, value: string, detail: string, testid?: string) => (
    <div className="figure" data-testid={testid}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
      <span className="muted small-text">{detail}</span>
    </div>
  );
  return (
    <div className="figures">
      {figure('people lose adequate pressure', people(s.populationAffected), `of ${people(s.population)} served · ${s.junctionsAffected} junctions, unlike normal operation`, 'people-affected')}
      {figure('at worst, at once', people(peak.scenario), peak.at !== null ? `at ${simClock(peak.at)} (normal operation: ${people(peak.baseline)})` : 'never')}
      {figure('person-hours without service', people(s.personHoursWithoutService.added), `added to normal operation's ${people(s.personHoursWithoutService.baseline)}`)}
      {figure('water service availability', percent(s.waterServiceAvailability.scenario), `normal operation: ${percent(s.waterServiceAvailability.baseline)}`)}
      {figure('demand not delivered', `${amount(s.unservedDemand.added)} ${s.unservedDemand.units}`, `more than normal operation (${amount(s.unservedDemand.baseline)} ${s.unservedDemand.units})`)}
      {impact.contamination &&
        figure(
          impact.contamination.kind === 'age' ? 'people get old water' : 'people exposed to the contaminant',
          people(impact.contamination.populationExposed),
          `${impact.contamination.junctionsExposed} junctions above ${impact.contamination.threshold} ${impact.contamination.units}; at worst ${people(impact.contamination.peakPopulationExposed)} at once`,
        )}
    </div>
  );
}

export function TanksTable({ impact, onPick, onChart }: Pick<ImpactProps, 'impact' | 'onPick' | 'onChart'>) {
  const units = impact.scenario.units;
  const when = (t: number | null, hours: number, baseline: number | null) =>
    t === null ? (
      <span className="muted">never</span>
    ) : (
      <>
        <button type="button" className="link-button" onClick={() => onPick(t, true)}>
          {simClock(t)}
        </button>{' '}
        <span className="muted">for {formatDuration(hours * 3600)}</span>
        {baseline !== null && <span className="muted"> (normal operation too)</span>}
      </>
    );
  return (
    <table className="list compact" data-testid="tanks">
      <thead>
        <tr>
          <th scope="col">Tank</th>
          <th scope="col">Emptied</th>
          <th scope="col">Full (overflowing)</th>
          <th scope="col">Level ({units.length})</th>
        </tr>
      </thead>
      <tbody>
        {impact.tanks.map((t) => (
          <tr key={t.tank} className={t.emptiedAt !== null && t.baseline.emptiedAt === null ? 'worse' : ''}>
            <td>
              <button type="button" className="link-button" onClick={() => onChart({ node: t.tank, label: `Tank ${t.tank}` })} title="Chart its level">
                {t.tank}
              </button>
            </td>
            <td>{when(t.emptiedAt, t.hoursEmpty, t.baseline.emptiedAt)}</td>
            <td>{when(t.fullAt, t.hoursFull, t.baseline.fullAt)}</td>
            <td>
              {amount(Math.max(0, t.minLevel))} – {amount(t.maxLevel)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ServiceTimeline({ impact, cursor, onPick }: Pick<ImpactProps, 'impact' | 'cursor' | 'onPick'>) {
  const tl = impact.timeline;
  const series = [
    { label: 'scenario', colour: '#ff6b6b', values: tl.populationWithoutService.scenario },
    { label: 'normal operation', colour: '#8da2b5', values: tl.populationWithoutService.baseline, dashed: true },
  ];
  if (tl.populationExposed) series.push({ label: 'exposed to the contaminant', colour: '#e040fb', values: tl.populationExposed });
  return <SimChart title="People without adequate pressure" unit="people" times={tl.times} series={series} spans={eventSpans(impact)} cursor={cursor} onPick={onPick} />;
}

export function WorstJunctions({ impact, onChart }: Pick<ImpactProps, 'impact' | 'onChart'>) {
  const worst = [...impact.junctions].sort((a, b) => b.hoursWithoutService * b.population - a.hoursWithoutService * a.population).slice(0, 8);
  if (worst.length === 0) return <p className="muted">No junction lost service or saw the contaminant.</p>;
  return (
    <table className="list compact">
      <thead>
        <tr>
          <th scope="col">Junction</th>
          <th scope="col">People</th>
          <th scope="col">Without service</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        {worst.map((j) => (
          <tr key={j.node}>
            <td>
              <button type="button" className="link-button" onClick={() => onChart({ node: j.node, label: `Junction ${j.node}` })} title="Chart its pressure">
                {j.node}
              </button>
            </td>
            <td>{people(j.population)}</td>
            <td>{formatDuration(j.hoursWithoutService * 3600)}</td>
            <td>{j.firstBelowAt === null ? '—' : simClock(j.firstBelowAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EventList({ impact, onPick }: Pick<ImpactProps, 'impact' | 'onPick'>) {
  return (
    <ol className="plain event-list">
      {impact.events.map((e, i) => (
        <li key={i}>
          <button type="button" className="link-button" onClick={() => onPick(e.time)}>
            {simClock(e.time)}
          </button>{' '}
          {e.event} <span className="muted">({e.type})</span> {e.change}
        </li>
      ))}
    </ol>
  );
}
