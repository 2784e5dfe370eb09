import { describe, expect, it } from 'vitest';
import { extractIndicators, type Indicator } from '../../src/incidents/correlation/indicators.js';

const keys = (found: Indicator[]): string[] => found.map((i) => `${i.type}:${i.value}`).sort();

describe('indicator extraction', () => {
  it('reads a Wazuh alert: agent, source address and user by field name', () => {
    const wazuh = {
      agent: { id: '004', name: 'hmi01', ip: '10.10.0.5' },
      data: { srcip: '203.0.113.7', srcuser: 'Operator', dstuser: 'root' },
      full_log: 'sshd[2211]: Accepted password for root from 203.0.113.7 port 50122 ssh2',
    };
    expect(keys(extractIndicators(wazuh))).toEqual(['host:hmi01', 'ip:10.10.0.5', 'ip:203.0.113.7', 'user:operator', 'user:root']);
  });

  it('reads a Suricata EVE record: addresses, HTTP host, URL and TLS name', () => {
    const eve = {
      src_ip: '198.51.100.23',
      dest_ip: '10.0.0.8',
      http: { hostname: 'Portal.Water.Example', url: '/wp-login.php', http_user_agent: 'WPScan v3.8' },
      tls: { sni: 'c2.bad-actor.example' },
    };
    expect(keys(extractIndicators(eve))).toEqual([
      'host:c2.bad-actor.example',
      'host:portal.water.example',
      'ip:10.0.0.8',
      'ip:198.51.100.23',
    ]);
  });

  it('finds users, addresses, URLs and e-mail addresses in free text', () => {
    const text = 'Failed password for invalid user admin from 203.0.113.99 port 22; see https://intranet.city.example/x and mail alice@city.example';
    expect(keys(extractIndicators({ message: text }))).toEqual([
      'host:intranet.city.example',
      'ip:203.0.113.99',
      'user:admin',
      'user:alice@city.example',
    ]);
  });

  it('recognises file hashes of every common length and device identifiers', () => {
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
    const sha256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
    const found = keys(extractIndicators({ file: { md5, sha1 }, text: `dropped ${sha256}`, mac: '00-1A-2B-3C-4D-5E', device_id: 'PLC-S7-1200-0042', imei: 356938035643809 }));
    expect(found).toEqual([
      `device:00:1a:2b:3c:4d:5e`,
      'device:356938035643809',
      'device:plc-s7-1200-0042',
      `hash:${md5}`,
      `hash:${sha1}`,
      `hash:${sha256.toLowerCase()}`,
    ]);
  });

  it('normalises IPv6 (RFC 5952) and IPv4-mapped addresses', () => {
    const found = keys(extractIndicators({ src_ip: '2001:0DB8:0000:0000:0000:0000:0000:0001', dst_ip: '::ffff:192.0.2.33', text: 'peer fe80:0:0:0:1:0:0:1 said hi' }));
    expect(found).toEqual(['ip:192.0.2.33', 'ip:2001:db8::1', 'ip:fe80::1:0:0:1']);
  });

  it('does not take file names, versions, rule names or timestamps for indicators', () => {
    const noise = {
      rule: 'Wazuh: Web server 400 error code.',
      request: 'GET /index.php?id=1 HTTP/1.1 (report.pdf, config.yaml)',
      version: 'v1.2.3',
      time: '2022-01-24T03:45:12.123Z',
      message: 'ET INFO Observed DNS Query to .cloud TLD',
      octets: '300.1.2.3 and 010.1.1.1',
    };
    expect(extractIndicators(noise)).toEqual([]);
  });

  it('stays bounded on deep, wide or huge evidence', () => {
    let deep: unknown = { ip: '203.0.113.1' };
    for (let i = 0; i < 100; i++) deep = { nested: deep };
    expect(extractIndicators(deep)).toEqual([]);
    const wide = Array.from({ length: 10_000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const started = performance.now();
    const found = extractIndicators({ addresses: wide, blob: 'x'.repeat(5_000_000) });
    expect(found.length).toBe(64);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('extracts only the types asked for', () => {
    expect(keys(extractIndicators({ src_ip: '203.0.113.7', user: 'bob' }, ['user']))).toEqual(['user:bob']);
  });
});
