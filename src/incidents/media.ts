/**
 * What an uploaded file is: the declared media type must agree with the content. Pictures and PDFs are
 * recognised by their first bytes; text types must be UTF-8 text without control bytes (and JSON must parse).
 * Pure. Anything else is refused: evidence that lies about its type is how malware reaches an analyst's desk.
 */
export const BINARY_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export const TEXT_TYPES = ['text/plain', 'text/csv', 'application/json', 'application/x-ndjson', 'text/x-log'] as const;
export const ACCEPTED_MEDIA_TYPES: readonly string[] = [...BINARY_TYPES, ...TEXT_TYPES];

export type MediaVerdict = { ok: true; mediaType: string } | { ok: false; status: 415 | 422; problem: string };

const MAGIC: Record<(typeof BINARY_TYPES)[number], (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** The binary type the content's first bytes say it is, if any. */
export function sniffBinary(content: Buffer): string | null {
  for (const [type, test] of Object.entries(MAGIC)) if (test(content)) return type;
  return null;
}

/** `text/plain; charset=utf-8` → `text/plain`. */
export function essence(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isText(content: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return false;
  }
  // Tabs, line feeds and carriage returns are text; other control characters (NUL above all) are not.
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

export function checkMedia(declared: string | undefined, content: Buffer): MediaVerdict {
  const type = essence(declared);
  if (!type) return { ok: false, status: 415, problem: `Say what the file is with Content-Type (accepted: ${ACCEPTED_MEDIA_TYPES.join(', ')})` };
  if (!ACCEPTED_MEDIA_TYPES.includes(type)) return { ok: false, status: 415, problem: `${type} is not accepted as an attachment (accepted: ${ACCEPTED_MEDIA_TYPES.join(', ')})` };
  if (content.length === 0) return { ok: false, status: 422, problem: 'The file is empty' };
  const sniffed = sniffBinary(content);
  if ((BINARY_TYPES as readonly string[]).includes(type)) {
    if (sniffed !== type) return { ok: false, status: 422, problem: `The file was declared ${type} but its content ${sniffed ? `is ${sniffed}` : `is not ${type}`}` };
    return { ok: true, mediaType: type };
  }
  if (sniffed) return { ok: false, status: 422, problem: `The file was declared ${type} but its content is ${sniffed}` };
  if (!isText(content)) return { ok: false, status: 422, problem: `The file was declared ${type} but is not UTF-8 text` };
  if (type === 'application/json') {
    try {
      JSON.parse(content.toString('utf8'));
    } catch {
      return { ok: false, status: 422, problem: 'The file was declared application/json but is not JSON' };
    }
  }
  return { ok: true, mediaType: type };
}

/** A filename safe to keep and to send back in Content-Disposition: no path, no control characters, at most 200 characters. */
export function cleanFilename(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  if (!base || base === '.' || base === '..') return null;
  return base.slice(0, 200);
}
