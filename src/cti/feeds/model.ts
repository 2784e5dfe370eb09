import type { Distribution, Tlp } from '../../kernel/sharing/policy.js';

/** A feed: a remote source of intelligence an organisation pulls on a schedule (TAXII 2.1 collection or MISP feed). */
export type FeedKind = 'taxii' | 'misp';

export interface Feed {
  id: string;
  ownerOrgId: string;
  kind: FeedKind;
  name: string;
  url: string;
  collectionId: string | null;
  username: string | null;
  /** Whether a token or password is set (it is never shown). */
  hasSecret: boolean;
  everySeconds: number;
  tlp: Tlp;
  distribution: Distribution;
  enabled: boolean;
  nextToken: string | null;
  addedAfter: string | null;
  lastPullAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  failures: number;
  nextPullAt: string;
  objectsReceived: number;
  createdAt: string;
  updatedAt: string;
}

export interface FeedDraft {
  kind: FeedKind;
  name?: string;
  url: string;
  collectionId?: string | null;
  username?: string | null;
  secret?: string | null;
  everySeconds?: number;
  tlp?: Tlp;
  distribution?: Distribution;
  enabled?: boolean;
}

/** How far one pull may go: a remote that stalls, pages forever or sends too much is cut off here. */
export interface PullLimits {
  requestTimeoutMs: number;
  /** Pages (TAXII) or events (MISP) per pull; the next pull carries on from where this one stopped. */
  maxPages: number;
  maxPageBytes: number;
  maxPullMs: number;
  pageLimit: number;
}

export const DEFAULT_PULL_LIMITS: PullLimits = {
  requestTimeoutMs: 30_000,
  maxPages: 100,
  maxPageBytes: 64 * 1024 * 1024,
  maxPullMs: 5 * 60_000,
  pageLimit: 1000,
};

export const DEFAULT_EVERY_SECONDS = 3600;
export const MIN_EVERY_SECONDS = 60;

export interface PullOutcome {
  feedId: string;
  pages: number;
  objects: number;
  stored: number;
  duplicates: number;
  invalid: number;
  /** True when the remote said there was nothing more (else the next pull continues). */
  caughtUp: boolean;
  error?: string;
}

/** When to try again after `failures` failures in a row: doubling from a minute, never later than the schedule. */
export function retryDelaySeconds(failures: number, everySeconds: number): number {
  return Math.min(everySeconds, 60 * 2 ** Math.min(failures - 1, 10));
}

/**
 * TAXII clients must speak HTTPS; plain HTTP is accepted only to this machine (tests, a local proxy). The URL
 * must not carry credentials (they go in the feed's username and secret).
 */
export function checkFeedUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'put credentials in --user/--token, not in the URL';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return null;
  return 'feeds are pulled over HTTPS (plain HTTP only to this machine)';
}
