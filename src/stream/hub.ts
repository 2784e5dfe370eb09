import type { Principal } from '../kernel/auth/index.js';
import { type EventBus, type VigilEvent, canReceive } from '../kernel/events/index.js';

/** One connected client of the live stream. */
export interface StreamClient {
  viewer: Principal;
  /** Writes one event; returns false when the client cannot keep up and must be dropped. */
  deliver(event: VigilEvent, frame: string): boolean;
  close(): void;
}

/**
 * Fans committed events out to connected clients. Each event is serialised once; who receives it is the
 * policy's decision over the event's audience (the same rule as reading the record).
 */
export class StreamHub {
  private readonly clients = new Set<StreamClient>();
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly onGroupsChanged: (clients: StreamClient[]) => void,
  ) {
    this.unsubscribe = bus.subscribe((event) => this.fanOut(event));
  }

  add(client: StreamClient): () => void {
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  get size(): number {
    return this.clients.size;
  }

  fanOut(event: VigilEvent): void {
    let frame: string | null = null;
    for (const client of this.clients) {
      if (!canReceive(client.viewer, event)) continue;
      frame ??= sseFrame(event);
      if (!client.deliver(event, frame)) {
        this.clients.delete(client);
        client.close();
      }
    }
    if (event.type === 'sharing-group.changed') this.onGroupsChanged([...this.clients]);
  }

  closeAll(): void {
    this.unsubscribe();
    for (const client of this.clients) client.close();
    this.clients.clear();
  }
}

/** The wire form of one event (text/event-stream): the id lets a client resume with Last-Event-ID. */
export function sseFrame(event: VigilEvent): string {
  const data = JSON.stringify({ id: event.id, type: event.type, at: new Date(event.at).toISOString(), recordKind: event.recordKind, recordId: event.recordId, data: event.data });
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${data}\n\n`;
}
