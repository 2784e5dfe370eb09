import { describe, expect, it } from 'vitest';
import {
  type Distribution,
  type Sharing,
  type SharingWorld,
  type Tlp,
  ANONYMOUS,
  DISTRIBUTION_SCOPES,
  TLP_LABELS,
  canSee,
  checkInitialSharing,
  checkShare,
  labelAllows,
  lostSight,
} from '../../src/kernel/sharing/policy.js';

const O = 'owner';
const L = 'listed';
const M = 'member';
const C = 'community';
const X = 'outsider';
const G = 'group-g';
const H = 'group-h';

const groups: Record<string, Set<string>> = { [G]: new Set([O, M]), [H]: new Set([X, C]) };
const world: SharingWorld = { orgIds: new Set([O, L, M, C, X]), groupMembers: (id) => groups[id] };
const viewer = (org: string) => ({ orgId: org, groupIds: new Set(Object.keys(groups).filter((g) => groups[g]!.has(org))) });

const distributions: Record<string, Distribution> = {
  owner: { scope: 'owner' },
  orgs: { scope: 'orgs', orgIds: [L] },
  group: { scope: 'group', groupId: G },
  community: { scope: 'community' },
  public: { scope: 'public' },
};

const expectedAudience: Record<string, string[]> = {
  owner: [O],
  orgs: [O, L],
  group: [O, M],
  community: [O, L, M, C, X],
  public: [O, L, M, C, X, 'anonymous'],
};

describe('canSee', () => {
  for (const [name, distribution] of Object.entries(distributions)) {
    for (const who of [O, L, M, C, X, 'anonymous']) {
      const should = expectedAudience[name]!.includes(who);
      it(`${who} ${should ? 'sees' : 'does not see'} a record distributed to ${name}`, () => {
        const v = who === 'anonymous' ? ANONYMOUS : viewer(who);
        expect(canSee(v, { ownerOrgId: O, tlp: 'clear', distribution })).toBe(should);
      });
    }
  }
});

describe('labels bound distributions', () => {
  const allowed: Record<Tlp, string[]> = {
    clear: ['owner', 'orgs', 'group', 'community', 'public'],
    green: ['owner', 'orgs', 'group', 'community'],
    amber: ['owner', 'orgs', 'group'],
    'amber+strict': ['owner'],
    red: ['owner', 'orgs'],
  };
  for (const tlp of TLP_LABELS) {
    for (const scope of DISTRIBUTION_SCOPES) {
      const ok = allowed[tlp].includes(scope);
      it(`${tlp} ${ok ? 'allows' : 'forbids'} ${scope}`, () => {
        const decision = labelAllows(tlp, distributions[scope]!);
        expect(decision.allowed).toBe(ok);
        if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(20);
      });
    }
  }

  it('explains amber+strict in the words the share dialog shows', () => {
    const decision = labelAllows('amber+strict', distributions.orgs!);
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('AMBER+STRICT cannot leave your organisation') });
  });

  it('refuses a distribution that lists the owner, an unknown organisation or nobody', () => {
    const base = { ownerOrgId: O, tlp: 'amber' as Tlp };
    expect(checkInitialSharing({ ...base, distribution: { scope: 'orgs', orgIds: [O] } }, O, world).allowed).toBe(false);
    expect(checkInitialSharing({ ...base, distribution: { scope: 'orgs', orgIds: ['nobody'] } }, O, world).allowed).toBe(false);
    expect(checkInitialSharing({ ...base, distribution: { scope: 'orgs', orgIds: [] } }, O, world).allowed).toBe(false);
    expect(checkInitialSharing({ ...base, distribution: { scope: 'group', groupId: 'missing' } }, O, world).allowed).toBe(false);
  });

  it('lets an organisation share only with groups it belongs to', () => {
    expect(checkInitialSharing({ ownerOrgId: O, tlp: 'amber', distribution: { scope: 'group', groupId: H } }, O, world).allowed).toBe(false);
    expect(checkInitialSharing({ ownerOrgId: O, tlp: 'amber', distribution: { scope: 'group', groupId: G } }, O, world).allowed).toBe(true);
  });

  it('never creates a record for another organisation', () => {
    expect(checkInitialSharing({ ownerOrgId: L, tlp: 'clear', distribution: { scope: 'owner' } }, O, world).allowed).toBe(false);
  });
});

describe('onward sharing', () => {
  const record = (tlp: Tlp, distribution: Distribution): Sharing => ({ ownerOrgId: O, tlp, distribution });

  it('lets the owner widen and narrow', () => {
    const r = record('green', distributions.orgs!);
    expect(checkShare(O, r, { distribution: distributions.community! }, world).allowed).toBe(true);
    expect(checkShare(O, record('green', distributions.community!), { distribution: distributions.owner! }, world).allowed).toBe(true);
  });

  it('never lets a recipient widen what it was given', () => {
    const r = record('green', { scope: 'orgs', orgIds: [L] });
    const widen = checkShare(L, r, { distribution: { scope: 'orgs', orgIds: [L, C] } }, world);
    expect(widen).toEqual({ allowed: false, reason: expect.stringContaining('may not widen') });
    expect(checkShare(L, r, { distribution: distributions.community! }, world).allowed).toBe(false);
    const inGroup = record('green', distributions.group!);
    expect(checkShare(M, inGroup, { distribution: distributions.community! }, world).allowed).toBe(false);
  });

  it('lets a recipient narrow within what it was given', () => {
    const r = record('green', distributions.community!);
    expect(checkShare(L, r, { distribution: { scope: 'orgs', orgIds: [L] } }, world).allowed).toBe(true);
    expect(checkShare(M, r, { distribution: distributions.group! }, world).allowed).toBe(true);
  });

  it('lets anyone who may share raise the label, and only the owner lower it', () => {
    const r = record('green', { scope: 'orgs', orgIds: [L] });
    expect(checkShare(L, r, { tlp: 'red', distribution: { scope: 'orgs', orgIds: [L] } }, world).allowed).toBe(true);
    const red = record('red', { scope: 'orgs', orgIds: [L] });
    expect(checkShare(L, red, { tlp: 'amber', distribution: red.distribution }, world)).toEqual({ allowed: false, reason: expect.stringContaining('Only the owner organisation may lower') });
    expect(checkShare(O, red, { tlp: 'clear', distribution: distributions.public! }, world).allowed).toBe(true);
  });

  it('keeps red to listed organisations and amber+strict to the organisation, whoever shares', () => {
    expect(checkShare(O, record('red', distributions.owner!), { distribution: distributions.group! }, world).allowed).toBe(false);
    expect(checkShare(O, record('amber+strict', distributions.owner!), { distribution: distributions.orgs! }, world).allowed).toBe(false);
    expect(checkShare(O, record('amber', distributions.orgs!), { tlp: 'amber+strict', distribution: distributions.orgs! }, world).allowed).toBe(false);
    expect(checkShare(O, record('green', distributions.community!), { distribution: distributions.public! }, world).allowed).toBe(false);
  });

  it('refuses to share a record the actor cannot see', () => {
    expect(checkShare(C, record('amber', distributions.orgs!), { distribution: distributions.owner! }, world).allowed).toBe(false);
  });

  it('names the organisations that lose sight of a record', () => {
    expect(lostSight(record('green', distributions.community!), record('green', distributions.orgs!), world).sort()).toEqual([C, M, X].sort());
    expect(lostSight(record('amber', distributions.orgs!), record('amber', distributions.group!), world)).toEqual([L]);
    expect(lostSight(record('clear', distributions.owner!), record('clear', distributions.public!), world)).toEqual([]);
  });
});
