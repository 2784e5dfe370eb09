import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Position } from '../http/cursor.js';

/**
 * Keyset paging, newest first: rows strictly after the cursor position in (key desc, id desc) order.
 * Row-value comparison works on both engines and lets them walk an index on (key, id).
 */
export function after(keyColumn: string, idColumn: string, position: Position | null): RawBuilder<SqlBool> {
  if (!position) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${sql.ref(keyColumn)}, ${sql.ref(idColumn)}) < (${position.k}, ${position.id})`;
}

/** Case-insensitive substring match on any of the columns; the text is a literal, never a pattern. */
export function textMatches(columns: string[], text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`(${sql.join(
    columns.map((c) => sql`lower(${sql.ref(c)}) like ${pattern} escape '\\'`),
    sql` or `,
  )})`;
}
