import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VigilApp } from '../../src/kernel/http/index.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import { buildServer } from '../../src/server.js';

export interface Api {
  app: VigilApp;
  /** JSON request through Fastify's injector (no socket). */
  call(method: string, url: string, token?: string | null, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
}

export async function startApi(kernel: Kernel): Promise<Api> {
  const app = await buildServer(kernel);
  await app.ready();
  return {
    app,
    async call(method, url, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
      let parsed: unknown = null;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        parsed = null;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers as Record<string, unknown>, text: res.body };
    },
    close: () => app.close(),
  };
}

/** A server listening on a random port, for clients that need a real socket (the live stream). */
export async function listen(app: VigilApp): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export interface SseEvent {
  id: number;
  type: string;
  recordKind: string | null;
  recordId: string | null;
  data: any;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolves with the first event (already received or future) that matches; rejects when the stream ends first. */
  waitFor(predicate: (e: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves once the server has accepted the stream (headers and the first frame arrived). */
  opened: Promise<void>;
  close(): void;
}

/** A minimal EventSource over http, recording every event in order. */
export function openStream(base: string, token: string, lastEventId?: number): SseClient {
  const events: SseEvent[] = [];
  const waiters: Array<{ predicate: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void; reject: (err: Error) => void }> = [];
  let ended = false;
  let openResolve: () => void = () => {};
  let openReject: (e: Error) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    openResolve = resolve;
    openReject = reject;
  });
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const req = http.get(`${base}/api/v1/stream`, { headers }, (res) => {
    if (res.statusCode !== 200) {
      openReject(new Error(`stream answered ${res.statusCode}`));
      return;
    }
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      openResolve();
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const dataLine = frame.split('\n').find((l) => l.startsWith('data: '));
        if (!dataLine) continue;
        const event = JSON.parse(dataLine.slice(6)) as SseEvent;
        events.push(event);
        for (const w of [...waiters]) {
          if (w.predicate(event)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(event);
          }
        }
      }
    });
    res.on('end', () => finish());
    res.on('close', () => finish());
  });
  req.on('error', (error) => {
    openReject(error);
    finish();
  });
  function finish() {
    ended = true;
    for (const w of waiters.splice(0)) w.reject(new Error('the stream ended before the expected event arrived'));
  }
  return {
    events,
    opened,
    waitFor(predicate) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error('the stream has ended'));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
    close() {
      req.destroy();
    },
  };
}
