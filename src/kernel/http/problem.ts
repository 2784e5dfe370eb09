import { STATUS_CODES } from 'node:http';

/**
 * An HTTP error as RFC 9457 problem details. Thrown anywhere in a request; the kernel's error handler
 * renders it as `application/problem+json`. `detail` is written for the person who must act on it.
 */
export class Problem extends Error {
  readonly title: string;

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly type = 'about:blank',
    title?: string,
  ) {
    super(detail);
    this.name = 'Problem';
    this.title = title ?? STATUS_CODES[status] ?? 'Error';
  }

  toJSON(instance?: string): ProblemBody {
    // The standard members come last so an extension can never overwrite them (RFC 9457 §3.1: `status` is the HTTP code).
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
    };
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * Records the caller may not see are answered exactly like records that do not exist, so the answer
 * never tells whether something is there.
 */
export function notFound(kind: string, id: string): Problem {
  return new Problem(404, `No ${kind} with id ${id} exists`);
}

export function badRequest(detail: string, extensions: Record<string, unknown> = {}): Problem {
  return new Problem(400, detail, extensions);
}

export function forbidden(detail: string): Problem {
  return new Problem(403, detail);
}

export function conflict(detail: string, extensions: Record<string, unknown> = {}): Problem {
  return new Problem(409, detail, extensions);
}

export function unprocessable(detail: string, extensions: Record<string, unknown> = {}): Problem {
  return new Problem(422, detail, extensions);
}

export function unauthorized(detail = 'Sign in first: send a valid session or API token as "Authorization: Bearer <token>"'): Problem {
  return new Problem(401, detail);
}
