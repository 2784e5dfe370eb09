import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../../src/kernel/config.js';
import type { Engine } from '../../src/kernel/db/connection.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { openVigil } from '../../src/server.js';

export const PG_URL = process.env.VIGIL_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function pgAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A kernel on a fresh database of its own (a temp SQLite file, or a new PostgreSQL database), dropped by `close`. */
export async function benchKernel(engine: Engine, env: Record<string, string> = {}): Promise<{ kernel: Kernel; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
  const config = loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent', ...env });
  let dropDatabase = async () => {};
  if (engine === 'postgres') {
    const name = `vigil_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    config.database = { engine: 'postgres', url: url.toString() };
    dropDatabase = async () => {
      const again = new pg.Client({ connectionString: PG_URL });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    };
  }
  const kernel = await openVigil(config, { logger: pino({ level: 'silent' }) });
  return {
    kernel,
    async close() {
      await kernel.close();
      await dropDatabase();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
