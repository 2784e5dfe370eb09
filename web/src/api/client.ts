// Every call to the Vigil API goes through here: the session's bearer token, problem+json errors turned
// into ApiError with the server's own `detail`, and a 401 handed to the session so the user is sent to login.

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

type Listener = () => void;

let token: string | null = null;
const expiredListeners = new Set<Listener>();

export function setToken(value: string | null): void {
  token = value;
}

export function currentToken(): string | null {
  return token;
}

/** Called when the server says the session is no longer valid (expired, revoked, signed out elsewhere). */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

/**
 * `raw` sends a body as it is (a file: a STIX bundle is streamed by the server, never parsed whole) with its
 * own content type, instead of `body` as JSON.
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal; anonymous?: boolean; raw?: { body: Blob | string; contentType: string } } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (token && !init.anonymous) headers.authorization = `Bearer ${token}`;
  if (init.raw) headers['content-type'] = init.raw.contentType;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const payload = init.raw ? init.raw.body : body === undefined ? undefined : JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: payload, signal: init.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, { status: 0, detail: 'The Vigil server cannot be reached; check your connection and try again' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const problem: Problem =
      parsed && typeof parsed === 'object' && 'detail' in parsed
        ? (parsed as Problem)
        : { status: response.status, detail: `The server answered ${response.status} ${response.statusText}` };
    if (response.status === 401 && token && !init.anonymous) for (const listener of expiredListeners) listener();
    throw new ApiError(response.status, problem);
  }
  return parsed as T;
}

/** Every page of a list, following nextCursor. `onPage` sees each page as it arrives. */
export async function allPages<T>(path: string, onPage?: (items: T[]) => void, signal?: AbortSignal): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  const separator = path.includes('?') ? '&' : '?';
  do {
    const page: { items: T[]; nextCursor: string | null } = await api('GET', `${path}${separator}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, { signal });
    all.push(...page.items);
    onPage?.(page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail || error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
