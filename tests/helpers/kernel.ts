import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { type Config, loadConfig } from '../../src/kernel/config.js';
import type { Engine } from '../../src/kernel/db/connection.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { openVigil } from '../../src/server.js';

/**
 * The database engines a test file runs against: SQLite always, PostgreSQL when VIGIL_TEST_PG_URL points
 * at a server (as `.ci/run` does). Each test kernel gets its own fresh database and drops it afterwards.
 */
export function engines(): Engine[] {
  return process.env.VIGIL_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestKernel {
  kernel: Kernel;
  config: Config;
  /** Opens another kernel on the same database (a restarted server). */
  reopen(): Promise<Kernel>;
  cleanup(): Promise<void>;
}

export async function testConfig(engine: Engine, env: Record<string, string> = {}): Promise<{ config: Config; drop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-test-'));
  const config = loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_DEMO: '0', VIGIL_LOG_LEVEL: 'silent', ...env });
  if (engine === 'sqlite') return { config, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  const adminUrl = process.env.VIGIL_TEST_PG_URL!;
  const name = `vigil_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  config.database = { engine: 'postgres', url: url.toString() };
  return {
    config,
    drop: async () => {
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openTestKernel(
  engine: Engine,
  env: Record<string, string> = {},
  options: { clock?: () => number; logger?: Kernel['log'] } = {},
): Promise<TestKernel> {
  const { config, drop } = await testConfig(engine, env);
  const open = () => openVigil(config, { logger: options.logger ?? pino({ level: 'silent' }), ...(options.clock ? { clock: options.clock } : {}) });
  const kernels: Kernel[] = [await open()];
  return {
    kernel: kernels[0]!,
    config,
    async reopen() {
      const k = await open();
      kernels.push(k);
      return k;
    },
    async cleanup() {
      for (const k of kernels) await k.close().catch(() => {});
      await drop();
    },
  };
}
