import type { ReactNode } from 'react';
import type { Me } from '../api/types';
import { Link, useLocation } from '../router';
import { INTEL_NAV } from '../intel/routes';
import { SENSORS_NAV } from '../sensors/routes';
import { WARNINGS_NAV } from '../warnings/routes';
import { store, useStoreVersion } from '../state/store';

const STREAM_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Offline',
} as const;

export function Shell({ me, onSignOut, children }: { me: Me; onSignOut: () => void; children: ReactNode }) {
  useStoreVersion();
  const { pathname } = useLocation();
  const nav: Array<{ to: string; label: string; paths?: string[] }> = [
    { to: '/', label: 'Operations' },
    { to: '/incidents', label: 'Incidents' },
    { to: '/assets', label: 'Assets' },
    SENSORS_NAV,
    { to: '/water', label: 'Water' },
    INTEL_NAV,
    WARNINGS_NAV,
    ...(me.permissions.includes('org:admin') ? [{ to: '/admin', label: 'Administration' }] : []),
  ];
  const current = (to: string, paths = [to]) => (to === '/' ? pathname === '/' : paths.some((p) => pathname.startsWith(p)));
  const status = store.streamStatus;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      {me.demo && (
        <div className="demo-banner" role="note">
          DEMO MODE — demo accounts with a published password; never expose this instance to a network.
        </div>
      )}
      <header className="topbar">
        <span className="brand">
          <span className="logo" aria-hidden="true">◆</span> Vigil
        </span>
        <nav aria-label="Main">
          {nav.map((n) => (
            <Link key={n.to} to={n.to} className={current(n.to, n.paths) ? 'active' : ''} aria-current={current(n.to, n.paths) ? 'page' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span className={`stream-status ${status}`} role="status" aria-live="polite" data-testid="stream-status">
          <span className="dot" aria-hidden="true" /> {STREAM_TEXT[status]}
        </span>
        <span className="who" data-testid="who">
          <strong>{me.organisation.name}</strong>
          <span className="muted">
            {me.user?.name ?? me.user?.email ?? 'token'} · {me.role}
          </span>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {status === 'reconnecting' && (
        <p className="reconnecting-banner" role="status">
          Live updates are interrupted: reconnecting to Vigil. Changes made meanwhile arrive as soon as the connection is back.
        </p>
      )}
      {store.loadError && (
        <p className="error banner" role="alert">
          {store.loadError}
        </p>
      )}
      <div id="main" className="shell-main">
        {children}
      </div>
    </div>
  );
}
