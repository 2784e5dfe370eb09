import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /**
   * The embedded engine's own connection (SQLite only): the one Kysely uses, so prepared statements run on
   * it inside a Kysely transaction belong to that transaction. For hot write paths (sensor readings) only.
   */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

export type Tx = Transaction<Database>;
/** Either the database or an open transaction: queries take this so they compose into one transaction. */
export type Queryable = Kysely<Database> | Tx;

// PostgreSQL returns int8 (bigint: our epoch-millisecond times and counts) as strings; every value we store
// fits a double exactly, so parse them as numbers once for the whole process.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));

export function openStore(config: DatabaseConfig): Store {
  if (config.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle client losing its connection must not take the process down; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(config.file), { recursive: true });
  const sqlite = new SQLite(config.file);
  // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged commit durable
  // (it survives kill -9 and power loss, at the price of one fsync per transaction).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // A 64 MiB page cache and memory-mapped reads keep the indexes of a city's million alerts in memory.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('temp_store = memory');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: 'sqlite', sqlite, close: () => db.destroy() };
}

/**
 * Serialises the transactions that append to the ordered logs (events, audit) on PostgreSQL, so ids are
 * committed in the order they were assigned and a reader never sees event 11 before event 10 commits.
 * SQLite already has a single writer.
 */
export async function lockLogOrder(tx: Tx, engine: Engine): Promise<void> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7248147)`.execute(tx);
}
