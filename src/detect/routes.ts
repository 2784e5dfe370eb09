import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { type VigilApp, actorFor, conflict, notFound, principalOf, requirePermission, unprocessable } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';
import type { DetectionRuntime } from './runtime.js';
import { buildEngine } from './runtime.js';
import { ScadaModelError, parseScadaModel } from './scada/model.js';
import { DetectorSettingsError } from './settings.js';
import { listModels, loadModels, readModel, readSettings, saveModel, saveSettings } from './store.js';

const Settings = Type.Object({
  detectors: Type.Array(Type.Unknown()),
  version: Type.Integer(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
const ModelInfo = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  fingerprint: Type.String(),
  tags: Type.Integer(),
  checks: Type.Integer(),
  trainingHours: Type.Integer(),
  trainedFrom: Type.String(),
  trainedTo: Type.String(),
  createdAt: Type.String(),
});
const MODEL_NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';

/** Settings problems as one 422 whose `errors` carry each problem with its JSON path. */
function settingsProblem(problems: string[]) {
  return unprocessable(`The detector settings are not valid: ${problems.join('; ')}`, {
    errors: problems.map((p) => {
      const cut = p.indexOf(': ');
      return cut > 0 ? { path: p.slice(0, cut), message: p.slice(cut + 2) } : { path: '', message: p };
    }),
  });
}

export function detectRoutes(kernel: Kernel, runtime: DetectionRuntime): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;

    app.get('/detectors', { schema: { tags: ['detection'], summary: "Your organisation's detector settings (see docs/detection.md)", response: { 200: Settings } } }, async (request) => {
      return readSettings(db, principalOf(request).orgId);
    });

    app.put(
      '/detectors',
      {
        schema: {
          tags: ['detection'],
          summary: "Replace your organisation's detector settings (admins); every problem is listed with its JSON path",
          body: Type.Object({ detectors: Type.Array(Type.Unknown(), { maxItems: 500 }), version: Type.Optional(Type.Integer({ description: 'the version you edited; another current version answers 409' })) }, { additionalProperties: false }),
          response: { 200: Settings },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const { detectors, version } = request.body;
        const refs = detectors.flatMap((d) => (typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'scada-attack' && typeof (d as { model?: unknown }).model === 'string' ? [(d as { model: string }).model] : []));
        try {
          buildEngine(detectors, await loadModels(db, principal.orgId, refs));
        } catch (error) {
          if (error instanceof DetectorSettingsError) throw settingsProblem(error.problems);
          throw error;
        }
        const saved = await kernel.write(actorFor(request), async (w) => {
          const current = await readSettings(w.tx, principal.orgId);
          if (version !== undefined && version !== current.version) {
            throw conflict(`The detector settings changed since you read them (your version ${version}, now ${current.version}); reload and try again`, { currentVersion: current.version });
          }
          return saveSettings(w, principal.orgId, detectors, current.version);
        });
        runtime.reload(principal.orgId);
        return saved;
      },
    );

    // Analysts and operators read it too: they triage what the detectors raise and must see one is suspended.
    app.get('/detectors/status', { schema: { tags: ['detection'], summary: "Your organisation's running detectors: failures, suspensions, alerts raised (roles that write records)" } }, async (request) => {
      return runtime.status(requirePermission(request, 'records:write').orgId);
    });

    app.post(
      '/detectors/:id/resume',
      { schema: { tags: ['detection'], summary: 'Call a suspended detector again (admins)', params: Type.Object({ id: Type.String({ maxLength: 100 }) }, { additionalProperties: false }) } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        if (!runtime.resume(principal.orgId, request.params.id)) throw notFound('running detector', request.params.id);
        return runtime.status(principal.orgId);
      },
    );

    app.get('/detectors/models', { schema: { tags: ['detection'], summary: "Your organisation's trained SCADA models, every version", response: { 200: Type.Object({ items: Type.Array(ModelInfo) }) } } }, async (request) => {
      return { items: await listModels(db, principalOf(request).orgId) };
    });

    app.get(
      '/detectors/models/:name',
      { schema: { tags: ['detection'], summary: 'A trained model as JSON (name, or name@version)', params: Type.Object({ name: Type.String({ maxLength: 80 }) }, { additionalProperties: false }) } },
      async (request) => {
        const model = await readModel(db, principalOf(request).orgId, request.params.name);
        if (!model) throw notFound('model', request.params.name);
        return model;
      },
    );

    app.post(
      '/detectors/models',
      {
        bodyLimit: Math.max(kernel.config.bodyLimit, 16 * 1024 * 1024),
        schema: {
          tags: ['detection'],
          summary: 'Store a trained SCADA model (from `vigil detect train`) as the next version of its name (admins)',
          body: Type.Object({ name: Type.String({ pattern: MODEL_NAME }), model: Type.Unknown() }, { additionalProperties: false }),
          response: { 201: ModelInfo },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'org:admin');
        let model;
        try {
          model = parseScadaModel(request.body.model);
        } catch (error) {
          if (error instanceof ScadaModelError) throw unprocessable(error.message);
          throw error;
        }
        const info = await kernel.write(actorFor(request), (w) => saveModel(w, principal.orgId, request.body.name, model));
        runtime.reload(principal.orgId);
        return reply.code(201).send(info);
      },
    );
  };
}
