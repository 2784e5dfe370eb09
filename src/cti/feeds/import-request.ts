import type { Database } from '../../kernel/db/schema.js';
import { distributionOf, type Tlp } from '../../kernel/sharing/index.js';
import type { CtiService } from '../service.js';
import type { ImportRequest } from '../store/import.js';

/** What a feed's objects are stored as: the feed's organisation, its label for unmarked objects, its distribution. */
export async function feedImportRequest(cti: CtiService, row: Database['cti_feeds']): Promise<ImportRequest> {
  return {
    ownerOrgId: row.owner_org_id,
    actor: { orgId: row.owner_org_id, userId: null, tokenId: null, address: null },
    viewer: await cti.viewerOf(row.owner_org_id),
    source: `feed:${row.id}`,
    defaultTlp: row.tlp as Tlp,
    distribution: distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs),
    // A feed keeps what is valid: one bad object must not hold back the rest forever.
    partial: true,
  };
}
