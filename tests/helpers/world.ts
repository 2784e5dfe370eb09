import { openSession } from '../../src/kernel/auth/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { SYSTEM_ACTOR } from '../../src/kernel/kernel.js';
import type { Role } from '../../src/kernel/auth/index.js';
import { createOrganisation, createUser, saveSharingGroup } from '../../src/organisations/queries.js';

/**
 * The organisations of the sharing matrix:
 * - owner: owns the records;
 * - listed: named in `orgs` distributions;
 * - member: in sharing group G (owned by `owner`);
 * - community: another organisation of this Vigil, in no list or group;
 * - outsider: in a different sharing group H, never in G or a list.
 */
export const MATRIX_ORGS = ['owner', 'listed', 'member', 'community', 'outsider'] as const;
export type MatrixOrg = (typeof MATRIX_ORGS)[number];

export interface World {
  org: Record<MatrixOrg, string>;
  groupG: string;
  groupH: string;
  /** A bearer token per organisation (an analyst), plus extra users by role. */
  token: Record<MatrixOrg, string>;
  tokenFor(org: MatrixOrg, role: Role): Promise<string>;
}

// A real argon2id hash of "correct horse battery", computed once: tests that never log in by password skip argon2.
const PASSWORD_HASH = '$argon2id$v=19$m=65536,t=3,p=1$ud2Dthi/5gelkXv7en67zQ$CiX19ecVLYtBa34ZI6nocq9E8yoZB8+DnLo3FaZK2Kc';
export const TEST_PASSWORD = 'correct horse battery';

/** `kernel` may be a getter, for tests that restart the kernel and keep using the world. */
export async function seedWorld(kernelOrGetter: Kernel | (() => Kernel), passwordHash = PASSWORD_HASH): Promise<World> {
  const current = typeof kernelOrGetter === 'function' ? kernelOrGetter : () => kernelOrGetter;
  const kernel = current();
  const org = {} as Record<MatrixOrg, string>;
  const sectors: Record<MatrixOrg, 'water' | 'police' | 'fire' | 'energy' | 'transport'> = {
    owner: 'water',
    listed: 'police',
    member: 'fire',
    community: 'energy',
    outsider: 'transport',
  };
  const users: Array<{ org: MatrixOrg; id: string }> = [];
  let groupG = '';
  let groupH = '';
  await kernel.write(SYSTEM_ACTOR, async (w) => {
    for (const key of Object.keys(sectors) as MatrixOrg[]) {
      const o = await createOrganisation(w, { slug: key, name: `Org ${key}`, sector: sectors[key], kind: key === 'owner' ? 'authority' : 'operator' });
      org[key] = o.id;
      const u = await createUser(w, { orgId: o.id, email: `analyst@${key}.test`, name: `${key} analyst`, role: 'analyst', password: '' }, passwordHash);
      users.push({ org: key, id: u.id });
    }
    groupG = (await saveSharingGroup(w, { ownerOrgId: org.owner, name: 'G', description: '', memberOrgIds: [org.member] })).id;
    groupH = (await saveSharingGroup(w, { ownerOrgId: org.outsider, name: 'H', description: '', memberOrgIds: [org.community] })).id;
  });
  const token = {} as Record<MatrixOrg, string>;
  for (const u of users) token[u.org] = (await openSession(kernel.store.db, u.id, kernel.clock(), 3600)).token;
  let n = 0;
  return {
    org,
    groupG,
    groupH,
    token,
    async tokenFor(key, role) {
      n++;
      const k = current();
      const user = await k.write(SYSTEM_ACTOR, (w) =>
        createUser(w, { orgId: org[key], email: `${role}${n}@${key}.test`, name: `${key} ${role}`, role, password: '' }, passwordHash),
      );
      return (await openSession(k.store.db, user.id, k.clock(), 3600)).token;
    },
  };
}
