import type { FastifyPluginAsync } from 'fastify';
import type { Kernel } from '../../kernel/kernel.js';
import type { CtiService } from '../service.js';
import { collectionRoutes } from './collections.js';
import { feedRoutes } from './feeds.js';
import { matchingRoutes } from './matching.js';
import { mispRoutes } from './misp.js';
import { stixRoutes } from './stix.js';

/** Every threat-intelligence route under /api/v1 (TAXII has its own, at /taxii2/). */
export function ctiRoutes(kernel: Kernel, cti: CtiService): FastifyPluginAsync {
  return async (app) => {
    await app.register(stixRoutes(kernel, cti));
    await app.register(matchingRoutes(kernel, cti));
    await app.register(feedRoutes(kernel, cti));
    await app.register(mispRoutes(kernel, cti));
    await app.register(collectionRoutes(kernel));
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The threat-intelligence service of this server (tests reach it to wait for background work). */
    cti: CtiService;
  }
}
