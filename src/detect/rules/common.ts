import type { AlertCategory, AlertDraft, Deviation, Severity } from '../model.js';

/** What every rule detector shares: which streams it watches and how its drafts are labelled. */
export interface RuleIdentity {
  id: string;
  kind: string;
  datastreams: string[];
  severity?: Severity;
  category?: AlertCategory;
}

export function watchedStreams(datastreams: string[]): ReadonlySet<string> | 'all' {
  return datastreams.includes('*') ? 'all' : new Set(datastreams);
}

export function draft(
  rule: RuleIdentity,
  defaults: { severity: Severity; category?: AlertCategory },
  title: string,
  deviation: Deviation,
  summary: string,
): AlertDraft {
  return {
    detector: rule.id,
    category: rule.category ?? defaults.category ?? 'physical',
    severity: rule.severity ?? defaults.severity,
    title,
    dedupKey: `${rule.kind}:${rule.id}:${deviation.datastream}`,
    datastreams: [deviation.datastream],
    time: deviation.time,
    evidence: { summary, deviations: [deviation] },
  };
}

/** Numbers in titles: enough digits to read, not the float noise. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? n.toExponential(2) : String(Number(n.toPrecision(4)));
}
