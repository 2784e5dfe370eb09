import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { DEMO_PASSWORD } from '../kernel/config.js';
import { LoginThrottle, burnPasswordCheck, closeSession, openSession, roleAllows, verifyPassword, type Permission } from '../kernel/auth/index.js';
import { Problem, principalOf, unauthorized, type VigilApp } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';
import { administersPlatform } from './model.js';
import { findOrganisation, findUserByEmail, userOf } from './queries.js';
import * as S from './schemas.js';

const PERMISSIONS: Permission[] = ['records:write', 'records:share', 'records:contribute', 'org:admin', 'intel:write'];

/** Sign-in with a password, sign-out, and who am I. */
export function authRoutes(kernel: Kernel): FastifyPluginAsync {
  const { config } = kernel;
  const throttle = new LoginThrottle(
    { perAccount: config.loginMaxFailures, perAddress: config.loginMaxFailuresPerAddress, windowMs: config.loginWindowSeconds * 1000 },
    kernel.clock,
  );

  return async (plain) => {
    const app = plain as VigilApp;
    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with email and password; returns a bearer session token',
          security: [],
          body: S.Login,
          response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: S.User, organisation: S.Organisation }) },
        },
      },
      async (request) => {
        const email = request.body.email.trim().toLowerCase();
        const address = request.ip;
        const wait = throttle.retryAfter(email, address);
        if (wait > 0) {
          const seconds = Math.ceil(wait / 1000);
          await kernel.write({ orgId: null, userId: null, tokenId: null, address }, (w) =>
            w.audit({ orgId: null, action: 'login.throttled', details: { email } }),
          );
          throw new Problem(429, `Too many failed sign-ins for this account or address; try again in ${seconds} s`, { retryAfterSeconds: seconds });
        }
        const row = await findUserByEmail(kernel.store.db, email);
        let ok = false;
        if (!row || row.disabled === 1) await burnPasswordCheck(request.body.password);
        else ok = await verifyPassword(row.password_hash, request.body.password);
        // A database that once ran the demo keeps its demo accounts; outside demo mode their well-known password opens nothing.
        if (ok && !config.demo && request.body.password === DEMO_PASSWORD) ok = false;
        if (!ok || !row) {
          throttle.recordFailure(email, address);
          await kernel.write({ orgId: null, userId: row?.id ?? null, tokenId: null, address }, (w) =>
            w.audit({ orgId: row?.org_id ?? null, action: 'login.failed', details: { email } }),
          );
          throw unauthorized('The email or password is wrong');
        }
        throttle.recordSuccess(email);
        const session = await openSession(kernel.store.db, row.id, kernel.clock(), config.sessionTtlSeconds);
        await kernel.write({ orgId: row.org_id, userId: row.id, tokenId: null, address }, (w) =>
          w.audit({ action: 'login', targetKind: 'user', targetId: row.id, details: { email } }),
        );
        const organisation = (await findOrganisation(kernel.store.db, row.org_id))!;
        return { token: session.token, expiresAt: new Date(session.expiresAt).toISOString(), user: userOf(row), organisation };
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null() } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const header = request.headers.authorization ?? '';
        if (principal.kind === 'user' && header.startsWith('Bearer ')) await closeSession(kernel.store.db, header.slice(7).trim());
        await kernel.write({ orgId: principal.orgId, userId: principal.userId, tokenId: principal.tokenId, address: request.ip }, (w) =>
          w.audit({ action: 'logout' }),
        );
        return reply.code(204).send(null);
      },
    );

    app.get('/me', { schema: { tags: ['auth'], summary: 'The signed-in user or token, its organisation and rights', response: { 200: S.Me } } }, async (request) => {
      const principal = principalOf(request);
      const organisation = (await findOrganisation(kernel.store.db, principal.orgId))!;
      const userRow = principal.userId
        ? await kernel.store.db.selectFrom('users').selectAll().where('id', '=', principal.userId).executeTakeFirst()
        : undefined;
      return {
        user: userRow ? userOf(userRow) : null,
        organisation,
        role: principal.role,
        permissions: PERMISSIONS.filter((p) => roleAllows(principal.role, p)),
        administersPlatform: administersPlatform(organisation.kind, principal.role),
        demo: config.demo,
      };
    });
  };
}
