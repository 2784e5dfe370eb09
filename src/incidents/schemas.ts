import { Type } from 'typebox';
import { alertSchemas } from '../alerts/index.js';
import { Body, Distribution, DistributionOut, Geometry, GeometryOut, Id, JsonObject, ListQueryFields, SharingOut, Tlp } from '../kernel/http/schemas.js';
import { RESOLUTIONS } from './lifecycle.js';
import { INCIDENT_STATUSES } from './model.js';

const { Severity } = alertSchemas;

export const Status = Type.Enum(INCIDENT_STATUSES);
const IncidentType = Type.String({ pattern: '^[a-z][a-z0-9-]{1,59}$', description: 'e.g. water-contamination, scada-intrusion, suspicious-device' });

export const Incident = Type.Object({
  id: Id,
  title: Type.String(),
  description: Type.String(),
  severity: Severity,
  status: Status,
  type: Type.String(),
  location: Type.Union([GeometryOut, Type.Null()]),
  alertIds: Type.Array(Id),
  assetIds: Type.Array(Id),
  ...SharingOut,
  openedAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  resolution: Type.Union([Type.Enum(RESOLUTIONS), Type.Null()]),
  reopenCount: Type.Integer(),
  leadUserId: Type.Union([Id, Type.Null()]),
  assigneeIds: Type.Array(Id),
  tags: Type.Array(Type.String()),
  linkedIncidentIds: Type.Array(Id, { description: 'linked incidents you also see' }),
});

/** The label of a note or attachment shared more narrowly than its incident (null: follows the incident). */
export const EvidenceLabelOut = Type.Union([Type.Object({ tlp: Tlp, distribution: DistributionOut }), Type.Null()]);

export const TimelineEntry = Type.Object({
  id: Id,
  incidentId: Id,
  at: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  authorOrgId: Type.Union([Id, Type.Null()]),
  authorUserId: Type.Union([Id, Type.Null()]),
  text: Type.String(),
  data: JsonObject,
  label: Type.Optional(EvidenceLabelOut),
});

export const NewIncident = Body({
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 20000 })),
  severity: Severity,
  status: Type.Optional(Status),
  type: Type.Optional(IncidentType),
  location: Type.Optional(Type.Union([Geometry, Type.Null()])),
  alertIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true })),
  assetIds: Type.Optional(Type.Array(Id, { maxItems: 1000, uniqueItems: true })),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});

export const IncidentChange = Body({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  description: Type.Optional(Type.String({ maxLength: 20000 })),
  severity: Type.Optional(Severity),
  status: Type.Optional(Status),
  type: Type.Optional(IncidentType),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'why: required going back a step, closing before recovery, reopening' })),
  resolution: Type.Optional(Type.Enum(RESOLUTIONS, { description: 'required when closing' })),
  leadUserId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'the incident lead: a user of an organisation that sees the incident' })),
  assigneeIds: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^\\s,][^,]*$' }), { maxItems: 50, uniqueItems: true })),
  version: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you edited (or send If-Match); required; a different current version answers 409' })),
});

export const NewNote = Body({
  text: Type.String({ minLength: 1, maxLength: 20000 }),
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
});
export const AddAlerts = Body({ alertIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }) });

export const IncidentQuery = Type.Object(
  {
    ...ListQueryFields,
    severity: Type.Optional(Type.Array(Severity, { maxItems: 5 })),
    status: Type.Optional(Type.Array(Status, { maxItems: 5 })),
    type: Type.Optional(IncidentType),
  },
  { additionalProperties: false },
);

export const TimelineQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })), cursor: Type.Optional(Type.String({ maxLength: 512 })) },
  { additionalProperties: false },
);
