import { Type } from 'typebox';
import { Body, Distribution, Id, JsonObject, ListQueryFields, SharingOut, Tlp } from '../kernel/http/schemas.js';
import { routingSchemas } from '../routing/index.js';
import { UNIT_STATUSES, UNIT_TYPE_PATTERN } from './model.js';

const Status = Type.Enum(UNIT_STATUSES);
const UnitType = Type.String({ pattern: UNIT_TYPE_PATTERN, description: 'fire-engine, ladder-truck, rescue, hazmat, ambulance, police-car, repair-crew, …' });
const Coordinates = Type.Array(Type.Number(), { minItems: 2, maxItems: 2 });
const LineString = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Coordinates) });
const Time = Type.String({ format: 'date-time' });

export const PositionOut = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  at: Time,
  headingDeg: Type.Union([Type.Number(), Type.Null()]),
  speedKmh: Type.Union([Type.Number(), Type.Null()]),
  accuracyM: Type.Union([Type.Number(), Type.Null()]),
});

export const AssignmentOut = Type.Object({
  incidentId: Id,
  dispatchedAt: Time,
  dispatchedByOrgId: Type.Union([Id, Type.Null()]),
  etaS: Type.Union([Type.Number(), Type.Null()]),
  distanceM: Type.Union([Type.Number(), Type.Null()]),
  routeStatus: Type.String({ description: 'found, no-position, too-far-from-road, unreachable, no-road-graph' }),
  route: Type.Union([LineString, Type.Null()]),
  onSceneAt: Type.Union([Time, Type.Null()]),
});

export const Unit = Type.Object({
  id: Id,
  name: Type.String(),
  type: Type.String(),
  status: Status,
  profile: routingSchemas.Profile,
  homeStationId: Type.Union([Id, Type.Null()]),
  position: Type.Union([PositionOut, Type.Null()], { description: 'last AVL position; null until the unit reports one' }),
  assignment: Type.Union([AssignmentOut, Type.Null()], { description: 'where it was sent; shown only when you may see that incident too' }),
  dispatcherOrgIds: Type.Array(Id, { description: 'organisations besides the owner that may dispatch it (mutual aid)' }),
  attributes: JsonObject,
  ...SharingOut,
  createdAt: Time,
  updatedAt: Time,
  version: Type.Integer(),
});

const PositionFields = {
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  at: Type.Optional(Type.Union([Time, Type.Integer({ description: 'epoch milliseconds' })], { description: 'when the vehicle was there; default now' })),
  headingDeg: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 360 }), Type.Null()])),
  speedKmh: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 400 }), Type.Null()])),
  accuracyM: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()])),
};

export const NewPosition = Body(PositionFields);
export const PositionBatch = Body({ positions: Type.Array(Body({ unitId: Type.String({ maxLength: 60 }), ...PositionFields }), { minItems: 1, maxItems: 1000 }) });

export const PositionResult = Type.Object({
  unitId: Type.String(),
  accepted: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: 'invalid, future, stale, not-found, not-yours, forbidden' })),
  detail: Type.Optional(Type.String()),
});
export const PositionBatchResult = Type.Object({ accepted: Type.Integer(), rejected: Type.Array(PositionResult) });
export const PositionAnswer = Type.Object({ accepted: Type.Boolean(), reason: Type.Optional(Type.String()), detail: Type.Optional(Type.String()), unit: Unit });

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: UnitType,
  profile: routingSchemas.Profile,
  homeStationId: Type.Union([Id, Type.Null()], { description: 'the station (an asset) the unit belongs to' }),
  dispatcherOrgIds: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
  attributes: Type.Record(Type.String(), Type.Unknown()),
};

export const NewUnit = Body({
  name: editable.name,
  type: editable.type,
  profile: Type.Optional(editable.profile),
  status: Type.Optional(Type.Union([Type.Literal('available'), Type.Literal('out-of-service')])),
  homeStationId: Type.Optional(editable.homeStationId),
  dispatcherOrgIds: Type.Optional(editable.dispatcherOrgIds),
  attributes: Type.Optional(editable.attributes),
  position: Type.Optional(Body({ lon: PositionFields.lon, lat: PositionFields.lat })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const UnitChange = Body({
  name: Type.Optional(editable.name),
  type: Type.Optional(editable.type),
  profile: Type.Optional(editable.profile),
  homeStationId: Type.Optional(editable.homeStationId),
  dispatcherOrgIds: Type.Optional(editable.dispatcherOrgIds),
  attributes: Type.Optional(editable.attributes),
  version: Type.Optional(Type.Integer({ description: 'the version you edited; a different current version answers 409' })),
});

export const StatusReport = Body({
  status: Type.Union([Type.Literal('on-scene'), Type.Literal('available'), Type.Literal('out-of-service')]),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});

export const UnitQuery = Type.Object(
  {
    limit: ListQueryFields.limit,
    cursor: ListQueryFields.cursor,
    bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (units with a position inside)', maxLength: 200 })),
    owner: ListQueryFields.owner,
    q: ListQueryFields.q,
    type: Type.Optional(Type.Array(UnitType, { maxItems: 50 })),
    status: Type.Optional(Type.Array(Status, { maxItems: 4 })),
    incident: Type.Optional(Id),
  },
  { additionalProperties: false },
);

const UnitEta = Type.Object({
  unitId: Id,
  name: Type.String(),
  type: Type.String(),
  status: Type.String(),
  ownerOrgId: Id,
  profile: Type.String(),
  etaS: Type.Number(),
  distanceM: Type.Number(),
  position: PositionOut,
  positionAgeS: Type.Number(),
  offRoadM: Type.Number(),
  geometry: Type.Optional(LineString),
});

export const DispatchQuery = Type.Object(
  {
    types: Type.Optional(Type.String({ maxLength: 400, description: 'unit types, comma separated (default: every type)' })),
    perType: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 3, description: 'how many units to recommend per type' })),
  },
  { additionalProperties: false },
);

export const DispatchRecommendation = Type.Object({
  incidentId: Id,
  target: Type.Object({ lon: Type.Number(), lat: Type.Number(), roadName: Type.String(), offRoadM: Type.Number() }),
  byType: Type.Array(Type.Object({ type: Type.String(), units: Type.Array(UnitEta) })),
  ranked: Type.Array(UnitEta),
  unranked: Type.Array(
    Type.Object({ unitId: Id, name: Type.String(), type: Type.String(), reason: Type.String({ description: 'no-position, too-far-from-road, unreachable' }), distanceM: Type.Optional(Type.Number()) }),
  ),
  busy: Type.Array(Type.Object({ unitId: Id, name: Type.String(), type: Type.String(), status: Type.String() })),
  engine: Type.String(),
  closuresHonoured: Type.Integer(),
  computedAt: Time,
});

export const DispatchRequest = Body({
  unitId: Id,
  reassign: Type.Optional(Type.Boolean({ description: 'take the unit from the incident it is working on' })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});

const DispatchRoute = Type.Object({ travelTimeS: Type.Number(), distanceM: Type.Number(), geometry: routingSchemas.LineStringOut, steps: Type.Array(routingSchemas.Step) });

export const DispatchAnswer = Type.Object({
  unit: Unit,
  route: Type.Union([DispatchRoute, Type.Null()], { description: 'the route planned at dispatch, with turn-by-turn steps for the crew; null without one (see assignment.routeStatus)' }),
  timelineEntry: Type.Object({ id: Id, incidentId: Id, at: Time, kind: Type.String(), text: Type.String(), data: JsonObject }),
});
