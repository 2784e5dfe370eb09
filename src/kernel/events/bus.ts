import type { VigilEvent } from './log.js';

/**
 * Delivers committed events to live listeners (the SSE stream, detectors, correlation). In the embedded
 * default it is in-process; a multi-node deployment replaces it with one that fans out between nodes.
 * Events are published only after their transaction commits, in log order.
 */
export interface EventBus {
  publish(events: readonly VigilEvent[]): void;
  subscribe(listener: (event: VigilEvent) => void): () => void;
}

export function inProcessBus(onListenerError: (error: unknown) => void = () => {}): EventBus {
  const listeners = new Set<(event: VigilEvent) => void>();
  return {
    publish(events) {
      for (const event of events) {
        for (const listener of listeners) {
          // One failing listener must not starve the others or the writer that published.
          try {
            listener(event);
          } catch (error) {
            onListenerError(error);
          }
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
