import fs from 'node:fs';
import { alertRoutes } from './alerts/index.js';
import { assetRoutes } from './assets/index.js';
import { auditRoutes } from './audit/routes.js';
import { CtiService, ctiRoutes, taxiiRoutes } from './cti/index.js';
import { incidentRoutes } from './incidents/index.js';
import { type VigilApp, createHttpApp } from './kernel/http/index.js';
import { type Kernel, openKernel } from './kernel/kernel.js';
import type { Config } from './kernel/config.js';
import { migrations } from './migrations.js';
import { authRoutes } from './organisations/auth-routes.js';
import { organisationRoutes } from './organisations/routes.js';
import { StreamHub, refreshGroups, streamRoutes } from './stream/index.js';

export const VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The HTTP server: the kernel's configuration, then every capability's routes under /api/v1. */
export async function buildServer(kernel: Kernel, options: { feeds?: boolean; matching?: boolean } = {}): Promise<VigilApp> {
  const app = await createHttpApp(kernel, { version: VERSION });
  const hub = new StreamHub(kernel.bus, refreshGroups(kernel));
  app.addHook('onClose', async () => hub.closeAll());
  // Threat intelligence: the matching index and the feed scheduler live as long as the server.
  const cti = new CtiService(kernel, { feeds: options.feeds ?? true, matching: options.matching ?? true });
  await cti.start();
  app.decorate('cti', cti);
  app.addHook('onClose', async () => cti.stop());
  await app.register(
    async (api) => {
      await api.register(authRoutes(kernel));
      await api.register(organisationRoutes(kernel));
      await api.register(assetRoutes(kernel));
      await api.register(alertRoutes(kernel));
      await api.register(incidentRoutes(kernel));
      await api.register(streamRoutes(kernel, hub));
      await api.register(auditRoutes(kernel));
      await api.register(ctiRoutes(kernel, cti));
    },
    { prefix: '/api/v1' },
  );
  await app.register(taxiiRoutes(kernel, cti), { prefix: '/taxii2' });
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
