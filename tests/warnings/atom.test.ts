import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { XmlDocument } from 'libxml2-wasm';
import {
  approveProposal,
  atomFeed,
  currentWarnings,
  draftWarning,
  proposeMessage,
  submitProposal,
  type FeedSettings,
  type Transition,
  type Warning,
  type WarningContent,
} from '../../src/warnings/index.js';
import { civilProtectionOfficer, contentFrom, HAS_XMLLINT, policy, settings, waterOperator } from './fixtures.js';

const t0 = new Date('2025-07-14T09:30:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ok = (t: Transition): Warning => {
  if (!t.ok) throw new Error(t.reasons.map((r) => r.message).join('; '));
  return t.warning;
};

function publish(id: string, minute: number, content: WarningContent = contentFrom('avoid-area', at(minute))): Warning {
  let w = ok(draftWarning({ id, actor: waterOperator, now: at(minute), content }, policy));
  w = ok(submitProposal(w, waterOperator, at(minute), policy));
  return ok(approveProposal(w, civilProtectionOfficer, at(minute), policy, settings));
}
function follow(w: Warning, kind: 'update' | 'cancel' | 'all-clear', minute: number): Warning {
  const content = contentFrom('avoid-area', at(minute), kind === 'update' ? 'alert' : kind);
  w = ok(proposeMessage(w, waterOperator, kind, content, at(minute), policy));
  w = ok(submitProposal(w, waterOperator, at(minute), policy));
  return ok(approveProposal(w, civilProtectionOfficer, at(minute), policy, settings));
}

const feedSettings: FeedSettings = {
  baseUrl: 'https://vigil.example.mc',
  idPrefix: 'tag:vigil.example.mc,2025:',
  title: 'Alertes publiques – Monaco',
  authorName: 'Protection civile',
  language: 'fr',
};

const live = publish('live', 0);
const updated = follow(publish('updated', 5), 'update', 30);
const cancelled = follow(publish('cancelled', 10), 'cancel', 20);
const cleared = follow(publish('cleared', 15), 'all-clear', 25);
const expired = (() => {
  const content = contentFrom('avoid-area', at(1));
  for (const info of content.info) info.expires = '2025-07-14T11:40:00+02:00'; // 09:40Z
  return publish('expired', 1, content);
})();
const test = (() => {
  const content = { ...contentFrom('avoid-area', at(2)), status: 'Test' as const };
  return publish('test', 2, content);
})();
const draftOnly = ok(draftWarning({ id: 'draft', actor: waterOperator, now: t0, content: contentFrom('evacuate', t0) }, policy));
const all = [live, updated, cancelled, cleared, expired, test, draftOnly];
const now = at(60);

function parseFeed(xml: string) {
  const doc = XmlDocument.fromString(xml);
  try {
    const ns = { a: 'http://www.w3.org/2005/Atom' };
    const texts = (xpath: string) => doc.find(xpath, ns).map((n) => n.content);
    return {
      root: doc.root.name,
      namespace: doc.root.namespaceUri,
      feed: { id: texts('/a:feed/a:id'), title: texts('/a:feed/a:title'), updated: texts('/a:feed/a:updated'), author: texts('/a:feed/a:author/a:name') },
      ids: texts('/a:feed/a:entry/a:id'),
      updated: texts('/a:feed/a:entry/a:updated'),
      titles: texts('/a:feed/a:entry/a:title'),
      alternates: doc.find('/a:feed/a:entry/a:link[@rel="alternate"]/@href', ns).map((n) => n.content),
      related: doc.find('/a:feed/a:entry/a:link[@rel="related"]/@href', ns).map((n) => n.content),
      entriesWithoutAlternate: doc.find('/a:feed/a:entry[not(a:link[@rel="alternate"])]', ns).length,
    };
  } finally {
    doc.dispose();
  }
}

describe('Atom feed of current warnings', () => {
  const xml = atomFeed(all, feedSettings, now);
  const feed = parseFeed(xml);

  it('is well-formed Atom with the elements RFC 4287 requires of a feed and its entries', () => {
    expect(feed.root).toBe('feed');
    expect(feed.namespace).toBe('http://www.w3.org/2005/Atom');
    expect(feed.feed.id).toEqual(['tag:vigil.example.mc,2025:cap-feed']);
    expect(feed.feed.title).toEqual(['Alertes publiques – Monaco']);
    expect(feed.feed.author).toEqual(['Protection civile']);
    expect(feed.entriesWithoutAlternate).toBe(0);
    expect(feed.updated.every((u) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(u))).toBe(true);
  });

  it('lists exactly the current warnings: not cancelled, cleared, expired, test-only or never published', () => {
    expect(feed.ids).toEqual(['tag:vigil.example.mc,2025:warning:updated', 'tag:vigil.example.mc,2025:warning:live']);
    expect(currentWarnings(all, now).map((c) => c.warning.id)).toEqual(['updated', 'live']);
  });

  it('keeps an entry id across updates, with <updated> at the latest message and links to every message', () => {
    expect(feed.updated).toEqual(['2025-07-14T10:00:00Z', '2025-07-14T09:30:00Z']);
    expect(feed.alternates).toEqual([
      'https://vigil.example.mc/public/cap/MC-VIGIL.updated.2.xml',
      'https://vigil.example.mc/public/cap/MC-VIGIL.live.1.xml',
    ]);
    expect(feed.related).toEqual(['https://vigil.example.mc/public/cap/MC-VIGIL.updated.1.xml']);
    expect(feed.titles[1]).toBe('Évitez le secteur : La Condamine');
  });

  it("has a feed <updated> that depends on the warnings, not on the request's time", () => {
    // the latest change before `now` is the update of "updated" at 10:00Z; "expired" expired at 09:40Z
    expect(feed.feed.updated).toEqual(['2025-07-14T10:00:00Z']);
    expect(atomFeed(all, feedSettings, at(61))).toBe(xml);
  });

  it('escapes what it writes', () => {
    const tricky = atomFeed([live], { ...feedSettings, title: 'A & B <C>' }, now);
    expect(parseFeed(tricky).feed.title).toEqual(['A & B <C>']);
  });

  it.skipIf(!HAS_XMLLINT)("is well-formed for Debian's xmllint too", () => {
    expect(execFileSync('xmllint', ['--noout', '--nonet', '-'], { input: xml, encoding: 'utf8' })).toBe('');
  });
});
