import type { Config } from '../kernel/config.js';
import { ConfigError } from '../kernel/config.js';
import { approvalPolicy, DEFAULT_AUTHOR_ROLES, type ApprovalPolicy, type Role } from './approval.js';
import type { FeedSettings } from './atom.js';
import type { PublicationSettings } from './lifecycle.js';
import { validateAlert } from './validate.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './webhooks.js';

/**
 * How a city runs its public warnings, from VIGIL_* environment variables (README, docs/warnings.md).
 * Read once when the server is built; a bad value stops the start with a sentence saying which and why.
 */
export interface WarningSettings {
  /** Slugs or ids of the organisations that approve; null: every organisation of kind `authority`. */
  approverOrgs: string[] | null;
  approverRoles: Role[];
  authorRoles: Role[];
  /** CAP <sender>. */
  sender: string;
  identifierPrefix: string;
  timeZone: string;
  /** Where the public URLs are reached from outside, no trailing slash. */
  publicBaseUrl: string;
  feed: Omit<FeedSettings, 'baseUrl'>;
  /** Default for the {{contact}} placeholder of the templates. */
  contact: string | null;
  webhooks: {
    /** Run the delivery worker in this process. */
    worker: boolean;
    intervalMs: number;
    timeoutMs: number;
    retry: RetryPolicy;
  };
}

/** Approving and authoring roles when nothing is configured: a city's duty officers and analysts. */
export const DEFAULT_APPROVER_ROLES_API: readonly Role[] = ['admin', 'analyst'];
export const DEFAULT_AUTHOR_ROLES_API: readonly Role[] = DEFAULT_AUTHOR_ROLES.filter((r) => r !== 'responder');

type Env = Record<string, string | undefined>;

export function warningSettingsFrom(env: Env, config: Pick<Config, 'host' | 'port'>): WarningSettings {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const publicBaseUrl = url(env.VIGIL_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`);
  const publicHost = new URL(publicBaseUrl).hostname;
  const sender = token(env, 'VIGIL_CAP_SENDER', `vigil@${publicHost}`);
  const timeZone = env.VIGIL_CAP_TIME_ZONE || 'Europe/Monaco';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigError(`VIGIL_CAP_TIME_ZONE must be an IANA time zone such as Europe/Monaco, not "${timeZone}"`);
  }
  const retry: RetryPolicy = {
    maxAttempts: integer(env, 'VIGIL_WEBHOOK_MAX_ATTEMPTS', DEFAULT_RETRY_POLICY.maxAttempts, 1, 100),
    baseDelayMs: integer(env, 'VIGIL_WEBHOOK_RETRY_BASE_MS', DEFAULT_RETRY_POLICY.baseDelayMs, 10, 3_600_000),
    maxDelayMs: integer(env, 'VIGIL_WEBHOOK_RETRY_MAX_MS', DEFAULT_RETRY_POLICY.maxDelayMs, 10, 24 * 3_600_000),
  };
  const settings: WarningSettings = {
    approverOrgs: env.VIGIL_WARNING_APPROVER_ORGS ? list(env.VIGIL_WARNING_APPROVER_ORGS) : null,
    approverRoles: roles(env, 'VIGIL_WARNING_APPROVER_ROLES', DEFAULT_APPROVER_ROLES_API),
    authorRoles: roles(env, 'VIGIL_WARNING_AUTHOR_ROLES', DEFAULT_AUTHOR_ROLES_API),
    sender,
    identifierPrefix: token(env, 'VIGIL_CAP_IDENTIFIER_PREFIX', 'VIGIL'),
    timeZone,
    publicBaseUrl,
    feed: {
      idPrefix: env.VIGIL_CAP_FEED_ID ?? `tag:${publicHost},2026:vigil:`,
      title: env.VIGIL_CAP_FEED_TITLE ?? 'Public warnings',
      authorName: env.VIGIL_CAP_FEED_AUTHOR ?? 'Vigil',
      language: env.VIGIL_CAP_FEED_LANGUAGE ?? 'fr',
    },
    contact: env.VIGIL_CAP_CONTACT || null,
    webhooks: {
      worker: flag(env, 'VIGIL_WEBHOOK_WORKER', true),
      intervalMs: integer(env, 'VIGIL_WEBHOOK_INTERVAL_MS', 2000, 50, 600_000),
      timeoutMs: integer(env, 'VIGIL_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      retry,
    },
  };
  // Checked here so a wrong list stops the start, not the first approval.
  approvalPolicy({ authorRoles: settings.authorRoles, approverRoles: settings.approverRoles, approverOrganisationIds: [] });
  return settings;
}

/** The pure policy, once the approving organisations are known (they may be created after the start). */
export function policyOf(settings: WarningSettings, approverOrganisationIds: readonly string[]): ApprovalPolicy {
  return approvalPolicy({ authorRoles: settings.authorRoles, approverRoles: settings.approverRoles, approverOrganisationIds });
}

export function publicationOf(settings: WarningSettings): PublicationSettings {
  return {
    sender: settings.sender,
    identifierPrefix: settings.identifierPrefix,
    timeZone: settings.timeZone,
    validate: (alert) => validateAlert(alert).problems,
  };
}

export function feedOf(settings: WarningSettings): FeedSettings {
  return { baseUrl: settings.publicBaseUrl, ...settings.feed };
}

function list(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function roles(env: Env, name: string, fallback: readonly Role[]): Role[] {
  const raw = env[name];
  if (!raw) return [...fallback];
  const values = list(raw);
  try {
    return [...approvalPolicy({ approverRoles: values, approverOrganisationIds: [] }).approverRoles];
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message.replace(/^warning approver roles: /, '')}`);
  }
}

/** CAP forbids white space, commas, "<" and "&" in sender and identifier (§3.2.1). */
function token(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (/[\s,<&]/.test(value)) throw new ConfigError(`${name} may not contain spaces, commas, "<" or "&" (CAP 1.2 §3.2.1): "${value}"`);
  return value;
}

function url(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`VIGIL_PUBLIC_URL must be an absolute http(s) URL such as https://vigil.example.org, not "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError('VIGIL_PUBLIC_URL must start with http:// or https://');
  return raw.replace(/\/+$/, '');
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, not "${raw}"`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0 (or true/false), not "${raw}"`);
}
