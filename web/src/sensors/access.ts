// Who may open which sensor page. The server decides again on every call; these only keep people from
// pages that would answer 403.
import type { Me } from '../api/types';

/** Detector settings and their status: roles that write records (admins, analysts, operators). */
export const mayReadDetectors = (me: Me | null): boolean => !!me?.permissions.includes('records:write');
/** Changing settings, resuming, storing a model: the organisation's admins. */
export const mayEditDetectors = (me: Me | null): boolean => !!me?.permissions.includes('org:admin');
/** Ingestion health: the organisation's admins. */
export const mayReadIngestion = (me: Me | null): boolean => !!me?.permissions.includes('org:admin');
