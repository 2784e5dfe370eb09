import { isIPv4, isIPv6 } from 'node:net';

/**
 * Indicators an alert's evidence shares with other alerts: addresses, host names, users, file hashes,
 * device ids. Evidence is whatever a detector sent (Wazuh, Suricata, a PLC gateway, a camera), so the
 * extractor reads field names where there are some and falls back on patterns in free text, within fixed
 * bounds so a huge or hostile evidence blob costs a bounded amount of time.
 */
export const INDICATOR_TYPES = ['ip', 'host', 'user', 'hash', 'device'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  type: IndicatorType;
  /** Normalised: lower case, canonical IPv6, MAC with colons. */
  value: string;
}

/** `type:value`, the key indicators are compared by. */
export function indicatorKey(i: Indicator): string {
  return `${i.type}:${i.value}`;
}

const LIMITS = { depth: 8, nodes: 2_000, stringLength: 8_192, indicators: 64 } as const;

type Hint = IndicatorType | 'url' | 'email' | null;

/** Field names (lower case, letters and digits only) that say what their value is. */
const KEY_HINTS = new Map<string, Hint>();
const hint = (h: Hint, ...keys: string[]): void => keys.forEach((k) => KEY_HINTS.set(k, h));
hint('ip', 'ip', 'ipaddress', 'ipaddr', 'srcip', 'dstip', 'sourceip', 'destinationip', 'destip', 'clientip', 'remoteip',
  'peerip', 'localip', 'natip', 'ipv4', 'ipv6');
hint('host', 'host', 'hostname', 'fqdn', 'domain', 'domainname', 'server', 'servername', 'computer', 'computername',
  'machine', 'machinename', 'dnsname', 'rrname', 'query', 'sni', 'workstation', 'workstationname', 'agent');
hint('url', 'url', 'uri', 'referer', 'referrer', 'href', 'link');
hint('user', 'user', 'username', 'usr', 'account', 'accountname', 'login', 'loginname', 'srcuser', 'dstuser', 'targetuser',
  'targetusername', 'subjectusername', 'principal', 'actor', 'operator', 'owner', 'userid', 'logname');
hint('email', 'email', 'mail', 'emailaddress', 'sender', 'recipient');
hint('hash', 'hash', 'md5', 'sha1', 'sha256', 'sha512', 'filehash', 'checksum', 'digest', 'imphash');
hint('device', 'device', 'deviceid', 'serial', 'serialnumber', 'imei', 'mac', 'macaddress', 'hwaddr', 'deveui', 'eui',
  'sensorid', 'meterid', 'tagid', 'rfid', 'badgeid');
/** Keys that carry their parent's meaning: `{ user: { name: 'alice' } }`, `{ host: { id: 'x' } }`. */
const INHERITING_KEYS = new Set(['name', 'id', 'value', 'original', 'address', 'full']);

const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)/g;
const IPV6_CANDIDATE = /(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)/gi;
const MAC = /(?<![\w:-])[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\1[0-9a-f]{2}){4}(?![\w:-])/gi;
const HEX_HASH = /(?<![0-9a-f])(?:[0-9a-f]{128}|[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?![0-9a-f])/gi;
const EMAIL = /[\w.+-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+/gi;
const URL_HOST = /\b[a-z][a-z0-9+.-]{1,15}:\/\/(?:[^\s/@]*@)?(\[[0-9a-f:.]+\]|[^\s/:?#]+)/gi;
const FQDN = /(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,23}(?![\w@-]|\.[a-z0-9])/gi;
const HAS_IPV4 = /\d\.\d+\.\d+\.\d/;
const HAS_IPV6 = /:[0-9a-f]{0,4}:/i;
const HAS_MAC = /[0-9a-f]{2}[:-][0-9a-f]{2}[:-][0-9a-f]{2}/i;
const HAS_HEX_RUN = /[0-9a-f]{32}/i;
const HAS_DOTTED_NAME = /[a-z0-9-]\.[a-z]{2}/i;
const HAS_USER_WORD = /user|account|logname/i;
const USER_IN_TEXT = /\b(?:for (?:invalid |illegal )?user|user(?:name)?\s*[=:]|account\s*[=:]|logname\s*=)\s*['"]?([\w.@\\$-]{1,64})/gi;

/** Last labels that are file extensions rather than top-level domains ("index.php", "report.pdf"). */
const NOT_TLDS = new Set(['php', 'html', 'htm', 'js', 'css', 'exe', 'dll', 'sys', 'txt', 'log', 'json', 'xml', 'jpg',
  'jpeg', 'png', 'gif', 'svg', 'ico', 'zip', 'gz', 'tgz', 'tar', 'bz2', 'xz', '7z', 'rar', 'sh', 'py', 'pl', 'rb',
  'conf', 'cfg', 'ini', 'bak', 'old', 'sql', 'db', 'jsp', 'asp', 'aspx', 'cgi', 'md', 'pdf', 'doc', 'docx', 'xls',
  'xlsx', 'csv', 'so', 'bin', 'dat', 'tmp', 'yaml', 'yml', 'ts', 'mp4', 'mp3', 'wav', 'jar', 'war', 'class', 'lock',
  'pid', 'sock', 'service', 'socket', 'timer', 'target', 'rules', 'pem', 'crt', 'key', 'cer', 'ps1', 'bat', 'vbs',
  'msi', 'apk', 'iso', 'img', 'tmpl', 'inc', 'map', 'woff', 'woff2', 'ttf', 'eot', 'swf', 'do', 'action', 'cache']);
const NOT_USERS = new Set(['', '-', 'null', 'none', 'n/a', 'unknown', '(unknown)', 'nobody']);

/** Extracts the indicators of one alert's evidence, de-duplicated, in order of appearance. */
export function extractIndicators(evidence: unknown, types: readonly IndicatorType[] = INDICATOR_TYPES): Indicator[] {
  const run = new Extraction(types);
  run.visit(evidence, null, 0);
  return [...run.found.values()];
}

/** One extraction's state (a class rather than closures: this runs for every alert). */
class Extraction {
  readonly found = new Map<string, Indicator>();
  private readonly wanted: ReadonlySet<IndicatorType>;
  private nodes = 0;

  constructor(types: readonly IndicatorType[]) {
    this.wanted = types === INDICATOR_TYPES ? ALL_TYPES : new Set(types);
  }

  add(type: IndicatorType, raw: string): void {
    if (this.found.size >= LIMITS.indicators || !this.wanted.has(type)) return;
    const value = normalise(type, raw);
    if (value !== null) this.found.set(`${type}:${value}`, { type, value });
  }

  visit(node: unknown, h: Hint, depth: number): void {
    if (++this.nodes > LIMITS.nodes || depth > LIMITS.depth || this.found.size >= LIMITS.indicators) return;
    if (typeof node === 'string') this.scan(node.length > LIMITS.stringLength ? node.slice(0, LIMITS.stringLength) : node, h);
    else if (typeof node === 'number' || typeof node === 'bigint') {
      if (h === 'device' || h === 'user') this.add(h, String(node));
    } else if (Array.isArray(node)) {
      for (const item of node) this.visit(item, h, depth + 1);
    } else if (node !== null && typeof node === 'object') {
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue;
        const k = plainKey(key);
        const own = KEY_HINTS.get(k);
        this.visit((node as Record<string, unknown>)[key], own !== undefined ? own : INHERITING_KEYS.has(k) ? h : null, depth + 1);
      }
    }
  }

  scan(text: string, h: Hint): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    // A field that names what it holds is taken whole; a single token needs no pattern.
    const token = trimmed.length <= 253 && !/\s/.test(trimmed);
    if (token && h !== null) {
      if (h === 'host') this.add(isIp(trimmed) ? 'ip' : 'host', trimmed);
      else if (h === 'user' && !isIp(trimmed)) this.add('user', trimmed);
      else if (h === 'device') this.add('device', trimmed);
      else if (h === 'hash' && /^[0-9a-f]+$/i.test(trimmed)) this.add('hash', trimmed);
    }
    // Cheap tests first: most strings hold none of these, and the full patterns cost more.
    if (HAS_IPV4.test(trimmed)) for (const m of trimmed.matchAll(IPV4)) this.add('ip', m[0]);
    if (HAS_IPV6.test(trimmed)) for (const m of trimmed.matchAll(IPV6_CANDIDATE)) if (isIPv6(m[0])) this.add('ip', m[0]);
    if (HAS_MAC.test(trimmed)) for (const m of trimmed.matchAll(MAC)) this.add('device', m[0]);
    if (trimmed.includes('://')) {
      for (const m of trimmed.matchAll(URL_HOST)) this.add(isIp(strip(m[1]!)) ? 'ip' : 'host', strip(m[1]!));
    }
    if (trimmed.length >= 32 && HAS_HEX_RUN.test(trimmed)) for (const m of trimmed.matchAll(HEX_HASH)) this.add('hash', m[0]);
    if (trimmed.includes('@')) for (const m of trimmed.matchAll(EMAIL)) this.add('user', m[0]);
    if (HAS_DOTTED_NAME.test(trimmed)) {
      for (const m of trimmed.matchAll(FQDN)) {
        const tld = m[0].slice(m[0].lastIndexOf('.') + 1).toLowerCase();
        if (!NOT_TLDS.has(tld)) this.add('host', m[0]);
      }
    }
    if (h !== 'user' && HAS_USER_WORD.test(trimmed)) for (const m of trimmed.matchAll(USER_IN_TEXT)) this.add('user', m[1]!);
  }
}

const ALL_TYPES: ReadonlySet<IndicatorType> = new Set(INDICATOR_TYPES);
const KEY_CACHE = new Map<string, string>();

/** `Source_IP`, `source.ip` and `sourceIp` all read as `sourceip`. */
function plainKey(key: string): string {
  let k = KEY_CACHE.get(key);
  if (k === undefined) {
    k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (KEY_CACHE.size < 10_000) KEY_CACHE.set(key, k);
  }
  return k;
}

const strip = (host: string): string => host.replace(/^\[|\]$/g, '');
const isIp = (s: string): boolean => isIPv4(s) || isIPv6(s);

function normalise(type: IndicatorType, raw: string): string | null {
  const s = raw.trim().replace(/^['"<(]+|['">),;.]+$/g, '');
  switch (type) {
    case 'ip':
      return normaliseIp(s);
    case 'host': {
      const host = s.toLowerCase().replace(/\.$/, '').replace(/:\d{1,5}$/, '');
      if (!/^[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?$/.test(host) || /^[\d.]+$/.test(host)) return null;
      return host;
    }
    case 'user': {
      const user = s.toLowerCase();
      return NOT_USERS.has(user) || user.length > 128 ? null : user;
    }
    case 'hash': {
      const hash = s.toLowerCase();
      return /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/.test(hash) && !/^0+$/.test(hash) ? hash : null;
    }
    case 'device': {
      const device = s.toLowerCase();
      if (/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/.test(device)) return device.replace(/-/g, ':');
      return device.length >= 3 && device.length <= 64 && !/\s/.test(device) ? device : null;
    }
  }
}

/** Canonical text of an address (RFC 5952 for IPv6), or null when it is not one. */
export function normaliseIp(s: string): string | null {
  // Octets with leading zeros are read as octal by some tools and decimal by others: not trusted.
  if (isIPv4(s)) return /(?:^|\.)0\d/.test(s) ? null : s;
  if (!isIPv6(s)) return null;
  const lower = s.toLowerCase().split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return normaliseIp(mapped[1]!);
  const [head = '', tail = ''] = lower.includes('::') ? lower.split('::') : [lower, ''];
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let left = groups(head);
  let right = groups(tail);
  const v4 = (g: string[]): string[] => {
    const last = g.at(-1);
    if (!last || !last.includes('.')) return g;
    const n = last.split('.').map(Number);
    return [...g.slice(0, -1), ((n[0]! << 8) | n[1]!).toString(16), ((n[2]! << 8) | n[3]!).toString(16)];
  };
  left = v4(left);
  right = v4(right);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(lower.includes('::') ? missing : 0).fill('0'), ...right].map((g) =>
    parseInt(g, 16).toString(16),
  );
  // Compress the longest run of zero groups (at least two), the first one on a tie.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (all[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && all[j] === '0') j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j;
  }
  if (best < 0) return all.join(':');
  return `${all.slice(0, best).join(':')}::${all.slice(best + bestLength).join(':')}`;
}
