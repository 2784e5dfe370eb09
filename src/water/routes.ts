import type { FastifyPluginAsync } from 'fastify';
import type { Kernel } from '../kernel/kernel.js';
import type { WaterRuntime } from './runtime.js';
import { networkRoutes } from './routes/networks.js';
import { runRoutes } from './routes/runs.js';
import { scenarioRoutes } from './routes/scenarios.js';
import { sweepRoutes } from './routes/sweeps.js';

/** `/api/v1/water/...`: water models, scenarios, runs and their results, sweeps (docs/api.md, docs/water.md). */
export function waterRoutes(kernel: Kernel, runtime: WaterRuntime): FastifyPluginAsync {
  return async (app) => {
    await app.register(networkRoutes(kernel, runtime));
    await app.register(scenarioRoutes(kernel, runtime));
    await app.register(runRoutes(kernel, runtime));
    await app.register(sweepRoutes(kernel, runtime));
  };
}
