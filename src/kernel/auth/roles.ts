/**
 * Roles within one organisation, and what each may do. Rights never cross organisations: an admin
 * manages its own organisation only, and what a user sees of others' records is the sharing policy's call.
 */
export const ROLES = ['admin', 'analyst', 'operator', 'responder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  /** create and change the organisation's own records (assets, alerts, incidents, …) */
  | 'records:write'
  /** re-share records (change TLP and distribution) */
  | 'records:share'
  /** add notes, complete tasks on records shared with the organisation */
  | 'records:contribute'
  /** manage users, API tokens and sharing groups of the organisation; read its audit log */
  | 'org:admin'
  /** threat-intelligence work (indicators, feeds) */
  | 'intel:write';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['records:write', 'records:share', 'records:contribute', 'org:admin', 'intel:write'],
  analyst: ['records:write', 'records:share', 'records:contribute', 'intel:write'],
  operator: ['records:write', 'records:share', 'records:contribute'],
  responder: ['records:contribute'],
  viewer: [],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
