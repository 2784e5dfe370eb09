import { describe, expect, it } from 'vitest';
import {
  INCIDENT_STATUSES,
  allowedTransitions,
  newLifecycle,
  transition,
  transitionWay,
  type IncidentStatus,
  type LifecycleState,
} from '../../src/incidents/lifecycle.js';

const now = '2025-03-01T10:00:00.000Z';
const at = (status: IncidentStatus): LifecycleState => ({ ...newLifecycle(), status });

describe('incident lifecycle', () => {
  it('walks the whole way from open to closed', () => {
    let state = newLifecycle();
    for (const to of ['triage', 'response', 'recovery'] as const) {
      const out = transition(state, { to, by: 'u-lead', now });
      expect(out.ok).toBe(true);
      if (out.ok) state = out.state;
    }
    const closed = transition(state, { to: 'closed', by: 'u-lead', now, resolution: 'resolved' });
    expect(closed).toMatchObject({
      ok: true,
      state: { status: 'closed', resolution: 'resolved', closedAt: now, reopenCount: 0 },
      entry: { kind: 'status-changed', from: 'recovery', to: 'closed', by: 'u-lead', reason: null, resolution: 'resolved' },
    });
  });

  it('knows every legal and illegal change', () => {
    const legal: Record<IncidentStatus, Partial<Record<IncidentStatus, string>>> = {
      open: { triage: 'advance', response: 'advance', recovery: 'advance', closed: 'close' },
      triage: { response: 'advance', recovery: 'advance', closed: 'close' },
      response: { triage: 'step-back', recovery: 'advance', closed: 'close' },
      recovery: { response: 'step-back', closed: 'close' },
      closed: { triage: 'reopen' },
    };
    for (const from of INCIDENT_STATUSES) {
      for (const to of INCIDENT_STATUSES) {
        if (from === to) continue;
        expect(transitionWay(from, to), `${from} → ${to}`).toBe(legal[from][to] ?? null);
      }
      expect(allowedTransitions(from)).toEqual(Object.keys(legal[from]));
    }
  });

  it('refuses illegal changes with a reason a person can act on', () => {
    expect(transition(at('triage'), { to: 'open', by: 'u1', now })).toEqual({
      ok: false,
      problem: 'an incident cannot go from triage to open (from triage: response, recovery, closed)',
    });
    expect(transition(at('recovery'), { to: 'triage', by: 'u1', now, reason: 'new facts' })).toMatchObject({ ok: false });
    expect(transition(at('closed'), { to: 'response', by: 'u1', now, reason: 'x' })).toMatchObject({ ok: false });
    expect(transition(at('open'), { to: 'open', by: 'u1', now })).toEqual({ ok: false, problem: 'the incident is already open' });
    expect(transition(at('open'), { to: 'pending' as IncidentStatus, by: 'u1', now })).toMatchObject({ ok: false, problem: expect.stringContaining('unknown status') });
  });

  it('asks for reasons and resolutions where they matter', () => {
    expect(transition(at('response'), { to: 'triage', by: 'u1', now })).toEqual({ ok: false, problem: 'going back from response to triage needs a reason' });
    expect(transition(at('triage'), { to: 'closed', by: 'u1', now, resolution: 'false-positive' })).toEqual({ ok: false, problem: 'closing from triage needs a reason' });
    expect(transition(at('recovery'), { to: 'closed', by: 'u1', now })).toMatchObject({ ok: false, problem: expect.stringContaining('needs a resolution') });
    expect(transition(at('recovery'), { to: 'closed', by: 'u1', now, resolution: 'fixed' as never })).toMatchObject({ ok: false, problem: expect.stringContaining('unknown resolution') });
    expect(transition(at('open'), { to: 'triage', by: 'u1', now, resolution: 'resolved' })).toMatchObject({ ok: false });
    expect(transition(at('open'), { to: 'triage', by: '', now })).toMatchObject({ ok: false });
    expect(transition(at('open'), { to: 'triage', by: 'u1', now: 'yesterday' })).toMatchObject({ ok: false });
    const early = transition(at('triage'), { to: 'closed', by: 'u1', now, reason: 'scheduled maintenance', resolution: 'false-positive' });
    expect(early).toMatchObject({ ok: true, state: { status: 'closed', resolution: 'false-positive' } });
  });

  it('reopens a closed incident into triage and counts it', () => {
    const closed: LifecycleState = { status: 'closed', resolution: 'resolved', closedAt: now, reopenCount: 1 };
    expect(transition(closed, { to: 'triage', by: 'u1', now })).toEqual({ ok: false, problem: 'reopening needs a reason' });
    const out = transition(closed, { to: 'triage', by: 'u1', now, reason: 'the same intruder is back' });
    expect(out).toMatchObject({ ok: true, state: { status: 'triage', resolution: null, closedAt: null, reopenCount: 2 }, entry: { reason: 'the same intruder is back' } });
  });
});
