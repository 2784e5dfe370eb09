import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kernel } from '../kernel.js';
import { tlpRank, type Tlp } from '../sharing/policy.js';
import type { Position, Slice } from './cursor.js';
import { actorFor } from './guard.js';

/**
 * Streams records as NDJSON, one page at a time (an export never holds everything in memory), and
 * writes an audit entry when anything labelled AMBER or stricter left the system, counted per label.
 */
export function sendNdjsonExport<T extends { tlp: Tlp }>(
  kernel: Kernel,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: string,
  pages: AsyncIterable<T[]>,
): FastifyReply {
  const actor = actorFor(request);
  const perLabel: Partial<Record<Tlp, number>> = {};
  async function* lines(): AsyncGenerator<string> {
    try {
      for await (const page of pages) {
        let chunk = '';
        for (const record of page) {
          perLabel[record.tlp] = (perLabel[record.tlp] ?? 0) + 1;
          chunk += `${JSON.stringify(record)}\n`;
        }
        if (chunk) yield chunk;
      }
    } finally {
      const sensitive = (Object.keys(perLabel) as Tlp[]).some((tlp) => tlpRank(tlp) >= tlpRank('amber'));
      if (sensitive) {
        await kernel.write(actor, (w) => w.audit({ action: `${kind}.export`, targetKind: kind, details: { records: perLabel, query: request.query } }));
      }
    }
  }
  return reply
    .type('application/x-ndjson')
    .header('Content-Disposition', `attachment; filename="${kind}-export.ndjson"`)
    .send(Readable.from(lines()));
}

/** Pages through a keyset-paged reader until it runs out. */
export async function* allPages<T>(read: (cursor: Position | null) => Promise<Slice<T>>): AsyncGenerator<T[]> {
  let cursor: Position | null = null;
  for (;;) {
    const { items, next } = await read(cursor);
    if (items.length > 0) yield items;
    if (next === null) return;
    cursor = next;
  }
}
