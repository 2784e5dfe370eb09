import type { Database } from '../../kernel/db/schema.js';
import type { Kernel } from '../../kernel/kernel.js';
import { eventsToPull, mispFeedEventPath, readMispManifest } from '../misp/feed.js';
import { importMispEvent } from '../misp/store.js';
import type { CtiService } from '../service.js';
import { FetchError, authHeader, boundedFetch } from './http.js';
import { feedImportRequest } from './import-request.js';
import type { PullLimits, PullOutcome } from './model.js';

/**
 * Pulling a MISP feed: `manifest.json` says which events exist and when each last changed; the new and changed
 * ones are fetched (`<uuid>.json`) oldest first, converted and imported, each with the note that it was seen in
 * the same transaction. An event that cannot be read is noted as seen too (it would fail again) and reported.
 */
export async function pullMispFeed(kernel: Kernel, cti: CtiService, row: Database['cti_feeds'], limits: PullLimits): Promise<PullOutcome> {
  const outcome: PullOutcome = { feedId: row.id, pages: 0, objects: 0, stored: 0, duplicates: 0, invalid: 0, caughtUp: false };
  const base = row.url.endsWith('/') ? row.url : `${row.url}/`;
  const headers = { accept: 'application/json', 'user-agent': 'Vigil MISP feed client', ...authHeader(row.username, row.secret) };
  const fetchLimits = { timeoutMs: limits.requestTimeoutMs, maxBytes: limits.maxPageBytes };
  const res = await boundedFetch(`${base}manifest.json`, headers, fetchLimits);
  if (res.status !== 200) throw new FetchError(`manifest.json answered ${res.status}`, res.status);
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw new FetchError('manifest.json is not JSON');
  }
  const manifest = readMispManifest(json);
  if (manifest.entries.length === 0 && manifest.problems.length > 0) throw new FetchError(`manifest.json: ${manifest.problems[0]!.message}`);
  const seenRows = await kernel.store.db.selectFrom('cti_feed_seen').select(['key', 'stamp']).where('feed_id', '=', row.id).execute();
  const seen = new Map(seenRows.map((r) => [r.key, Number(r.stamp)]));
  const todo = eventsToPull(manifest, seen);
  const problems: string[] = [];
  const started = Date.now();
  for (const entry of todo) {
    if (outcome.pages >= limits.maxPages || Date.now() - started > limits.maxPullMs) break;
    outcome.pages++;
    const markSeen = { feed_id: row.id, key: entry.uuid, stamp: String(entry.timestamp) };
    const eventRes = await boundedFetch(`${base}${mispFeedEventPath(entry.uuid)}`, headers, fetchLimits);
    let event: unknown;
    try {
      if (eventRes.status !== 200) throw new Error(`answered ${eventRes.status}`);
      event = JSON.parse(eventRes.text);
    } catch (error) {
      problems.push(`event ${entry.uuid}: ${(error as Error).message}`);
      await noteSeen(kernel, markSeen);
      continue;
    }
    const imported = await importMispEvent(cti, event, {
      ...(await feedImportRequest(cti, row)),
      inCommit: async (w, o) => {
        await w.tx.insertInto('cti_feed_seen').values(markSeen).onConflict((oc) => oc.columns(['feed_id', 'key']).doUpdateSet({ stamp: markSeen.stamp })).execute();
        await w.tx.updateTable('cti_feeds').set((eb) => ({ objects_received: eb('objects_received', '+', o.stored) })).where('id', '=', row.id).execute();
      },
    });
    if (!imported.result || imported.result.status !== 'complete') {
      problems.push(`event ${entry.uuid}: ${imported.result?.reason ?? imported.problems.map((p) => `${p.path} ${p.message}`).join('; ') ?? 'not importable'}`);
      await noteSeen(kernel, markSeen);
      continue;
    }
    outcome.objects += imported.result.total;
    outcome.stored += imported.result.stored;
    outcome.duplicates += imported.result.duplicates;
    outcome.invalid += imported.result.invalid;
  }
  outcome.caughtUp = outcome.pages === todo.length;
  if (problems.length > 0) outcome.error = problems.slice(0, 5).join('; ');
  return outcome;
}

async function noteSeen(kernel: Kernel, row: { feed_id: string; key: string; stamp: string }): Promise<void> {
  await kernel.store.db.insertInto('cti_feed_seen').values(row).onConflict((oc) => oc.columns(['feed_id', 'key']).doUpdateSet({ stamp: row.stamp })).execute();
}
