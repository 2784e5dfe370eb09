import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { passwordProblem } from '../kernel/auth/index.js';
import { type VigilApp, actorFor, badRequest, conflict, forbidden, notFound, principalOf, requirePermission } from '../kernel/http/index.js';
import { IdParams, PageOf } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import { administersPlatform } from './model.js';
import {
  createApiToken,
  createOrganisation,
  createUser,
  findOrganisation,
  findSharingGroup,
  findUserByEmail,
  listApiTokens,
  listOrganisations,
  listSharingGroups,
  listUsers,
  revokeApiToken,
  saveSharingGroup,
  updateUser,
} from './queries.js';
import * as S from './schemas.js';

/** The directory of organisations, and each organisation's administration of its own users, tokens and groups. */
export function organisationRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;

    app.get(
      '/organisations',
      { schema: { tags: ['organisations'], summary: 'Every organisation on this Vigil (the directory used to share)', response: { 200: PageOf(S.Organisation) } } },
      async () => ({ items: await listOrganisations(db), nextCursor: null }),
    );

    app.post(
      '/organisations',
      { schema: { tags: ['organisations'], summary: 'Onboard an organisation (platform administrators only)', body: S.NewOrganisation, response: { 201: S.Organisation } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const own = (await findOrganisation(db, principal.orgId))!;
        if (!administersPlatform(own.kind, principal.role)) {
          throw forbidden('Only an administrator of an authority organisation may onboard organisations');
        }
        if (await findOrganisation(db, request.body.slug)) throw conflict(`An organisation with slug "${request.body.slug}" already exists`);
        const organisation = await kernel.write(actorFor(request), (w) => createOrganisation(w, request.body));
        return reply.code(201).send(organisation);
      },
    );

    app.get(
      '/users',
      { schema: { tags: ['organisations'], summary: "Your organisation's users (admins)", response: { 200: PageOf(S.User) } } },
      async (request) => ({ items: await listUsers(db, requirePermission(request, 'org:admin').orgId), nextCursor: null }),
    );

    app.post(
      '/users',
      { schema: { tags: ['organisations'], summary: 'Add a user to your organisation (admins)', body: S.NewUser, response: { 201: S.User } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'org:admin');
        const weak = passwordProblem(request.body.password);
        if (weak) throw badRequest(weak);
        if (await findUserByEmail(db, request.body.email)) throw conflict(`A user with email ${request.body.email} already exists`);
        const user = await kernel.write(actorFor(request), (w) => createUser(w, { ...request.body, orgId: principal.orgId }));
        return reply.code(201).send(user);
      },
    );

    app.patch(
      '/users/:id',
      { schema: { tags: ['organisations'], summary: 'Change a user of your organisation: role, name, disabled (admins)', params: IdParams, body: S.UserChange, response: { 200: S.User } } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        if (request.params.id === principal.userId && (request.body.disabled || (request.body.role && request.body.role !== 'admin'))) {
          throw badRequest('You cannot disable yourself or give up your own admin role; ask another admin');
        }
        const user = await kernel.write(actorFor(request), (w) => updateUser(w, principal.orgId, request.params.id, request.body));
        if (!user) throw notFound('user', request.params.id);
        return user;
      },
    );

    app.get(
      '/tokens',
      { schema: { tags: ['organisations'], summary: "Your organisation's API tokens, without their secrets (admins)", response: { 200: PageOf(S.ApiToken) } } },
      async (request) => ({ items: await listApiTokens(db, requirePermission(request, 'org:admin').orgId), nextCursor: null }),
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags: ['organisations'],
          summary: 'Create an API token for a machine of your organisation; the secret is shown once (admins)',
          body: S.NewApiToken,
          response: { 201: Type.Object({ token: Type.String(), apiToken: S.ApiToken }) },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'org:admin');
        const days = request.body.expiresInDays;
        const created = await kernel.write(actorFor(request), (w) =>
          createApiToken(w, {
            orgId: principal.orgId,
            name: request.body.name,
            role: request.body.role,
            expiresAt: days ? w.now + days * 86_400_000 : null,
          }),
        );
        return reply.code(201).send(created);
      },
    );

    app.delete(
      '/tokens/:id',
      { schema: { tags: ['organisations'], summary: 'Revoke an API token of your organisation (admins)', params: IdParams, response: { 200: S.ApiToken } } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const token = await kernel.write(actorFor(request), (w) => revokeApiToken(w, principal.orgId, request.params.id));
        if (!token) throw notFound('API token', request.params.id);
        return token;
      },
    );

    app.get(
      '/sharing-groups',
      { schema: { tags: ['sharing'], summary: 'The sharing groups your organisation belongs to', response: { 200: PageOf(S.SharingGroup) } } },
      async (request) => ({ items: await listSharingGroups(db, principalOf(request).orgId), nextCursor: null }),
    );

    app.post(
      '/sharing-groups',
      { schema: { tags: ['sharing'], summary: 'Create a sharing group owned by your organisation (admins)', body: S.SharingGroupInput, response: { 201: S.SharingGroup } } },
      async (request, reply) => {
        const principal = requirePermission(request, 'org:admin');
        await checkMembers(request.body.memberOrgIds);
        const group = await kernel.write(actorFor(request), (w) =>
          saveSharingGroup(w, { ownerOrgId: principal.orgId, name: request.body.name, description: request.body.description ?? '', memberOrgIds: request.body.memberOrgIds }),
        );
        return reply.code(201).send(group);
      },
    );

    app.get(
      '/sharing-groups/:id',
      { schema: { tags: ['sharing'], summary: 'One sharing group your organisation belongs to', params: IdParams, response: { 200: S.SharingGroup } } },
      async (request) => {
        const group = await findSharingGroup(db, request.params.id, principalOf(request).orgId);
        if (!group) throw notFound('sharing group', request.params.id);
        return group;
      },
    );

    app.put(
      '/sharing-groups/:id',
      { schema: { tags: ['sharing'], summary: 'Rename a sharing group or replace its members (the owning organisation’s admins)', params: IdParams, body: S.SharingGroupInput, response: { 200: S.SharingGroup } } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const group = await findSharingGroup(db, request.params.id, principal.orgId);
        if (!group) throw notFound('sharing group', request.params.id);
        if (group.ownerOrgId !== principal.orgId) throw forbidden('Only the organisation that owns a sharing group manages it');
        await checkMembers(request.body.memberOrgIds);
        return kernel.write(actorFor(request), (w) =>
          saveSharingGroup(w, { id: group.id, ownerOrgId: principal.orgId, name: request.body.name, description: request.body.description ?? '', memberOrgIds: request.body.memberOrgIds }),
        );
      },
    );

    async function checkMembers(orgIds: string[]): Promise<void> {
      if (orgIds.length === 0) return;
      const known = await db.selectFrom('organisations').select('id').where('id', 'in', orgIds).execute();
      const missing = orgIds.filter((id) => !known.some((k) => k.id === id));
      if (missing.length > 0) throw badRequest(`These organisations do not exist: ${missing.join(', ')}`);
    }
  };
}
