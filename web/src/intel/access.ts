// Who may do what on the threat-intelligence pages. The server decides again on every call (intel:write for
// imports and feeds); these only keep people from buttons that would answer 403.
import type { Me } from '../api/types';

/** Importing, adding, changing, pulling and removing feeds: roles with intel:write (admins and analysts). */
export const mayWriteIntel = (me: Me | null): boolean => !!me?.permissions.includes('intel:write');
