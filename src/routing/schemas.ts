import { Type } from 'typebox';
import { Body, Distribution, Geometry, GeometryOut, Id, ListQueryFields, SharingOut, Tlp } from '../kernel/http/schemas.js';
import { CLOSURE_STATUSES } from './closure-queries.js';
import { PROFILE_NAMES } from './profiles.js';

export const Profile = Type.Enum(PROFILE_NAMES, { description: 'car (planning speeds, car access) or emergency (bus lanes, posted speed × factor)' });
const LonLatText = Type.String({ maxLength: 60, description: 'lon,lat in WGS 84 degrees, e.g. 7.4246,43.7384' });
const Coordinates = Type.Array(Type.Number(), { minItems: 2, maxItems: 2 });
export const LineStringOut = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Coordinates) });

export const SnappedPoint = Type.Object(
  { lon: Type.Number(), lat: Type.Number(), distanceM: Type.Number({ description: 'from the asked point to the road' }), roadName: Type.String() },
  { description: 'Where a point met the road network' },
);

export const Step = Type.Object({
  maneuver: Type.String({ description: 'depart, turn, continue, roundabout, arrive (OSRM words)' }),
  modifier: Type.Optional(Type.String()),
  exit: Type.Optional(Type.Integer()),
  name: Type.String(),
  instruction: Type.String(),
  distanceM: Type.Number(),
  durationS: Type.Number(),
  location: Coordinates,
});

export const RouteQuery = Type.Object(
  { from: LonLatText, to: LonLatText, profile: Type.Optional(Profile) },
  { additionalProperties: false },
);

export const RouteAnswer = Type.Object({
  status: Type.Union([Type.Literal('found'), Type.Literal('unreachable')]),
  profile: Profile,
  travelTimeS: Type.Optional(Type.Number()),
  distanceM: Type.Optional(Type.Number()),
  geometry: Type.Optional(LineStringOut),
  steps: Type.Optional(Type.Array(Step)),
  from: SnappedPoint,
  to: SnappedPoint,
  message: Type.Optional(Type.String()),
  engine: Type.Optional(Type.String({ description: 'hierarchy, or dijkstra when a closure lay on the fastest open route' })),
  closuresHonoured: Type.Integer({ description: 'closures in force that you may see, all honoured by this answer' }),
});

export const IsochroneQuery = Type.Object(
  {
    at: LonLatText,
    minutes: Type.String({ maxLength: 60, description: 'one to eight durations in minutes, e.g. 3,6,9' }),
    profile: Type.Optional(Profile),
  },
  { additionalProperties: false },
);

export const IsochroneAnswer = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        properties: Type.Object({ minutes: Type.Number(), areaKm2: Type.Number() }),
        geometry: GeometryOut,
      }),
    ),
    profile: Profile,
    origin: SnappedPoint,
    closuresHonoured: Type.Integer(),
  },
  { description: 'GeoJSON FeatureCollection of MultiPolygons (largest time first is not guaranteed: read properties.minutes)' },
);

export const RoadsStatus = Type.Object({
  state: Type.String({ description: 'starting, building (first start of the demo city), ready, missing' }),
  graph: Type.Union([
    Type.Object({
      source: Type.String(),
      importedAt: Type.String(),
      stats: Type.Object({ nodes: Type.Integer(), segments: Type.Integer(), barriers: Type.Integer() }, { additionalProperties: true }),
      contractionMs: Type.Record(Type.String(), Type.Number()),
    }),
    Type.Null(),
  ]),
  loadedAt: Type.Union([Type.String(), Type.Null()]),
  lastLoad: Type.Union([
    Type.Object({ at: Type.String(), outcome: Type.String(), reason: Type.String(), error: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  closures: Type.Integer({ description: 'closures held by the router (not yet over)' }),
  attribution: Type.String(),
});

export const Closure = Type.Object({
  id: Id,
  reason: Type.String(),
  geometry: GeometryOut,
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Enum(CLOSURE_STATUSES),
  incidentId: Type.Union([Id, Type.Null()]),
  roadsClosed: Type.Union([Type.Integer(), Type.Null()], { description: 'road segments closed on the graph in service (null: no graph loaded)' }),
  ...SharingOut,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

export const NewClosure = Body({
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  geometry: Type.Optional(Geometry),
  incidentId: Type.Optional(Id),
  startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
  endsAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'default: until ended' })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const EndClosure = Body({ note: Type.Optional(Type.String({ maxLength: 500 })) });

export const ClosureQuery = Type.Object(
  {
    limit: ListQueryFields.limit,
    cursor: ListQueryFields.cursor,
    bbox: ListQueryFields.bbox,
    owner: ListQueryFields.owner,
    q: ListQueryFields.q,
    status: Type.Optional(Type.Array(Type.Enum(CLOSURE_STATUSES), { maxItems: 3, description: 'scheduled, active, ended (repeatable)' })),
    incident: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const ClosedRoads = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('MultiLineString'), coordinates: Type.Array(Type.Array(Coordinates)) }),
  properties: Type.Object({ closureId: Id, roads: Type.Integer(), status: Type.String() }),
});
