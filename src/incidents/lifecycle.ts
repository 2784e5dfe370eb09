/**
 * The life of an incident: `open → triage → response → recovery → closed`, and reopened when it comes back.
 * Pure: the caller passes the current state, the wanted status and `now`; the answer is the new state
 * and the timeline entry to record, or the reason the change is refused.
 *
 *   open      alerts grouped, nobody has looked yet
 *   triage    someone assesses: real? how bad? whose?
 *   response  people act (playbook tasks, units dispatched, partners informed)
 *   recovery  the threat is contained; service is being restored
 *   closed    done, with a resolution
 */
export const INCIDENT_STATUSES = ['open', 'triage', 'response', 'recovery', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const RESOLUTIONS = ['resolved', 'false-positive', 'duplicate', 'merged', 'out-of-scope'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface LifecycleState {
  status: IncidentStatus;
  /** Set while closed. */
  resolution: Resolution | null;
  closedAt: string | null;
  /** How many times the incident was reopened (a number people ask for in reviews). */
  reopenCount: number;
}

export interface TransitionRequest {
  to: IncidentStatus;
  /** Who asks (a user id); lands on the timeline. */
  by: string;
  /** Required when going back a step, closing early, or reopening. */
  reason?: string;
  /** Required when closing. */
  resolution?: Resolution;
  /** ISO 8601 time of the change. */
  now: string;
}

export interface StatusChange {
  kind: 'status-changed';
  at: string;
  by: string;
  from: IncidentStatus;
  to: IncidentStatus;
  reason: string | null;
  resolution: Resolution | null;
}

export type TransitionOutcome =
  | { ok: true; state: LifecycleState; entry: StatusChange }
  | { ok: false; problem: string };

/** Which way a change goes; each way has its own conditions. */
export type TransitionWay = 'advance' | 'step-back' | 'close' | 'reopen';

const ACTIVE: readonly IncidentStatus[] = ['open', 'triage', 'response', 'recovery'];

export function newLifecycle(): LifecycleState {
  return { status: 'open', resolution: null, closedAt: null, reopenCount: 0 };
}

export function isActive(status: IncidentStatus): boolean {
  return status !== 'closed';
}

/**
 * How `from → to` would be made, or null when it is not a legal change:
 * - advance: forward to any later active status (an emergency may go from open straight to response);
 * - step-back: back exactly one step between triage, response and recovery (new facts; never back to
 *   open, which means "nobody has looked");
 * - close: from any active status;
 * - reopen: from closed, back to triage (a reopened incident is assessed again).
 */
export function transitionWay(from: IncidentStatus, to: IncidentStatus): TransitionWay | null {
  if (from === 'closed') return to === 'triage' ? 'reopen' : null;
  if (to === 'closed') return 'close';
  const a = ACTIVE.indexOf(from);
  const b = ACTIVE.indexOf(to);
  if (b > a) return 'advance';
  if (b === a - 1 && to !== 'open') return 'step-back';
  return null;
}

/** The statuses an incident in `status` may move to, for the buttons a person sees. */
export function allowedTransitions(status: IncidentStatus): IncidentStatus[] {
  return INCIDENT_STATUSES.filter((to) => to !== status && transitionWay(status, to) !== null);
}

export function transition(state: LifecycleState, request: TransitionRequest): TransitionOutcome {
  const { to, by } = request;
  const from = state.status;
  if (!INCIDENT_STATUSES.includes(to)) {
    return { ok: false, problem: `unknown status "${String(to)}" (known: ${INCIDENT_STATUSES.join(', ')})` };
  }
  if (from === to) return { ok: false, problem: `the incident is already ${to}` };
  if (Number.isNaN(Date.parse(request.now))) return { ok: false, problem: `"${request.now}" is not an ISO 8601 time` };
  if (typeof by !== 'string' || by === '') return { ok: false, problem: 'a status change needs the person who makes it' };
  const way = transitionWay(from, to);
  if (!way) return { ok: false, problem: `an incident cannot go from ${from} to ${to}${hint(from)}` };

  const reason = request.reason?.trim() || null;
  const closesEarly = way === 'close' && from !== 'recovery';
  if ((way === 'step-back' || way === 'reopen' || closesEarly) && !reason) {
    const why = way === 'reopen' ? 'reopening' : way === 'step-back' ? `going back from ${from} to ${to}` : `closing from ${from}`;
    return { ok: false, problem: `${why} needs a reason` };
  }
  let resolution: Resolution | null = null;
  if (way === 'close') {
    if (!request.resolution) return { ok: false, problem: `closing needs a resolution (${RESOLUTIONS.join(', ')})` };
    if (!RESOLUTIONS.includes(request.resolution)) {
      return { ok: false, problem: `unknown resolution "${request.resolution}" (known: ${RESOLUTIONS.join(', ')})` };
    }
    resolution = request.resolution;
  } else if (request.resolution) {
    return { ok: false, problem: 'a resolution is given only when closing' };
  }

  const next: LifecycleState = {
    status: to,
    resolution,
    closedAt: way === 'close' ? request.now : null,
    reopenCount: state.reopenCount + (way === 'reopen' ? 1 : 0),
  };
  return { ok: true, state: next, entry: { kind: 'status-changed', at: request.now, by, from, to, reason, resolution } };
}

function hint(from: IncidentStatus): string {
  const allowed = allowedTransitions(from);
  return allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : '';
}
