// What each configured detector is doing, in words, from the settings and the runtime's status
// (GET /api/v1/detectors/status), and its last alarm from the alerts the store holds. Pure.
import type { Alert } from '../api/types';

export interface RunningDetector {
  id: string;
  kind: string;
  suspended: boolean;
  consecutiveFailures: number;
  totalFailures: number;
  lastError?: string;
}

export interface RuntimeStatus {
  state: 'idle' | 'loading' | 'ready' | 'broken';
  problem: string | null;
  settingsVersion: number;
  detectors: RunningDetector[];
  recentFailures: Array<{ detector: string; kind: string; phase: string; message: string; at: string; suspended: boolean }>;
  alertsRaised: number;
}

export type DetectorStateName = 'running' | 'failing' | 'suspended' | 'disabled' | 'waiting' | 'starting' | 'not running' | 'unknown';

export interface DetectorState {
  state: DetectorStateName;
  text: string;
  /** A suspended detector can be called again. */
  resumable: boolean;
}

export function detectorState(settings: { id: string; enabled?: boolean }, status: RuntimeStatus | null): DetectorState {
  if (settings.enabled === false) return { state: 'disabled', text: 'Disabled in the settings', resumable: false };
  if (!status) return { state: 'unknown', text: 'Status not available', resumable: false };
  switch (status.state) {
    case 'idle':
      // The runtime builds an organisation's detectors on its first reading (and again after each change).
      return { state: 'waiting', text: 'Starts with the next reading', resumable: false };
    case 'loading':
      return { state: 'starting', text: 'Starting', resumable: false };
    case 'broken':
      return { state: 'not running', text: `Not running: ${status.problem ?? 'the settings could not be built'}`, resumable: false };
    case 'ready': {
      const d = status.detectors.find((x) => x.id === settings.id);
      if (!d) return { state: 'not running', text: 'Not running', resumable: false };
      if (d.suspended) return { state: 'suspended', text: `Suspended after ${d.consecutiveFailures} failures in a row: ${d.lastError ?? 'no message'}`, resumable: true };
      if (d.consecutiveFailures > 0) return { state: 'failing', text: `Failed ${d.consecutiveFailures} time${d.consecutiveFailures > 1 ? 's' : ''} in a row: ${d.lastError ?? ''}`, resumable: false };
      return { state: 'running', text: d.totalFailures > 0 ? `Running (${d.totalFailures} failures since start, the last: ${d.lastError ?? ''})` : 'Running', resumable: false };
    }
  }
}

/** The detector's newest alarm among the alerts the user sees: its organisation's, raised as `detector:<id>`. */
export function lastAlarmOf(detectorId: string, orgId: string, alerts: Iterable<Alert>): Alert | null {
  const source = `detector:${detectorId}`;
  let best: Alert | null = null;
  for (const a of alerts) {
    if (a.source !== source || a.ownerOrgId !== orgId) continue;
    if (!best || a.lastSeen > best.lastSeen || (a.lastSeen === best.lastSeen && a.id > best.id)) best = a;
  }
  return best;
}
