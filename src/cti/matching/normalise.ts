import { isIP } from 'node:net';

/**
 * One spelling per value, so an indicator and an event that mean the same thing meet in the same hash bucket:
 * hashes, domains and e-mail addresses are case-insensitive; IPv6 has many textual forms.
 */
export function normaliseValue(type: string, path: string, value: string): string {
  if (path.startsWith('hashes.') || path.includes('.hashes.')) return value.trim().toLowerCase();
  switch (type) {
    case 'domain-name':
      return value.trim().toLowerCase().replace(/\.$/, '');
    case 'email-addr':
      return value.trim().toLowerCase();
    case 'ipv4-addr':
      return path === 'value' ? normaliseIpv4(value) : value;
    case 'ipv6-addr':
      return path === 'value' ? normaliseIpv6(value) : value;
    default:
      return path.endsWith('_ref.value') || path.endsWith('_refs[*].value') ? normaliseAddress(value) : value;
  }
}

function normaliseAddress(value: string): string {
  // The hand-rolled IPv4 reader first: most addresses are IPv4, and isIP is a regular expression.
  const v = value.trim();
  if (ipv4ToInt(v) !== undefined) return v;
  if (v.includes(':') && isIP(v) === 6) return normaliseIpv6(v);
  return v.toLowerCase();
}

export function normaliseIpv4(value: string): string {
  return value.trim();
}

/** Compressed lower-case form (RFC 5952) via the WHATWG URL parser, which implements it. */
export function normaliseIpv6(value: string): string {
  const v = value.trim();
  const slash = v.indexOf('/');
  const address = slash < 0 ? v : v.slice(0, slash);
  if (isIP(address) !== 6) return v.toLowerCase();
  try {
    const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
    return slash < 0 ? host : `${host}${v.slice(slash)}`;
  } catch {
    return v.toLowerCase();
  }
}

/** IPv4 dotted quad → unsigned 32-bit integer, or undefined. */
export function ipv4ToInt(value: string): number | undefined {
  // Hand-rolled: this runs for every address of every event when networks are indexed.
  let result = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      result = result * 256 + octet;
      octet = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return result * 256 + octet;
}

/** IPv6 text → 128-bit bigint, or undefined. */
export function ipv6ToBigInt(value: string): bigint | undefined {
  if (isIP(value) !== 6) return undefined;
  const full = expandIpv6(value);
  return full === undefined ? undefined : BigInt(`0x${full.join('')}`);
}

function expandIpv6(value: string): string[] | undefined {
  let text = value.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    if (n === undefined) return undefined;
    text = `${text.slice(0, -v4[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = text.includes('::') ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array<string>(missing).fill('0'), ...t];
  return groups.length === 8 ? groups.map((g) => g.padStart(4, '0')) : undefined;
}
