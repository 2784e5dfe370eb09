import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { type Permission, roleAllows } from '../auth/roles.js';
import { type Actor, actorOf } from '../kernel.js';
import { forbidden, unauthorized } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, set by the kernel before any handler runs; null for anonymous requests. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The route answers without authentication (login, health, public feeds). Everything else needs it. */
    public?: boolean;
    /** The route also accepts the token as `?token=` (EventSource cannot send headers). */
    queryToken?: boolean;
  }
}

const PERMISSION_TEXT: Record<Permission, string> = {
  'records:write': 'create or change records',
  'records:share': 'share records',
  'records:contribute': 'add notes or complete tasks',
  'org:admin': "administer the organisation's users, tokens and sharing groups",
  'intel:write': 'manage threat intelligence',
};

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

export function requirePermission(request: FastifyRequest, permission: Permission): Principal {
  const principal = principalOf(request);
  if (!roleAllows(principal.role, permission)) {
    throw forbidden(`Your role (${principal.role}) may not ${PERMISSION_TEXT[permission]}`);
  }
  return principal;
}

export function actorFor(request: FastifyRequest): Actor {
  return actorOf(principalOf(request), request.ip);
}
