import { describe, expect, it } from 'vitest';
import { type Distribution, checkShare } from '../../src/kernel/sharing/policy.js';
import { type ShareContext, draftOf, groupChoices, judge, labelChoices, orgChoices, scopeChoices, worldOf } from '../../web/src/sharing/rules.js';

const [WATER, POLICE, ENERGY, CERT, FIRE] = ['water', 'police', 'energy', 'cert', 'fire'];
const ORGS = [WATER, POLICE, ENERGY, CERT, FIRE];
const GROUPS = [
  { id: 'infra', ownerOrgId: CERT, memberOrgIds: [WATER, ENERGY] },
  { id: 'emergency', ownerOrgId: POLICE, memberOrgIds: [FIRE, CERT] },
];
const world = worldOf(ORGS, GROUPS);

function ctx(actor: string, record: ShareContext['record'], mayShare = true): ShareContext {
  return { actorOrgId: actor, mayShare, record, world, groupIds: GROUPS.filter((g) => g.ownerOrgId === actor || g.memberOrgIds.includes(actor)).map((g) => g.id) };
}
const byValue = <T,>(choices: Array<{ value: T; allowed: boolean; reason?: string }>, v: T) => choices.find((c) => c.value === v)!;

describe('share dialog rules (mirroring the kernel policy)', () => {
  const ownAmber = { ownerOrgId: WATER, tlp: 'amber' as const, distribution: { scope: 'owner' as const } };

  it('lets the owner pick any label and explains why AMBER+STRICT cannot leave the organisation', () => {
    const c = ctx(WATER, ownAmber);
    expect(labelChoices(c).every((l) => l.allowed)).toBe(true);
    const scopes = scopeChoices(c, { ...draftOf(ownAmber), tlp: 'amber+strict' });
    expect(byValue(scopes, 'owner').allowed).toBe(true);
    for (const scope of ['orgs', 'group', 'community', 'public'] as const) {
      expect(byValue(scopes, scope)).toMatchObject({ allowed: false, reason: expect.stringContaining('AMBER+STRICT cannot leave your organisation') });
    }
  });

  it('allows AMBER to listed organisations or a group, not the community or the public', () => {
    const scopes = scopeChoices(ctx(WATER, ownAmber), draftOf(ownAmber));
    expect(byValue(scopes, 'orgs').allowed).toBe(true);
    expect(byValue(scopes, 'group').allowed).toBe(true);
    expect(byValue(scopes, 'community')).toMatchObject({ allowed: false, reason: expect.stringMatching(/need-to-know/) });
    expect(byValue(scopes, 'public').allowed).toBe(false);
  });

  it('judges the whole draft exactly as the kernel does, for every label and scope', () => {
    const c = ctx(WATER, ownAmber);
    for (const tlp of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
      const distributions: Distribution[] = [{ scope: 'orgs', orgIds: [POLICE] }, { scope: 'community' }, { scope: 'public' }, { scope: 'group', groupId: 'infra' }];
      for (const distribution of distributions) {
        const draft = { tlp, scope: distribution.scope, orgIds: distribution.scope === 'orgs' ? distribution.orgIds : [], groupId: distribution.scope === 'group' ? distribution.groupId : null };
        expect(judge(c, draft).allowed, `${tlp} ${distribution.scope}`).toBe(checkShare(WATER, ownAmber, { tlp, distribution }, world).allowed);
      }
    }
  });

  it('keeps a recipient from lowering the label or widening the audience, and says so', () => {
    const shared = { ownerOrgId: WATER, tlp: 'amber' as const, distribution: { scope: 'orgs' as const, orgIds: [POLICE, CERT] } };
    const c = ctx(POLICE, shared);
    expect(byValue(labelChoices(c), 'green')).toMatchObject({ allowed: false, reason: expect.stringMatching(/Only the owner organisation may lower/) });
    expect(byValue(labelChoices(c), 'red').allowed).toBe(true);
    const orgs = orgChoices(c, draftOf(shared));
    expect(byValue(orgs, CERT).allowed).toBe(true);
    expect(byValue(orgs, ENERGY)).toMatchObject({ allowed: false, reason: expect.stringMatching(/may not widen/) });
    expect(judge(c, { tlp: 'amber', scope: 'orgs', orgIds: [CERT], groupId: null }).allowed).toBe(true);
    expect(judge(c, { tlp: 'amber', scope: 'orgs', orgIds: [ENERGY], groupId: null })).toMatchObject({ allowed: false });
  });

  it('offers only groups the organisation belongs to, and refuses a group wider than a recipient was given', () => {
    const shared = { ownerOrgId: WATER, tlp: 'amber' as const, distribution: { scope: 'orgs' as const, orgIds: [POLICE] } };
    const c = ctx(POLICE, shared);
    expect(groupChoices(c, draftOf(shared)).map((g) => g.value)).toEqual(['emergency']);
    expect(byValue(groupChoices(c, draftOf(shared)), 'emergency')).toMatchObject({ allowed: false, reason: expect.stringMatching(/may not widen/) });
  });

  it('disables everything, with the reason, for a role that may not share', () => {
    const c = ctx(WATER, ownAmber, false);
    expect(labelChoices(c).every((l) => !l.allowed && /role may not share/.test(l.reason!))).toBe(true);
    expect(judge(c, { tlp: 'red', scope: 'orgs', orgIds: [POLICE], groupId: null })).toMatchObject({ allowed: false, reason: expect.stringMatching(/role may not share/) });
  });

  it('asks for a choice before an empty list or group can be sent, and refuses a share that changes nothing', () => {
    const c = ctx(WATER, ownAmber);
    expect(judge(c, { tlp: 'amber', scope: 'orgs', orgIds: [], groupId: null })).toMatchObject({ allowed: false, reason: 'Choose at least one organisation' });
    expect(judge(c, { tlp: 'amber', scope: 'group', orgIds: [], groupId: null })).toMatchObject({ allowed: false, reason: 'Choose a sharing group' });
    expect(judge(c, draftOf(ownAmber))).toMatchObject({ allowed: false, reason: expect.stringMatching(/Nothing changes/) });
  });
});
