import { Type } from 'typebox';
import { Body, Id } from '../kernel/http/schemas.js';
import { KEY_PATTERN, KIND_PATTERN, REJECTION_REASONS } from './model.js';

const Range = Type.Object({ min: Type.Number(), max: Type.Number() });

export const Datastream = Type.Object({
  id: Id,
  key: Type.String(),
  kind: Type.String(),
  unit: Type.String(),
  assetId: Type.Union([Id, Type.Null()]),
  ownerOrgId: Id,
  expectedRange: Type.Union([Range, Type.Null()]),
  lastObservationAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const NewDatastream = Body({
  key: Type.String({ pattern: KEY_PATTERN, description: 'unique in your organisation; the last level of its MQTT topic (e.g. L_T1)' }),
  kind: Type.String({ pattern: KIND_PATTERN, description: 'level, flow, pressure, status, power, temperature, gas, crowd-count, intrusion, …' }),
  unit: Type.Optional(Type.String({ maxLength: 40 })),
  assetId: Type.Optional(Type.Union([Id, Type.Null()])),
  expectedRange: Type.Optional(Type.Union([Body({ min: Type.Number(), max: Type.Number() }), Type.Null()])),
});

export const DatastreamQuery = Type.Object(
  {
    asset: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const SeriesQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    resolution: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('raw'), Type.Literal('minute'), Type.Literal('hour')], { default: 'auto' })),
  },
  { additionalProperties: false },
);

export const AlarmQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);

export const ObservationsQuery = Type.Object(
  {
    source: Type.Optional(Type.Literal('replay', { description: '`replay` marks readings sent by `vigil replay`, so ingestion health counts them apart from other HTTP senders; they are stored and assessed alike' })),
  },
  { additionalProperties: false },
);

export const Series = Type.Object({
  datastreamId: Id,
  resolution: Type.String(),
  bucketSeconds: Type.Integer({ description: 'width of one point; 0 for raw readings' }),
  truncated: Type.Boolean({ description: 'true when raw readings were cut at 10,000 points' }),
  points: Type.Array(
    Type.Object({
      t: Type.String(),
      v: Type.Number(),
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
      count: Type.Optional(Type.Integer()),
      q: Type.Optional(Type.String()),
    }),
  ),
});

export const IngestResult = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.Enum(REJECTION_REASONS), detail: Type.String() })),
});

export const Rejections = Type.Object({
  counts: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer(), lastAt: Type.String(), lastDetail: Type.String() })),
  recent: Type.Array(
    Type.Object({ at: Type.String(), reason: Type.String(), stream: Type.Union([Type.String(), Type.Null()]), detail: Type.String(), payload: Type.String() }),
  ),
});
