import { Type } from 'typebox';
import { Body, Distribution, Geometry, GeometryOut, Id, JsonObject, ListQueryFields, SharingOut, Tlp } from '../kernel/http/schemas.js';
import { ASSET_TYPE_PATTERN, DEPENDENCY_KINDS } from './model.js';

const Dependency = Body({ kind: Type.Enum(DEPENDENCY_KINDS), assetId: Id });

export const Asset = Type.Object({
  id: Id,
  name: Type.String(),
  type: Type.String(),
  criticality: Type.Integer(),
  geometry: Type.Union([GeometryOut, Type.Null()]),
  attributes: JsonObject,
  dependencies: Type.Array(Type.Object({ kind: Type.String(), assetId: Id })),
  ...SharingOut,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

const editable = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  type: Type.String({ pattern: ASSET_TYPE_PATTERN, description: 'pump, tank, valve, plc, scada-server, substation, hospital, station, …' }),
  criticality: Type.Integer({ minimum: 1, maximum: 5 }),
  geometry: Type.Union([Geometry, Type.Null()]),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  dependencies: Type.Array(Dependency, { maxItems: 200 }),
};

export const NewAsset = Body({
  name: editable.name,
  type: editable.type,
  criticality: Type.Optional(editable.criticality),
  geometry: Type.Optional(editable.geometry),
  attributes: Type.Optional(editable.attributes),
  dependencies: Type.Optional(editable.dependencies),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const AssetChange = Body({
  name: Type.Optional(editable.name),
  type: Type.Optional(editable.type),
  criticality: Type.Optional(editable.criticality),
  geometry: Type.Optional(editable.geometry),
  attributes: Type.Optional(editable.attributes),
  dependencies: Type.Optional(editable.dependencies),
  version: Type.Optional(Type.Integer({ description: 'the version you edited; a different current version answers 409' })),
});

export const AssetQuery = Type.Object(
  {
    ...ListQueryFields,
    type: Type.Optional(Type.Array(Type.String({ pattern: ASSET_TYPE_PATTERN }), { maxItems: 50 })),
    minCriticality: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  },
  { additionalProperties: false },
);
