// The client's picture of the city: every record the user may see, kept current by the live stream.
// Components read it through useStoreVersion() and derive what they show with useMemo.
import { useSyncExternalStore } from 'react';
import type { Alert, Asset, Incident, Me, Organisation, SharingGroup, StreamEvent } from '../api/types';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';
export type RecordKind = 'alert' | 'incident' | 'asset';

type Versioned = { id: string; version: number };

export class CityStore {
  me: Me | null = null;
  organisations = new Map<string, Organisation>();
  groups = new Map<string, SharingGroup>();
  assets = new Map<string, Asset>();
  alerts = new Map<string, Alert>();
  incidents = new Map<string, Incident>();
  streamStatus: StreamStatus = 'stopped';
  /** True once the first page of every kind is in: the map is usable from then on. */
  ready = false;
  /** True while older alerts are still arriving in the background. */
  loadingMore = false;
  loadError: string | null = null;
  /** When each record was last seen arriving live (for highlighting what just changed). */
  arrivedAt = new Map<string, number>();

  version = 0;
  private listeners = new Set<() => void>();
  private eventListeners = new Set<(event: StreamEvent) => void>();
  private scheduled = false;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Coalesces many changes (a page of 1,000 alerts, a burst of events) into one render. */
  changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.version++;
      for (const listener of this.listeners) listener();
    }, 0);
  }

  onEvent(listener: (event: StreamEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  mapOf(kind: RecordKind): Map<string, Versioned> {
    return kind === 'alert' ? this.alerts : kind === 'incident' ? this.incidents : this.assets;
  }

  /** Adds or replaces a record; an older version (a list page read before a live update) never wins. */
  upsert(kind: RecordKind, record: Versioned, live = false): void {
    const map = this.mapOf(kind);
    const existing = map.get(record.id);
    if (existing && existing.version > record.version) return;
    map.set(record.id, record);
    if (live) this.arrivedAt.set(record.id, Date.now());
    this.changed();
  }

  upsertMany(kind: RecordKind, records: Versioned[]): void {
    const map = this.mapOf(kind);
    for (const record of records) {
      const existing = map.get(record.id);
      if (!existing || existing.version <= record.version) map.set(record.id, record);
    }
    this.changed();
  }

  remove(kind: string, id: string): void {
    if (kind === 'alert' || kind === 'incident' || kind === 'asset') this.mapOf(kind).delete(id);
    this.changed();
  }

  setStreamStatus(status: StreamStatus): void {
    if (this.streamStatus === status) return;
    this.streamStatus = status;
    this.changed();
  }

  /** Applies one event of the live stream. */
  apply(event: StreamEvent): void {
    const [kind, action] = event.type.split('.') as [string, string];
    if (event.type === 'record.removed') {
      const data = event.data as { kind: string; id: string };
      this.remove(data.kind, data.id);
    } else if ((kind === 'alert' || kind === 'incident' || kind === 'asset') && ['created', 'updated', 'shared'].includes(action)) {
      this.upsert(kind, event.data as Versioned, true);
    } else if (event.type === 'organisation.created') {
      const org = event.data as Organisation;
      this.organisations.set(org.id, org);
      this.changed();
    } else if (event.type === 'sharing-group.changed') {
      const group = event.data as SharingGroup;
      this.groups.set(group.id, group);
      this.changed();
    }
    for (const listener of this.eventListeners) listener(event);
  }

  orgName(id: string | null | undefined): string {
    if (!id) return 'Vigil';
    return this.organisations.get(id)?.name ?? 'an organisation';
  }

  clear(): void {
    this.me = null;
    for (const map of [this.organisations, this.groups, this.assets, this.alerts, this.incidents, this.arrivedAt]) map.clear();
    this.ready = false;
    this.loadingMore = false;
    this.loadError = null;
    this.streamStatus = 'stopped';
    this.changed();
  }
}

export const store = new CityStore();

/** Re-renders the calling component whenever the store changes; returns the store's version. */
export function useStoreVersion(): number {
  return useSyncExternalStore(store.subscribe, store.getVersion);
}
