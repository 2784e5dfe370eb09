import { type Alert, SEVERITIES, type Severity, severityRank } from '../../alerts/index.js';
import type { VigilEvent } from '../../kernel/events/index.js';
import { anchorOf } from '../../kernel/geo.js';
import { newId } from '../../kernel/ids.js';
import { type Actor, type Kernel, SYSTEM_ACTOR, type Write } from '../../kernel/kernel.js';
import { type Viewer, defaultsFromSettings, groupsOfOrganisation, visibleTo } from '../../kernel/sharing/index.js';
import { Correlator } from '../correlation/correlator.js';
import type { CorrelationAlert, CorrelationAsset, CorrelationDecision, CorrelationReason, OpenIncident } from '../correlation/model.js';
import { memoryHorizonMs } from '../correlation/settings.js';
import type { Incident } from '../model.js';
import { addTimelineEntry, getIncident, openIncident } from '../queries.js';
import { type OrgCorrelation, readOrgCorrelation } from './settings-store.js';

/** Attribute names on assets that carry the asset's own network identity (never a correlating indicator). */
const IDENTITY_KEYS = /^(ip|ips|ipaddress|ip_address|address|hostname|hostnames|host|mac|deviceid|device_id|serial)$/i;

interface Pending {
  alerts: Alert[];
  reasons: Map<string, CorrelationReason[]>;
  last: number;
}

/** One organisation's correlator and the incidents it made. */
interface OrgEngine {
  orgId: string;
  viewer: Viewer;
  config: OrgCorrelation;
  correlator: Correlator | null;
  /** The engine's incident ids → stored incident ids (equal for incidents warmed up from the database). */
  stored: Map<string, string>;
  /** Incidents the engine opened that wait for a second alert (or a severe one) before they are stored. */
  pending: Map<string, Pending>;
}

export function correlationAlertOf(alert: Alert): CorrelationAlert {
  const point = alert.location ? anchorOf(alert.location) : null;
  return {
    id: alert.id,
    ownerOrgId: alert.ownerOrgId,
    time: Date.parse(alert.time),
    category: alert.category,
    severity: alert.severity,
    kind: `${alert.source}: ${alert.title}`,
    assetIds: alert.assetIds,
    location: point ? { type: 'Point', coordinates: point } : null,
    evidence: alert.evidence,
  };
}

/**
 * Live correlation: every new alert of an organisation that turned it on is grouped into an existing or
 * a new incident of that organisation, by its rules, off the request path (the alert's insertion only
 * publishes an event; this subscriber does the rest, one alert at a time, in order). Each organisation's
 * correlator lives in memory, warmed up at its first alert from its open incidents' recent alerts.
 */
export class LiveCorrelation {
  private readonly engines = new Map<string, Promise<OrgEngine>>();
  private readonly queue: VigilEvent[] = [];
  /**
   * Alerts joining stored incidents wait here briefly and are written together, one transaction per incident:
   * a flood of alerts into one incident costs one write per batch rather than one per alert.
   */
  private readonly batches = new Map<string, { engine: OrgEngine; alerts: Alert[]; reasons: Map<string, Record<string, unknown>> }>();
  private flushTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** How far back the warm-up reads (at least the longest window of the rules). */
  private readonly warmMs: number;
  private readonly batchMs: number;

  constructor(
    private readonly kernel: Kernel,
    options: { warmMs?: number; batchMs?: number } = {},
  ) {
    this.warmMs = options.warmMs ?? 24 * 3_600_000;
    this.batchMs = options.batchMs ?? 250;
  }

  start(advanceEveryMs = 10_000): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.kernel.bus.subscribe((event) => this.hear(event));
    this.timer = setInterval(() => this.enqueue({ id: 0, at: this.kernel.clock(), type: 'correlation.tick', recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'owner' } }, data: null }), advanceEveryMs);
    this.timer.unref();
    // Warm up the organisations that correlate now, in the background, rather than at their first alert.
    this.enqueue({ id: 0, at: this.kernel.clock(), type: 'correlation.warm', recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'owner' } }, data: null });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  /** Resolves when every alert heard so far has been correlated (tests wait on it instead of sleeping). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.draining) await this.draining;
      if (this.batches.size === 0) return;
      this.enqueue(this.internal('correlation.flush'));
    }
  }

  private internal(type: string): VigilEvent {
    return { id: 0, at: this.kernel.clock(), type, recordKind: null, recordId: null, actorOrgId: null, audience: { ownerOrgId: null, distribution: { scope: 'owner' } }, data: null };
  }

  private hear(event: VigilEvent): void {
    if (['alert.created', 'correlation.settings', 'incident.updated', 'asset.created', 'asset.updated'].includes(event.type)) this.enqueue(event);
  }

  private enqueue(event: VigilEvent): void {
    this.queue.push(event);
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = null;
      });
    }
  }

  private async drain(): Promise<void> {
    // Yield first: the writer that published goes on at once.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const event = this.queue.shift()!;
      try {
        await this.handle(event);
      } catch (error) {
        this.kernel.log.error({ err: error, event: event.type, record: event.recordId }, 'live correlation failed');
      }
    }
  }

  private async handle(event: VigilEvent): Promise<void> {
    switch (event.type) {
      case 'alert.created': {
        const alert = event.data as Alert;
        const engine = await this.engineFor(alert.ownerOrgId);
        if (engine.correlator) await this.apply(engine, engine.correlator.correlate(correlationAlertOf(alert)), alert);
        return;
      }
      case 'correlation.flush':
        await this.flush();
        return;
      case 'correlation.warm':
        for (const row of await this.kernel.store.db.selectFrom('correlation_settings').select('org_id').where('enabled', '=', 1).execute()) await this.engineFor(row.org_id);
        return;
      case 'correlation.settings':
        this.engines.delete(event.recordId!);
        return;
      case 'incident.updated': {
        const incident = event.data as Incident;
        if (incident.status !== 'closed') return;
        const engine = await this.engines.get(incident.ownerOrgId);
        for (const [engineId, storedId] of engine?.stored ?? []) if (storedId === incident.id) engine!.correlator?.closeIncident(engineId);
        return;
      }
      case 'asset.created':
      case 'asset.updated':
        // Dependencies or identities changed: rebuild the correlators that may use them at their next alert.
        for (const [orgId, engine] of this.engines) {
          const e = await engine;
          if (e.correlator) e.correlator.setAssets(await this.assetsOf(e.viewer));
          else this.engines.delete(orgId);
        }
        return;
      case 'correlation.tick':
        for (const engine of this.engines.values()) {
          const e = await engine;
          if (!e.correlator) continue;
          await this.apply(e, e.correlator.advance(event.at), null);
          for (const [id, p] of e.pending) if (p.last < event.at - this.warmMs) e.pending.delete(id);
        }
    }
  }

  private engineFor(orgId: string): Promise<OrgEngine> {
    let engine = this.engines.get(orgId);
    if (!engine) {
      engine = this.build(orgId);
      this.engines.set(orgId, engine);
    }
    return engine;
  }

  private async assetsOf(viewer: Viewer): Promise<CorrelationAsset[]> {
    const db = this.kernel.store.db;
    const rows = await db.selectFrom('assets').select(['id', 'name', 'attributes']).where(visibleTo(viewer, 'assets')).execute();
    const links = await db.selectFrom('asset_links').selectAll().execute();
    const ids = new Set(rows.map((r) => r.id));
    return rows.map((r) => {
      const attributes = JSON.parse(r.attributes) as Record<string, unknown>;
      const identifiers = Object.entries(attributes)
        .filter(([k]) => IDENTITY_KEYS.test(k))
        .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
        .filter((v): v is string => typeof v === 'string' && v !== '');
      return {
        id: r.id,
        name: r.name,
        identifiers,
        dependencies: links.filter((l) => l.from_asset_id === r.id && ids.has(l.to_asset_id)).map((l) => ({ kind: l.kind as never, assetId: l.to_asset_id })),
      };
    });
  }

  /** Builds an organisation's correlator from its settings, its assets and its open incidents' recent alerts. */
  private async build(orgId: string): Promise<OrgEngine> {
    const db = this.kernel.store.db;
    const config = await readOrgCorrelation(db, orgId);
    const viewer: Viewer = { orgId, groupIds: await groupsOfOrganisation(db, orgId) };
    const engine: OrgEngine = { orgId, viewer, config, correlator: null, stored: new Map(), pending: new Map() };
    if (!config.enabled) return engine;
    const since = this.kernel.clock() - Math.max(this.warmMs, memoryHorizonMs(config.settings));
    const rows = await db
      .selectFrom('incident_alerts')
      .innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id')
      .innerJoin('alerts', 'alerts.id', 'incident_alerts.alert_id')
      .select(['incidents.id as incident_id', 'alerts.id', 'alerts.source', 'alerts.title', 'alerts.category', 'alerts.severity', 'alerts.time', 'alerts.lon', 'alerts.lat', 'alerts.evidence', 'alerts.owner_org_id'])
      .where('incidents.owner_org_id', '=', orgId)
      .where('incidents.status', '!=', 'closed')
      .where('alerts.owner_org_id', '=', orgId)
      .where('alerts.time', '>=', since)
      .orderBy('alerts.time')
      .limit(100_000)
      .execute();
    const assetsOfAlert = new Map<string, string[]>();
    if (rows.length > 0) {
      for (const link of await db.selectFrom('alert_assets').select(['alert_id', 'asset_id']).where('alert_id', 'in', db.selectFrom('incident_alerts').innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id').select('incident_alerts.alert_id').where('incidents.owner_org_id', '=', orgId).where('incidents.status', '!=', 'closed')).execute()) {
        assetsOfAlert.set(link.alert_id, [...(assetsOfAlert.get(link.alert_id) ?? []), link.asset_id]);
      }
    }
    const open = new Map<string, CorrelationAlert[]>();
    for (const r of rows) {
      const list = open.get(r.incident_id) ?? [];
      list.push({
        id: r.id,
        ownerOrgId: r.owner_org_id,
        time: Number(r.time),
        category: r.category as never,
        severity: r.severity as never,
        kind: `${r.source}: ${r.title}`,
        assetIds: assetsOfAlert.get(r.id) ?? [],
        location: r.lon !== null && r.lat !== null ? { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] } : null,
        evidence: JSON.parse(r.evidence),
      });
      open.set(r.incident_id, list);
    }
    const openIncidents: OpenIncident[] = [...open].map(([id, alerts]) => ({ id, ownerOrgId: orgId, alerts }));
    for (const incident of openIncidents) engine.stored.set(incident.id, incident.id);
    engine.correlator = new Correlator({
      assets: await this.assetsOf(viewer),
      openIncidents,
      settings: { defaults: config.overrides },
      exclusions: config.exclusions,
      cap: config.cap,
      newIncidentId: () => newId(this.kernel.clock()),
    });
    return engine;
  }

  /** Carries out the correlator's decisions in the database: one transaction per decision. */
  private async apply(engine: OrgEngine, decisions: CorrelationDecision[], alert: Alert | null): Promise<void> {
    const owner: Actor = { orgId: engine.orgId, userId: null, tokenId: null, address: null };
    for (const d of decisions) {
      if (d.kind === 'merge') {
        await this.merge(engine, d, owner);
        continue;
      }
      if (!alert || d.alertId !== alert.id) continue;
      const storedId = engine.stored.get(d.incidentId);
      if (storedId) {
        const batch = this.batches.get(storedId) ?? { engine, alerts: [] as Alert[], reasons: new Map<string, Record<string, unknown>>() };
        batch.alerts.push(alert);
        batch.reasons.set(alert.id, reasonOf(d.reasons));
        this.batches.set(storedId, batch);
        if (!this.flushTimer) {
          this.flushTimer = setTimeout(() => {
            this.flushTimer = null;
            this.enqueue(this.internal('correlation.flush'));
          }, this.batchMs);
          this.flushTimer.unref();
        }
        continue;
      }
      const pending: Pending = engine.pending.get(d.incidentId) ?? { alerts: [], reasons: new Map(), last: 0 };
      pending.alerts.push(alert);
      pending.reasons.set(alert.id, d.reasons);
      pending.last = Date.parse(alert.time);
      engine.pending.set(d.incidentId, pending);
      if (pending.alerts.length >= 2 || severityRank(alert.severity) >= severityRank(engine.config.openAlone)) {
        await this.materialise(engine, d.incidentId, d.category, owner);
      }
    }
  }

  /** Writes the alerts waiting to join stored incidents. */
  private async flush(): Promise<void> {
    const batches = [...this.batches];
    this.batches.clear();
    for (const [incidentId, batch] of batches) {
      const owner: Actor = { orgId: batch.engine.orgId, userId: null, tokenId: null, address: null };
      await this.kernel.write(owner, (w) => this.attach(w, batch.engine, incidentId, batch.alerts, (a) => batch.reasons.get(a.id) ?? { rule: 'correlation' }));
    }
  }

  /** Stores an incident the engine opened, with every alert it has so far and why each belongs. */
  private async materialise(engine: OrgEngine, engineId: string, category: string, owner: Actor): Promise<string> {
    const pending = engine.pending.get(engineId)!;
    engine.pending.delete(engineId);
    const first = pending.alerts[0]!;
    const severity = SEVERITIES[Math.max(...pending.alerts.map((a) => severityRank(a.severity)))] as Severity;
    const id = await this.kernel.write(owner, async (w) => {
      const org = await w.tx.selectFrom('organisations').select('settings').where('id', '=', engine.orgId).executeTakeFirstOrThrow();
      const defaults = defaultsFromSettings(JSON.parse(org.settings));
      const incident = await openIncident(
        w,
        engine.viewer,
        { title: `${category}: ${first.title}`, description: 'Opened by live correlation.', severity, type: category, location: pending.alerts.find((a) => a.location)?.location ?? null },
        [],
        { ownerOrgId: engine.orgId, tlp: defaults.tlp, distribution: defaults.distribution },
      );
      await this.attach(w, engine, incident.id, pending.alerts, (a) => (a === first ? { rule: 'first-alert', detail: 'the alert the incident was opened for' } : reasonOf(pending.reasons.get(a.id) ?? [])));
      return incident.id;
    });
    engine.stored.set(engineId, id);
    return id;
  }

  /**
   * Adds alerts to a stored incident with their reasons. Written as the system (no person's organisation):
   * the alerts' own status is left to their owner.
   */
  private async attach(w: Write, engine: OrgEngine, incidentId: string, alerts: Alert[], reason: (a: Alert) => Record<string, unknown>): Promise<void> {
    const row = await w.tx.selectFrom('incidents').select(['id', 'version', 'severity_rank', 'status']).where('id', '=', incidentId).executeTakeFirst();
    if (!row || alerts.length === 0) return;
    // In bulk, as attachAlerts does one by one (the same rows, timeline entries and assets): a flood into one
    // incident is one transaction of a few statements.
    const ids = alerts.map((a) => a.id);
    const known = new Set((await w.tx.selectFrom('incident_alerts').select('alert_id').where('incident_id', '=', incidentId).where('alert_id', 'in', ids).execute()).map((r) => r.alert_id));
    const fresh = alerts.filter((a, i) => !known.has(a.id) && ids.indexOf(a.id) === i);
    if (fresh.length === 0) return;
    const reasons = new Map(fresh.map((a) => [a.id, { ...reason(a), by: 'live-correlation' }]));
    for (let i = 0; i < fresh.length; i += 500) {
      const slice = fresh.slice(i, i + 500);
      await w.tx.insertInto('incident_alerts').values(slice.map((a) => ({ incident_id: incidentId, alert_id: a.id, added_at: w.now, reason: JSON.stringify(reasons.get(a.id)) }))).execute();
      await w.tx
        .insertInto('incident_timeline')
        .values(slice.map((a) => ({ id: newId(w.now), incident_id: incidentId, at: w.now, kind: 'alert-added', author_org_id: null, author_user_id: null, text: a.title, data: JSON.stringify({ alertId: a.id, ...reasons.get(a.id) }) })))
        .execute();
    }
    const assetIds = [...new Set(fresh.flatMap((a) => a.assetIds))];
    if (assetIds.length > 0) {
      const have = new Set((await w.tx.selectFrom('incident_assets').select('asset_id').where('incident_id', '=', incidentId).where('asset_id', 'in', assetIds).execute()).map((r) => r.asset_id));
      const added = assetIds.filter((a) => !have.has(a));
      if (added.length > 0) await w.tx.insertInto('incident_assets').values(added.map((asset_id) => ({ incident_id: incidentId, asset_id }))).execute();
    }
    const worst = Math.max(row.severity_rank, ...fresh.map((a) => severityRank(a.severity)));
    await w.tx.updateTable('incidents').set((eb) => ({ updated_at: w.now, version: eb('version', '+', 1), severity: SEVERITIES[worst]!, severity_rank: worst })).where('id', '=', incidentId).execute();
    await w.audit({ action: 'incident.alerts-correlated', targetKind: 'incident', targetId: incidentId, details: { alertIds: fresh.map((a) => a.id) } });
    const after = (await getIncident(w.tx, engine.viewer, incidentId))!;
    await w.emit({ type: 'incident.updated', recordKind: 'incident', recordId: incidentId, actorOrgId: engine.orgId, audience: { ownerOrgId: after.ownerOrgId, distribution: after.distribution }, data: after });
  }

  /** The engine found two incidents to be one (a recurrence, or an alert linking both). */
  private async merge(engine: OrgEngine, d: Extract<CorrelationDecision, { kind: 'merge' }>, owner: Actor): Promise<void> {
    const from = engine.stored.get(d.incidentId);
    const into = engine.stored.get(d.intoIncidentId);
    const fromPending = engine.pending.get(d.incidentId);
    const intoPending = engine.pending.get(d.intoIncidentId);
    engine.pending.delete(d.incidentId);
    if (fromPending) {
      // Alerts still waiting join the other incident, stored or waiting.
      if (into) await this.kernel.write(owner, (w) => this.attach(w, engine, into, fromPending.alerts, () => reasonOf(d.reasons)));
      else if (intoPending) {
        intoPending.alerts.push(...fromPending.alerts);
        for (const a of fromPending.alerts) intoPending.reasons.set(a.id, d.reasons);
        if (intoPending.alerts.length >= 2) await this.materialise(engine, d.intoIncidentId, d.category, owner);
      }
      return;
    }
    if (from && intoPending) {
      engine.pending.delete(d.intoIncidentId);
      engine.stored.set(d.intoIncidentId, from);
      await this.kernel.write(owner, (w) => this.attach(w, engine, from, intoPending.alerts, () => reasonOf(d.reasons)));
      return;
    }
    if (from && into && from !== into) {
      // Both stored: moving alerts between incidents is a person's decision (merge); say what the engine saw.
      await this.kernel.write(owner, async (w) => {
        for (const [here, there] of [[from, into], [into, from]] as const) {
          const incident = await getIncident(w.tx, engine.viewer, here);
          if (incident) await addTimelineEntry(w.as(SYSTEM_ACTOR), incident, { kind: 'correlation-link', text: `Correlation finds this is the same incident as ${there}: ${d.reasons[0]?.detail ?? ''}`, data: { otherIncidentId: there, reasons: d.reasons } });
        }
      });
    }
  }
}

function reasonOf(reasons: CorrelationReason[]): Record<string, unknown> {
  const first = reasons[0];
  return first ? { rule: first.rule, value: first.value, detail: first.detail, ...(first.alertId ? { sharedWithAlertId: first.alertId } : {}), reasons } : { rule: 'correlation', reasons };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Live correlation of this server (tests wait on `idle()`). */
    correlation: LiveCorrelation;
  }
}
