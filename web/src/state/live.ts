// The live stream: an EventSource on /api/v1/stream. The browser resumes by itself with Last-Event-ID after
// a dropped connection; when it gives up (the server answered an error while restarting), we reopen it
// ourselves from the last event we saw, so nothing is lost either way.
import { api } from '../api/client';
import type { StreamEvent } from '../api/types';
import { type CityStore } from './store';

/** Event types the stream sends today; later capabilities add theirs with registerStreamEventType. */
const EVENT_TYPES = new Set([
  'asset.created', 'asset.updated', 'asset.shared',
  'alert.created', 'alert.updated', 'alert.shared',
  'incident.created', 'incident.updated', 'incident.shared', 'incident.note',
  'record.removed', 'organisation.created', 'sharing-group.changed',
]);

export function registerStreamEventType(type: string): void {
  EVENT_TYPES.add(type);
}

export class LiveStream {
  private source: EventSource | null = null;
  private lastEventId: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly store: CityStore,
    private readonly token: () => string | null,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.store.setStreamStatus('stopped');
  }

  private open(): void {
    const token = this.token();
    if (!token || this.stopped) return;
    const params = new URLSearchParams({ token });
    if (this.lastEventId) params.set('lastEventId', this.lastEventId);
    const source = new EventSource(`/api/v1/stream?${params}`);
    this.source = source;
    this.store.setStreamStatus(this.attempts === 0 && !this.lastEventId ? 'connecting' : 'reconnecting');
    const onEvent = (message: MessageEvent<string>) => {
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      try {
        this.store.apply(JSON.parse(message.data) as StreamEvent);
      } catch {
        // A frame we cannot read is skipped; the next one still applies.
      }
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onEvent as EventListener);
    source.onopen = () => {
      this.attempts = 0;
      this.store.setStreamStatus('live');
    };
    source.onerror = () => {
      if (this.stopped) return;
      this.store.setStreamStatus('reconnecting');
      if (source.readyState === EventSource.CLOSED) this.scheduleReopen();
    };
  }

  private scheduleReopen(): void {
    this.source?.close();
    this.source = null;
    const delay = Math.min(10_000, 500 * 2 ** this.attempts++);
    this.retryTimer = setTimeout(async () => {
      // A stream refused because the session ended is the session's business: /me answers 401 and the
      // application returns to the login page. Any other failure: try again.
      try {
        await api('GET', '/me');
      } catch {
        if (this.stopped) return;
      }
      this.open();
    }, delay);
  }
}
