// What the warning pages read from the API, kept fresh by the live stream: a warning.* or webhook.* event
// bumps a version every page reading warnings depends on (events carry the step, not the whole record).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api, errorText } from '../api/client';
import { registerStreamEventType } from '../state/live';
import { store } from '../state/store';
import type { WarningPolicy, WarningTemplate } from './types';

const EVENTS = [
  'warning.drafted', 'warning.edited', 'warning.submitted', 'warning.rejected', 'warning.published', 'warning.shared',
  'webhook-channel.changed', 'webhook.delivered', 'webhook.failed',
];
for (const type of EVENTS) registerStreamEventType(type);

let version = 0;
const listeners = new Set<() => void>();
store.onEvent((event) => {
  if (event.type.startsWith('warning.') || event.type.startsWith('webhook')) {
    version++;
    for (const l of listeners) l();
  }
});

/** Changes whenever the stream says a warning or a webhook changed. */
export function useWarningsVersion(): number {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
}

/** Something read from the API, read again when `deps` change. */
export function useApi<T>(path: string | null, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    api<T>('GET', path, undefined, { signal: controller.signal })
      .then((data) => setState({ data, error: null }))
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setState((s) => ({ data: s.data, error: errorText(e) }));
      });
    return () => controller.abort();
  }, [path, tick, ...deps]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

let templates: Promise<WarningTemplate[]> | null = null;
let policy: Promise<WarningPolicy> | null = null;

/** The templates and the approval policy change only with a restart: read once. */
export function useTemplatesAndPolicy(): { templates: WarningTemplate[] | null; policy: WarningPolicy | null; error: string | null } {
  const [state, setState] = useState<{ templates: WarningTemplate[] | null; policy: WarningPolicy | null; error: string | null }>({ templates: null, policy: null, error: null });
  useEffect(() => {
    templates ??= api<WarningTemplate[]>('GET', '/warnings/templates');
    policy ??= api<WarningPolicy>('GET', '/warnings/policy');
    let live = true;
    Promise.all([templates, policy])
      .then(([t, p]) => live && setState({ templates: t, policy: p, error: null }))
      .catch((e) => {
        templates = null;
        policy = null;
        if (live) setState({ templates: null, policy: null, error: errorText(e) });
      });
    return () => {
      live = false;
    };
  }, []);
  return state;
}
