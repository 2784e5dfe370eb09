/**
 * Which alerts are a datastream's alarms: pure, shared by the server's query (`GET /datastreams/{id}/alerts`)
 * and the web application, which also places alerts arriving live on an open chart.
 *
 * An alert names a datastream when its evidence lists the datastream's id (`evidence.datastreamIds`, or a
 * `datastreamId` inside `evidence.datastreams`), or when it is an alert of the datastream's own organisation
 * whose `evidence.datastreams` has the datastream's key: keys are unique within an organisation only, so
 * another organisation's `L_T1` is another sensor.
 */
export interface AlarmCandidate {
  ownerOrgId: string;
  time: string;
  lastSeen: string;
  evidence: Record<string, unknown> | null;
}

export interface NamedStream {
  id: string;
  key: string;
  ownerOrgId: string;
}

export function alertNamesDatastream(alert: Pick<AlarmCandidate, 'ownerOrgId' | 'evidence'>, stream: NamedStream): boolean {
  const evidence = alert.evidence ?? {};
  const ids = evidence.datastreamIds;
  if (Array.isArray(ids) && ids.includes(stream.id)) return true;
  const byKey = evidence.datastreams;
  if (!byKey || typeof byKey !== 'object' || Array.isArray(byKey)) return false;
  if (alert.ownerOrgId === stream.ownerOrgId && Object.hasOwn(byKey, stream.key)) return true;
  return Object.values(byKey as Record<string, unknown>).some((v) => typeof v === 'object' && v !== null && (v as { datastreamId?: unknown }).datastreamId === stream.id);
}

/** An alert lasts from its first occurrence (`time`) to its last repeat (`lastSeen`); does that overlap [from, to]? */
export function alertOverlaps(alert: Pick<AlarmCandidate, 'time' | 'lastSeen'>, from: number, to: number): boolean {
  const start = Date.parse(alert.time);
  const end = Math.max(start, Date.parse(alert.lastSeen));
  return start <= to && end >= from;
}
