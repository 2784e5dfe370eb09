import { badRequest } from './problem.js';

/**
 * Keyset cursors: a page ends at the last record it returned, and the next page starts strictly after
 * that (sort key, id). The cursor names only a position, never a record the caller could not see, and
 * every page is read under the caller's visibility, so a cursor reveals and skips nothing.
 */
export interface Position {
  /** The sort key of the last record (a time in epoch ms, a rank, …). */
  k: number;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.k, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && Number.isFinite(value[0]) && typeof value[1] === 'string') {
      return { k: value[0], id: value[1] };
    }
  } catch {
    // fall through to the problem below
  }
  throw badRequest('The cursor is not one this server issued: pass back the nextCursor of the previous page unchanged');
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One page as the queries return it: the records and the position after the last one (null at the end). */
export interface Slice<T> {
  items: T[];
  next: Position | null;
}

/** Turns `limit + 1` fetched rows into a slice: the extra row only tells whether there is more. */
export function sliceOf<R>(rows: R[], limit: number, positionOf: (row: R) => Position): Slice<R> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? positionOf(last) : null };
}

export function asPage<T>(slice: Slice<T>): Page<T> {
  return { items: slice.items, nextCursor: slice.next ? encodeCursor(slice.next) : null };
}
