import type { Kernel } from '../../kernel/kernel.js';
import type { Database } from '../../kernel/db/schema.js';
import type { CtiService } from '../service.js';
import { isStixTimestamp } from '../stix/timestamps.js';
import { TAXII_MEDIA_TYPE } from '../taxii/media-type.js';
import { FetchError, authHeader, boundedFetch } from './http.js';
import type { PullLimits, PullOutcome } from './model.js';
import { feedImportRequest } from './import-request.js';

/**
 * Pulling a TAXII 2.1 collection. Pages are followed with `next` and the same original query; a server that
 * says `more` without `next` is paged with `added_after` = its X-TAXII-Date-Added-Last (TAXII 2.1 §3.5). Each
 * page is stored in one transaction with the position after it, so a pull that fails half way resumes exactly
 * there: nothing is fetched twice into the store, nothing skipped. A token the server no longer honours (400)
 * falls back to `added_after`. Bounded by pages, bytes and time per pull; the rest comes next pull.
 */
type FeedRow = Database['cti_feeds'];

export async function pullTaxiiFeed(kernel: Kernel, cti: CtiService, row: FeedRow, limits: PullLimits): Promise<PullOutcome> {
  const outcome: PullOutcome = { feedId: row.id, pages: 0, objects: 0, stored: 0, duplicates: 0, invalid: 0, caughtUp: false };
  const headers = { accept: TAXII_MEDIA_TYPE, 'user-agent': 'Vigil TAXII 2.1 client', ...authHeader(row.username, row.secret) };
  const fetchLimits = { timeoutMs: limits.requestTimeoutMs, maxBytes: limits.maxPageBytes };
  const objectsUrl = await collectionObjectsUrl(row, headers, fetchLimits);
  let nextToken = row.next_token;
  let addedAfter = row.added_after;
  /** Where to go on by date if a token is refused: the newest date_added stored so far. */
  let resumeAfter = row.added_after;
  const started = Date.now();
  while (outcome.pages < limits.maxPages && Date.now() - started < limits.maxPullMs) {
    const params = new URLSearchParams({ limit: String(limits.pageLimit) });
    if (addedAfter) params.set('added_after', addedAfter);
    if (nextToken) params.set('next', nextToken);
    const res = await boundedFetch(`${objectsUrl}?${params}`, headers, fetchLimits);
    outcome.pages++;
    if (res.status === 400 && nextToken) {
      nextToken = null;
      addedAfter = resumeAfter;
      await kernel.store.db.updateTable('cti_feeds').set({ next_token: null, added_after: addedAfter }).where('id', '=', row.id).execute();
      continue;
    }
    if (res.status !== 200) throw new FetchError(`the TAXII server answered ${res.status}${errorText(res.text)}`, res.status);
    const contentType = res.headers.get('content-type') ?? '';
    if (!/^application\/taxii\+json/i.test(contentType)) throw new FetchError(`not a TAXII answer (Content-Type ${contentType || 'missing'})`);
    const envelope = readEnvelope(res.text);
    const last = res.headers.get('x-taxii-date-added-last');
    if (last !== null && !isStixTimestamp(last)) throw new FetchError(`X-TAXII-Date-Added-Last is not a timestamp: ${String(last).slice(0, 40)}`);
    let position: { next_token: string | null; added_after: string | null };
    if (envelope.more && envelope.next) position = { next_token: envelope.next, added_after: addedAfter };
    else if (envelope.more) {
      if (!last) throw new FetchError('the server says there is more but gives neither next nor X-TAXII-Date-Added-Last');
      position = { next_token: null, added_after: last };
    } else position = { next_token: null, added_after: last ?? resumeAfter ?? addedAfter };
    if (envelope.more && envelope.objects.length === 0 && position.next_token === nextToken && position.added_after === addedAfter) {
      throw new FetchError('the server says there is more but its next page is the same empty one');
    }
    const save = { next_token: position.next_token, added_after: position.added_after };
    if (envelope.objects.length > 0) {
      const result = await cti.importStix([JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: envelope.objects })], {
        ...(await feedImportRequest(cti, row)),
        inCommit: async (w, o) => {
          await w.tx
            .updateTable('cti_feeds')
            .set((eb) => ({ ...save, objects_received: eb('objects_received', '+', o.stored) }))
            .where('id', '=', row.id)
            .execute();
        },
      });
      if (result.status === 'rejected') throw new FetchError(`page not importable: ${result.reason}`);
      outcome.objects += result.total;
      outcome.stored += result.stored;
      outcome.duplicates += result.duplicates;
      outcome.invalid += result.invalid;
    } else {
      await kernel.store.db.updateTable('cti_feeds').set(save).where('id', '=', row.id).execute();
    }
    if (last) resumeAfter = last;
    nextToken = position.next_token;
    addedAfter = position.added_after;
    if (!envelope.more) {
      outcome.caughtUp = true;
      break;
    }
  }
  return outcome;
}

/** The feed URL is an API root (…/taxii2/api/) or the discovery URL (…/taxii2/), whose default API root is used. */
async function collectionObjectsUrl(row: FeedRow, headers: Record<string, string>, limits: { timeoutMs: number; maxBytes: number }): Promise<string> {
  if (!row.collection_id) throw new FetchError('the feed has no collection id');
  let apiRoot = row.url.endsWith('/') ? row.url : `${row.url}/`;
  if (new URL(apiRoot).pathname.endsWith('/taxii2/')) {
    const res = await boundedFetch(apiRoot, headers, { ...limits, maxBytes: 1024 * 1024 });
    if (res.status !== 200) throw new FetchError(`discovery answered ${res.status}${errorText(res.text)}`, res.status);
    const discovery = parseJson(res.text) as { default?: unknown; api_roots?: unknown };
    const chosen = typeof discovery.default === 'string' ? discovery.default : Array.isArray(discovery.api_roots) ? discovery.api_roots[0] : undefined;
    if (typeof chosen !== 'string') throw new FetchError('discovery names no API root');
    apiRoot = new URL(chosen, apiRoot).toString();
    if (new URL(apiRoot).origin !== new URL(row.url).origin) throw new FetchError('the default API root is on another server: add the feed with that URL');
  }
  return `${apiRoot}collections/${encodeURIComponent(row.collection_id)}/objects/`;
}

interface Envelope {
  more: boolean;
  next: string | null;
  objects: unknown[];
}

function readEnvelope(text: string): Envelope {
  const value = parseJson(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new FetchError('the answer is not a TAXII envelope');
  const e = value as { more?: unknown; next?: unknown; objects?: unknown };
  if (e.more !== undefined && typeof e.more !== 'boolean') throw new FetchError('envelope: more must be true or false');
  if (e.next !== undefined && typeof e.next !== 'string') throw new FetchError('envelope: next must be a string');
  if (e.objects !== undefined && !Array.isArray(e.objects)) throw new FetchError('envelope: objects must be a list');
  return { more: e.more === true, next: typeof e.next === 'string' && e.next !== '' ? e.next : null, objects: (e.objects as unknown[] | undefined) ?? [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchError(`the answer is not JSON: ${text.slice(0, 80).replace(/\s+/g, ' ')}`);
  }
}

function errorText(text: string): string {
  try {
    const e = JSON.parse(text) as { title?: unknown; description?: unknown };
    return typeof e.title === 'string' ? `: ${e.title}${typeof e.description === 'string' ? ` (${e.description.slice(0, 200)})` : ''}` : '';
  } catch {
    return '';
  }
}
