// The water records the pages share: networks and their maps (cached), and runs and sweeps kept current by
// the live stream (water-run.* and water-sweep.* carry the whole record, progress included).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api, errorText } from '../api/client';
import type { StreamEvent } from '../api/types';
import { registerStreamEventType } from '../state/live';
import { store } from '../state/store';
import type { NetworkMap, RunStatus, WaterNetwork, WaterRun, WaterSweep } from './types';

const ACTIONS = { 'water-network': ['created', 'updated', 'shared'], 'water-scenario': ['created', 'updated', 'shared'], 'water-run': ['queued', 'started', 'progress', 'completed', 'failed', 'cancelled'], 'water-sweep': ['queued', 'started', 'progress', 'completed', 'failed', 'cancelled'] };
for (const [kind, actions] of Object.entries(ACTIONS)) for (const action of actions) registerStreamEventType(`${kind}.${action}`);

const STATUS_ORDER: Record<RunStatus, number> = { queued: 0, running: 1, completed: 2, failed: 2, cancelled: 2 };

/** The later of two states of a run or sweep: events and reads may cross on the way. */
export function later<T extends { status: RunStatus; progress: number }>(a: T | undefined, b: T): T {
  if (!a) return b;
  if (STATUS_ORDER[b.status] !== STATUS_ORDER[a.status]) return STATUS_ORDER[b.status] > STATUS_ORDER[a.status] ? b : a;
  return b.progress >= a.progress ? b : a;
}

class WaterLive {
  runs = new Map<string, WaterRun>();
  sweeps = new Map<string, WaterSweep>();
  /** Bumped when a network or scenario changes, so lists read again. */
  recordsVersion = 0;
  version = 0;
  private listeners = new Set<() => void>();

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = (): number => this.version;

  changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  putRun(run: WaterRun): WaterRun {
    const kept = later(this.runs.get(run.id), run);
    this.runs.set(run.id, kept);
    this.changed();
    return kept;
  }

  putSweep(sweep: WaterSweep): WaterSweep {
    const kept = later(this.sweeps.get(sweep.id), sweep);
    this.sweeps.set(sweep.id, kept);
    this.changed();
    return kept;
  }

  apply(event: StreamEvent): void {
    const kind = event.type.split('.')[0];
    if (kind === 'water-run') this.putRun(event.data as WaterRun);
    else if (kind === 'water-sweep') this.putSweep(event.data as WaterSweep);
    else if (kind === 'water-network' || kind === 'water-scenario' || (event.type === 'record.removed' && String((event.data as { kind?: string })?.kind).startsWith('water'))) {
      if (kind === 'water-network') networks = null;
      this.recordsVersion++;
      this.changed();
    }
  }
}

export const water = new WaterLive();
store.onEvent((event) => water.apply(event));
// Signing out forgets what this session read; the next may be another organisation's.
store.subscribe(() => {
  if (!store.me && (networks || maps.size || water.runs.size || water.sweeps.size)) forgetWater();
});

export function useWaterVersion(): number {
  return useSyncExternalStore(water.subscribe, water.getVersion);
}

let networks: Promise<WaterNetwork[]> | null = null;
const maps = new Map<string, Promise<NetworkMap>>();

/** The water models the user may see (read once, again after a network changes). */
export function loadNetworks(): Promise<WaterNetwork[]> {
  networks ??= api<{ items: WaterNetwork[] }>('GET', '/water/networks?limit=100')
    .then((page) => page.items)
    .catch((error) => {
      networks = null;
      throw error;
    });
  return networks;
}

/** A network version on the map (a version never changes, so it is read once). */
export function loadNetworkMap(id: string, version?: number): Promise<NetworkMap> {
  const key = `${id}@${version ?? 'newest'}`;
  let map = maps.get(key);
  if (!map) {
    map = api<NetworkMap>('GET', `/water/networks/${id}/geojson${version ? `?version=${version}` : ''}`).catch((error) => {
      maps.delete(key);
      throw error;
    });
    maps.set(key, map);
  }
  return map;
}

/** Forgets what was read for the last session (a sign-out). */
export function forgetWater(): void {
  networks = null;
  maps.clear();
  water.runs.clear();
  water.sweeps.clear();
}

export type Loaded<T> = { status: 'loading' } | { status: 'error'; error: string; httpStatus?: number } | { status: 'ok'; value: T };

/** Reads an API path when `key` changes; `deps` re-read it (a stream event, an edit). */
export function useApi<T>(path: string | null, deps: unknown[] = []): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    api<T>('GET', path, undefined, { signal: controller.signal })
      .then((value) => setState({ status: 'ok', value }))
      .catch((error) => {
        if ((error as Error).name === 'AbortError') return;
        setState({ status: 'error', error: errorText(error), httpStatus: (error as { status?: number }).status });
      });
    return () => controller.abort();
  }, [path, nonce, ...deps]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}

/** A run, read once and then kept current by its events on the live stream. */
export function useRun(id: string): Loaded<WaterRun> {
  useWaterVersion();
  const read = useApi<WaterRun>(`/water/runs/${id}`);
  useEffect(() => {
    if (read.status === 'ok') water.putRun(read.value);
  }, [read.status === 'ok' ? read.value : null]);
  const live = water.runs.get(id);
  if (live) return { status: 'ok', value: live };
  return read;
}

export function useSweep(id: string): Loaded<WaterSweep> {
  useWaterVersion();
  const read = useApi<WaterSweep>(`/water/sweeps/${id}`);
  useEffect(() => {
    if (read.status === 'ok') water.putSweep(read.value);
  }, [read.status === 'ok' ? read.value : null]);
  const live = water.sweeps.get(id);
  if (live) return { status: 'ok', value: live };
  return read;
}
