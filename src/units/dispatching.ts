import { type Incident, type TimelineEntry, addTimelineEntry, getIncident } from '../incidents/index.js';
import { audienceOf } from '../kernel/events/index.js';
import { anchorOf } from '../kernel/geo.js';
import { conflict, forbidden, notFound, unprocessable } from '../kernel/http/index.js';
import type { Principal } from '../kernel/auth/index.js';
import type { Kernel, Write } from '../kernel/kernel.js';
import type { Queryable } from '../kernel/db/connection.js';
import { readSharing } from '../kernel/sharing/index.js';
import { type DispatchAnswer, type LiveRoads, type LonLat, type RouteAnswer, RoadsUnavailableError, closuresFor, routingProblem, tooFarProblem } from '../routing/index.js';
import { type Assignment, type RouteStatus, type Unit, type UnitStatus, describeDuration } from './model.js';
import { dispatchableUnits, getUnit, mayDispatch, sharedAudience, unitRow, withoutAssignment, writeUnitState } from './queries.js';
import { type Recommendation, recommend, routePicker } from './recommend.js';
import { changeStatus, dispatchRefusal } from './status.js';

/**
 * Dispatch: which units reach an incident first, and sending one. The rule for who may dispatch what:
 * a unit is a candidate for a caller when the caller may see it (sharing policy) AND the caller's organisation
 * owns it or is named among its dispatchers (mutual aid). Seeing a unit on the map is not commanding it.
 */
export interface DispatchRecommendation extends Recommendation {
  incidentId: string;
  target: { lon: number; lat: number; roadName: string; offRoadM: number };
  /** Units of the requested types the caller may dispatch but that are not available now. */
  busy: Array<{ unitId: string; name: string; type: string; status: UnitStatus }>;
  closuresHonoured: number;
  computedAt: string;
}

/** The point units are sent to: the incident's point, or the centre of its area. */
export function incidentTarget(incident: Incident): LonLat {
  if (!incident.location) throw unprocessable('The incident has no location: give it one before dispatching units to it');
  return anchorOf(incident.location);
}

export async function recommendUnits(
  kernel: Kernel,
  roads: LiveRoads,
  viewer: Principal,
  incidentId: string,
  options: { types?: string[]; perType: number },
): Promise<DispatchRecommendation> {
  const db = kernel.store.db;
  const incident = await getIncident(db, viewer, incidentId);
  if (!incident) throw notFound('incident', incidentId);
  const target = incidentTarget(incident);
  const now = kernel.clock();
  const all = await dispatchableUnits(db, viewer, options.types);
  const available = all.filter((u) => u.status === 'available');
  const byId = new Map(available.map((u) => [u.id, u]));
  try {
    const router = await roads.router();
    // The incident's own closures (its cordon) do not stop its responders.
    const closures = await closuresFor(kernel, viewer, now, incident.id);
    const pick = routePicker(byId, options.perType);
    const answers: Array<Extract<DispatchAnswer, { status: 'ranked' }>> = [];
    for (const profile of [...new Set(available.map((u) => u.profile))].sort()) {
      const group = available.filter((u) => u.profile === profile);
      // One one-to-many search per profile for all its units, not one route per unit.
      const answer = router.rankUnits({
        incident: target,
        units: group.map((u) => ({ id: u.id, position: u.position ? [u.position.lon, u.position.lat] : null })),
        profile,
        now,
        closures: closures.filter,
        withRoutes: pick,
      });
      if (answer.status === 'too-far-from-road') throw tooFarProblem(answer);
      answers.push(answer);
    }
    const snapped = answers[0]?.incident ?? router.snap(target, 'emergency');
    return {
      incidentId: incident.id,
      target: { lon: target[0], lat: target[1], roadName: snapped && 'roadName' in snapped ? snapped.roadName : '', offRoadM: snapped ? Math.round(snapped.distanceM * 10) / 10 : 0 },
      ...recommend(byId, answers, { perType: options.perType, ...(options.types ? { types: options.types } : {}), now }),
      busy: all.filter((u) => u.status !== 'available').map((u) => ({ unitId: u.id, name: u.name, type: u.type, status: u.status })),
      closuresHonoured: closures.count,
      computedAt: new Date(now).toISOString(),
    };
  } catch (error) {
    return routingProblem(error);
  }
}

interface PlannedRoute {
  status: RouteStatus;
  answer: Extract<RouteAnswer, { status: 'found' }> | null;
}

/** The route a unit would drive to a target now, or why there is none. Never throws for routing reasons: a unit is sent even when no route can be drawn. */
async function planRoute(kernel: Kernel, roads: LiveRoads, viewer: Principal, unit: Unit, target: LonLat, incidentId: string): Promise<PlannedRoute> {
  if (!unit.position) return { status: 'no-position', answer: null };
  let router;
  try {
    router = await roads.router();
  } catch (error) {
    if (error instanceof RoadsUnavailableError) return { status: 'no-road-graph', answer: null };
    throw error;
  }
  const now = kernel.clock();
  const closures = await closuresFor(kernel, viewer, now, incidentId);
  const answer = router.route({ from: [unit.position.lon, unit.position.lat], to: target, profile: unit.profile, now, closures: closures.filter });
  if (answer.status === 'found') return { status: 'found', answer };
  return { status: answer.status, answer: null };
}

export interface DispatchOutcome {
  unit: Unit;
  assignment: Assignment;
  route: Extract<RouteAnswer, { status: 'found' }> | null;
  timelineEntry: TimelineEntry;
}

/**
 * Sends a unit to an incident: its status becomes dispatched, the incident's timeline says who sent what and
 * when it should arrive, and the stream carries the route to those who may see both the unit and the incident.
 * The route is planned first, outside the transaction (reads only); the write then checks again that the unit
 * may still be sent, so two dispatchers racing for one unit cannot both have it.
 */
export async function dispatchUnit(
  kernel: Kernel,
  roads: LiveRoads,
  viewer: Principal,
  actor: Parameters<Kernel['write']>[0],
  incidentId: string,
  request: { unitId: string; reassign?: boolean; note?: string },
): Promise<DispatchOutcome> {
  const db = kernel.store.db;
  const checked = await checkDispatch(db, viewer, incidentId, request);
  const planned = await planRoute(kernel, roads, viewer, checked.unit, incidentTarget(checked.incident), incidentId);
  return kernel.write(actor, async (w) => {
    const { incident, unit, row } = await checkDispatch(w.tx, viewer, incidentId, request);
    const route = planned.answer;
    const assignment: Assignment = {
      incidentId: incident.id,
      dispatchedAt: new Date(w.now).toISOString(),
      dispatchedByOrgId: w.actor.orgId,
      etaS: route ? route.travelTimeS : null,
      distanceM: route ? route.distanceM : null,
      routeStatus: planned.status,
      route: route ? route.geometry : null,
      onSceneAt: null,
    };
    if (row.incident_id && row.incident_id !== incident.id) {
      await tellIncident(w, row.incident_id, 'unit-released', `${unit.name} reassigned to another incident`, { unitId: unit.id, unitName: unit.name, unitType: unit.type, reassigned: true });
    }
    const updated = await writeUnitState(w, viewer, unit, 'dispatched', assignment, { action: 'unit.dispatch', details: { incidentId: incident.id, etaS: assignment.etaS, routeStatus: planned.status } });
    const eta = route ? `ETA ${describeDuration(route.travelTimeS)} (${(route.distanceM / 1000).toFixed(1)} km)` : `no route (${planned.status})`;
    const timelineEntry = await tellIncident(w, incident.id, 'unit-dispatched', `${unit.name} (${unit.type}) dispatched, ${eta}${request.note ? `: ${request.note}` : ''}`, {
      unitId: unit.id,
      unitName: unit.name,
      unitType: unit.type,
      unitOrgId: unit.ownerOrgId,
      etaS: assignment.etaS,
      distanceM: assignment.distanceM,
      routeStatus: planned.status,
    });
    const both = await sharedAudience(w.tx, unit, incident);
    await w.emit({
      type: 'unit.dispatched',
      recordKind: 'unit',
      recordId: unit.id,
      actorOrgId: w.actor.orgId,
      audience: both,
      data: { unit: withoutAssignment(updated), incidentId: incident.id, assignment, steps: route?.steps ?? [] },
    });
    return { unit: { ...updated, assignment }, assignment, route, timelineEntry };
  });
}

async function checkDispatch(db: Queryable, viewer: Principal, incidentId: string, request: { unitId: string; reassign?: boolean }) {
  const incident = await getIncident(db, viewer, incidentId);
  if (!incident) throw notFound('incident', incidentId);
  incidentTarget(incident);
  const unit = await getUnit(db, viewer, request.unitId);
  if (!unit) throw unprocessable(`No unit with id ${request.unitId} exists`);
  if (!mayDispatch(unit, viewer.orgId)) {
    throw forbidden('Your organisation may not dispatch this unit: only its owner and the organisations it names as dispatchers (mutual aid) may');
  }
  const row = (await unitRow(db, unit.id))!;
  const refusal = dispatchRefusal(unit.status, row.incident_id === incident.id, request.reassign === true);
  if (refusal) throw conflict(`Cannot dispatch ${unit.name}: ${refusal}`, { unitStatus: unit.status });
  return { incident, unit, row };
}

/** A crew's status report: on scene, back in service, out of service. Assigned incidents hear of it on their timeline. */
export async function reportStatus(w: Write, viewer: Principal, unit: Unit, to: UnitStatus, note: string | null): Promise<Unit> {
  const row = (await unitRow(w.tx, unit.id))!;
  const change = changeStatus(unit.status, to, row.incident_id !== null);
  if (!change.ok) throw conflict(`Cannot set ${unit.name} ${to}: ${change.problem}`, { unitStatus: unit.status });
  const assignment = row.assignment ? (JSON.parse(row.assignment) as Assignment) : null;
  const next = change.clearsAssignment ? null : assignment && { ...assignment, onSceneAt: to === 'on-scene' ? new Date(w.now).toISOString() : assignment.onSceneAt };
  if (change.timeline && row.incident_id) {
    const since = assignment ? Math.round((w.now - Date.parse(assignment.dispatchedAt)) / 1000) : null;
    const text =
      change.timeline === 'unit-on-scene'
        ? `${unit.name} on scene${since !== null ? ` ${describeDuration(since)} after dispatch` : ''}`
        : `${unit.name} released (${to})`;
    await tellIncident(w, row.incident_id, change.timeline, note ? `${text}: ${note}` : text, {
      unitId: unit.id,
      unitName: unit.name,
      unitType: unit.type,
      status: to,
      ...(change.timeline === 'unit-on-scene' ? { secondsAfterDispatch: since, plannedEtaS: assignment?.etaS ?? null } : {}),
    });
  }
  return writeUnitState(w, viewer, unit, change.to, next, { action: 'unit.status', details: { incidentId: row.incident_id, note } });
}

/** A timeline entry on an incident, and the event that shows it live to the incident's audience. */
async function tellIncident(w: Write, incidentId: string, kind: string, text: string, data: Record<string, unknown>): Promise<TimelineEntry> {
  const sharing = await readSharing(w.tx, 'incidents', incidentId);
  if (!sharing) throw notFound('incident', incidentId);
  const ref = { id: incidentId, ownerOrgId: sharing.ownerOrgId, distribution: sharing.distribution };
  const entry = await addTimelineEntry(w, ref, { kind, text, data });
  await w.emit({ type: 'incident.unit', recordKind: 'incident', recordId: incidentId, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: entry });
  return entry;
}
