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
  /** Sensor ingestion and streaming detection (src/ingest, src/detect); see docs/ingestion.md. */
  ingest: IngestConfig;
  /** Water simulations: worker threads (VIGIL_WATER_WORKERS, default up to 2), runs that keep their series per scenario (VIGIL_WATER_KEEP_SERIES), runs and sweeps waiting or running at most (VIGIL_WATER_MAX_ACTIVE), least interval between progress events (VIGIL_WATER_PROGRESS_MS). */
  water: { workers: number; keepSeries: number; maxActive: number; progressMs: number };
  /** Largest incident attachment in bytes (VIGIL_ATTACHMENT_MAX_BYTES, default 20 MB); stored under <dataDir>/attachments. */
  attachmentMaxBytes: number;
}

export interface IngestConfig {
  /** Port of the embedded MQTT 3.1.1 broker (VIGIL_MQTT_PORT, default 1883; 0 = no embedded broker). */
  mqttPort: number;
  /** Listen address of the embedded broker (VIGIL_MQTT_HOST, default VIGIL_HOST). */
  mqttHost: string;
  /** An external broker to subscribe to with QoS 1 (VIGIL_MQTT_URL, e.g. mqtt://user:pass@127.0.0.1:1883). */
  mqttUrl: string | null;
  /** Topic filter subscribed on the external broker (VIGIL_MQTT_TOPIC, default vigil/+/+). */
  mqttTopic: string;
  /** Client id on the external broker; its session is persistent (VIGIL_MQTT_CLIENT_ID, default vigil-ingest). */
  mqttClientId: string;
  /** Credentials for the external broker when the URL carries none (VIGIL_MQTT_USERNAME, VIGIL_MQTT_PASSWORD). */
  mqttUsername: string | null;
  mqttPassword: string | null;
  /** Raw observations are kept this many days, then only aggregates (VIGIL_INGEST_RAW_DAYS, default 7). */
  rawRetentionDays: number;
  /** Per-minute aggregates are kept this many days (VIGIL_INGEST_MINUTE_DAYS, default 90). */
  minuteRetentionDays: number;
  /** Per-hour aggregates are kept this many days; 0 keeps them for ever (VIGIL_INGEST_HOUR_DAYS, default 0). */
  hourRetentionDays: number;
  /** A reading stamped further than this in the future is rejected (VIGIL_INGEST_MAX_FUTURE_SECONDS, default 300). */
  maxFutureSeconds: number;
  /** Observations waiting to be stored before producers are held back (VIGIL_INGEST_QUEUE_LIMIT, default 50000). */
  queueLimit: number;
  /** Most observations written in one transaction (VIGIL_INGEST_BATCH_MAX, default 20000). */
  batchMax: number;
  /** Interval of time-based detector checks, e.g. stale sensors (VIGIL_DETECT_TICK_MS, default 5000). */
  detectTickMs: number;
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
    ingest: ingestConfig(env),
    water: {
      workers: integer(env, 'VIGIL_WATER_WORKERS', Math.max(1, Math.min(2, availableParallelism())), 1, 64),
      keepSeries: integer(env, 'VIGIL_WATER_KEEP_SERIES', 5, 0, 10000),
      maxActive: integer(env, 'VIGIL_WATER_MAX_ACTIVE', 20, 1, 10000),
      progressMs: integer(env, 'VIGIL_WATER_PROGRESS_MS', 500, 0, 600000),
    },
    attachmentMaxBytes: integer(env, 'VIGIL_ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024, 1, 1024 * 1024 * 1024),
  };
}

function ingestConfig(env: Env): IngestConfig {
  const url = env.VIGIL_MQTT_URL || null;
  if (url !== null && !/^mqtts?:\/\/[^/]+/.test(url)) {
    throw new ConfigError(`VIGIL_MQTT_URL must look like mqtt://host:1883 or mqtts://host:8883, not "${url}"`);
  }
  return {
    mqttPort: integer(env, 'VIGIL_MQTT_PORT', 1883, 0, 65535),
    mqttHost: env.VIGIL_MQTT_HOST || env.VIGIL_HOST || '127.0.0.1',
    mqttUrl: url,
    mqttTopic: env.VIGIL_MQTT_TOPIC || 'vigil/+/+',
    mqttClientId: env.VIGIL_MQTT_CLIENT_ID || 'vigil-ingest',
    mqttUsername: env.VIGIL_MQTT_USERNAME || null,
    mqttPassword: env.VIGIL_MQTT_PASSWORD || null,
    rawRetentionDays: integer(env, 'VIGIL_INGEST_RAW_DAYS', 7, 1, 36500),
    minuteRetentionDays: integer(env, 'VIGIL_INGEST_MINUTE_DAYS', 90, 1, 36500),
    hourRetentionDays: integer(env, 'VIGIL_INGEST_HOUR_DAYS', 0, 0, 36500),
    maxFutureSeconds: integer(env, 'VIGIL_INGEST_MAX_FUTURE_SECONDS', 300, 0, 366 * 86400),
    queueLimit: integer(env, 'VIGIL_INGEST_QUEUE_LIMIT', 50000, 100, 10_000_000),
    batchMax: integer(env, 'VIGIL_INGEST_BATCH_MAX', 20000, 1, 100000),
    detectTickMs: integer(env, 'VIGIL_DETECT_TICK_MS', 5000, 10, 3_600_000),
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
