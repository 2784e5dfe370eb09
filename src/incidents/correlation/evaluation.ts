/**
 * Scores a grouping of labelled alerts into incidents, the way docs/correlation.md defines it. The labels
 * are the ground truth of an evaluation data set; the engine never sees them.
 */
export interface StepScore {
  label: string;
  alerts: number;
  /** Incidents in which more than half of the alerts carry this label. */
  incidentsMostlyThis: number;
  /** The largest such incident, in alerts (0 when there is none). */
  largestIncident: number;
  recalled: boolean;
}

export interface GroupingScore {
  alerts: number;
  incidents: number;
  /** Alerts per incident. */
  compression: number;
  /** Share of all alerts that carry their incident's dominant label (each incident weighs its size). */
  purity: number;
  /** The same share averaged over incidents, each incident weighing one (small incidents count as much). */
  meanIncidentPurity: number;
  steps: StepScore[];
  /** Share of steps (labels other than the benign one) with at least one incident made mostly of them. */
  stepRecall: number;
}

export function scoreGrouping(labels: readonly string[], incidentOf: readonly string[], benign = 'false_positive'): GroupingScore {
  if (labels.length !== incidentOf.length) throw new Error('one label and one incident per alert');
  const byIncident = new Map<string, Map<string, number>>();
  const perLabel = new Map<string, number>();
  labels.forEach((label, i) => {
    const incident = incidentOf[i]!;
    let counts = byIncident.get(incident);
    if (!counts) byIncident.set(incident, (counts = new Map()));
    counts.set(label, (counts.get(label) ?? 0) + 1);
    perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
  });

  let dominantTotal = 0;
  let puritySum = 0;
  const mostly = new Map<string, { count: number; largest: number }>();
  for (const counts of byIncident.values()) {
    let size = 0;
    let top = 0;
    let topLabel = '';
    for (const [label, n] of counts) {
      size += n;
      if (n > top || (n === top && label < topLabel)) [top, topLabel] = [n, label];
    }
    dominantTotal += top;
    puritySum += top / size;
    if (top * 2 > size) {
      const m = mostly.get(topLabel) ?? { count: 0, largest: 0 };
      m.count++;
      m.largest = Math.max(m.largest, size);
      mostly.set(topLabel, m);
    }
  }
  const steps = [...perLabel]
    .filter(([label]) => label !== benign)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, alerts]) => {
      const m = mostly.get(label);
      return { label, alerts, incidentsMostlyThis: m?.count ?? 0, largestIncident: m?.largest ?? 0, recalled: Boolean(m) };
    });
  const incidents = byIncident.size;
  return {
    alerts: labels.length,
    incidents,
    compression: incidents ? labels.length / incidents : 0,
    purity: labels.length ? dominantTotal / labels.length : 0,
    meanIncidentPurity: incidents ? puritySum / incidents : 0,
    steps,
    stepRecall: steps.length ? steps.filter((s) => s.recalled).length / steps.length : 0,
  };
}

/**
 * Follows the engine's decisions to the final incident of every alert: an alert's incident may later be
 * merged into another, so merges are resolved like a union-find.
 */
export class IncidentLedger {
  private readonly incidentOfAlert = new Map<string, string>();
  private readonly mergedInto = new Map<string, string>();

  apply(decision: { kind: string; alertId?: string; incidentId: string; intoIncidentId?: string }): void {
    if (decision.kind === 'merge' && decision.intoIncidentId) this.mergedInto.set(decision.incidentId, decision.intoIncidentId);
    else if (decision.alertId !== undefined) this.incidentOfAlert.set(decision.alertId, decision.incidentId);
  }

  incidentOf(alertId: string): string | undefined {
    const first = this.incidentOfAlert.get(alertId);
    if (first === undefined) return undefined;
    let at = first;
    for (let next = this.mergedInto.get(at); next !== undefined; next = this.mergedInto.get(at)) at = next;
    if (at !== first) this.mergedInto.set(first, at);
    return at;
  }
}
