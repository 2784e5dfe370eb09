// What the TAXII page tells a partner: the addresses to use and how to connect, made from what the server
// answers and the address this page was loaded from. Pure.
import type { TaxiiCollection, TaxiiCollections } from './types';

export function absolute(origin: string, path: string): string {
  return new URL(path, origin).toString();
}

export interface ConnectionGuide {
  discovery: string;
  apiRoot: string;
  /** A curl line listing the collections with a token (the token itself is never shown). */
  curl: string;
  /** The line a partner Vigil runs to pull one collection as a feed. */
  vigilFeed: (c: TaxiiCollection) => string;
}

export function connectionGuide(origin: string, t: Pick<TaxiiCollections, 'discovery' | 'apiRoot'>): ConnectionGuide {
  const discovery = absolute(origin, t.discovery);
  const apiRoot = absolute(origin, t.apiRoot);
  return {
    discovery,
    apiRoot,
    curl: `curl -H 'Accept: application/taxii+json;version=2.1' -u partner:$VIGIL_TOKEN ${apiRoot}collections/`,
    vigilFeed: (c) => `vigil feeds add taxii ${apiRoot} --collection ${c.id} --org <your-org> --user partner --token -`,
  };
}

const KIND_ORDER = { org: 0, group: 1, community: 2, public: 3 } as const;

/** Collections with the organisation's own first, then its groups, the community and the public. */
export function orderedCollections(list: readonly TaxiiCollection[]): TaxiiCollection[] {
  return [...list].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.title.localeCompare(b.title));
}

/** Who reads a collection, in words. */
export function audienceText(c: Pick<TaxiiCollection, 'kind' | 'title'>): string {
  switch (c.kind) {
    case 'org':
      return `Only accounts of ${c.title}: what it holds and what is addressed to it by name`;
    case 'group':
      return `Members of the sharing group ${c.title}`;
    case 'community':
      return 'Every organisation on this Vigil';
    case 'public':
      return 'Every account on this Vigil (TLP:CLEAR only)';
  }
}
