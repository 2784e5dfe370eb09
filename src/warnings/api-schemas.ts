import { Type } from 'typebox';
import { Body, Distribution, Id, JsonObject, ProblemSchema, SharingOut, Time, Tlp } from '../kernel/http/schemas.js';
import { CATEGORIES, CERTAINTIES, RESPONSE_TYPES, SEVERITIES, STATUSES, URGENCIES } from './model.js';
import { TEMPLATE_LANGUAGES } from './templates.js';

/**
 * Request and response schemas of the warnings API (TypeBox). A message's content is CAP's own structure in
 * JSON, with CAP's element names; areas may also be given as shapes (AreaSpec) that the server turns into
 * CAP polygons and circles.
 */

const Text = (max = 20_000) => Type.String({ maxLength: max });
const Language = Type.Enum(TEMPLATE_LANGUAGES, { description: 'a language the templates are written in' });
export const Localized = Type.Union([Type.String({ minLength: 1, maxLength: 2000 }), Type.Record(Language, Type.String({ minLength: 1, maxLength: 2000 }))], {
  description: 'one text for every language, or one per language ({"fr": …, "en": …})',
});

const ValuePair = Body({ valueName: Type.String({ minLength: 1, maxLength: 200 }), value: Text(2000) });
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[longitude, latitude] (GeoJSON order)' });

export const CapArea = Body({
  areaDesc: Type.String({ minLength: 1, maxLength: 2000 }),
  polygon: Type.Optional(Type.Array(Type.String({ maxLength: 200_000 }), { maxItems: 100, description: 'CAP polygons: "lat,lon lat,lon …", closed' })),
  circle: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100, description: 'CAP circles: "lat,lon radius-km"' })),
  geocode: Type.Optional(Type.Array(ValuePair, { maxItems: 100 })),
  altitude: Type.Optional(Type.Number()),
  ceiling: Type.Optional(Type.Number()),
});

const Resource = Body({
  resourceDesc: Type.String({ minLength: 1, maxLength: 2000 }),
  mimeType: Type.String({ minLength: 1, maxLength: 200 }),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
  uri: Type.Optional(Text(2000)),
  derefUri: Type.Optional(Type.String({ maxLength: 1_000_000 })),
  digest: Type.Optional(Text(200)),
});

export const CapInfo = Body({
  language: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$', maxLength: 35 })),
  category: Type.Array(Type.Enum(CATEGORIES), { minItems: 1, maxItems: 12 }),
  event: Type.String({ minLength: 1, maxLength: 500 }),
  responseType: Type.Optional(Type.Array(Type.Enum(RESPONSE_TYPES), { maxItems: 9 })),
  urgency: Type.Enum(URGENCIES),
  severity: Type.Enum(SEVERITIES),
  certainty: Type.Enum(CERTAINTIES),
  audience: Type.Optional(Text(2000)),
  eventCode: Type.Optional(Type.Array(ValuePair, { maxItems: 50 })),
  effective: Type.Optional(Type.String({ maxLength: 40, description: 'CAP dateTime, e.g. 2026-07-14T11:30:00+02:00' })),
  onset: Type.Optional(Type.String({ maxLength: 40 })),
  expires: Type.Optional(Type.String({ maxLength: 40 })),
  senderName: Type.Optional(Text(500)),
  headline: Type.Optional(Text(500)),
  description: Type.Optional(Text()),
  instruction: Type.Optional(Text()),
  web: Type.Optional(Text(2000)),
  contact: Type.Optional(Text(2000)),
  parameter: Type.Optional(Type.Array(ValuePair, { maxItems: 100 })),
  resource: Type.Optional(Type.Array(Resource, { maxItems: 20 })),
  area: Type.Array(CapArea, { maxItems: 100 }),
});

export const Content = Body(
  {
    status: Type.Optional(Type.Enum(STATUSES, { default: 'Actual' })),
    scope: Type.Optional(Type.Literal('Public')),
    code: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 })),
    note: Type.Optional(Text(2000)),
    source: Type.Optional(Text(500)),
    info: Type.Array(CapInfo, { maxItems: 10 }),
  },
  { description: "A CAP message's content in JSON: what a person decides. Identifier, sender, sent, msgType and references are set on publication." },
);

export const AreaSpec = Type.Union(
  [
    Body({ kind: Type.Literal('circle'), areaDesc: Type.Optional(Localized), center: Position, radiusMeters: Type.Number({ minimum: 0, maximum: 1_000_000 }) }),
    Body({
      kind: Type.Literal('polygon'),
      areaDesc: Type.Optional(Localized),
      geometry: Type.Union([
        Body({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Position), { minItems: 1 }) }),
        Body({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Position)), { minItems: 1 }) }),
      ]),
    }),
    Body({
      kind: Type.Literal('hull'),
      areaDesc: Type.Optional(Localized),
      points: Type.Array(Position, { minItems: 1, maxItems: 100_000 }),
      bufferMeters: Type.Number({ minimum: 0, maximum: 100_000 }),
      source: Type.Optional(Type.String({ maxLength: 500, description: 'where the points come from, e.g. a water simulation run' })),
    }),
    Body({ kind: Type.Literal('incident'), areaDesc: Type.Optional(Localized), bufferMeters: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })) }),
  ],
  {
    description:
      'An area: a radius around a point, a GeoJSON polygon, a hull around points (e.g. the junctions a contaminant reaches) grown by a buffer, or the place of the incident and its assets',
  },
);

/** The fields a message can be composed from: a template and its values, or the content itself. */
const Composition = {
  template: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a template id (GET /warnings/templates)' })),
  languages: Type.Optional(Type.Array(Language, { minItems: 1, maxItems: 3, uniqueItems: true })),
  values: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*$' }), Localized, { description: "the templates' {{placeholders}}: areaDesc, issuer, contact, reason, assemblyPoint" })),
  areas: Type.Optional(Type.Array(AreaSpec, { minItems: 1, maxItems: 50 })),
  content: Type.Optional(Content),
  status: Type.Optional(Type.Enum(STATUSES, { description: 'CAP status of a templated message (default Actual; Exercise for drills)' })),
  effective: Type.Optional(Time),
  onset: Type.Optional(Time),
  expires: Type.Optional(Time),
  web: Type.Optional(Type.String({ maxLength: 2000 })),
};

export const NewWarning = Body({
  incidentId: Type.Optional(Id),
  ...Composition,
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const NextMessage = Body(Composition);
export const CancelBody = Body({ ...Composition, reason: Type.Optional(Localized) });

export const EditBody = Body({
  content: Type.Optional(Content),
  areas: Type.Optional(Type.Array(AreaSpec, { minItems: 1, maxItems: 50 })),
  version: Type.Optional(Type.Integer({ description: 'the version you edited; a different current version answers 409' })),
});

export const VersionBody = Body({ version: Type.Optional(Type.Integer({ description: 'the version you read; a different current version answers 409' })) });
export const RejectBody = Body({ reason: Type.String({ minLength: 1, maxLength: 2000 }), version: Type.Optional(Type.Integer()) });

export const PHASES = ['draft', 'awaiting-approval', 'published', 'updated', 'cancelled', 'all-clear'] as const;
export const WarningQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    phase: Type.Optional(Type.Array(Type.Enum(PHASES), { maxItems: 6 })),
    incident: Type.Optional(Id),
    owner: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

export const Message = Type.Object({
  sequence: Type.Integer(),
  kind: Type.String({ description: 'alert, update, cancel or all-clear' }),
  identifier: Str,
  msgType: Str,
  sender: Str,
  sent: Str,
  references: Nullable(Str),
  status: Str,
  url: Type.String({ description: 'the public CAP XML of this message' }),
  authors: Type.Array(Str),
  approvedBy: Str,
  approverOrgId: Str,
  publishedAt: Time,
  deliveries: Type.Object({ pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() }),
});

export const ProposalOut = Type.Object({
  kind: Str,
  state: Str,
  content: JsonObject,
  authors: Type.Array(Str),
  updatedAt: Time,
  submittedAt: Nullable(Str),
  rejection: Type.Union([Type.Object({ by: Str, at: Str, reason: Str }), Type.Null()]),
});

export const Warning = Type.Object({
  id: Id,
  phase: Type.Enum(PHASES),
  headline: Str,
  incidentId: Nullable(Str),
  template: Nullable(Str),
  live: Type.Boolean({ description: 'published, not ended: listed in the feed until it expires' }),
  messages: Type.Array(Message),
  proposal: Type.Union([ProposalOut, Type.Null()], { description: 'the message pending approval; shown to the owner and the approving organisations' }),
  ...SharingOut,
  createdBy: Str,
  createdAt: Time,
  updatedAt: Time,
  version: Type.Integer(),
});

export const WarningWithApprovals = Type.Object({
  ...Warning.properties,
  approvals: Type.Array(
    Type.Object({
      sequence: Type.Integer(),
      kind: Str,
      decision: Type.String({ description: 'approved or rejected' }),
      userId: Str,
      orgId: Str,
      at: Time,
      reason: Nullable(Str),
      identifier: Nullable(Str),
    }),
  ),
});

export const Preview = Type.Object({
  identifier: Str,
  xml: Type.String({ description: 'the CAP XML as it would be published now (sent is set at approval)' }),
  valid: Type.Boolean(),
  problems: Type.Array(JsonObject),
});

export const Template = Type.Object({
  id: Str,
  incidentTypes: Type.Array(Str),
  defaultDurationHours: Type.Number(),
  category: Type.Array(Str),
  responseType: Type.Array(Str),
  urgency: Str,
  severity: Str,
  certainty: Str,
  languages: Type.Array(Str),
  placeholders: Type.Object({ alert: Type.Array(Str), allClear: Type.Array(Str), cancel: Type.Array(Str) }),
  text: JsonObject,
});

export const Policy = Type.Object({
  authorRoles: Type.Array(Str, { description: 'roles that draft, edit and submit' }),
  approverRoles: Type.Array(Str, { description: 'roles that approve or reject' }),
  approverOrganisations: Type.Array(Type.Object({ id: Id, name: Str }), { description: 'organisations whose members approve; none: nobody can (fails closed)' }),
  defaultContact: Type.Union([Str, Type.Null()], { description: 'the {{contact}} of the templates when none is given (VIGIL_CAP_CONTACT)' }),
});

export const Channel = Type.Object({
  id: Id,
  orgId: Id,
  name: Str,
  url: Str,
  active: Type.Boolean(),
  createdAt: Time,
  updatedAt: Time,
  secret: Type.Optional(Type.String({ description: 'shown once, when the channel is created or its secret replaced' })),
});

export const NewChannel = Body({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  url: Type.String({ minLength: 1, maxLength: 2000 }),
  secret: Type.Optional(Type.String({ minLength: 32, maxLength: 200, description: 'at least 32 characters; generated when absent' })),
  active: Type.Optional(Type.Boolean()),
});

export const ChannelChange = Body({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  active: Type.Optional(Type.Boolean()),
  rotateSecret: Type.Optional(Type.Boolean({ description: 'replace the secret with a new generated one (shown once)' })),
});

export const DeliveryOut = Type.Object({
  id: Id,
  channelId: Id,
  identifier: Str,
  warningId: Str,
  event: Str,
  state: Str,
  attempts: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      at: Time,
      status: Type.Union([Type.Integer(), Type.Null()]),
      error: Nullable(Str),
      durationMs: Type.Integer(),
      outcome: Str,
    }),
  ),
  nextAttemptAt: Nullable(Str),
  createdAt: Time,
  updatedAt: Time,
});

export const InboxResult = Type.Object({
  identifier: Str,
  sender: Str,
  version: Str,
  msgType: Str,
  action: Type.String({ description: 'created, updated, closed, duplicate or ignored' }),
  alertIds: Type.Array(Str),
  warnings: Type.Array(JsonObject, { description: 'SHOULD-level remarks on the message; they do not make it invalid' }),
});

export const InboxProblem = Type.Object(
  {
    ...ProblemSchema.properties,
    problems: Type.Optional(
      Type.Array(
        Type.Object({
          severity: Type.String({ description: 'error or warning' }),
          rule: Type.String({ description: 'schema, unsafe-xml, xml-syntax, not-cap, or a §3 rule' }),
          path: Type.String({ description: 'element path, e.g. /alert/info[1]/area[1]/polygon[1]' }),
          line: Type.Optional(Type.Integer()),
          message: Type.String(),
        }),
      ),
    ),
  },
  { description: 'RFC 9457 problem details; for an invalid message, every schema and §3 problem' },
);
