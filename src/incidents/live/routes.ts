import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { alertSchemas } from '../../alerts/index.js';
import { type VigilApp, Problem, actorFor, conflict, principalOf, requirePermission } from '../../kernel/http/index.js';
import { Body, JsonObject } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { correlationChangeProblems, readOrgCorrelation, saveOrgCorrelation } from './settings-store.js';

const Settings = Type.Object({
  enabled: Type.Boolean({ description: "whether new alerts of the organisation are grouped into incidents as they arrive" }),
  settings: JsonObject,
  overrides: JsonObject,
  exclusions: Type.Array(Type.String()),
  cap: Type.Integer(),
  openAlone: alertSchemas.Severity,
  version: Type.Integer(),
});

const Change = Body({
  enabled: Type.Optional(Type.Boolean()),
  settings: Type.Optional(JsonObject),
  exclusions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 10_000 })),
  cap: Type.Optional(Type.Integer()),
  openAlone: Type.Optional(alertSchemas.Severity),
  version: Type.Optional(Type.Integer({ description: 'the version you edited; a different current version answers 409' })),
});

/** `/api/v1/correlation/settings`: your organisation's live correlation (read by its members, changed by its admins). */
export function correlationSettingsRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;
    app.get('/correlation/settings', { schema: { tags: ['incidents'], summary: "Your organisation's live correlation: rules, windows, exclusion list, cap", response: { 200: Settings } } }, async (request) => {
      return readOrgCorrelation(db, principalOf(request).orgId);
    });
    app.put(
      '/correlation/settings',
      { schema: { tags: ['incidents'], summary: "Change your organisation's live correlation (organisation admins)", body: Change, response: { 200: Settings } } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const { version, ...change } = request.body;
        const problems = correlationChangeProblems(change as never);
        if (problems.length > 0) throw new Problem(422, `The correlation settings have ${problems.length} problem(s): ${problems.join('; ')}`, { problems });
        return kernel.write(actorFor(request), async (w) => {
          const current = await readOrgCorrelation(w.tx, principal.orgId);
          if (version !== undefined && version !== current.version) throw conflict(`The settings changed since you read them (your version ${version}, now ${current.version})`, { currentVersion: current.version });
          return saveOrgCorrelation(w, principal.orgId, current, change as never);
        });
      },
    );
  };
}
