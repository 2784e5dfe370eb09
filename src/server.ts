import fs from 'node:fs';
import { alertRoutes } from './alerts/index.js';
import { assetRoutes } from './assets/index.js';
import { auditRoutes } from './audit/routes.js';
import { DetectionRuntime, detectRoutes } from './detect/index.js';
import { incidentRoutes } from './incidents/index.js';
import { Ingestion, ingestRoutes } from './ingest/index.js';
import { type VigilApp, createHttpApp } from './kernel/http/index.js';
import { type Kernel, openKernel } from './kernel/kernel.js';
import type { Config } from './kernel/config.js';
import { mapRoutes } from './map/index.js';
import { migrations } from './migrations.js';
import { authRoutes } from './organisations/auth-routes.js';
import { organisationRoutes } from './organisations/routes.js';
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
import { webRoutes } from './web/index.js';
import { WaterRuntime, waterRoutes } from './water/index.js';

export const VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ServerOptions {
  /** Public warnings' configuration; read from the VIGIL_* environment when absent. */
  warnings?: WarningSettings;
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
  // One long-lived pool of simulation workers for the server's life: warm workers keep their baselines.
  const water = new WaterRuntime(kernel, kernel.config.water);
  await water.recover();
  app.addHook('onClose', async () => water.close());
  await app.register(
    async (api) => {
      await api.register(authRoutes(kernel));
      await api.register(organisationRoutes(kernel));
      await api.register(assetRoutes(kernel));
      await api.register(alertRoutes(kernel));
      await api.register(incidentRoutes(kernel));
      await api.register(streamRoutes(kernel, hub));
      await api.register(auditRoutes(kernel));
      await api.register(mapRoutes(kernel));
      await api.register(ingestRoutes(kernel, parts.ingestion));
      await api.register(detectRoutes(kernel, parts.detection));
      await api.register(waterRoutes(kernel, water));
      await api.register(warningRoutes(kernel, warnings, () => webhooks.poke()));
      await api.register(webhookRoutes(kernel));
      await api.register(inboxRoutes(kernel, warnings));
    },
    { prefix: '/api/v1' },
  );
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
