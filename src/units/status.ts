import type { UnitStatus } from './model.js';

/**
 * What a status change reported by a unit's crew (or its AVL terminal) means. Pure: the caller passes the
 * current status and whether the unit has an assignment; the answer is the change to make, or why not.
 * `dispatched` is never set here: only a dispatch (POST /incidents/{id}/dispatch) sends a unit, so the
 * incident's timeline always says who sent it where.
 */
export type StatusChange =
  | { ok: true; to: UnitStatus; timeline: 'unit-on-scene' | 'unit-released' | null; clearsAssignment: boolean }
  | { ok: false; problem: string };

export function changeStatus(from: UnitStatus, to: UnitStatus, assigned: boolean): StatusChange {
  if (from === to) return { ok: false, problem: `the unit is already ${to}` };
  switch (to) {
    case 'dispatched':
      return { ok: false, problem: 'a unit is dispatched to an incident with POST /api/v1/incidents/{id}/dispatch' };
    case 'on-scene':
      if (!assigned || from !== 'dispatched') return { ok: false, problem: 'only a dispatched unit can arrive on scene: dispatch it to the incident first' };
      return { ok: true, to, timeline: 'unit-on-scene', clearsAssignment: false };
    case 'available':
    case 'out-of-service':
      return { ok: true, to, timeline: assigned ? 'unit-released' : null, clearsAssignment: true };
  }
}

/** May a unit in `status` be dispatched? `sameIncident`: it is already assigned to the incident asked for. */
export function dispatchRefusal(status: UnitStatus, sameIncident: boolean, reassign: boolean): string | null {
  if (status === 'out-of-service') return 'the unit is out of service';
  if (sameIncident) return `the unit is already ${status === 'on-scene' ? 'on scene at' : 'dispatched to'} this incident`;
  if (status !== 'available' && !reassign) return `the unit is ${status} at another incident: send "reassign": true to take it from there`;
  return null;
}
