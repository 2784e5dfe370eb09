import { spawnSync } from 'node:child_process';
import pg from 'pg';
import type { ProfileGraph } from '../../src/routing/profile-graph.js';
import { incomingArcs } from '../../src/routing/profile-graph.js';

/**
 * pgRouting's pgr_dijkstra on exactly the same directed graph (restriction copies included, so answers are
 * comparable to the millisecond). The benchmark makes its own database, loads the arcs, and drops it after.
 */
export interface PgRouting {
  /** Travel time in ms from `source` to the nearest of `targets` (node ids of the profile graph). */
  route(source: number, targets: number[]): Promise<number>;
  close(): Promise<void>;
}

export async function startPgRouting(graph: ProfileGraph, url: string): Promise<PgRouting> {
  const database = `vigil_bench_routing_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await ensureInstalled(admin);
  } catch (error) {
    await admin.end();
    throw error;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: target.toString() });
  const drop = async (): Promise<void> => {
    await client.end().catch(() => undefined);
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${database}`);
    await cleanup.end();
  };
  try {
    await client.connect();
    await client.query('CREATE EXTENSION pgrouting CASCADE');
    await client.query('CREATE TABLE edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, cost float8 NOT NULL, reverse_cost float8 NOT NULL)');
    const { arcTail } = incomingArcs(graph);
    const rows: string[] = [];
    for (let a = 0; a < graph.arcHead.length; a++) rows.push(`(${a + 1},${arcTail[a]! + 1},${graph.arcHead[a]! + 1},${graph.arcWeight[a]},-1)`);
    for (let i = 0; i < rows.length; i += 5000) await client.query(`INSERT INTO edges VALUES ${rows.slice(i, i + 5000).join(',')}`);
    await client.query('ANALYZE edges');
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    async route(source, targets) {
      const result = await client.query<{ cost: number | null }>(
        `SELECT min(agg_cost) AS cost FROM pgr_dijkstra('SELECT id, source, target, cost, reverse_cost FROM edges', $1::bigint, $2::bigint[], directed => true) WHERE edge = -1`,
        [source + 1, targets.map((t) => t + 1)],
      );
      const cost = result.rows[0]?.cost;
      return cost === null || cost === undefined ? Infinity : Number(cost);
    },
    close: drop,
  };
}

/**
 * pgRouting ships as a Debian package matching the server's major version. When the server lacks it and this
 * process may install packages (root with apt-get), install it, as the issue asks of the benchmark.
 */
async function ensureInstalled(admin: pg.Client): Promise<void> {
  const available = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting'");
  if (available.rowCount) return;
  const version = await admin.query<{ server_version_num: string }>('SHOW server_version_num');
  const major = Math.floor(Number(version.rows[0]!.server_version_num) / 10_000);
  const name = `postgresql-${major}-pgrouting`;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`pgRouting is not installed in PostgreSQL ${major}: apt-get install ${name}`);
  }
  process.stdout.write(`installing ${name} for the pgRouting comparison…\n`);
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', name], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install() && !(spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit' }).status === 0 && install())) {
    throw new Error(`could not install ${name}`);
  }
}
