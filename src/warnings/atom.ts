import { formatRfc3339 } from './datetime.js';
import { isEnded, type PublishedMessage, type Warning } from './lifecycle.js';
import type { Status } from './model.js';
import { escapeXmlText } from './xml-write.js';

/**
 * The public Atom feed (RFC 4287) of current warnings. One entry per warning, not per message: its id
 * never changes, its <updated> is when its latest message was published, its alternate link is that
 * message's CAP XML, and "related" links lead to the earlier messages of the chain. A warning leaves the
 * feed when it is cancelled, cleared, or all its info blocks have expired.
 */

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const CAP_MEDIA_TYPE = 'application/cap+xml';

export interface FeedSettings {
  /** Public base URL, no trailing slash, e.g. https://vigil.gouv.mc */
  baseUrl: string;
  /** Stable IRI prefix for ids, e.g. "tag:vigil.gouv.mc,2025:" (RFC 4151); entries append "warning:<id>". */
  idPrefix: string;
  title: string;
  authorName: string;
  /** Language of the feed's own texts, and the info block preferred for each entry's title. */
  language: string;
  /** Statuses listed; default Actual and Exercise (Test and System messages are not for the public). */
  statuses?: readonly Status[];
}

/** The URL of one published CAP message. */
export function capMessageUrl(baseUrl: string, identifier: string): string {
  return `${baseUrl}/public/cap/${encodeURIComponent(identifier)}.xml`;
}

export function feedUrl(baseUrl: string): string {
  return `${baseUrl}/public/cap/feed.atom`;
}

/** The warnings in force at `now`, each with its latest message, most recently updated first. */
export function currentWarnings(
  warnings: Iterable<Warning>,
  now: Date,
  statuses: readonly Status[] = ['Actual', 'Exercise'],
): Array<{ warning: Warning; latest: PublishedMessage }> {
  const current: Array<{ warning: Warning; latest: PublishedMessage }> = [];
  for (const warning of warnings) {
    const latest = warning.published[warning.published.length - 1];
    if (!latest || isEnded(warning) || !statuses.includes(latest.alert.status)) continue;
    if (expiresAt(latest) <= now.getTime()) continue;
    current.push({ warning, latest });
  }
  return current.sort((a, b) => b.latest.publishedAt.localeCompare(a.latest.publishedAt) || a.warning.id.localeCompare(b.warning.id));
}

/**
 * `options.updated` is the instant the feed last changed when the caller knows it better than the warnings
 * given (the server passes only the current ones, and reads the last publication or expiry from the database).
 */
export function atomFeed(warnings: readonly Warning[], settings: FeedSettings, now: Date, options: { updated?: number } = {}): string {
  const current = currentWarnings(warnings, now, settings.statuses);
  const t = escapeXmlText;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="${ATOM_NAMESPACE}" xml:lang="${t(settings.language)}">`,
    `  <id>${t(settings.idPrefix)}cap-feed</id>`,
    `  <title>${t(settings.title)}</title>`,
    `  <updated>${formatRfc3339(options.updated ?? feedUpdated(warnings, now))}</updated>`,
    `  <author><name>${t(settings.authorName)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${t(feedUrl(settings.baseUrl))}"/>`,
    '  <generator>Vigil</generator>',
  ];
  for (const { warning, latest } of current) {
    const info = latest.alert.info.find((i) => i.language === settings.language) ?? latest.alert.info[0];
    const title = info?.headline ?? info?.event ?? latest.alert.identifier;
    out.push(
      `  <entry${info?.language ? ` xml:lang="${t(info.language)}"` : ''}>`,
      `    <id>${t(settings.idPrefix)}warning:${t(warning.id)}</id>`,
      `    <title>${t(title)}</title>`,
      `    <updated>${formatRfc3339(Date.parse(latest.publishedAt))}</updated>`,
      `    <published>${formatRfc3339(Date.parse(warning.published[0]!.publishedAt))}</published>`,
      `    <author><name>${t(info?.senderName ?? settings.authorName)}</name></author>`,
      `    <link rel="alternate" type="${CAP_MEDIA_TYPE}" href="${t(capMessageUrl(settings.baseUrl, latest.alert.identifier))}"/>`,
      ...warning.published
        .slice(0, -1)
        .map((m) => `    <link rel="related" type="${CAP_MEDIA_TYPE}" href="${t(capMessageUrl(settings.baseUrl, m.alert.identifier))}"/>`),
      ...(info?.category ?? []).map((c) => `    <category term="${t(c)}" scheme="urn:oasis:names:tc:emergency:cap:1.2#category"/>`),
      ...(info?.description ? [`    <summary>${t(info.description)}</summary>`] : []),
      '  </entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

/**
 * The feed changes when a message is published or a warning expires, so its <updated> is the latest of
 * those instants up to `now`: the same warnings give the same feed, whatever the time of the request.
 */
function feedUpdated(warnings: readonly Warning[], now: Date): number {
  let latest = 0;
  const nowMs = now.getTime();
  for (const warning of warnings) {
    for (const message of warning.published) {
      const published = Date.parse(message.publishedAt);
      if (published <= nowMs && published > latest) latest = published;
    }
    const last = warning.published[warning.published.length - 1];
    const expiry = last ? expiresAt(last) : Infinity;
    if (expiry <= nowMs && expiry > latest) latest = expiry;
  }
  return latest;
}

/**
 * When the message stops being in force: its latest <expires>; never when an info block has none.
 * Published messages passed validation, so Date.parse reads their dateTimes as they are.
 */
function expiresAt(message: PublishedMessage): number {
  let latest = -Infinity;
  for (const info of message.alert.info) {
    if (!info.expires) return Infinity;
    const expires = Date.parse(info.expires);
    latest = Math.max(latest, Number.isNaN(expires) ? Infinity : expires);
  }
  return message.alert.info.length === 0 ? Infinity : latest;
}
