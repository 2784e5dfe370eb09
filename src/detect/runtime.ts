/**
 * The detection runtime: each organisation's detectors, fed with its accepted observations in arrival
 * order (from the ingestion pipeline, after they are stored), ticked on a timer for stale sensors, and
 * their drafts raised as alerts through the core: `raiseAlert` inside `kernel.write`, with the dedup key,
 * the organisation's default label and distribution, the assets of the datastreams involved (and so their
 * location), and the evidence with the values that triggered it.
 *
 * An organisation's engine is built from its stored settings and models on its first observation and
 * rebuilt when they change (`reload`), which restarts the detectors' state. A detector that throws is
 * isolated by the engine; its failures are kept here for the organisation's admins.
 */
import { type AlertDraft as CoreDraft, raiseAlert } from '../alerts/index.js';
import type { AcceptedObservation, Ingestion, StreamRef } from '../ingest/index.js';
import type { Kernel } from '../kernel/kernel.js';
import { defaultsFromSettings, groupsOfOrganisation } from '../kernel/sharing/index.js';
import { createDetectors } from './detectors.js';
import { DetectionEngine, type DetectorFailure, type DetectorStatus } from './engine.js';
import { type AlertDraft, QUALITY_NAMES } from './model.js';
import { periodMeans } from './periods.js';
import { parseDetectorSettings, DetectorSettingsError, type ScadaAttackSettings } from './settings.js';
import { loadModels, readSettings } from './store.js';

interface OrgDetection {
  state: 'loading' | 'ready' | 'broken';
  engine: DetectionEngine | null;
  problem: string | null;
  settingsVersion: number;
  backlog: AcceptedObservation[][];
  streams: Map<string, StreamRef>;
  failures: DetectorFailure[];
  raised: number;
  raising: Promise<void>;
}

export interface OrgDetectionStatus {
  state: 'idle' | 'loading' | 'ready' | 'broken';
  problem: string | null;
  settingsVersion: number;
  detectors: DetectorStatus[];
  recentFailures: Array<DetectorFailure & { at: string }>;
  alertsRaised: number;
}

const FAILURES_KEPT = 50;

/** Builds an engine: settings validated, models found, SCADA detectors fed hourly (their period's) means. */
export function buildEngine(settings: unknown[], models: Map<string, import('./scada/model.js').ScadaModel>): DetectionEngine {
  const list = parseDetectorSettings(settings);
  const detectors = createDetectors(settings, { scadaModel: (id) => models.get(id) });
  const enabled = list.filter((s) => s.enabled !== false);
  return new DetectionEngine(
    detectors.map((d, i) => {
      const s = enabled[i]!;
      return s.kind === 'scada-attack' ? periodMeans(d, models.get((s as ScadaAttackSettings).model)!.training.periodMs) : d;
    }),
  );
}

export class DetectionRuntime {
  private readonly orgs = new Map<string, OrgDetection>();
  private unsubscribe: (() => void) | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private readonly log: Kernel['log'];

  constructor(
    private readonly kernel: Kernel,
    private readonly ingestion: Ingestion,
    /** How an engine is built from stored settings and models (tests put in detectors that fail). */
    private readonly build: typeof buildEngine = buildEngine,
  ) {
    this.log = kernel.log.child({ component: 'detect' });
  }

  start(): void {
    this.unsubscribe = this.ingestion.pipeline.onAccepted((orgId, observations) => this.accept(orgId, observations));
    this.ticker = setInterval(() => this.tick(this.kernel.clock()), this.kernel.config.ingest.detectTickMs);
    this.ticker.unref();
  }

  /** Settings or models of the organisation changed: build its engine again from what is stored. */
  reload(orgId: string): void {
    this.orgs.delete(orgId);
  }

  status(orgId: string): OrgDetectionStatus {
    const o = this.orgs.get(orgId);
    if (!o) return { state: 'idle', problem: null, settingsVersion: 0, detectors: [], recentFailures: [], alertsRaised: 0 };
    return {
      state: o.state,
      problem: o.problem,
      settingsVersion: o.settingsVersion,
      detectors: o.engine?.status() ?? [],
      recentFailures: o.failures.map((f) => ({ ...f, at: new Date(f.time).toISOString() })),
      alertsRaised: o.raised,
    };
  }

  resume(orgId: string, detectorId: string): boolean {
    return this.orgs.get(orgId)?.engine?.resume(detectorId) ?? false;
  }

  /** Resolves once every alert already drafted has been written (tests and shutdown wait for it). */
  async settled(): Promise<void> {
    for (const o of this.orgs.values()) await o.raising;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.ticker) clearInterval(this.ticker);
    await this.settled();
  }

  private accept(orgId: string, observations: AcceptedObservation[]): void {
    let o = this.orgs.get(orgId);
    if (!o) {
      o = { state: 'loading', engine: null, problem: null, settingsVersion: 0, backlog: [], streams: new Map(), failures: [], raised: 0, raising: Promise.resolve() };
      this.orgs.set(orgId, o);
      void this.load(orgId, o);
    }
    if (o.state === 'loading') {
      o.backlog.push(observations);
      return;
    }
    this.feed(orgId, o, observations);
  }

  private async load(orgId: string, o: OrgDetection): Promise<void> {
    try {
      const stored = await readSettings(this.kernel.store.db, orgId);
      o.settingsVersion = stored.version;
      const refs = stored.detectors.flatMap((d) => (typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'scada-attack' ? [String((d as { model?: unknown }).model)] : []));
      const models = await loadModels(this.kernel.store.db, orgId, refs);
      o.engine = this.build(stored.detectors, models);
      o.state = 'ready';
    } catch (error) {
      o.state = 'broken';
      o.problem = error instanceof DetectorSettingsError ? error.problems.join('; ') : error instanceof Error ? error.message : String(error);
      this.log.warn({ orgId, problem: o.problem }, "an organisation's detectors could not be started; its observations are stored but not assessed");
    }
    if (this.orgs.get(orgId) !== o) return;
    const backlog = o.backlog.splice(0);
    if (o.state === 'ready') for (const list of backlog) this.feed(orgId, o, list);
  }

  private feed(orgId: string, o: OrgDetection, observations: AcceptedObservation[]): void {
    if (!o.engine) return;
    const drafts: AlertDraft[] = [];
    for (const obs of observations) {
      o.streams.set(obs.stream.key, obs.stream);
      const result = o.engine.observe({ datastream: obs.stream.key, time: obs.t, value: obs.v, quality: QUALITY_NAMES[obs.q] ?? 'good' });
      drafts.push(...result.alerts);
      if (result.failures.length) this.failed(orgId, o, result.failures);
    }
    if (drafts.length) this.raise(orgId, o, drafts);
  }

  private tick(now: number): void {
    for (const [orgId, o] of this.orgs) {
      if (!o.engine) continue;
      const result = o.engine.tick(now);
      if (result.failures.length) this.failed(orgId, o, result.failures);
      if (result.alerts.length) this.raise(orgId, o, result.alerts);
    }
  }

  private failed(orgId: string, o: OrgDetection, failures: DetectorFailure[]): void {
    for (const f of failures) {
      if (f.suspended || !o.failures.some((x) => x.detector === f.detector)) {
        this.log.warn({ orgId, detector: f.detector, kind: f.kind, error: f.message, suspended: f.suspended }, f.suspended ? 'a detector kept failing and is suspended' : 'a detector failed; the others go on');
      }
      o.failures.push(f);
    }
    if (o.failures.length > FAILURES_KEPT) o.failures.splice(0, o.failures.length - FAILURES_KEPT);
  }

  /** Alerts are written one organisation at a time, in the order drafted. */
  private raise(orgId: string, o: OrgDetection, drafts: AlertDraft[]): void {
    o.raising = o.raising.then(() =>
      this.write(orgId, o, drafts).catch((error: unknown) => this.log.error({ err: error, orgId }, 'raising detector alerts failed')),
    );
  }

  private async write(orgId: string, o: OrgDetection, drafts: AlertDraft[]): Promise<void> {
    const db = this.kernel.store.db;
    const org = await db.selectFrom('organisations').select('settings').where('id', '=', orgId).executeTakeFirst();
    if (!org) return;
    const defaults = defaultsFromSettings(JSON.parse(org.settings));
    const viewer = { orgId, groupIds: await groupsOfOrganisation(db, orgId) };
    await this.kernel.write({ orgId, userId: null, tokenId: null, address: null }, async (w) => {
      for (const d of drafts) {
        await raiseAlert(w, viewer, coreDraftOf(d, o.streams), { ownerOrgId: orgId, tlp: defaults.tlp, distribution: defaults.distribution });
        o.raised += 1;
      }
    });
  }
}

/** A detector's draft as the core's alert: assets from the datastreams, evidence keyed by datastream. */
export function coreDraftOf(d: AlertDraft, streams: Map<string, StreamRef>): CoreDraft {
  const byStream: Record<string, Record<string, unknown>> = {};
  for (const dev of d.evidence.deviations) {
    if (byStream[dev.datastream]) continue; // deviations come strongest first
    const ref = streams.get(dev.datastream);
    byStream[dev.datastream] = {
      observed: dev.observed,
      expected: dev.expected ?? null,
      unit: ref?.unit ?? '',
      deviation: dev.deviation,
      ratio: dev.ratio,
      check: dev.check,
      ...(dev.lower !== undefined ? { lower: dev.lower } : {}),
      ...(dev.upper !== undefined ? { upper: dev.upper } : {}),
      ...(ref ? { datastreamId: ref.id } : {}),
    };
  }
  const refs = d.datastreams.map((k) => streams.get(k)).filter((r): r is StreamRef => r !== undefined);
  return {
    source: `detector:${d.detector}`,
    category: d.category,
    severity: d.severity,
    title: d.title,
    description: d.evidence.summary,
    time: d.time,
    assetIds: [...new Set(refs.flatMap((r) => (r.assetId ? [r.assetId] : [])))],
    evidence: {
      detector: d.detector,
      summary: d.evidence.summary,
      datastreams: byStream,
      datastreamIds: refs.map((r) => r.id),
      deviations: d.evidence.deviations,
      ...(d.evidence.details ? { details: d.evidence.details } : {}),
    },
    dedupKey: d.dedupKey,
  };
}
