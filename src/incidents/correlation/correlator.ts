import {
  burstIsLive,
  describeMix,
  extendBurst,
  isSurge,
  mixShifted,
  mixSimilarity,
  rememberMix,
  startBurst,
  type AssetTrack,
} from './bursts.js';
import { DependencyGraph } from './dependencies.js';
import { Exclusions } from './exclusions.js';
import { isGeoPoint, placeLabel } from './geo.js';
import { extractIndicators, indicatorKey, normaliseIp } from './indicators.js';
import {
  combineCategory,
  type AlertCategory,
  type CorrelationAlert,
  type CorrelationAsset,
  type CorrelationDecision,
  type CorrelationReason,
  type GeoPoint,
  type IgnoredValue,
  type OpenIncident,
} from './model.js';
import {
  memoryHorizonMs,
  resolveSettings,
  type CorrelationSettings,
  type CorrelationSettingsInput,
} from './settings.js';
import { IndicatorMemory, PlaceMemory, type Sighting } from './sightings.js';

export interface CorrelatorOptions {
  assets?: Iterable<CorrelationAsset>;
  /** Incidents already open, with their alerts: the engine picks up where it left off. */
  openIncidents?: Iterable<OpenIncident>;
  settings?: { defaults?: CorrelationSettingsInput; byOrganisation?: Record<string, CorrelationSettingsInput> };
  /** Values that never correlate (see exclusions.ts for the forms). */
  exclusions?: readonly string[];
  /** An indicator seen in more alerts than this within its window stops correlating (MISP: 100). */
  cap?: number;
  newIncidentId?: () => string;
}

export class CorrelationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorrelationInputError';
  }
}

interface IncidentState {
  id: string;
  ownerOrgId: string;
  category: AlertCategory;
  created: number;
  lastTime: number;
  /** Grown by anything but one asset's bursts (another rule, a merge, a warm start): never a mere repeat. */
  linked: boolean;
}

interface RecordHow {
  assetIds: readonly string[];
  indicatorKeys: string[];
  point: GeoPoint | null;
  settings: CorrelationSettings;
  /** The alert opened the incident (rather than joining it). */
  opened: boolean;
  /** The alert joined through another rule than its own asset's burst. */
  viaOtherRule: boolean;
}

interface Candidate {
  incidentId: string;
  strength: number;
  rule: keyof typeof STRENGTH;
  value: string;
  alertId: string;
  /** Written only for the reasons kept: formatting every candidate's sentence would cost more than correlating. */
  detail: () => string;
}

const STRENGTH = { 'same-asset': 4, 'asset-dependency': 3, 'shared-indicator': 2, 'place-time': 1 } as const;
const SWEEP_EVERY = 4_096;

/**
 * The streaming correlation engine: one alert in, decisions out (open an incident, attach to one, merge
 * two), each with the rule and the shared value that justify it. Memory is bounded by the rules' windows:
 * anything older than the longest window is forgotten. Pure: no clock, no I/O; time comes from the alerts
 * (and from `advance(now)`).
 */
export class Correlator {
  private readonly settingsByOrg = new Map<string, CorrelationSettings>();
  private readonly ruleSets = new WeakMap<CorrelationSettings, ReadonlySet<string>>();
  private readonly defaults: CorrelationSettings;
  private readonly overrides: Record<string, CorrelationSettingsInput>;
  private readonly exclusions: Exclusions;
  private readonly newIncidentId: () => string;
  private graph = new DependencyGraph([]);
  private identities = new Map<string, Set<string>>();
  private readonly incidents = new Map<string, IncidentState>();
  private readonly aliases = new Map<string, string>();
  /** Asset tracks by organisation, then asset. */
  private readonly tracks = new Map<string, Map<string, AssetTrack>>();
  private readonly openBursts = new Set<AssetTrack>();
  private readonly indicators: IndicatorMemory;
  private readonly places: PlaceMemory;
  private readonly horizonMs: number;
  private watermark = -Infinity;
  private sinceSweep = 0;
  private created = 0;

  constructor(options: CorrelatorOptions = {}) {
    this.defaults = resolveSettings(options.settings?.defaults, undefined, 'settings.defaults');
    this.overrides = options.settings?.byOrganisation ?? {};
    const all = [this.defaults];
    for (const org of Object.keys(this.overrides)) all.push(this.settingsFor(org));
    this.places = new PlaceMemory(Math.max(...all.map((s) => s.placeTime.radiusMetres)));
    this.horizonMs = Math.max(...all.map(memoryHorizonMs));
    this.exclusions = new Exclusions(options.exclusions ?? []);
    const cap = options.cap ?? 100;
    if (!Number.isInteger(cap) || cap < 1) throw new CorrelationInputError('cap must be a positive integer');
    this.indicators = new IndicatorMemory(cap);
    let n = 0;
    this.newIncidentId = options.newIncidentId ?? (() => `incident-${++n}`);
    this.setAssets(options.assets ?? []);
    for (const { incidentId, alert } of seedOrder(options.openIncidents ?? [])) this.remember(alert, incidentId);
  }

  /** Replaces the asset registry (dependencies and identities) when assets change. */
  setAssets(assets: Iterable<CorrelationAsset>): void {
    const list = [...assets];
    this.graph = new DependencyGraph(list);
    this.identities = new Map();
    for (const a of list) {
      const own = new Set<string>([a.id.toLowerCase()]);
      for (const v of [a.name, ...(a.identifiers ?? [])]) if (v) own.add(normaliseIp(v) ?? v.trim().toLowerCase());
      this.identities.set(a.id, own);
    }
  }

  /** Correlates one alert. Also returns merges of bursts that ended meanwhile (recurrence). */
  correlate(alert: CorrelationAlert): CorrelationDecision[] {
    checkAlert(alert);
    const decisions: CorrelationDecision[] = [];
    if (++this.sinceSweep >= SWEEP_EVERY) decisions.push(...this.advance(this.watermark));
    this.watermark = Math.max(this.watermark, alert.time);
    const s = this.settingsFor(alert.ownerOrgId);
    const rules = this.rulesOf(s);
    const orgs = s.partners.length === 0 ? [alert.ownerOrgId] : [alert.ownerOrgId, ...s.partners];
    const assetIds = this.exclusions.hasAssets ? alert.assetIds.filter((id) => !this.exclusions.excludesAsset(id)) : alert.assetIds;
    const candidates: Candidate[] = [];
    const ignored: IgnoredValue[] = [];

    // Same asset: the alert continues a live burst, unless it surges out of a slow one or changes its mix.
    for (const assetId of assetIds) {
      const track = this.tracks.get(alert.ownerOrgId)?.get(assetId);
      const burst = track?.burst;
      if (!track || !burst) continue;
      if (!burstIsLive(burst, alert.time, s.sameAsset) || isSurge(burst, alert.time, s.sameAsset) || mixShifted(burst, alert.time, s.sameAsset)) {
        this.closeBurst(track, decisions);
        continue;
      }
      if (!rules.has('same-asset')) continue;
      const count = burst.count;
      candidates.push(this.candidate(burst.incidentId, 'same-asset', assetId, track.lastAlertId, () => `${count} alert(s) on ${assetId} in one burst`));
    }
    if (rules.has('asset-dependency')) this.dependencyCandidates(alert, assetIds, orgs, s, candidates);
    const indicatorKeys = rules.has('shared-indicator') ? this.indicatorCandidates(alert, orgs, s, candidates, ignored) : [];
    const point = rules.has('place-time') && isGeoPoint(alert.location) ? alert.location : null;
    if (point) this.placeCandidates(alert, point, assetIds, orgs, s, candidates);

    const live = candidates.filter((c) => this.incidents.has(c.incidentId));
    const opened = live.length === 0;
    const incidentId = opened ? this.open(alert) : this.join(alert, live, decisions);
    const viaOtherRule = !opened && !live.some((c) => c.rule === 'same-asset' && c.incidentId === incidentId);
    this.record(alert, incidentId, { assetIds, indicatorKeys, point, settings: s, opened, viaOtherRule }, decisions);
    const incident = this.incidents.get(incidentId)!;
    const reasons = live.filter((c) => c.incidentId === incidentId).map(reasonOf);
    decisions.push(
      live.length > 0
        ? { kind: 'attach', alertId: alert.id, incidentId, category: incident.category, reasons, ignored }
        : { kind: 'open', alertId: alert.id, incidentId, category: incident.category, reasons: [], ignored },
    );
    return decisions;
  }

  /**
   * Ends every burst that has been silent for longer than its gap at `now`; returns recurrence merges.
   * Forgetting follows the alerts' own time, not `now`, so late-arriving alerts still find their context.
   */
  advance(now: number): CorrelationDecision[] {
    this.sinceSweep = 0;
    const decisions: CorrelationDecision[] = [];
    for (const track of [...this.openBursts]) {
      const s = this.settingsFor(track.ownerOrgId).sameAsset;
      if (track.burst && !burstIsLive(track.burst, now, s)) this.closeBurst(track, decisions);
    }
    this.forgetBefore(Math.min(now, this.watermark) - this.horizonMs);
    return decisions;
  }

  /** Ends every burst (the end of a replay). */
  flush(): CorrelationDecision[] {
    const decisions: CorrelationDecision[] = [];
    for (const track of [...this.openBursts]) this.closeBurst(track, decisions);
    return decisions;
  }

  /** The platform closed an incident: nothing joins it any more. */
  closeIncident(incidentId: string): void {
    this.incidents.delete(this.resolve(incidentId));
  }

  /** A person merged two incidents: correlate into the one that remains. */
  mergeIncidents(incidentId: string, intoIncidentId: string): void {
    const from = this.resolve(incidentId);
    const into = this.resolve(intoIncidentId);
    if (from === into) return;
    const target = this.incidents.get(into);
    const source = this.incidents.get(from);
    if (target && source) {
      target.category = combineCategory(target.category, source.category);
      target.lastTime = Math.max(target.lastTime, source.lastTime);
    }
    if (target) target.linked = true;
    this.incidents.delete(from);
    this.aliases.set(from, into);
  }

  /** How much the engine holds, for monitoring its memory. */
  size(): { incidents: number; assets: number; indicators: number; places: number } {
    let assets = 0;
    for (const byAsset of this.tracks.values()) assets += byAsset.size;
    return { incidents: this.incidents.size, assets, indicators: this.indicators.size, places: this.places.size };
  }

  private rulesOf(s: CorrelationSettings): ReadonlySet<string> {
    let rules = this.ruleSets.get(s);
    if (!rules) this.ruleSets.set(s, (rules = new Set(s.rules)));
    return rules;
  }

  private settingsFor(org: string): CorrelationSettings {
    let s = this.settingsByOrg.get(org);
    if (!s) {
      const override = this.overrides[org];
      s = override ? resolveSettings(override, this.defaults, `settings.byOrganisation.${org}`) : this.defaults;
      this.settingsByOrg.set(org, s);
    }
    return s;
  }

  private resolve(id: string): string {
    let at = id;
    for (let next = this.aliases.get(at); next !== undefined; next = this.aliases.get(at)) at = next;
    if (at !== id) this.aliases.set(id, at);
    return at;
  }

  private candidate(incidentId: string, rule: keyof typeof STRENGTH, value: string, alertId: string, detail: () => string): Candidate {
    return { incidentId: this.resolve(incidentId), strength: STRENGTH[rule], rule, value, alertId, detail };
  }

  /** Whether a value is one of the alert's own assets' identifiers (its id, name, addresses). */
  private isOwnIdentity(assetIds: readonly string[], value: string): boolean {
    for (const id of assetIds) {
      const own = this.identities.get(id);
      if (own ? own.has(value) : id.toLowerCase() === value) return true;
    }
    return false;
  }

  private dependencyCandidates(alert: CorrelationAlert, assetIds: readonly string[], orgs: string[], s: CorrelationSettings, out: Candidate[]): void {
    if (this.graph.size === 0) return;
    for (const assetId of assetIds) {
      for (const related of this.graph.related(assetId, s.dependency.maxHops, s.dependency.kinds)) {
        if (this.exclusions.excludesAsset(related.assetId) || assetIds.includes(related.assetId)) continue;
        for (const org of orgs) {
          const track = this.tracks.get(org)?.get(related.assetId);
          if (!track || Math.abs(alert.time - track.lastTime) > s.dependency.windowMs) continue;
          const { lastAlertId, lastTime } = track;
          const detail = (): string => `${related.path}: alert ${lastAlertId} on ${related.assetId} ${ago(alert.time - lastTime)}`;
          out.push(this.candidate(track.lastIncidentId, 'asset-dependency', related.assetId, lastAlertId, detail));
        }
      }
    }
  }

  private indicatorCandidates(alert: CorrelationAlert, orgs: string[], s: CorrelationSettings, out: Candidate[], ignored: IgnoredValue[]): string[] {
    const keys: string[] = [];
    for (const indicator of extractIndicators(alert.evidence, s.indicator.types)) {
      const key = indicatorKey(indicator);
      if (this.isOwnIdentity(alert.assetIds, indicator.value)) {
        ignored.push({ value: key, because: 'own-asset' });
        continue;
      }
      if (this.exclusions.excludesIndicator(indicator.type, indicator.value)) {
        ignored.push({ value: key, because: 'excluded' });
        continue;
      }
      const sightings = this.indicators.count(key, alert.time, s.indicator.windowMs);
      if (!sightings) {
        ignored.push({ value: key, because: 'over-cap' });
        continue;
      }
      keys.push(key);
      for (const org of orgs) {
        let seen: Sighting | undefined;
        for (const x of sightings) if (x.ownerOrgId === org) seen = x;
        if (!seen || Math.abs(alert.time - seen.time) > s.indicator.windowMs) continue;
        const { alertId, time } = seen;
        const detail = (): string => `${indicator.type} ${indicator.value} also in alert ${alertId} ${ago(alert.time - time)}`;
        out.push(this.candidate(seen.incidentId, 'shared-indicator', key, alertId, detail));
      }
    }
    return keys;
  }

  private placeCandidates(alert: CorrelationAlert, point: GeoPoint, assetIds: readonly string[], orgs: string[], s: CorrelationSettings, out: Candidate[]): void {
    for (const { seen, metres } of this.places.near(point, alert.time, s.placeTime.radiusMetres, s.placeTime.windowMs)) {
      // Alerts on the same asset are the same-asset rule's business, with its own sense of time.
      if (!orgs.includes(seen.ownerOrgId) || seen.assetIds.some((id) => assetIds.includes(id))) continue;
      const { alertId, time } = seen;
      const detail = (): string => `${Math.round(metres)} m from alert ${alertId}, ${ago(alert.time - time)}`;
      out.push(this.candidate(seen.incidentId, 'place-time', placeLabel(seen.point), alertId, detail));
    }
  }

  /** Picks the incident the alert joins and merges the other incidents it bridges (same owner only). */
  private join(alert: CorrelationAlert, candidates: Candidate[], decisions: CorrelationDecision[]): string {
    const best = new Map<string, number>();
    for (const c of candidates) best.set(c.incidentId, Math.max(best.get(c.incidentId) ?? 0, c.strength));
    const ranked = [...best].sort((a, b) => b[1] - a[1] || this.incidents.get(a[0])!.created - this.incidents.get(b[0])!.created);
    const chosen = ranked[0]![0];
    const owner = this.incidents.get(chosen)!.ownerOrgId;
    // Of the incidents owned alike, the oldest stays: people already work on it.
    const sameOwner = ranked.map(([id]) => id).filter((id) => this.incidents.get(id)!.ownerOrgId === owner);
    const into = sameOwner.reduce((a, b) => (this.incidents.get(a)!.created <= this.incidents.get(b)!.created ? a : b));
    for (const from of sameOwner) {
      if (from === into) continue;
      const reasons = candidates.filter((c) => c.incidentId === from).map((c) => ({ ...reasonOf(c), detail: `alert ${alert.id} links both: ${c.detail()}` }));
      this.mergeIncidents(from, into);
      decisions.push({ kind: 'merge', incidentId: from, intoIncidentId: into, category: this.incidents.get(into)!.category, reasons });
      for (const c of candidates) if (c.incidentId === from) c.incidentId = into;
    }
    return into;
  }

  private open(alert: CorrelationAlert): string {
    const id = this.newIncidentId();
    this.incidents.set(id, { id, ownerOrgId: alert.ownerOrgId, category: alert.category, created: ++this.created, lastTime: alert.time, linked: false });
    return id;
  }

  /** Writes the alert into the engine's memory as part of `incidentId`. */
  private record(alert: CorrelationAlert, incidentId: string, how: RecordHow, decisions: CorrelationDecision[]): void {
    const { assetIds, indicatorKeys, point, settings: s, opened, viaOtherRule } = how;
    const incident = this.incidents.get(incidentId)!;
    incident.category = combineCategory(incident.category, alert.category);
    incident.lastTime = Math.max(incident.lastTime, alert.time);
    if (viaOtherRule) incident.linked = true;
    for (const assetId of assetIds) {
      let byAsset = this.tracks.get(alert.ownerOrgId);
      if (!byAsset) this.tracks.set(alert.ownerOrgId, (byAsset = new Map()));
      let track = byAsset.get(assetId);
      if (!track) {
        track = { ownerOrgId: alert.ownerOrgId, assetId, burst: null, history: [], lastIncidentId: incidentId, lastAlertId: alert.id, lastTime: alert.time };
        byAsset.set(assetId, track);
      }
      if (track.burst && this.resolve(track.burst.incidentId) === incidentId) extendBurst(track.burst, alert.time, alert.kind);
      else {
        if (track.burst) this.closeBurst(track, decisions);
        // A second asset or a later burst joining an incident makes it more than one burst's repeat.
        if (!opened) incident.linked = true;
        track.burst = startBurst(incidentId, alert.time, alert.kind);
        this.openBursts.add(track);
      }
      track.lastIncidentId = incidentId;
      track.lastAlertId = alert.id;
      track.lastTime = Math.max(track.lastTime, alert.time);
    }
    const seen: Sighting = { incidentId, alertId: alert.id, time: alert.time, ownerOrgId: alert.ownerOrgId };
    for (const key of indicatorKeys) this.indicators.record(key, seen);
    if (point) this.places.record({ ...seen, point, assetIds }, s.placeTime.windowMs);
  }

  /** Warm start: the alert is already in `incidentId`. */
  private remember(alert: CorrelationAlert, incidentId: string): void {
    checkAlert(alert);
    this.watermark = Math.max(this.watermark, alert.time);
    if (!this.incidents.has(incidentId)) {
      this.incidents.set(incidentId, { id: incidentId, ownerOrgId: alert.ownerOrgId, category: alert.category, created: ++this.created, lastTime: alert.time, linked: true });
    }
    const s = this.settingsFor(alert.ownerOrgId);
    const keys: string[] = [];
    for (const i of extractIndicators(alert.evidence, s.indicator.types)) {
      const key = indicatorKey(i);
      if (this.exclusions.excludesIndicator(i.type, i.value)) continue;
      if (this.indicators.count(key, alert.time, s.indicator.windowMs)) keys.push(key);
    }
    const point = isGeoPoint(alert.location) ? alert.location : null;
    const how = { assetIds: alert.assetIds, indicatorKeys: keys, point, settings: s, opened: false, viaOtherRule: true };
    this.record(alert, incidentId, how, []);
  }

  /**
   * Ends a burst. A burst that made an incident of its own and repeats the mix of kinds of an earlier
   * incident on the same asset is the same thing again (an hourly update, a nightly job): it is merged
   * into that incident (recurrence).
   */
  private closeBurst(track: AssetTrack, decisions: CorrelationDecision[]): void {
    const burst = track.burst;
    if (!burst) return;
    track.burst = null;
    this.openBursts.delete(track);
    const s = this.settingsFor(track.ownerOrgId);
    let incidentId = this.resolve(burst.incidentId);
    const incident = this.incidents.get(incidentId);
    if (incident && !incident.linked && s.rules.includes('recurrence')) {
      let bestId = '';
      let bestSimilarity = 0;
      for (const past of track.history) {
        const pastId = this.resolve(past.incidentId);
        if (pastId === incidentId || !this.incidents.has(pastId) || burst.start - past.last > s.recurrence.horizonMs) continue;
        const similarity = mixSimilarity(burst.kinds, past.kinds);
        if (similarity > bestSimilarity) [bestId, bestSimilarity] = [pastId, similarity];
      }
      if (bestId && bestSimilarity >= s.recurrence.similarity) {
        const detail = `the same mix of alerts on ${track.assetId} again (similarity ${bestSimilarity.toFixed(2)}): ${describeMix(burst.kinds)}`;
        this.mergeIncidents(incidentId, bestId);
        const category = this.incidents.get(bestId)!.category;
        decisions.push({ kind: 'merge', incidentId, intoIncidentId: bestId, category, reasons: [{ rule: 'recurrence', value: track.assetId, detail }] });
        incidentId = bestId;
      }
    }
    rememberMix(track, incidentId, burst, s.recurrence.horizonMs);
  }

  private forgetBefore(cutoff: number): void {
    for (const [org, byAsset] of this.tracks) {
      for (const [assetId, track] of byAsset) if (!track.burst && track.lastTime < cutoff) byAsset.delete(assetId);
      if (byAsset.size === 0) this.tracks.delete(org);
    }
    this.indicators.forgetBefore(cutoff);
    this.places.forgetBefore(cutoff);
    for (const [id, incident] of this.incidents) if (incident.lastTime < cutoff) this.incidents.delete(id);
    for (const from of this.aliases.keys()) if (!this.incidents.has(this.resolve(from))) this.aliases.delete(from);
  }
}

function reasonOf(c: Candidate): CorrelationReason {
  return { rule: c.rule, value: c.value, detail: c.detail(), alertId: c.alertId };
}

function checkAlert(a: CorrelationAlert): void {
  if (typeof a !== 'object' || a === null) throw new CorrelationInputError('an alert must be an object');
  if (typeof a.id !== 'string' || a.id === '') throw new CorrelationInputError('alert.id must be a non-empty string');
  if (typeof a.ownerOrgId !== 'string' || a.ownerOrgId === '') throw new CorrelationInputError(`alert ${a.id}: ownerOrgId is missing`);
  if (typeof a.time !== 'number' || !Number.isFinite(a.time)) throw new CorrelationInputError(`alert ${a.id}: time must be a number of milliseconds`);
  if (!Array.isArray(a.assetIds)) throw new CorrelationInputError(`alert ${a.id}: assetIds must be a list`);
  if (typeof a.kind !== 'string') throw new CorrelationInputError(`alert ${a.id}: kind must be a string`);
}

function* seedOrder(incidents: Iterable<OpenIncident>): Generator<{ incidentId: string; alert: CorrelationAlert }> {
  const all: Array<{ incidentId: string; alert: CorrelationAlert }> = [];
  for (const incident of incidents) for (const alert of incident.alerts) all.push({ incidentId: incident.id, alert });
  all.sort((a, b) => a.alert.time - b.alert.time);
  yield* all;
}

function ago(ms: number): string {
  const abs = Math.abs(ms);
  const when = ms >= 0 ? 'earlier' : 'later';
  if (abs < 60_000) return `${Math.round(abs / 1000)} s ${when}`;
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min ${when}`;
  return `${(abs / 3_600_000).toFixed(1)} h ${when}`;
}
