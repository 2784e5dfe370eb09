import { Type } from 'typebox';
import { ROLES } from '../kernel/auth/index.js';
import { Body, Distribution, Id, Tlp } from '../kernel/http/schemas.js';
import { ORGANISATION_KINDS, SECTORS, SLUG_PATTERN } from './model.js';

export const Role = Type.Enum(ROLES);
export const Sector = Type.Enum(SECTORS);
export const OrganisationKind = Type.Enum(ORGANISATION_KINDS);
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const OrganisationSettings = Body({
  defaultTlp: Type.Optional(Tlp),
  defaultDistribution: Type.Optional(Distribution),
  autoCreateDatastreams: Type.Optional(Type.Boolean()),
});

export const Organisation = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  sector: Sector,
  kind: OrganisationKind,
  settings: Type.Object({}, { additionalProperties: true }),
  createdAt: DateTime,
});

export const NewOrganisation = Body({
  slug: Type.String({ pattern: SLUG_PATTERN, description: 'lower-case letters, digits and dashes' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  sector: Sector,
  kind: OrganisationKind,
  settings: Type.Optional(OrganisationSettings),
});

export const User = Type.Object({
  id: Id,
  orgId: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  createdAt: DateTime,
});

export const NewUser = Body({
  email: Type.String({ format: 'email', maxLength: 320 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Role,
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const UserChange = Body({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  role: Type.Optional(Role),
  disabled: Type.Optional(Type.Boolean()),
});

export const ApiToken = Type.Object({
  id: Id,
  orgId: Id,
  name: Type.String(),
  role: Role,
  prefix: Type.String(),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
});

export const NewApiToken = Body({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Role,
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});

export const SharingGroup = Type.Object({
  id: Id,
  ownerOrgId: Id,
  name: Type.String(),
  description: Type.String(),
  memberOrgIds: Type.Array(Id),
  createdAt: DateTime,
});

export const SharingGroupInput = Body({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  memberOrgIds: Type.Array(Id, { maxItems: 1000, uniqueItems: true }),
});

export const Login = Body({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

export const Me = Type.Object({
  user: Type.Union([User, Type.Null()]),
  organisation: Organisation,
  role: Role,
  permissions: Type.Array(Type.String()),
  administersPlatform: Type.Boolean(),
  demo: Type.Boolean(),
});
