import type { CorrelationSettings } from './settings.js';

/**
 * Bursts: the alerts one organisation receives about one asset, as long as they keep coming in their own
 * rhythm. A burst ends after a silence that is long for that rhythm (a few seconds for a scanner's flood,
 * up to half an hour for sparse physical alarms) or when alerts suddenly come far faster (a surge).
 */
export interface Burst {
  incidentId: string;
  start: number;
  last: number;
  count: number;
  /** How many alerts of each kind: the burst's "mix", compared when it ends (recurrence). */
  kinds: Map<string, number>;
  /** Times of the last SURGE_SPAN alerts, oldest first after `recentAt`. */
  recent: number[];
  recentAt: number;
  /** The alerts of the last SHIFT_WINDOW_MS (a ring of times and kinds) and their kind counts. */
  latestTimes: number[];
  latestKinds: string[];
  latestHead: number;
  latestMix: Map<string, number>;
}

/** What remains of past bursts on an asset, per incident: the mix and when it was last seen. */
export interface PastMix {
  incidentId: string;
  kinds: Map<string, number>;
  last: number;
}

export interface AssetTrack {
  ownerOrgId: string;
  assetId: string;
  burst: Burst | null;
  history: PastMix[];
  /** The incident and alert that last touched this asset, and when (for the dependency rule). */
  lastIncidentId: string;
  lastAlertId: string;
  lastTime: number;
}

const SURGE_SPAN = 8;
/** How much of a burst's recent past is compared with the rest, and how many alerts that takes at least. */
const SHIFT_WINDOW_MS = 5_000;
const SHIFT_MIN_ALERTS = 64;
const SHIFT_MAX_HELD = 4_096;
const MAX_KINDS = 64;
const MAX_HISTORY = 16;

export function startBurst(incidentId: string, time: number, kind: string): Burst {
  return {
    incidentId,
    start: time,
    last: time,
    count: 1,
    kinds: new Map([[kind, 1]]),
    recent: [time],
    recentAt: 0,
    latestTimes: [time],
    latestKinds: [kind],
    latestHead: 0,
    latestMix: new Map([[kind, 1]]),
  };
}

export function extendBurst(b: Burst, time: number, kind: string): void {
  b.last = Math.max(b.last, time);
  b.count++;
  addKind(b.kinds, kind, 1);
  if (b.recent.length < SURGE_SPAN) b.recent.push(time);
  else {
    b.recent[b.recentAt] = time;
    b.recentAt = (b.recentAt + 1) % SURGE_SPAN;
  }
  forgetLatest(b, time - SHIFT_WINDOW_MS);
  if (b.latestTimes.length - b.latestHead >= SHIFT_MAX_HELD) forgetLatest(b, Infinity, 1);
  b.latestTimes.push(time);
  b.latestKinds.push(kind);
  b.latestMix.set(kind, (b.latestMix.get(kind) ?? 0) + 1);
}

/** The silence that ends this burst: its own mean gap times the rhythm factor, within bounds. */
export function burstGap(b: Burst, s: CorrelationSettings['sameAsset']): number {
  if (b.count < 2) return s.quietGapMs;
  const meanGap = (b.last - b.start) / (b.count - 1);
  return Math.min(s.quietGapMs, Math.max(s.minGapMs, s.rhythmFactor * meanGap));
}

export function burstIsLive(b: Burst, time: number, s: CorrelationSettings['sameAsset']): boolean {
  return time - b.last <= burstGap(b, s);
}

/**
 * Whether an alert at `time` makes the last SURGE_SPAN alerts far faster than the burst was before them:
 * a flood starting on an asset that had a slow background. Only slow bursts (mean gap at least the minimum
 * gap) can surge, since timestamps in whole seconds make fast bursts look infinitely fast.
 */
export function isSurge(b: Burst, time: number, s: CorrelationSettings['sameAsset']): boolean {
  if (b.count < 2 * SURGE_SPAN) return false;
  const oldest = b.recent[b.recentAt]!;
  const priorMean = (oldest - b.start) / (b.count - SURGE_SPAN);
  if (priorMean < s.minGapMs) return false;
  const recentMean = (time - oldest) / SURGE_SPAN;
  return recentMean * s.surgeFactor < priorMean;
}

/** Drops the oldest held alerts older than `before` (at most `limit` of them), compacting now and then. */
function forgetLatest(b: Burst, before: number, limit = Infinity): void {
  let dropped = 0;
  while (b.latestHead < b.latestTimes.length && b.latestTimes[b.latestHead]! < before && dropped < limit) {
    const kind = b.latestKinds[b.latestHead]!;
    const left = b.latestMix.get(kind)! - 1;
    if (left === 0) b.latestMix.delete(kind);
    else b.latestMix.set(kind, left);
    b.latestHead++;
    dropped++;
  }
  if (b.latestHead > 1_024 && b.latestHead * 2 > b.latestTimes.length) {
    b.latestTimes = b.latestTimes.slice(b.latestHead);
    b.latestKinds = b.latestKinds.slice(b.latestHead);
    b.latestHead = 0;
  }
}

/**
 * Whether the alerts of the burst's last few seconds no longer look like the alerts before them: a
 * scanner finishing one tool and starting the next on the same server without pausing. Only floods have
 * enough alerts in a few seconds to judge; it is judged when the clock moves on, so that alerts sharing
 * one timestamp (delivered grouped by detector) are judged together.
 */
export function mixShifted(b: Burst, time: number, s: CorrelationSettings['sameAsset']): boolean {
  if (time <= b.last || s.shiftSimilarity === 0) return false;
  const held = b.latestTimes.length - b.latestHead;
  if (held < SHIFT_MIN_ALERTS || b.count - held < SHIFT_MIN_ALERTS) return false;
  forgetLatest(b, time - SHIFT_WINDOW_MS);
  if (b.latestTimes.length - b.latestHead < SHIFT_MIN_ALERTS) return false;
  const before = new Map<string, number>();
  for (const [k, n] of b.kinds) {
    const rest = n - (b.latestMix.get(k) ?? 0);
    if (rest > 0) before.set(k, rest);
  }
  return mixSimilarity(b.latestMix, before) < s.shiftSimilarity;
}

export function addKind(kinds: Map<string, number>, kind: string, by: number): void {
  const had = kinds.get(kind);
  if (had !== undefined) kinds.set(kind, had + by);
  else if (kinds.size < MAX_KINDS) kinds.set(kind, by);
}

/** Cosine similarity of two kind mixes: 1 for the same proportions, 0 for nothing in common. */
export function mixSimilarity(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  if (dot === 0) return 0;
  for (const w of b.values()) nb += w * w;
  return dot / Math.sqrt(na * nb);
}

/** The most frequent kinds of a mix, for the sentence a person reads ("ClamAV database update ×6"). */
export function describeMix(kinds: Map<string, number>, top = 3): string {
  const sorted = [...kinds].sort((x, y) => y[1] - x[1]);
  const shown = sorted.slice(0, top).map(([k, n]) => `${k} ×${n}`);
  return sorted.length > top ? `${shown.join(', ')} and ${sorted.length - top} more kinds` : shown.join(', ');
}

/** Remembers a finished burst's mix under its (final) incident, bounded in entries and age. */
export function rememberMix(track: AssetTrack, incidentId: string, b: Burst, horizonMs: number): void {
  let entry = track.history.find((h) => h.incidentId === incidentId);
  if (!entry) {
    entry = { incidentId, kinds: new Map(), last: b.last };
    track.history.push(entry);
  }
  for (const [k, n] of b.kinds) addKind(entry.kinds, k, n);
  entry.last = Math.max(entry.last, b.last);
  track.history = track.history.filter((h) => b.last - h.last <= horizonMs);
  if (track.history.length > MAX_HISTORY) {
    track.history.sort((x, y) => y.last - x.last);
    track.history.length = MAX_HISTORY;
  }
}
