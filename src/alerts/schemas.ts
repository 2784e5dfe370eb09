import { Type } from 'typebox';
import { Body, Distribution, Geometry, GeometryOut, Id, JsonObject, ListQueryFields, SharingOut, Tlp } from '../kernel/http/schemas.js';
import { ALERT_CATEGORIES, ALERT_STATUSES, SEVERITIES } from './model.js';

export const Category = Type.Enum(ALERT_CATEGORIES);
export const Severity = Type.Enum(SEVERITIES);
export const Status = Type.Enum(ALERT_STATUSES);

export const Alert = Type.Object({
  id: Id,
  source: Type.String(),
  category: Category,
  severity: Severity,
  status: Status,
  title: Type.String(),
  description: Type.String(),
  time: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  count: Type.Integer({ description: 'how many times it was raised while open (deduplication)' }),
  location: Type.Union([GeometryOut, Type.Null()]),
  assetIds: Type.Array(Id),
  evidence: JsonObject,
  dedupKey: Type.Union([Type.String(), Type.Null()]),
  ...SharingOut,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

export const NewAlert = Body({
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'what raised it: a detector, an integration, a person' })),
  category: Category,
  severity: Severity,
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 20000 })),
  time: Type.Optional(Type.String({ format: 'date-time' })),
  location: Type.Optional(Type.Union([Geometry, Type.Null()])),
  assetIds: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
  evidence: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  dedupKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const AlertChange = Body({
  status: Type.Optional(Status),
  severity: Type.Optional(Severity),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  description: Type.Optional(Type.String({ maxLength: 20000 })),
  version: Type.Optional(Type.Integer({ description: 'the version you edited; a different current version answers 409' })),
});

export const AlertQuery = Type.Object(
  {
    ...ListQueryFields,
    severity: Type.Optional(Type.Array(Severity, { maxItems: 5 })),
    minSeverity: Type.Optional(Severity),
    status: Type.Optional(Type.Array(Status, { maxItems: 4 })),
    category: Type.Optional(Type.Array(Category, { maxItems: 6 })),
    asset: Type.Optional(Id),
  },
  { additionalProperties: false },
);
