/**
 * HTTP for pulling feeds, bounded: a whole request (headers and body) within a time limit, a body within a byte
 * limit, no redirects (credentials are never replayed to another host).
 */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FetchResult {
  status: number;
  headers: Headers;
  text: string;
}

export async function boundedFetch(url: string, headers: Record<string, string>, limits: { timeoutMs: number; maxBytes: number }): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, redirect: 'manual' });
    } catch (error) {
      throw new FetchError(controller.signal.aborted ? `no answer within ${limits.timeoutMs} ms` : `cannot reach ${new URL(url).host}: ${causeOf(error)}`);
    }
    if (response.status >= 300 && response.status < 400) throw new FetchError(`redirected (${response.status}); give the final URL`, response.status);
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      for await (const chunk of response.body ?? []) {
        bytes += chunk.length;
        if (bytes > limits.maxBytes) {
          controller.abort();
          throw new FetchError(`answer larger than ${limits.maxBytes} bytes`, response.status);
        }
        chunks.push(Buffer.from(chunk));
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw new FetchError(controller.signal.aborted ? `no complete answer within ${limits.timeoutMs} ms` : `answer cut off: ${causeOf(error)}`, response.status);
    }
    return { status: response.status, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') };
  } finally {
    clearTimeout(timer);
  }
}

function causeOf(error: unknown): string {
  const e = error as { cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

export function authHeader(username: string | null, secret: string | null): Record<string, string> {
  if (username) return { authorization: `Basic ${Buffer.from(`${username}:${secret ?? ''}`).toString('base64')}` };
  if (secret) return { authorization: `Bearer ${secret}` };
  return {};
}
