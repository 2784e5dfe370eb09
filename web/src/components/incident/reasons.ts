// "Why this alert is here", in words, from incident_alerts.reason: a person's choice, a merge, or the
// correlation rules and the values the alert shares with the incident.
export function reasonText(reason: Record<string, unknown> | undefined): string {
  if (!reason) return '';
  const reasons = Array.isArray(reason.reasons) ? (reason.reasons as Array<Record<string, unknown>>) : [];
  if (reasons.length > 0) return reasons.map((r) => (typeof r.detail === 'string' ? r.detail : `${String(r.rule)}: ${String(r.value)}`)).join('; ');
  if (typeof reason.detail === 'string') return reason.detail;
  if (reason.rule === 'manual') return reason.merge ? 'merged in by a person' : 'added by a person';
  if (typeof reason.rule === 'string') return `rule ${reason.rule}${typeof reason.value === 'string' ? `: ${reason.value}` : ''}`;
  return '';
}
