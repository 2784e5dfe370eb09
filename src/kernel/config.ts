import { availableParallelism } from 'node:os';
import path from 'node:path';

/**
 * Vigil is configured by environment variables only (twelve-factor), so the same build runs on a
 * laptop, in CI and in a city's data centre. Every variable is read here and nowhere else.
 */
export interface Config {
  /** HTTP listen port (VIGIL_PORT, default 8080). */
  port: number;
  /** HTTP listen address (VIGIL_HOST, default 127.0.0.1: demo logins must not face a network by accident). */
  host: string;
  /** Where the embedded database and other state live (VIGIL_DATA_DIR, default ./data). */
  dataDir: string;
  /** Storage engine: the embedded SQLite file, or PostgreSQL when VIGIL_DATABASE_URL=postgres://… */
  database: DatabaseConfig;
  /** Demo mode loads the demo city into an empty database and allows the demo password (VIGIL_DEMO, default on). */
  demo: boolean;
  /** Largest accepted request body in bytes (VIGIL_BODY_LIMIT, default 1 MiB). */
  bodyLimit: number;
  /** Session lifetime in seconds (VIGIL_SESSION_TTL, default 12 h). */
  sessionTtlSeconds: number;
  /** Failed logins allowed per account and per address within the window (VIGIL_LOGIN_MAX_FAILURES). */
  loginMaxFailures: number;
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  /** Interval of SSE heartbeat comments (VIGIL_SSE_HEARTBEAT_MS, default 15 s). */
  sseHeartbeatMs: number;
  /** pino log level (VIGIL_LOG_LEVEL, default info). */
  logLevel: string;
  /** When true, the HTTP server trusts X-Forwarded-For from a reverse proxy (VIGIL_TRUST_PROXY). */
  trustProxy: boolean;
  /** Water simulations: worker threads (VIGIL_WATER_WORKERS, default up to 2), runs that keep their series per scenario (VIGIL_WATER_KEEP_SERIES), runs and sweeps waiting or running at most (VIGIL_WATER_MAX_ACTIVE), least interval between progress events (VIGIL_WATER_PROGRESS_MS). */
  water: { workers: number; keepSeries: number; maxActive: number; progressMs: number };
}

export type DatabaseConfig = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const dataDir = path.resolve(cwd, env.VIGIL_DATA_DIR ?? 'data');
  return {
    port: integer(env, 'VIGIL_PORT', 8080, 0, 65535),
    host: env.VIGIL_HOST ?? '127.0.0.1',
    dataDir,
    database: databaseConfig(env.VIGIL_DATABASE_URL, dataDir, cwd),
    demo: flag(env, 'VIGIL_DEMO', true),
    bodyLimit: integer(env, 'VIGIL_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    sessionTtlSeconds: integer(env, 'VIGIL_SESSION_TTL', 12 * 3600, 60, 30 * 24 * 3600),
    loginMaxFailures: integer(env, 'VIGIL_LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginMaxFailuresPerAddress: integer(env, 'VIGIL_LOGIN_MAX_FAILURES_PER_ADDRESS', 30, 1, 100000),
    loginWindowSeconds: integer(env, 'VIGIL_LOGIN_WINDOW', 15 * 60, 1, 24 * 3600),
    sseHeartbeatMs: integer(env, 'VIGIL_SSE_HEARTBEAT_MS', 15000, 50, 600000),
    logLevel: env.VIGIL_LOG_LEVEL ?? 'info',
    trustProxy: flag(env, 'VIGIL_TRUST_PROXY', false),
    water: {
      workers: integer(env, 'VIGIL_WATER_WORKERS', Math.max(1, Math.min(2, availableParallelism())), 1, 64),
      keepSeries: integer(env, 'VIGIL_WATER_KEEP_SERIES', 5, 0, 10000),
      maxActive: integer(env, 'VIGIL_WATER_MAX_ACTIVE', 20, 1, 10000),
      progressMs: integer(env, 'VIGIL_WATER_PROGRESS_MS', 500, 0, 600000),
    },
  };
}

function databaseConfig(url: string | undefined, dataDir: string, cwd: string): DatabaseConfig {
  if (!url) return { engine: 'sqlite', file: path.join(dataDir, 'vigil.db') };
  if (/^postgres(ql)?:\/\//.test(url)) return { engine: 'postgres', url };
  if (url.startsWith('sqlite:')) return { engine: 'sqlite', file: path.resolve(cwd, url.slice('sqlite:'.length)) };
  throw new ConfigError(
    'VIGIL_DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (an SQLite file); leave it unset for the embedded default',
  );
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, not "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0 (or true/false), not "${raw}"`);
}

/** The password every demo account uses; accepted only in demo mode. */
export const DEMO_PASSWORD = 'vigil-demo';
