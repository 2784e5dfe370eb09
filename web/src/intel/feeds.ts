// The feeds page's logic: each feed's state in words, its schedule, and the form for a new feed checked as the
// server checks it (the URL rule is the server's own function, imported as is). Pure.
import type { Tlp } from '../api/types';
import { MIN_EVERY_SECONDS, checkFeedUrl } from '../../../src/cti/feeds/model.js';
import type { Feed, FeedKind, PullOutcome } from './types';

export { MIN_EVERY_SECONDS };

export const SCHEDULES: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 300, label: 'every 5 minutes' },
  { seconds: 900, label: 'every 15 minutes' },
  { seconds: 3600, label: 'every hour' },
  { seconds: 6 * 3600, label: 'every 6 hours' },
  { seconds: 86_400, label: 'every day' },
];

export function scheduleText(seconds: number): string {
  const preset = SCHEDULES.find((s) => s.seconds === seconds);
  if (preset) return preset.label;
  if (seconds % 86_400 === 0) return `every ${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `every ${seconds / 60} minutes`;
  return `every ${seconds} s`;
}

export type FeedState = 'failing' | 'paused' | 'never pulled' | 'ok';

export function feedState(f: Pick<Feed, 'enabled' | 'lastError' | 'failures' | 'lastPullAt'>): FeedState {
  if (!f.enabled) return 'paused';
  if (f.lastError && f.failures > 0) return 'failing';
  if (!f.lastPullAt) return 'never pulled';
  return 'ok';
}

/** A failing feed's line: how many failures in a row and when it is tried again. */
export function failureText(f: Pick<Feed, 'failures' | 'nextPullAt'>, now = Date.now()): string {
  const wait = Math.max(0, Date.parse(f.nextPullAt) - now);
  const when = wait < 60_000 ? 'within a minute' : wait < 3_600_000 ? `in ${Math.round(wait / 60_000)} min` : `in ${Math.round(wait / 3_600_000)} h`;
  return `${f.failures} failure${f.failures === 1 ? '' : 's'} in a row; tried again ${when}`;
}

/** What a "pull now" did, in one line. */
export function outcomeText(o: PullOutcome): string {
  if (o.error) return `Pull failed: ${o.error}`;
  const parts = [`${o.objects.toLocaleString('en-GB')} object${o.objects === 1 ? '' : 's'} received`, `${o.stored.toLocaleString('en-GB')} new`];
  if (o.duplicates) parts.push(`${o.duplicates.toLocaleString('en-GB')} already held`);
  if (o.invalid) parts.push(`${o.invalid.toLocaleString('en-GB')} invalid`);
  return `${parts.join(', ')} in ${o.pages} page${o.pages === 1 ? '' : 's'}${o.caughtUp ? '; up to date' : '; more to come on the next pull'}`;
}

export interface FeedDraft {
  kind: FeedKind;
  name: string;
  url: string;
  collectionId: string;
  username: string;
  secret: string;
  everySeconds: number;
  /** '' = the organisation's default. */
  tlp: Tlp | '';
}

export const EMPTY_FEED: FeedDraft = { kind: 'taxii', name: '', url: '', collectionId: '', username: '', secret: '', everySeconds: 3600, tlp: '' };

export type FeedErrors = Partial<Record<keyof FeedDraft, string>>;

export function checkFeed(d: FeedDraft): FeedErrors {
  const errors: FeedErrors = {};
  const url = d.url.trim();
  if (!url) errors.url = 'is required';
  else {
    const problem = checkFeedUrl(url);
    if (problem) errors.url = problem === 'put credentials in --user/--token, not in the URL' ? 'put the user name and token in their own fields, not in the URL' : problem;
  }
  if (d.kind === 'taxii' && !d.collectionId.trim()) errors.collectionId = 'a TAXII feed needs the collection id (or alias) to pull';
  if (d.everySeconds < MIN_EVERY_SECONDS) errors.everySeconds = `at least every ${MIN_EVERY_SECONDS} s`;
  return errors;
}

/** The POST /cti/feeds body: only what was given (the server fills the rest from the organisation's defaults). */
export function feedBody(d: FeedDraft): Record<string, unknown> {
  return {
    kind: d.kind,
    url: d.url.trim(),
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    ...(d.kind === 'taxii' ? { collectionId: d.collectionId.trim() } : {}),
    ...(d.username.trim() ? { username: d.username.trim() } : {}),
    ...(d.secret ? { secret: d.secret } : {}),
    everySeconds: d.everySeconds,
    ...(d.tlp ? { tlp: d.tlp } : {}),
  };
}
