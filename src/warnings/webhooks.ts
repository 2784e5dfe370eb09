import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook delivery of published CAP messages, planned purely: what to send, how it is signed, when to try
 * again, and the record each attempt leaves. The HTTP POST itself is webhook-sender.ts. Publication only
 * creates a pending delivery per channel (stored with the message), so an endpoint that is down can never
 * hold up a warning, and every attempt, failed or not, leaves a record.
 */

export interface WebhookChannel {
  id: string;
  url: string;
  /** Shared secret for the HMAC-SHA256 signature; at least 32 characters. */
  secret: string;
  active: boolean;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

export interface AttemptResult {
  /** HTTP status, when a response came back. */
  status?: number;
  /** Network failure, time-out, or refused redirect. */
  error?: string;
  durationMs: number;
  /** From a Retry-After header on 429/503. */
  retryAfterMs?: number;
}

export interface AttemptRecord extends AttemptResult {
  attempt: number;
  at: string;
  outcome: 'delivered' | 'retry' | 'failed';
}

export interface Delivery {
  id: string;
  channelId: string;
  /** Identifier of the CAP message delivered. */
  identifier: string;
  event: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptAt?: string;
  attempts: AttemptRecord[];
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const SIGNATURE_HEADER = 'Vigil-Signature';

/** What is wrong with a channel as configured; empty when it can be used. */
export function webhookChannelProblems(channel: Pick<WebhookChannel, 'url' | 'secret'>): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(channel.url);
  } catch {
    problems.push(`"${channel.url}" is not a URL`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('a webhook URL is http or https');
  if (url && (url.username || url.password)) problems.push('put no credentials in a webhook URL: the signature authenticates Vigil');
  if (channel.secret.length < 32) problems.push('the signing secret needs at least 32 characters');
  return problems;
}

/** A pending delivery of one published message to one channel, due at once. */
export function planDelivery(
  input: { id: string; channel: WebhookChannel; identifier: string; event: string; body: string },
  now: Date,
): Delivery {
  return {
    id: input.id,
    channelId: input.channel.id,
    identifier: input.identifier,
    event: input.event,
    body: input.body,
    state: 'pending',
    nextAttemptAt: now.toISOString(),
    attempts: [],
  };
}

/**
 * The request for the next attempt. The signature covers "<unix seconds>.<body>" with the attempt's own
 * timestamp, so a receiver can refuse replays of old deliveries; Vigil-Delivery stays the same across
 * retries so it can drop duplicates.
 */
export function webhookRequest(delivery: Delivery, channel: WebhookChannel, now: Date): WebhookRequest {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    url: channel.url,
    headers: {
      'Content-Type': 'application/cap+xml; charset=utf-8',
      'User-Agent': 'Vigil-Webhooks/1',
      'Vigil-Event': delivery.event,
      'Vigil-Delivery': delivery.id,
      'Vigil-Attempt': String(delivery.attempts.length + 1),
      [SIGNATURE_HEADER]: `t=${timestamp},v1=${sign(channel.secret, timestamp, delivery.body)}`,
    },
    body: delivery.body,
  };
}

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver runs (and the tests): the signature matches and is at most `toleranceSeconds` old. */
export function verifySignature(secret: string, header: string, body: string, now: Date, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, body), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The delay before attempt `attempt + 1` after `attempt` failed: exponential, capped, with "equal jitter"
 * (half fixed, half random) so receivers coming back up are not hit by every sender at once.
 * `random` returns [0, 1): Math.random in production, a fixed sequence in tests.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** Whether a failed attempt may succeed later: network errors, 408, 429 and 5xx; not other 4xx. */
export function isRetryable(result: AttemptResult): boolean {
  if (result.status === undefined) return true;
  return result.status === 408 || result.status === 429 || result.status >= 500;
}

/** The delivery after an attempt: delivered on 2xx, otherwise retried later or, when out of attempts, failed. */
export function recordAttempt(
  delivery: Delivery,
  result: AttemptResult,
  now: Date,
  policy: RetryPolicy,
  random: () => number,
): Delivery {
  const attempt = delivery.attempts.length + 1;
  const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
  const retry = !delivered && isRetryable(result) && attempt < policy.maxAttempts;
  const record: AttemptRecord = { ...result, attempt, at: now.toISOString(), outcome: delivered ? 'delivered' : retry ? 'retry' : 'failed' };
  const { nextAttemptAt: _due, ...rest } = delivery;
  const attempts = [...delivery.attempts, record];
  if (!retry) return { ...rest, state: delivered ? 'delivered' : 'failed', attempts };
  const backoff = retryDelayMs(attempt, policy, random);
  const delay = Math.min(policy.maxDelayMs, Math.max(backoff, result.retryAfterMs ?? 0));
  return { ...rest, state: 'pending', nextAttemptAt: new Date(now.getTime() + delay).toISOString(), attempts };
}

/** Pending deliveries due at `now`, oldest due first. */
export function dueDeliveries(deliveries: Iterable<Delivery>, now: Date): Delivery[] {
  const nowIso = now.toISOString();
  return [...deliveries]
    .filter((d) => d.state === 'pending' && d.nextAttemptAt !== undefined && d.nextAttemptAt <= nowIso)
    .sort((a, b) => a.nextAttemptAt!.localeCompare(b.nextAttemptAt!));
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
