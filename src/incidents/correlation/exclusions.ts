import { isIPv4 } from 'node:net';
import { normaliseIp } from './indicators.js';

/**
 * Values that never correlate, like MISP's warning lists: a resolver every machine asks, the
 * update server, a shared service account. Entries are written as
 *
 *   `203.0.113.7`            any indicator with this value
 *   `user:svc-backup`        one indicator type and value
 *   `ip:10.20.0.0/16`        IPv4 addresses in a CIDR block
 *   `host:*.example.org`     a host name and all names under it
 *   `asset:core-switch-1`    an asset that links everything and so must not group alerts
 */
export const BUILT_IN_EXCLUSIONS: readonly string[] = [
  'ip:127.0.0.0/8',
  'ip:0.0.0.0/32',
  'ip:255.255.255.255/32',
  'ip:::1',
  'ip:::',
  'host:localhost',
  'host:localhost.localdomain',
];

export class ExclusionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExclusionError';
  }
}

interface Block {
  base: number;
  mask: number;
}

export class Exclusions {
  private readonly exact = new Set<string>();
  private readonly anyType = new Set<string>();
  private readonly blocks: Block[] = [];
  private readonly suffixes: string[] = [];
  private readonly assets = new Set<string>();
  /** Whether any asset is excluded (most lists exclude none, and then assets need no check). */
  hasAssets = false;

  constructor(entries: readonly string[]) {
    for (const raw of [...BUILT_IN_EXCLUSIONS, ...entries]) this.add(raw);
  }

  private add(raw: string): void {
    const entry = raw.trim();
    if (entry === '') return;
    const colon = entry.indexOf(':');
    const type = colon > 0 ? entry.slice(0, colon).toLowerCase() : '';
    const typed = ['ip', 'host', 'user', 'hash', 'device', 'asset'].includes(type);
    const value = typed ? entry.slice(colon + 1) : entry;
    if (value === '') throw new ExclusionError(`exclusion "${raw}" has no value`);
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(value);
    if (cidr && (type === 'ip' || !typed)) {
      const bits = Number(cidr[2]);
      if (!isIPv4(cidr[1]!) || bits > 32) throw new ExclusionError(`exclusion "${raw}" is not a valid IPv4 block`);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      this.blocks.push({ base: (ipv4Number(cidr[1]!) & mask) >>> 0, mask });
      return;
    }
    if (value.startsWith('*.') && (type === 'host' || !typed)) {
      this.suffixes.push(value.slice(1).toLowerCase());
      return;
    }
    const normal = type === 'ip' || (!typed && normaliseIp(value)) ? (normaliseIp(value) ?? value) : value;
    if (type === 'asset') {
      this.assets.add(value);
      this.hasAssets = true;
    }
    else if (typed) this.exact.add(`${type}:${normal.toLowerCase()}`);
    else this.anyType.add(normal.toLowerCase());
  }

  /** Whether an indicator (type and normalised value) is excluded. */
  excludesIndicator(type: string, value: string): boolean {
    if (this.anyType.has(value) || this.exact.has(`${type}:${value}`)) return true;
    if (type === 'ip' && this.blocks.length > 0 && !value.includes(':')) {
      const n = ipv4Number(value);
      if (this.blocks.some((b) => ((n & b.mask) >>> 0) === b.base)) return true;
    }
    if (type === 'host') return this.suffixes.some((s) => value.endsWith(s) || value === s.slice(1));
    return false;
  }

  excludesAsset(assetId: string): boolean {
    return this.hasAssets && this.assets.has(assetId);
  }
}

/** The address as a 32-bit number; runs for every IPv4 indicator, so it parses by hand. */
function ipv4Number(ip: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = ((n << 8) | octet) >>> 0;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return ((n << 8) | octet) >>> 0;
}
