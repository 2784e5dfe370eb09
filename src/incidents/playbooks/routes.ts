import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type VigilApp, Problem, actorFor, conflict, forbidden, initialSharing, notFound, principalOf, requirePermission, shareRoute } from '../../kernel/http/index.js';
import { IdParams } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Playbook } from './model.js';
import * as S from './schemas.js';
import { createPlaybook, definitionOf, deletePlaybook, getPlaybook, listPlaybooks, ownSlugTaken, replacePlaybook } from './store.js';
import { checkPlaybook } from './validate.js';
import { PlaybookFormatError, type LocatedProblem, readPlaybookYaml, writePlaybookYaml } from './yaml.js';

export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
const YAML_LIMIT = 1_000_000;

/** Reads a playbook from a YAML or JSON body, or answers 422 listing every problem with its place. */
export function playbookFromBody(body: unknown): Playbook {
  let problems: LocatedProblem[];
  if (typeof body === 'string') {
    try {
      return readPlaybookYaml(body, 'body');
    } catch (error) {
      if (!(error instanceof PlaybookFormatError)) throw error;
      problems = error.problems;
    }
  } else {
    const checked = checkPlaybook(body);
    if (checked.ok) return checked.playbook;
    problems = checked.problems.map((p) => ({ path: pathText(p.path), line: null, column: null, message: p.message }));
  }
  throw new Problem(422, `The playbook has ${problems.length} problem(s): ${problems.map((p) => (p.line !== null ? `line ${p.line} ` : '') + `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`, { problems });
}

function pathText(path: Array<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function wantsYaml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return YAML_TYPES.some((t) => accept.includes(t));
}

function sendYaml(reply: FastifyReply, playbook: Playbook) {
  return reply.type('application/yaml; charset=utf-8').send(writePlaybookYaml(playbook));
}

/** `/api/v1/playbooks`: each organisation's procedures, YAML or JSON in and out, shared under the policy. */
export function playbookRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;
    app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: YAML_LIMIT }, (_request, body, done) => done(null, body));

    app.get('/playbooks', { schema: { tags: ['playbooks'], summary: 'Playbooks you may use (your own and those shared with you)', querystring: S.PlaybookQuery, response: { 200: S.PlaybookList } } }, async (request) => {
      return { items: await listPlaybooks(db, principalOf(request), request.query.incidentType) };
    });

    app.get(
      '/playbooks/:id',
      { schema: { tags: ['playbooks'], summary: 'One playbook, as JSON or (Accept: application/yaml) as YAML', params: IdParams, response: { 200: S.Playbook } } },
      async (request, reply) => {
        const playbook = await getPlaybook(db, principalOf(request), request.params.id);
        if (!playbook) throw notFound('playbook', request.params.id);
        if (wantsYaml(request)) return sendYaml(reply, definitionOf(playbook));
        return playbook;
      },
    );

    app.post(
      '/playbooks',
      {
        schema: {
          tags: ['playbooks'],
          summary: 'Add a playbook for your organisation (YAML as application/yaml, or the same fields as JSON)',
          description: 'An invalid playbook (cycles, missing steps, unknown roles, …) answers 422 with `problems`: each with its path, line and message.',
          response: { 201: S.Playbook, 422: S.PlaybookProblem },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const playbook = playbookFromBody(request.body);
        const sharing = await initialSharing(db, principal, {});
        const stored = await kernel.write(actorFor(request), async (w) => {
          if (await ownSlugTaken(w.tx, principal.orgId, playbook.id)) throw conflict(`Your organisation already has a playbook "${playbook.id}": change it with PUT`);
          return createPlaybook(w, playbook, sharing);
        });
        return reply.code(201).send(stored);
      },
    );

    app.put(
      '/playbooks/:id',
      {
        schema: {
          tags: ['playbooks'],
          summary: "Replace a playbook of your organisation with a new version (runs already started keep theirs)",
          params: IdParams,
          response: { 200: S.Playbook, 422: S.PlaybookProblem },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const playbook = playbookFromBody(request.body);
        return kernel.write(actorFor(request), async (w) => {
          const current = await getPlaybook(w.tx, principal, request.params.id);
          if (!current) throw notFound('playbook', request.params.id);
          if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may change this playbook; import your own copy instead');
          if (playbook.id !== current.slug) throw new Problem(422, `The YAML's id "${playbook.id}" is not this playbook's ("${current.slug}")`, { problems: [{ path: 'id', line: null, column: null, message: `must be "${current.slug}"` }] });
          return replacePlaybook(w, current, playbook);
        });
      },
    );

    app.delete('/playbooks/:id', { schema: { tags: ['playbooks'], summary: 'Remove a playbook of your organisation (runs already started can finish)', params: IdParams } }, async (request, reply) => {
      const principal = requirePermission(request, 'records:write');
      await kernel.write(actorFor(request), async (w) => {
        const current = await getPlaybook(w.tx, principal, request.params.id);
        if (!current) throw notFound('playbook', request.params.id);
        if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may remove this playbook');
        await deletePlaybook(w, current);
      });
      return reply.code(204).send();
    });

    shareRoute(app, kernel, { kind: 'playbook', table: 'playbooks', path: '/playbooks', response: S.Playbook, load: getPlaybook });
  };
}
