import { Type } from 'typebox';
import { alertSchemas } from '../alerts/index.js';
import { Body, Distribution, DistributionOut, Id, JsonObject, Tlp } from '../kernel/http/schemas.js';
import { DISTRIBUTION_SCOPES, TLP_LABELS } from '../kernel/sharing/index.js';
import { RESOLUTIONS } from './lifecycle.js';
import { Incident } from './schemas.js';

const { Severity } = alertSchemas;
export const Resolution = Type.Enum(RESOLUTIONS);
export const Version = Type.Integer({ minimum: 1, description: 'the incident version you saw (or send If-Match); another current version answers 409' });
export const Reopen = Body({ reason: Type.String({ minLength: 1, maxLength: 2000 }), version: Type.Optional(Version) });
export const Link = Body({ incidentId: Id, version: Type.Optional(Version) });
export const LinkParams = Type.Object({ id: Id, linkedId: Id }, { additionalProperties: false });
export const VersionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });

export const EvidenceImport = Body({
  alertId: Id,
  evidence: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200, uniqueItems: true, description: 'top-level evidence fields to keep' })),
  indicators: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 600 }), { maxItems: 200, uniqueItems: true, description: 'indicators to keep, as type:value (e.g. ip:10.0.0.5)' })),
});

export const MergeAlerts = Body({
  alertIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }),
  import: Type.Optional(Type.Array(EvidenceImport, { maxItems: 1000 })),
  version: Type.Optional(Version),
});
export const MergeAlertsResult = Type.Object({
  incident: Incident,
  added: Type.Array(Id),
  moved: Type.Array(Type.Object({ alertId: Id, fromIncidentId: Id })),
  alreadyThere: Type.Array(Id),
});

export const MergeIncident = Body({
  intoIncidentId: Id,
  version: Type.Optional(Version),
  intoVersion: Type.Integer({ minimum: 1, description: 'the version of the incident merged into that you saw' }),
});
export const MergeIncidentResult = Type.Object({ source: Incident, target: Incident, moved: Type.Integer() });

export const Split = Body({
  alertIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }),
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 20000 })),
  severity: Type.Optional(Severity),
  type: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{1,59}$' })),
  version: Type.Optional(Version),
});
export const SplitResult = Type.Object({ source: Incident, created: Incident });

export const Label = Type.Union([Type.Object({ tlp: Tlp, distribution: DistributionOut }), Type.Null()]);

export const Attachment = Type.Object({
  id: Id,
  incidentId: Id,
  filename: Type.String(),
  mediaType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  authorOrgId: Type.Union([Id, Type.Null()]),
  authorUserId: Type.Union([Id, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  label: Label,
});
export const AttachmentParams = Type.Object({ id: Id, attachmentId: Id }, { additionalProperties: false });
export const AttachmentUpload = Type.Object(
  {
    filename: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'or the X-Filename header' })),
    tlp: Type.Optional(Type.Enum(TLP_LABELS, { description: 'a label at least as strict as the incident (default: the incident)' })),
    scope: Type.Optional(Type.Enum(DISTRIBUTION_SCOPES, { description: 'a distribution within the incident (default: the incident)' })),
    group: Type.Optional(Id),
    orgs: Type.Optional(Type.String({ maxLength: 20000, description: 'comma-separated organisation ids, for scope=orgs' })),
  },
  { additionalProperties: false },
);

export const IncidentAlert = Type.Object({
  alertId: Id,
  addedAt: Type.String({ format: 'date-time' }),
  reason: JsonObject,
});
export const ImportedEvidence = Type.Object({
  alertId: Id,
  kind: Type.Enum(['evidence', 'indicator']),
  name: Type.String(),
  value: Type.Unknown(),
  addedAt: Type.String({ format: 'date-time' }),
});

/** Label fields of a note (POST /incidents/{id}/notes). */
export const NoteLabelFields = {
  tlp: Type.Optional(Tlp),
  distribution: Type.Optional(Distribution),
};
