import { parseTlp, strictestTlp, type Tlp } from '../stix/markings.js';
import type { MispTag } from './model.js';

/**
 * MISP distribution levels against Vigil's sharing scopes. Where MISP has a level Vigil lacks (2, "connected
 * communities"), Vigil takes the narrower scope and remembers that the producer allowed federation: narrowing
 * never leaks, widening would.
 */
import type { DistributionScope } from '../../kernel/sharing/policy.js';

/** A distribution scope of the kernel's sharing policy (owner, orgs, group, community, public). */
export type VigilDistribution = DistributionScope;

export const MISP_DISTRIBUTION = {
  yourOrganisationOnly: '0',
  thisCommunityOnly: '1',
  connectedCommunities: '2',
  allCommunities: '3',
  sharingGroup: '4',
  inheritEvent: '5',
} as const;

export interface VigilSharing {
  distribution: VigilDistribution;
  /** Set for distribution `group`: the MISP sharing group id, to be mapped to a Vigil sharing group. */
  mispSharingGroupId?: string;
  /** MISP allowed passing it on to connected communities (federation peers). */
  federable: boolean;
}

/** An event's level (0–4), or an attribute/object level (0–5) with its event's level for 5 (inherit). */
export function mispToVigilDistribution(level: string, eventLevel?: string, sharingGroupId?: string): VigilSharing {
  const effective = level === '5' ? (eventLevel ?? '0') : level;
  switch (effective) {
    case '0':
      return { distribution: 'owner', federable: false };
    case '1':
      return { distribution: 'community', federable: false };
    case '2':
      return { distribution: 'community', federable: true };
    case '3':
      return { distribution: 'public', federable: true };
    case '4':
      return { distribution: 'group', mispSharingGroupId: sharingGroupId, federable: false };
    default:
      // Unknown levels fall to the narrowest scope.
      return { distribution: 'owner', federable: false };
  }
}

/** Vigil scope → MISP level. `orgs` (an explicit list) has no MISP level but a sharing group. */
export function vigilToMispDistribution(distribution: VigilDistribution, federable = false): string {
  switch (distribution) {
    case 'owner':
      return '0';
    case 'community':
      return federable ? '2' : '1';
    case 'public':
      return '3';
    case 'group':
    case 'orgs':
      return '4';
  }
}

/** TLP from MISP tags (`tlp:amber+strict`, `tlp:white`, …); the strictest wins when several are present. */
export function tlpFromTags(tags: readonly MispTag[] | undefined): Tlp | undefined {
  const levels: Tlp[] = [];
  for (const tag of tags ?? []) {
    if (!tag.name.toLowerCase().startsWith('tlp:')) continue;
    const tlp = parseTlp(tag.name);
    if (tlp) levels.push(tlp);
  }
  return strictestTlp(levels);
}

export function tlpTag(tlp: Tlp): MispTag {
  return { name: `tlp:${tlp}`, exportable: true };
}

/** Tags that carry meaning beyond TLP: galaxies (`misp-galaxy:…`) and taxonomies. */
export function nonTlpTags(tags: readonly MispTag[] | undefined): MispTag[] {
  return (tags ?? []).filter((t) => !t.name.toLowerCase().startsWith('tlp:'));
}
