import { describe, expect, it } from 'vitest';
import { IndicatorIndex, attributeToPattern, observeEvent } from '../../src/cti/index.js';

const index = (patterns: Record<string, string>, options = {}): IndicatorIndex => {
  const idx = new IndicatorIndex(options);
  for (const [id, p] of Object.entries(patterns)) {
    const r = idx.add(id, p);
    if (!r.ok) throw new Error(`${id}: ${r.reason}`);
  }
  return idx;
};
const ids = (idx: IndicatorIndex, event: Record<string, unknown>): string[] => idx.match(event).map((m) => m.indicatorId).sort();

describe('indicator matching on flat security events', () => {
  const idx = index({
    ip: "[ipv4-addr:value = '203.0.113.45']",
    net: "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    netEq: "[ipv4-addr:value = '192.0.2.0/28']",
    v6: "[ipv6-addr:value = '2001:DB8:0:0::1']",
    v6net: "[ipv6-addr:value ISSUBSET '2001:db8:ff::/48']",
    srcOnly: "[network-traffic:src_ref.type = 'ipv4-addr' AND network-traffic:src_ref.value = '203.0.113.7']",
    port: "[network-traffic:dst_ref.value = '203.0.113.45' AND network-traffic:dst_port = 502]",
    domain: "[domain-name:value = 'scada-update.example']",
    url: "[url:value = 'http://scada-update.example/x']",
    sha256: "[file:hashes.'SHA-256' = 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F']",
    md5AndName: "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:name = 'invoice.exe']",
    email: "[email-message:from_ref.value = 'it@scada-update.example']",
    user: "[user-account:account_login = 'scada-op']",
    cmd: "[process:command_line MATCHES '(?i)powershell.+-enc']".replace('(?i)', ''),
    like: "[process:command_line LIKE '%certutil%-urlcache%']",
    either: "[domain-name:value = 'a.example' OR url:value = 'http://b.example/']",
    inSet: "[domain-name:value IN ('c.example', 'd.example')]",
    notEq: "[user-account:account_login != 'admin']",
    twoEvents: "[domain-name:value = 'stage1.example'] FOLLOWEDBY [ipv4-addr:value = '203.0.113.99']",
  });

  it('matches exact IPs from ECS and Sysmon fields, both directions', () => {
    expect(ids(idx, { 'source.ip': '10.0.0.1', 'destination.ip': '203.0.113.45' })).toEqual(['ip']);
    expect(ids(idx, { SourceIp: '203.0.113.45' })).toEqual(['ip']);
    expect(ids(idx, { DestinationIp: '203.0.113.46' })).toEqual([]);
  });

  it('matches networks given by ISSUBSET or by a CIDR value', () => {
    expect(ids(idx, { 'source.ip': '198.51.100.200' })).toEqual(['net']);
    expect(ids(idx, { 'source.ip': '192.0.2.15' })).toEqual(['netEq']);
    expect(ids(idx, { 'source.ip': '192.0.2.16' })).toEqual([]);
    expect(ids(idx, { 'destination.ip': '2001:db8::1' })).toEqual(['v6']);
    expect(ids(idx, { 'destination.ip': '2001:db8:ff:12::5' })).toEqual(['v6net']);
  });

  it('tells source from destination in network-traffic patterns', () => {
    expect(ids(idx, { 'source.ip': '203.0.113.7' })).toEqual(['srcOnly']);
    expect(ids(idx, { 'destination.ip': '203.0.113.7' })).toEqual([]);
    expect(ids(idx, { 'destination.ip': '203.0.113.45', 'destination.port': 502 })).toEqual(['ip', 'port']);
    expect(ids(idx, { 'destination.ip': '203.0.113.45', 'destination.port': 503 })).toEqual(['ip']);
  });

  it('matches domains, URLs, e-mail senders and users, domains case-insensitively', () => {
    expect(ids(idx, { 'dns.question.name': 'SCADA-Update.example.' })).toEqual(['domain']);
    expect(ids(idx, { 'url.full': 'http://scada-update.example/x' })).toEqual(['url']);
    expect(ids(idx, { 'email.from.address': 'IT@scada-update.example' })).toEqual(['email']);
    expect(ids(idx, { User: 'WATER\\scada-op' })).toEqual(['notEq', 'user']);
  });

  it('matches hashes in any case, including the Sysmon Hashes list', () => {
    expect(ids(idx, { Hashes: 'SHA1=00,MD5=11,SHA256=aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f,IMPHASH=22' })).toEqual(['sha256']);
    expect(ids(idx, { 'file.hash.sha256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' })).toEqual(['sha256']);
  });

  it('needs every comparison of an AND on the same object', () => {
    expect(ids(idx, { 'file.hash.md5': 'D41D8CD98F00B204E9800998ECF8427E', 'file.path': 'C:\\Users\\op\\invoice.exe' })).toEqual(['md5AndName']);
    expect(ids(idx, { 'file.hash.md5': 'd41d8cd98f00b204e9800998ecf8427e', 'file.name': 'other.exe' })).toEqual([]);
  });

  it('runs MATCHES and LIKE on command lines (the bounded scan)', () => {
    expect(ids(idx, { CommandLine: 'powershell.exe -nop -enc SQBFAFgA' })).toEqual(['cmd']);
    expect(ids(idx, { 'process.command_line': 'certutil.exe -urlcache -f http://x/y' })).toEqual(['like']);
    expect(ids(idx, { 'process.command_line': 'notepad.exe' })).toEqual([]);
  });

  it('handles OR, IN and negation', () => {
    expect(ids(idx, { 'url.full': 'http://b.example/' })).toEqual(['either']);
    expect(ids(idx, { 'destination.domain': 'd.example' })).toEqual(['inSet']);
    expect(ids(idx, { 'user.name': 'admin' })).toEqual([]);
  });

  it('reports which value and field matched, and whether the event alone completes the pattern', () => {
    const [m] = idx.match({ 'dns.question.name': 'stage1.example' });
    expect(m).toMatchObject({ indicatorId: 'twoEvents', observation: 0, complete: false, capped: false, matched: [{ type: 'domain-name', path: 'value', value: 'stage1.example', field: 'dns.question.name' }] });
    const [m2] = idx.match({ 'destination.ip': '203.0.113.99' });
    expect(m2).toMatchObject({ indicatorId: 'twoEvents', observation: 1, complete: false });
    expect(idx.match({ 'destination.ip': '203.0.113.45' })[0]).toMatchObject({ complete: true, matched: [{ field: 'destination.ip' }] });
  });

  it('matches MISP attributes through their STIX form', () => {
    const m = new IndicatorIndex();
    m.add('attr-1', attributeToPattern('ip-src|port', '198.51.100.7|4444')!.pattern);
    m.add('attr-2', attributeToPattern('filename|md5', 'invoice.pdf.exe|d41d8cd98f00b204e9800998ecf8427e')!.pattern);
    expect(ids(m, { 'source.ip': '198.51.100.7', 'source.port': '4444' })).toEqual(['attr-1']);
    expect(ids(m, { 'source.ip': '198.51.100.7', 'source.port': '4445' })).toEqual([]);
    expect(ids(m, { TargetFilename: 'C:\\tmp\\invoice.pdf.exe', MD5: 'D41D8CD98F00B204E9800998ECF8427E' })).toEqual(['attr-2']);
  });
});

describe('index upkeep and limits', () => {
  it('replaces and removes indicators', () => {
    const idx = index({ a: "[domain-name:value = 'x.example']" });
    idx.add('a', "[domain-name:value = 'y.example']");
    expect(ids(idx, { 'url.domain': 'x.example' })).toEqual([]);
    expect(ids(idx, { 'url.domain': 'y.example' })).toEqual(['a']);
    expect(idx.remove('a')).toBe(true);
    expect(ids(idx, { 'url.domain': 'y.example' })).toEqual([]);
    expect(idx.size).toBe(0);
  });

  it('refuses patterns it cannot run safely, and invalid ones', () => {
    const idx = new IndicatorIndex({ maxScanObservations: 1 });
    expect(idx.add('bad', "[a:b = ")).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid pattern at column 8/) });
    expect(idx.add('redos', "[process:command_line MATCHES '(a+)+$']")).toMatchObject({ ok: false, reason: expect.stringMatching(/nested quantifiers/) });
    expect(idx.add('s1', "[process:command_line LIKE '%q%']")).toMatchObject({ ok: true, scanned: 1 });
    expect(idx.add('s2', "[process:command_line LIKE '%y%']")).toMatchObject({ ok: false, reason: expect.stringMatching(/scan budget/) });
    // A LIKE with a literal run of 3+ characters is found by trigram, not scanned.
    expect(idx.add('s3', "[process:command_line LIKE '%certutil%urlcache%']")).toMatchObject({ ok: true, scanned: 0 });
    expect(ids(idx, { CommandLine: 'certutil -urlcache -f x' })).toEqual(['s3']);
    expect(ids(idx, { CommandLine: 'certutil -f x' })).toEqual([]);
    expect(idx.add('cidr', "[ipv4-addr:value ISSUBSET 'not-a-network']")).toMatchObject({ ok: false });
  });

  it('caps a value that matches too often: still reported, no longer raising', () => {
    const idx = index({ a: "[ipv4-addr:value = '203.0.113.45']" }, { cap: { maxPerValue: 3, windowMs: 60_000 } });
    const ev = { 'destination.ip': '203.0.113.45' };
    const capped = [0, 1000, 2000, 3000, 4000].map((t) => idx.match(ev, t)[0]!.capped);
    expect(capped).toEqual([false, false, false, true, true]);
    expect(idx.match(ev, 61_000)[0]!.capped).toBe(false); // a new window
  });

  it('reads the objects an event describes', () => {
    const objects = observeEvent({ 'source.ip': '10.0.0.1', 'destination.ip': 'not-an-ip', Image: 'C:\\Windows\\System32\\cmd.exe', 'unknown.field': 'x', 'user.name': ['a', 'b'] });
    expect(objects.map((o) => `${o.type}/${o.role}`).sort()).toEqual(['file/image', 'ipv4-addr/src', 'network-traffic/', 'process/', 'user-account/']);
    expect(objects.find((o) => o.type === 'process')!.values.get('image_ref.name')).toEqual(['cmd.exe']);
    expect(objects.find((o) => o.type === 'user-account')!.values.get('account_login')).toEqual(['a', 'b']);
  });
});
