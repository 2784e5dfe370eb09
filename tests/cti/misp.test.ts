import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  attributeToPattern,
  eventsToPull,
  mispEventToStix,
  mispFeedEventPath,
  mispToVigilDistribution,
  patternToAttributes,
  readMispEvent,
  readMispManifest,
  stixToMispEvent,
  tlpFromTags,
  validateObjects,
  vigilToMispDistribution,
  writeMispEvent,
  TLP_2_MARKING_IDS,
  type MispEvent,
} from '../../src/cti/index.js';
import { fixture } from './helpers.js';

const load = (): MispEvent => {
  const { event, problems } = readMispEvent(JSON.parse(readFileSync(fixture('misp-event.json'), 'utf8')));
  expect(problems).toEqual([]);
  return event!;
};

describe('MISP events', () => {
  it('reads the core format, strings and numbers alike', () => {
    const e = load();
    expect(e).toMatchObject({ uuid: '5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c', distribution: '1', published: true });
    expect(e.Attribute).toHaveLength(9);
    expect(e.Object[0]!.Attribute[0]!.object_relation).toBe('command-line');
    const numeric = readMispEvent({ Event: { uuid: e.uuid, info: 'x', distribution: 3, published: 1, Attribute: [{ uuid: e.Attribute[0]!.uuid, type: 'ip-dst', value: '1.2.3.4', to_ids: 1, distribution: 5 }] } });
    expect(numeric.event).toMatchObject({ distribution: '3', published: true, Attribute: [{ to_ids: true, distribution: '5' }] });
  });

  it('reports what is wrong, with JSONPaths, and drops only the broken attributes', () => {
    const { event, problems } = readMispEvent({ Event: { uuid: 'nope', info: '', distribution: '7', Attribute: [{ type: 'ip-dst' }, { uuid: '0d2f6a1e-3b4c-4d5e-8f60-718293a4b5c6', type: 'domain', value: 'x.example', distribution: '9' }] } });
    expect(problems.map((p) => p.path)).toEqual([
      '$.Event.uuid', '$.Event.info', '$.Event.distribution',
      '$.Event.Attribute[0].uuid', '$.Event.Attribute[0].value',
      '$.Event.Attribute[1].distribution',
    ]);
    expect(event!.Attribute).toEqual([]);
    expect(readMispEvent([1, 2]).problems).toEqual([{ path: '$', message: expect.stringMatching(/not a MISP event/) }]);
  });

  it('maps distribution levels onto Vigil scopes, never wider', () => {
    expect(mispToVigilDistribution('0')).toEqual({ distribution: 'owner', federable: false });
    expect(mispToVigilDistribution('1')).toEqual({ distribution: 'community', federable: false });
    expect(mispToVigilDistribution('2')).toEqual({ distribution: 'community', federable: true });
    expect(mispToVigilDistribution('3')).toEqual({ distribution: 'public', federable: true });
    expect(mispToVigilDistribution('4', undefined, '17')).toEqual({ distribution: 'group', mispSharingGroupId: '17', federable: false });
    expect(mispToVigilDistribution('5', '0')).toEqual({ distribution: 'owner', federable: false });
    expect(mispToVigilDistribution('5', '3').distribution).toBe('public');
    expect(mispToVigilDistribution('9').distribution).toBe('owner');
    expect(['owner', 'community', 'public', 'group', 'orgs'].map((d) => vigilToMispDistribution(d as never))).toEqual(['0', '1', '3', '4', '4']);
    expect(vigilToMispDistribution('community', true)).toBe('2');
  });

  it('reads TLP from tags, strictest first', () => {
    expect(tlpFromTags([{ name: 'tlp:green' }, { name: 'TLP:RED' }, { name: 'misp-galaxy:x="y"' }])).toBe('red');
    expect(tlpFromTags([{ name: 'tlp:white' }])).toBe('clear');
    expect(tlpFromTags([])).toBeUndefined();
  });
});

describe('MISP attributes and STIX patterns', () => {
  it.each([
    ['ip-dst', '203.0.113.45', "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.45']"],
    ['ip-src', '2001:db8::1', "[network-traffic:src_ref.type = 'ipv6-addr' AND network-traffic:src_ref.value = '2001:db8::1']"],
    ['ip-dst|port', '203.0.113.45|443', "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.45' AND network-traffic:dst_port = 443]"],
    ['domain', 'evil.example', "[domain-name:value = 'evil.example']"],
    ['domain|ip', 'evil.example|203.0.113.9', "[domain-name:value = 'evil.example' AND domain-name:resolves_to_refs[*].value = '203.0.113.9']"],
    ['url', "http://x.example/a'b", "[url:value = 'http://x.example/a\\'b']"],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"],
    ['filename|sha256', 'a.exe|ab', "[file:name = 'a.exe' AND file:hashes.'SHA-256' = 'ab']"],
    ['email-src', 'a@b.example', "[email-message:from_ref.value = 'a@b.example']"],
    ['email-dst', 'c@d.example', "[email-message:to_refs[*].value = 'c@d.example']"],
    ['email-subject', 'Invoice', "[email-message:subject = 'Invoice']"],
    ['regkey', 'HKLM\\Software\\Run', "[windows-registry-key:key = 'HKLM\\\\Software\\\\Run']"],
    ['mutex', 'Global\\x', "[mutex:name = 'Global\\\\x']"],
    ['AS', 'AS64496', '[autonomous-system:number = 64496]'],
    ['user-agent', 'curl/8', "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'curl/8']"],
  ])('%s %s ⇄ %s', (type, value, pattern) => {
    expect(attributeToPattern(type, value)).toEqual({ pattern, pattern_type: 'stix' });
    expect(patternToAttributes(pattern)).toEqual([{ type, value }]);
  });

  it('carries other pattern languages and refuses what has no form', () => {
    expect(attributeToPattern('snort', 'alert tcp any any -> any 502')).toEqual({ pattern: 'alert tcp any any -> any 502', pattern_type: 'snort' });
    expect(patternToAttributes('rule x { condition: true }', 'yara')).toEqual([{ type: 'yara', value: 'rule x { condition: true }' }]);
    expect(attributeToPattern('text', 'hello')).toBeUndefined();
    expect(attributeToPattern('AS', 'not-a-number')).toBeUndefined();
    expect(patternToAttributes("[process:command_line = 'x']")).toBeUndefined();
    expect(patternToAttributes("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'a.example']")).toEqual([
      { type: 'ip-dst', value: '1.2.3.4' },
      { type: 'domain', value: 'a.example' },
    ]);
  });
});

describe('MISP ⇄ STIX', () => {
  it('turns an event into valid STIX: report, indicators, observables, identity and TLP markings', () => {
    const { objects, skipped } = mispEventToStix(load());
    expect(validateObjects(objects).filter((r) => !r.valid)).toEqual([]);
    expect(skipped.map((s) => s.uuid)).toEqual(['7e90318f-a2b3-44c5-96d7-e8f90a1b2c3d']);
    const byType = (t: string) => objects.filter((o) => o.type === t);
    expect(byType('indicator')).toHaveLength(8);
    expect(byType('domain-name')).toHaveLength(1);
    const report = byType('report')[0]!;
    expect(report).toMatchObject({ id: 'report--5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c', name: 'SCADA credential phishing against the water utility', object_marking_refs: [TLP_2_MARKING_IDS.amber] });
    expect(report.labels).toEqual(['misp-galaxy:threat-actor="Sandworm"']);
    const red = objects.find((o) => o.id === 'indicator--4b6d0e5c-7f80-4192-a3a4-b5c6d7e8f90a')!;
    expect(red.object_marking_refs).toEqual([TLP_2_MARKING_IDS.red]);
    expect(byType('marking-definition').map((m) => m.id).sort()).toEqual([TLP_2_MARKING_IDS.amber, TLP_2_MARKING_IDS.red].sort());
    const process = objects.find((o) => o.id === 'indicator--9ab2530b-c4d5-46e7-b8f9-0a1b2c3d4e5f')!;
    expect(process.pattern).toBe("[process:command_line = 'powershell.exe -nop -enc SQBFAFgA']");
    // Stable: the same event gives the same objects.
    expect(mispEventToStix(load()).objects).toEqual(objects);
  });

  it('round-trips the IDS attributes: MISP → STIX → MISP keeps uuid, type, value, category, distribution, TLP', () => {
    const original = load();
    const { objects } = mispEventToStix(original);
    const { event, skipped } = stixToMispEvent(objects, { info: original.info, timestamp: original.timestamp });
    expect(skipped).toEqual([]);
    const pick = (a: { uuid: string; type: string; value: string; category: string; distribution: string }) => ({ uuid: a.uuid, type: a.type, value: a.value, category: a.category, distribution: a.distribution });
    expect(event.Attribute.map(pick)).toEqual(original.Attribute.filter((a) => a.to_ids).map(pick));
    expect(event).toMatchObject({ uuid: original.uuid, date: original.date, threat_level_id: '1', analysis: '1', distribution: '1' });
    expect(event.Tag.map((t) => t.name)).toEqual(['tlp:amber', 'misp-galaxy:threat-actor="Sandworm"']);
    expect(event.Attribute.find((a) => a.type === 'sha256')!.Tag).toEqual([{ name: 'tlp:red', exportable: true }]);
    // The process object comes back as the same object, with its attribute's identity.
    expect(event.Object).toEqual([
      expect.objectContaining({
        uuid: original.Object[0]!.uuid,
        name: 'process',
        'meta-category': 'misc',
        Attribute: [expect.objectContaining({ uuid: 'ab03641c-d5e6-47f8-89a0-1b2c3d4e5f60', type: 'text', object_relation: 'command-line', value: 'powershell.exe -nop -enc SQBFAFgA', category: 'Other' })],
      }),
    ]);
    // And the written event reads back as the same event.
    expect(readMispEvent(JSON.parse(JSON.stringify(writeMispEvent(event)))).event!.Attribute.map(pick)).toEqual(event.Attribute.map(pick));
  });
});

describe('MISP objects', () => {
  it('become one observation of their IDS attributes, and come back as the same object', () => {
    const base = load();
    const file = {
      uuid: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', name: 'file', 'meta-category': 'file', distribution: '5', timestamp: '1773499010',
      Attribute: [
        { uuid: 'd1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', type: 'filename', category: 'Payload delivery', object_relation: 'filename', value: "o'brien.exe", to_ids: true, distribution: '5', timestamp: '1773499010' },
        { uuid: 'e1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', type: 'md5', category: 'Payload delivery', object_relation: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', to_ids: true, distribution: '5', timestamp: '1773499010' },
        { uuid: 'f1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', type: 'size-in-bytes', category: 'Other', object_relation: 'size-in-bytes', value: '1024', to_ids: false, distribution: '5', timestamp: '1773499010' },
      ],
    };
    const event = { ...base, Attribute: [], Object: [file] };
    const { objects } = mispEventToStix(event);
    const indicator = objects.find((o) => o.type === 'indicator')!;
    expect(indicator.pattern).toBe("[file:name = 'o\\'brien.exe' AND file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']");
    expect(validateObjects(objects).filter((r) => !r.valid)).toEqual([]);
    const back = stixToMispEvent(objects, { info: event.info, timestamp: event.timestamp }).event;
    expect(back.Object).toHaveLength(1);
    expect(back.Object[0]!.Attribute.map((a) => [a.uuid, a.object_relation, a.type, a.value])).toEqual([
      ['d1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', 'filename', 'filename', "o'brien.exe"],
      ['e1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', 'md5', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ]);
  });
});

describe('MISP feeds', () => {
  it('reads manifest.json and says which events to pull', () => {
    const manifest = readMispManifest(JSON.parse(readFileSync(fixture('misp-feed-manifest.json'), 'utf8')));
    expect(manifest.problems).toEqual([{ key: 'not-a-uuid', message: 'key is not an event uuid' }]);
    expect(manifest.entries.map((e) => e.uuid)).toEqual(['0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', '5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c']);
    expect(manifest.entries[1]).toMatchObject({ timestamp: 1773500000, tags: [{ name: 'tlp:amber' }], orgc: { name: 'City CERT' } });
    const seen = new Map([['0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', 1767312000], ['5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c', 1]]);
    expect(eventsToPull(manifest, seen).map((e) => e.uuid)).toEqual(['5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c']);
    expect(mispFeedEventPath('5E6B3C2A-1F4D-4B8E-9C7A-2D1E0F9A8B7C')).toBe('5e6b3c2a-1f4d-4b8e-9c7a-2d1e0f9a8b7c.json');
    expect(() => mispFeedEventPath('../../etc/passwd')).toThrow();
  });
});
