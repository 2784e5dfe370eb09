import type { Severity } from './api/types';

export const SEVERITY_COLOURS: Record<Severity, string> = {
  info: '#8da2b5',
  low: '#4ea1ff',
  medium: '#f5c518',
  high: '#ff7a1a',
  critical: '#ff3b6b',
};

export function severityRank(s: Severity): number {
  return ['info', 'low', 'medium', 'high', 'critical'].indexOf(s);
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return timeFormat.format(new Date(iso));
}

/** "3 min ago", "2 h ago", or the date for older times. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 7 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return formatTime(iso);
}

export function titleCase(text: string): string {
  return text.replace(/(^|[-\s])([a-z])/g, (_m, sep: string, c: string) => `${sep === '-' ? ' ' : sep}${c.toUpperCase()}`);
}
