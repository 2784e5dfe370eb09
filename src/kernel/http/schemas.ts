import { type TProperties, type TSchema, Type } from 'typebox';
import { DISTRIBUTION_SCOPES, TLP_LABELS } from '../sharing/policy.js';

/**
 * JSON schemas shared by every capability's routes (TypeBox: the schema is also the TypeScript type).
 * Request bodies are closed objects: an unknown field is a 400, not silently dropped.
 */
export function Body<P extends TProperties>(properties: P, options: { description?: string } = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export const Id = Type.String({ format: 'uuid', description: 'A record id (UUID)' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const Tlp = Type.Enum(TLP_LABELS, { description: 'FIRST TLP 2.0 label' });

export const Distribution = Type.Union(
  [
    Body({ scope: Type.Literal('owner') }),
    Body({ scope: Type.Literal('orgs'), orgIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }) }),
    Body({ scope: Type.Literal('group'), groupId: Id }),
    Body({ scope: Type.Literal('community') }),
    Body({ scope: Type.Literal('public') }),
  ],
  { description: `Who receives the record: one of ${DISTRIBUTION_SCOPES.join(', ')}` },
);

/** The sharing fields as they appear on every shared record in responses. */
export const SharingFields = {
  ownerOrgId: Id,
  tlp: Tlp,
  distribution: Distribution,
};

export const ShareBody = Body({ tlp: Type.Optional(Tlp), distribution: Distribution });

export const Time = Type.String({ format: 'date-time', description: 'RFC 3339 date-time' });

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
export const Geometry = Type.Union(
  [
    Body({ type: Type.Literal('Point'), coordinates: Position }),
    Body({ type: Type.Literal('MultiPoint'), coordinates: Type.Array(Position) }),
    Body({ type: Type.Literal('LineString'), coordinates: Type.Array(Position) }),
    Body({ type: Type.Literal('MultiLineString'), coordinates: Type.Array(Type.Array(Position)) }),
    Body({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Position)) }),
    Body({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Position))) }),
  ],
  { description: 'GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude' },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

/** Query parameters every list of shared records accepts. */
export const ListQueryFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat', maxLength: 200 })),
  owner: Type.Optional(Type.String({ description: 'owner organisation id or slug', maxLength: 100 })),
  q: Type.Optional(Type.String({ description: 'text search', maxLength: 200 })),
};

export const CountSchema = Type.Object({ count: Type.Integer() });

/** Response shapes: plain objects serialise fast; request schemas above are the strict ones. */
export const DistributionOut = Type.Object({
  scope: Type.Enum(DISTRIBUTION_SCOPES),
  orgIds: Type.Optional(Type.Array(Id)),
  groupId: Type.Optional(Id),
});
export const SharingOut = { ownerOrgId: Id, tlp: Tlp, distribution: DistributionOut };
export const GeometryOut = Type.Object(
  { type: Type.String(), coordinates: Type.Array(Type.Unknown()) },
  { description: 'GeoJSON geometry (RFC 7946)' },
);
export const JsonObject = Type.Object({}, { additionalProperties: true });
