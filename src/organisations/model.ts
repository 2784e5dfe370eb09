import type { Role } from '../kernel/auth/index.js';
import type { Distribution, Tlp } from '../kernel/sharing/index.js';

export const SECTORS = ['water', 'energy', 'transport', 'health', 'police', 'fire', 'cert', 'city'] as const;
export type Sector = (typeof SECTORS)[number];

/** Operators run infrastructure; practitioners respond; authorities run the city and this platform. */
export const ORGANISATION_KINDS = ['operator', 'practitioner', 'authority'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface OrganisationSettings {
  /** Label and distribution of records the organisation creates without saying (detector alerts, imports). */
  defaultTlp?: Tlp;
  defaultDistribution?: Distribution;
  /** Ingestion may create datastreams it has not seen before (issue: ingestion). */
  autoCreateDatastreams?: boolean;
}

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  sector: Sector;
  kind: OrganisationKind;
  settings: OrganisationSettings;
  createdAt: string;
}

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface SharingGroup {
  id: string;
  ownerOrgId: string;
  name: string;
  description: string;
  memberOrgIds: string[];
  createdAt: string;
}

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{1,39}$';

/**
 * Admins of an organisation of kind `authority` administer the platform itself: they onboard
 * organisations. Every other right stays inside one organisation.
 */
export function administersPlatform(kind: string, role: Role): boolean {
  return kind === 'authority' && role === 'admin';
}
