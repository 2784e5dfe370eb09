import { Type } from 'typebox';
import { Body, Distribution, Id, JsonObject, ListQueryFields, SharingOut, Tlp } from '../kernel/http/schemas.js';
import { RUN_STATUSES } from './store/runs.js';
import { NETWORK_NAME_PATTERN } from './store/import.js';

/**
 * Request and response schemas of the water API. Scenario definitions, reports and PLC layouts are
 * checked by Vigil's own validators (they know the network), so they pass here as JSON objects.
 */
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const Version = Type.Integer({ minimum: 1 });

export const VersionQuery = Type.Object({ version: Type.Optional(Version) }, { additionalProperties: false });

const Placement = Body({
  centre: Body({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }),
  metresPerUnit: Type.Number({ exclusiveMinimum: 0 }),
  rotationDegrees: Type.Optional(Type.Number()),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
});

const Consumer = Body({
  node: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  assetId: Type.Optional(Id),
  minPressure: Type.Optional(Type.Number()),
});

export const NetworkImportBody = Body({
  name: Type.String({ pattern: NETWORK_NAME_PATTERN, description: 'short name, unique in your organisation; importing the same name again adds a version' }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  inp: Type.String({ minLength: 1, description: 'the EPANET .inp file, as text' }),
  layout: Type.Optional(JsonObject),
  placement: Type.Optional(Type.Union([Placement, Type.Null()])),
  consumers: Type.Optional(Type.Array(Consumer, { maxItems: 500 })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const Network = Type.Object({
  id: Id,
  name: Type.String(),
  title: Type.String(),
  version: Type.Integer(),
  shownVersion: Type.Integer(),
  stats: JsonObject,
  placement: Type.Union([JsonObject, Type.Null()]),
  consumers: Type.Array(JsonObject),
  scada: JsonObject,
  plcs: Type.Array(JsonObject),
  links: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), signals: Type.Array(Type.String()) }), { description: 'communication links of the PLC layout (what a sensor-spoof event may sit on)' }),
  ...SharingOut,
  createdAt: Time,
  updatedAt: Time,
  versionCreatedAt: Time,
});

export const ImportResult = Type.Object({
  network: Network,
  created: Type.Boolean(),
  unchanged: Type.Boolean(),
  assets: Type.Object({ created: Type.Integer(), linked: Type.Integer(), updated: Type.Integer(), unlinked: Type.Integer() }),
  assetIds: Type.Record(Type.String(), Type.String()),
});

export const NetworkVersions = Type.Object({
  items: Type.Array(Type.Object({ version: Type.Integer(), createdAt: Time, inpSha256: Type.String(), stats: JsonObject })),
});

export const NetworkQuery = Type.Object(
  { limit: ListQueryFields.limit, cursor: ListQueryFields.cursor, owner: ListQueryFields.owner, q: ListQueryFields.q },
  { additionalProperties: false },
);

export const GeoJsonOut = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    bbox: Type.Optional(Type.Array(Type.Number())),
    features: Type.Array(JsonObject),
    controls: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), link: Type.String(), text: Type.String() }), { description: "the network's simple controls ([CONTROLS]) as control-change events name them" }),
    ),
  },
  { additionalProperties: true },
);

export const Scenario = Type.Object({
  id: Id,
  networkId: Id,
  name: Type.String(),
  description: Type.String(),
  sourceIncidentId: Type.Union([Id, Type.Null()]),
  version: Type.Integer(),
  shownVersion: Type.Integer(),
  networkVersion: Type.Integer(),
  definition: JsonObject,
  ...SharingOut,
  createdAt: Time,
  updatedAt: Time,
  versionCreatedAt: Time,
});

export const NewScenario = Body({
  networkId: Id,
  definition: Type.Object({}, { additionalProperties: true, description: 'the scenario (docs/water.md "Scenario"): name, hours, events, ...' }),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const ScenarioRevision = Body({
  definition: Type.Object({}, { additionalProperties: true }),
  version: Type.Optional(Type.Integer({ description: 'the version you edited; a newer current version answers 409' })),
});

export const ScenarioFromIncident = Body({
  incidentId: Id,
  networkId: Type.Optional(Id),
  hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 336 })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const ScenarioQuery = Type.Object(
  {
    limit: ListQueryFields.limit,
    cursor: ListQueryFields.cursor,
    owner: ListQueryFields.owner,
    q: ListQueryFields.q,
    network: Type.Optional(Id),
    incident: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const ScenarioVersions = Type.Object({
  items: Type.Array(Type.Object({ version: Type.Integer(), networkVersion: Type.Integer(), name: Type.String(), createdAt: Time, createdByOrgId: Type.Union([Id, Type.Null()]) })),
});

export const RunBody = Type.Union([Body({ version: Type.Optional(Version) }), Type.Null()]);

export const Run = Type.Object({
  id: Id,
  scenarioId: Id,
  scenarioVersion: Type.Integer(),
  networkId: Id,
  networkVersion: Type.Integer(),
  status: Type.Enum(RUN_STATUSES),
  progress: Type.Number(),
  note: Type.String(),
  requestedByOrgId: Type.Union([Id, Type.Null()]),
  createdAt: Time,
  startedAt: NullableTime,
  finishedAt: NullableTime,
  failure: Type.Union([JsonObject, Type.Null()]),
  summary: Type.Union([JsonObject, Type.Null()]),
  results: Type.Object({ report: Type.Boolean(), series: Type.String(), seriesBytes: Type.Integer(), reportTimes: Type.Integer() }),
});

export const RunQuery = Type.Object(
  { limit: ListQueryFields.limit, cursor: ListQueryFields.cursor, scenario: Type.Optional(Id), status: Type.Optional(Type.Array(Type.Enum(RUN_STATUSES), { maxItems: 5 })) },
  { additionalProperties: false },
);

export const SeriesQuery = Type.Object(
  {
    node: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    link: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    points: Type.Optional(Type.Integer({ minimum: 2, maximum: 100000, description: 'at most this many points (largest-triangle decimation); default 500' })),
  },
  { additionalProperties: false },
);

export const SeriesOut = Type.Object({
  runId: Id,
  element: Type.String(),
  kind: Type.String(),
  type: Type.String(),
  points: Type.Integer(),
  returned: Type.Integer(),
  units: Type.Record(Type.String(), Type.String()),
  times: Type.Array(Type.Number()),
  series: Type.Record(Type.String(), Type.Array(Type.Union([Type.Number(), Type.Null()]))),
});

export const FramesQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'first report step (index into times)' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'last report step, included' })),
    every: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'keep every n-th step' })),
  },
  { additionalProperties: false },
);

export const FramesOut = Type.Object({
  runId: Id,
  encoding: Type.Literal('base64'),
  nodes: Type.Array(Type.String()),
  nodeTypes: Type.Object({ junctions: Type.Integer(), reservoirs: Type.Integer(), tanks: Type.Integer() }),
  legend: JsonObject,
  steps: Type.Array(Type.Integer()),
  times: Type.Array(Type.Number()),
  frames: Type.Array(Type.String()),
});

export const ImpactOut = Type.Object({
  runId: Id,
  status: Type.String(),
  scenario: JsonObject,
  summary: JsonObject,
  criticalConsumers: Type.Array(JsonObject),
  tanks: Type.Array(JsonObject),
  contamination: Type.Union([JsonObject, Type.Null()]),
  events: Type.Array(JsonObject),
  timeline: JsonObject,
  junctions: Type.Array(JsonObject),
  failure: Type.Union([JsonObject, Type.Null()]),
});

export const NewSweep = Body({
  networkId: Id,
  kind: Type.Enum(['pump-off', 'plc-spoof', 'n-1'] as const),
  settings: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'settings every scenario shares: hours, demandModel, pressure, criticalConsumers, ... (events are not allowed)' })),
  hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 336 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
  minDiameter: Type.Optional(Type.Number({ minimum: 0 })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const Sweep = Type.Object({
  id: Id,
  networkId: Id,
  networkVersion: Type.Integer(),
  kind: Type.String(),
  settings: JsonObject,
  status: Type.Enum(RUN_STATUSES),
  progress: Type.Number(),
  scenarios: Type.Integer(),
  note: Type.String(),
  result: Type.Union([JsonObject, Type.Null()]),
  failure: Type.Union([JsonObject, Type.Null()]),
  ...SharingOut,
  createdAt: Time,
  startedAt: NullableTime,
  finishedAt: NullableTime,
  updatedAt: Time,
  version: Type.Integer(),
});

export const SweepQuery = Type.Object({ limit: ListQueryFields.limit, cursor: ListQueryFields.cursor, network: Type.Optional(Id) }, { additionalProperties: false });
