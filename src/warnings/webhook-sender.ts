import { parseRetryAfter, type AttemptResult, type WebhookRequest } from './webhooks.js';

/**
 * The edge of webhook delivery: one HTTP POST with a time-out. It never throws; every outcome becomes an
 * AttemptResult for recordAttempt. Redirects are not followed (a webhook URL is configured exactly, and
 * following one would let an endpoint send Vigil's signed body elsewhere). The response body is not read.
 */
export async function sendWebhook(
  request: WebhookRequest,
  options: { timeoutMs?: number; fetch?: typeof globalThis.fetch; now?: () => Date } = {},
): Promise<AttemptResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 300 && response.status < 400) {
      return { error: `redirect (${response.status}) refused`, durationMs: elapsed() };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
    return { status: response.status, durationMs: elapsed(), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const message = name === 'TimeoutError' ? 'timed out' : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return { error: message, durationMs: elapsed() };
  }
}
