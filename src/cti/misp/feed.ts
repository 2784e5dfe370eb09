import { isUuid, type MispTag } from './model.js';

/**
 * A MISP feed as MISP publishes it: `manifest.json` maps event uuids to a summary, and each event lives in
 * `<uuid>.json` beside it. Reading which events to fetch is pure; the fetching (HTTP or files) is the caller's.
 */
export interface MispFeedEntry {
  uuid: string;
  info: string;
  date?: string;
  /** Seconds since the epoch (the event's last change): compare with what was pulled before. */
  timestamp: number;
  threatLevelId?: string;
  analysis?: string;
  orgc?: { name?: string; uuid?: string };
  tags: MispTag[];
}

export interface MispManifest {
  entries: MispFeedEntry[];
  problems: Array<{ key: string; message: string }>;
}

export function readMispManifest(json: unknown): MispManifest {
  const entries: MispFeedEntry[] = [];
  const problems: MispManifest['problems'] = [];
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return { entries, problems: [{ key: '$', message: 'manifest.json must be an object keyed by event uuid' }] };
  }
  for (const [uuid, raw] of Object.entries(json as Record<string, unknown>)) {
    if (!isUuid(uuid)) {
      problems.push({ key: uuid, message: 'key is not an event uuid' });
      continue;
    }
    const r = (raw ?? {}) as Record<string, unknown>;
    const orgc = r.Orgc as { name?: unknown; uuid?: unknown } | undefined;
    entries.push({
      uuid,
      info: String(r.info ?? ''),
      date: r.date === undefined ? undefined : String(r.date),
      timestamp: Number(r.timestamp ?? 0) || 0,
      threatLevelId: r.threat_level_id === undefined ? undefined : String(r.threat_level_id),
      analysis: r.analysis === undefined ? undefined : String(r.analysis),
      orgc: orgc ? { name: orgc.name === undefined ? undefined : String(orgc.name), uuid: orgc.uuid === undefined ? undefined : String(orgc.uuid) } : undefined,
      tags: Array.isArray(r.Tag)
        ? (r.Tag as unknown[]).filter((t) => typeof (t as { name?: unknown })?.name === 'string').map((t) => ({ name: String((t as { name: string }).name) }))
        : [],
    });
  }
  entries.sort((a, b) => a.timestamp - b.timestamp || a.uuid.localeCompare(b.uuid));
  return { entries, problems };
}

/** Events new or changed since the last pull (`seen`: uuid → timestamp pulled), oldest first. */
export function eventsToPull(manifest: MispManifest, seen: ReadonlyMap<string, number>): MispFeedEntry[] {
  return manifest.entries.filter((e) => (seen.get(e.uuid) ?? -1) < e.timestamp);
}

/** Where an event of a feed lives, relative to the feed's base URL or folder. */
export function mispFeedEventPath(uuid: string): string {
  if (!isUuid(uuid)) throw new Error(`not an event uuid: ${uuid}`);
  return `${uuid.toLowerCase()}.json`;
}
