import { describe, expect, it } from 'vitest';
import {
  approvalPolicy,
  approveProposal,
  draftWarning,
  editProposal,
  proposeMessage,
  rejectProposal,
  submitProposal,
  validateAlert,
  warningPhase,
  type Actor,
  type Transition,
  type Warning,
} from '../../src/warnings/index.js';
import {
  CIVIL_PROTECTION,
  civilProtectionAnalyst,
  civilProtectionOfficer,
  civilProtectionViewer,
  contentFrom,
  policeResponder,
  policy,
  settings,
  waterColleague,
  waterOperator,
} from './fixtures.js';

const t0 = new Date('2025-07-14T09:30:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function ok(t: Transition): Warning {
  if (!t.ok) throw new Error(`refused: ${t.reasons.map((r) => r.code).join(', ')}`);
  return t.warning;
}
const codes = (t: Transition): string[] => (t.ok ? [] : t.reasons.map((r) => r.code));

function submitted(author: Actor = waterOperator): Warning {
  const w = ok(draftWarning({ id: 'w1', actor: author, now: t0, content: contentFrom('do-not-drink', t0), incidentId: 'inc-42' }, policy));
  return ok(submitProposal(w, author, at(1), policy));
}

function published(): Warning {
  return ok(approveProposal(submitted(), civilProtectionOfficer, at(2), policy, settings));
}

describe('warning lifecycle', () => {
  it('goes draft → awaiting approval → published, and says who did what', () => {
    const draft = draftWarning({ id: 'w1', actor: waterOperator, now: t0, content: contentFrom('do-not-drink', t0), incidentId: 'inc-42' }, policy);
    expect(draft.ok && warningPhase(draft.warning)).toBe('draft');
    expect(draft.ok && draft.event).toMatchObject({ type: 'warning.drafted', actor: 'u-alice', incidentId: 'inc-42', kind: 'alert' });
    const w = submitted();
    expect(warningPhase(w)).toBe('awaiting-approval');
    const approval = approveProposal(w, civilProtectionOfficer, at(2), policy, settings);
    expect(approval.ok).toBe(true);
    if (!approval.ok) return;
    expect(warningPhase(approval.warning)).toBe('published');
    expect(approval.event).toMatchObject({
      type: 'warning.published',
      actor: 'u-chloe',
      organisationId: CIVIL_PROTECTION,
      message: { identifier: 'MC-VIGIL.w1.1', msgType: 'Alert', sent: '2025-07-14T11:32:00+02:00' },
    });
    const [message] = approval.warning.published;
    expect(message).toMatchObject({ authors: ['u-alice'], approvedBy: 'u-chloe', approverOrganisationId: CIVIL_PROTECTION });
    expect(message!.alert.references).toBeUndefined();
    expect(approval.warning.proposal).toBeUndefined();
  });

  describe('four eyes cannot be bypassed', () => {
    it('the author cannot approve, even with every role in the approving organisation', () => {
      const superAuthor: Actor = { userId: 'u-zoe', organisationId: CIVIL_PROTECTION, roles: ['admin', 'responder'] };
      const w = submitted(superAuthor);
      expect(codes(approveProposal(w, superAuthor, at(2), policy, settings))).toEqual(['approver-is-author']);
    });

    it('whoever edited the message cannot approve it either', () => {
      let w = submitted();
      w = ok(editProposal(w, civilProtectionOfficer, contentFrom('boil-water', t0), at(2), policy));
      w = ok(submitProposal(w, civilProtectionOfficer, at(3), policy));
      expect(codes(approveProposal(w, civilProtectionOfficer, at(4), policy, settings))).toEqual(['approver-is-author']);
      const other: Actor = { userId: 'u-gaia', organisationId: CIVIL_PROTECTION, roles: ['responder'] };
      expect(ok(approveProposal(w, other, at(4), policy, settings)).published[0]!.authors).toEqual(['u-alice', 'u-chloe']);
    });

    it('a wrong role is refused (analyst, viewer)', () => {
      const w = submitted();
      expect(codes(approveProposal(w, civilProtectionAnalyst, at(2), policy, settings))).toEqual(['approver-role']);
      expect(codes(approveProposal(w, civilProtectionViewer, at(2), policy, settings))).toEqual(['approver-role']);
    });

    it('another organisation is refused, whatever its roles (police admin, the water utility itself)', () => {
      const w = submitted();
      expect(codes(approveProposal(w, policeResponder, at(2), policy, settings))).toEqual(['approver-organisation']);
      expect(codes(approveProposal(w, waterColleague, at(2), policy, settings))).toEqual(['approver-organisation']);
    });

    it('with no approving organisation configured, nobody can approve', () => {
      const closed = approvalPolicy({ approverOrganisationIds: [] });
      const w = submitted();
      expect(codes(approveProposal(w, civilProtectionOfficer, at(2), closed, settings))).toEqual(['no-approver-organisations']);
    });

    it('a draft must be submitted first, and an edit after submission sends it back to draft', () => {
      const draft = ok(draftWarning({ id: 'w1', actor: waterOperator, now: t0, content: contentFrom('do-not-drink', t0) }, policy));
      expect(codes(approveProposal(draft, civilProtectionOfficer, at(1), policy, settings))).toEqual(['not-awaiting-approval']);
      const edited = ok(editProposal(submitted(), waterOperator, contentFrom('boil-water', t0), at(2), policy));
      expect(warningPhase(edited)).toBe('draft');
      expect(codes(approveProposal(edited, civilProtectionOfficer, at(3), policy, settings))).toEqual(['not-awaiting-approval']);
    });

    it('viewers and outsiders cannot write warnings, and policies cannot make viewers approvers', () => {
      expect(codes(draftWarning({ id: 'w2', actor: civilProtectionViewer, now: t0, content: contentFrom('evacuate', t0) }, policy))).toEqual(['author-role']);
      expect(codes(editProposal(submitted(), policeResponder, contentFrom('evacuate', t0), at(2), policy))).toEqual(['author-organisation']);
      expect(() => approvalPolicy({ approverRoles: ['viewer'], approverOrganisationIds: [CIVIL_PROTECTION] })).toThrow(/viewers only read/);
    });

    it('a rejection goes back to the authors with its reason, and needs an eligible reviewer', () => {
      const w = submitted();
      expect(codes(rejectProposal(w, waterOperator, 'no', at(2), policy))).toEqual(['approver-is-author', 'approver-role', 'approver-organisation']);
      const rejected = rejectProposal(w, civilProtectionOfficer, 'Préciser la zone', at(2), policy);
      expect(rejected.ok && rejected.event).toMatchObject({ type: 'warning.rejected', reason: 'Préciser la zone' });
      expect(rejected.ok && rejected.warning.proposal).toMatchObject({ state: 'draft', rejection: { by: 'u-chloe', reason: 'Préciser la zone' } });
    });

    it('a message that would not be valid CAP is not published, whoever approves it', () => {
      const content = contentFrom('avoid-area', t0);
      content.info[0]!.area[0]!.polygon = ['43.73,7.42 43.74,7.43 43.75,7.42'];
      let w = ok(draftWarning({ id: 'w3', actor: waterOperator, now: t0, content }, policy));
      w = ok(submitProposal(w, waterOperator, at(1), policy));
      const refused = approveProposal(w, civilProtectionOfficer, at(2), policy, settings);
      expect(codes(refused)).toEqual(['invalid-message']);
      expect(!refused.ok && refused.reasons[0]!.message).toMatch(/^\/alert\/info\[1\]\/area\[1\]\/polygon\[1\]: a polygon needs a minimum of 4/);
    });
  });

  describe('Update, Cancel and All Clear reference the chain', () => {
    function next(w: Warning, kind: 'update' | 'cancel' | 'all-clear', minute: number): Warning {
      const content = contentFrom('do-not-drink', at(minute), kind === 'update' ? 'alert' : kind);
      w = ok(proposeMessage(w, waterOperator, kind, content, at(minute), policy));
      w = ok(submitProposal(w, waterOperator, at(minute), policy));
      return ok(approveProposal(w, civilProtectionOfficer, at(minute + 1), policy, settings));
    }

    it('each message references every earlier message as sender,identifier,sent', () => {
      let w = published();
      w = next(w, 'update', 60);
      w = next(w, 'update', 120);
      w = next(w, 'all-clear', 180);
      const alerts = w.published.map((m) => m.alert);
      expect(alerts.map((a) => a.msgType)).toEqual(['Alert', 'Update', 'Update', 'Update']);
      expect(alerts.map((a) => a.identifier)).toEqual(['MC-VIGIL.w1.1', 'MC-VIGIL.w1.2', 'MC-VIGIL.w1.3', 'MC-VIGIL.w1.4']);
      const triple = (i: number) => `protection-civile@vigil.example.mc,${alerts[i]!.identifier},${alerts[i]!.sent}`;
      expect(alerts[1]!.references).toBe(triple(0));
      expect(alerts[2]!.references).toBe(`${triple(0)} ${triple(1)}`);
      expect(alerts[3]!.references).toBe(`${triple(0)} ${triple(1)} ${triple(2)}`);
      expect(triple(1)).toBe('protection-civile@vigil.example.mc,MC-VIGIL.w1.2,2025-07-14T12:31:00+02:00');
      for (const alert of alerts) expect(validateAlert(alert).problems).toEqual([]);
      expect(alerts[3]!.info.every((i) => i.responseType.includes('AllClear') && i.urgency === 'Past')).toBe(true);
    });

    it('an all-clear ends the warning: nothing more can be proposed', () => {
      const w = next(published(), 'all-clear', 60);
      expect(warningPhase(w)).toBe('all-clear');
      expect(codes(proposeMessage(w, waterOperator, 'update', contentFrom('do-not-drink', at(90)), at(90), policy))).toEqual(['warning-ended']);
    });

    it('a cancel is msgType Cancel referencing the chain, and ends it', () => {
      let w = next(published(), 'update', 60);
      w = next(w, 'cancel', 90);
      const cancel = w.published[2]!.alert;
      expect(cancel.msgType).toBe('Cancel');
      expect(cancel.references?.split(' ')).toHaveLength(2);
      expect(warningPhase(w)).toBe('cancelled');
      expect(validateAlert(cancel).valid).toBe(true);
      expect(codes(proposeMessage(w, waterOperator, 'cancel', contentFrom('do-not-drink', at(95), 'cancel'), at(95), policy))).toEqual(['warning-ended']);
    });

    it('refuses an update of an unpublished warning, a second pending message, and an all-clear without AllClear', () => {
      const draft = submitted();
      expect(codes(proposeMessage(draft, waterOperator, 'update', contentFrom('do-not-drink', t0), t0, policy))).toEqual(['not-published', 'proposal-pending']);
      const w = ok(proposeMessage(published(), waterOperator, 'update', contentFrom('do-not-drink', at(5)), at(5), policy));
      expect(codes(proposeMessage(w, waterOperator, 'cancel', contentFrom('do-not-drink', at(6), 'cancel'), at(6), policy))).toEqual(['proposal-pending']);
      expect(codes(proposeMessage(published(), waterOperator, 'all-clear', contentFrom('do-not-drink', at(5)), at(5), policy))).toEqual(['invalid-content']);
    });
  });
});
