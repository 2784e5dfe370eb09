import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertRoutes } from './alerts/index.js';
import { assetRoutes } from './assets/index.js';
import { auditRoutes } from './audit/routes.js';
import { DetectionRuntime, detectRoutes } from './detect/index.js';
import { CtiService, ctiRoutes, taxiiRoutes } from './cti/index.js';
import { LiveCorrelation, PlaybookWatch, correlationSettingsRoutes, incidentAttachmentRoutes, incidentLifecycleRoutes, incidentRoutes, playbookRoutes, taskRoutes } from './incidents/index.js';
import { Ingestion, ingestRoutes } from './ingest/index.js';
import { type VigilApp, createHttpApp } from './kernel/http/index.js';
import { type Kernel, openKernel } from './kernel/kernel.js';
import type { Config } from './kernel/config.js';
import { mapRoutes } from './map/index.js';
import { migrations } from './migrations.js';
import { authRoutes } from './organisations/auth-routes.js';
import { organisationRoutes } from './organisations/routes.js';
import { LiveRoads, closureRoutes, closuresToHold, routingRoutes } from './routing/index.js';
import { StreamHub, refreshGroups, streamRoutes } from './stream/index.js';
import {
  WebhookWorker,
  inboxRoutes,
  publicWarningRoutes,
  type WarningSettings,
  warningRoutes,
  warningSettingsFrom,
  webhookRoutes,
} from './warnings/index.js';
import { unitRoutes } from './units/index.js';
import { webRoutes } from './web/index.js';
import { WaterRuntime, waterRoutes } from './water/index.js';

export const VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ServerOptions {
  /** Public warnings' configuration; read from the VIGIL_* environment when absent. */
  warnings?: WarningSettings;
  /** The road graph in service; the server makes its own when absent. */
  roads?: LiveRoads;
  /** Threat-intelligence feeds pulled on their schedule, and live indicator matching (both on unless false). */
  feeds?: boolean;
  matching?: boolean;
}

/** The demo city's road data: the road graph is built from it on the first start in demo mode. */
export const DEMO_ROADS_PBF = fileURLToPath(new URL('../data-seed/osm/monaco.osm.pbf', import.meta.url));

/**
 * The road graph in service for routing and dispatch: `<data dir>/roads/graph.bin`, built from the demo city's
 * roads on the first start in demo mode (in a worker thread, once the server listens: it answers meanwhile),
 * watched for new imports.
 */
export function liveRoadsFor(kernel: Kernel): LiveRoads {
  return new LiveRoads({
    graphPath: path.join(kernel.config.dataDir, 'roads', 'graph.bin'),
    seedFile: kernel.config.demo ? DEMO_ROADS_PBF : null,
    log: kernel.log.child({ component: 'roads' }),
    clock: kernel.clock,
  });
}

/** The live parts behind the routes: the ingestion pipeline and the detectors it feeds. */
export interface Live {
  ingestion: Ingestion;
  detection: DetectionRuntime;
}

/** Starts ingestion and the detection runtime on a kernel (the server does; tests may, to reach them). */
export function startLive(kernel: Kernel): Live {
  const ingestion = new Ingestion(kernel);
  const detection = new DetectionRuntime(kernel, ingestion);
  detection.start();
  return { ingestion, detection };
}

export async function stopLive(live: Live): Promise<void> {
  await live.ingestion.close();
  await live.detection.stop();
}

/**
 * The HTTP server: the kernel's configuration, then every capability's routes under /api/v1. Without
 * `live`, it starts its own ingestion and detection and stops them when it closes.
 */
export async function buildServer(kernel: Kernel, live?: Live, options: ServerOptions = {}): Promise<VigilApp> {
  const warnings = options.warnings ?? warningSettingsFrom(process.env, kernel.config);
  const app = await createHttpApp(kernel, { version: VERSION });
  // Delivers published warnings to webhook channels in the background, from the database, so a delivery
  // planned before a restart is still made after it.
  const webhooks = new WebhookWorker(kernel, warnings.webhooks);
  if (warnings.webhooks.worker) app.addHook('onReady', async () => webhooks.start());
  app.addHook('onClose', async () => webhooks.stop());
  const hub = new StreamHub(kernel.bus, refreshGroups(kernel));
  const parts = live ?? startLive(kernel);
  app.addHook('onClose', async () => {
    if (!live) await stopLive(parts);
    hub.closeAll();
  });
  const roads = options.roads ?? liveRoadsFor(kernel);
  // Loading starts now and does not hold the server up; routing requests wait for it. Live closures are replayed into it.
  roads.start(() => closuresToHold(kernel.store.db, kernel.clock())).catch((error: unknown) => kernel.log.error({ err: error }, 'the road graph could not be started'));
  // The demo city's first start builds its graph, once the server listens (in-process test servers never do).
  app.addHook('onListen', async () => {
    void roads.buildMissing();
  });
  app.addHook('onClose', async () => roads.close());
  // One long-lived pool of simulation workers for the server's life: warm workers keep their baselines.
  const water = new WaterRuntime(kernel, kernel.config.water);
  await water.recover();
  app.addHook('onClose', async () => water.close());
  // Threat intelligence: the matching index and the feed scheduler live as long as the server.
  const cti = new CtiService(kernel, { feeds: options.feeds ?? true, matching: options.matching ?? true });
  await cti.start();
  app.decorate('cti', cti);
  app.addHook('onClose', async () => cti.stop());
  // Mandatory playbook steps gone overdue are told to the incident's owner, once each.
  const playbookWatch = new PlaybookWatch(kernel);
  app.decorate('playbookWatch', playbookWatch);
  app.addHook('onReady', async () => playbookWatch.start());
  app.addHook('onClose', async () => playbookWatch.stop());
  // New alerts are grouped into incidents off the request path, for the organisations that turned it on.
  const correlation = new LiveCorrelation(kernel);
  app.decorate('correlation', correlation);
  app.addHook('onReady', async () => correlation.start());
  app.addHook('onClose', async () => correlation.stop());
  await app.register(
    async (api) => {
      await api.register(authRoutes(kernel));
      await api.register(organisationRoutes(kernel));
      await api.register(assetRoutes(kernel));
      await api.register(alertRoutes(kernel));
      await api.register(incidentRoutes(kernel));
      await api.register(playbookRoutes(kernel));
      await api.register(taskRoutes(kernel));
      await api.register(correlationSettingsRoutes(kernel));
      await api.register(incidentLifecycleRoutes(kernel));
      await api.register(incidentAttachmentRoutes(kernel));
      await api.register(routingRoutes(kernel, roads));
      await api.register(closureRoutes(kernel, roads));
      await api.register(unitRoutes(kernel, roads));
      await api.register(streamRoutes(kernel, hub));
      await api.register(auditRoutes(kernel));
      await api.register(mapRoutes(kernel));
      await api.register(ingestRoutes(kernel, parts.ingestion));
      await api.register(detectRoutes(kernel, parts.detection));
      await api.register(waterRoutes(kernel, water));
      await api.register(warningRoutes(kernel, warnings, () => webhooks.poke()));
      await api.register(webhookRoutes(kernel));
      await api.register(inboxRoutes(kernel, warnings));
      await api.register(ctiRoutes(kernel, cti));
    },
    { prefix: '/api/v1' },
  );
  await app.register(taxiiRoutes(kernel, cti), { prefix: '/taxii2' });
  // Published warnings, public and outside /api/v1.
  await app.register(publicWarningRoutes(kernel, warnings));
  // The web application answers every other GET path (its client-side routes), so it comes last.
  await app.register(webRoutes(kernel));
  return app;
}

/** Opens the kernel on a configuration, migrating the database to the current schema. */
export function openVigil(config: Config, options: { migrate?: boolean; logger?: Kernel['log']; clock?: () => number } = {}): Promise<Kernel> {
  return openKernel(config, {
    migrations,
    migrate: options.migrate ?? true,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
