import { useCallback, useEffect, useRef, useState } from 'react';
import { api, onSessionExpired, setToken } from './api/client';
import type { Me } from './api/types';
import { Shell } from './components/Shell';
import { AdminPage } from './pages/AdminPage';
import { AssetPage } from './pages/AssetPage';
import { AssetsPage } from './pages/AssetsPage';
import { intelPage } from './intel/routes';
import { IncidentPage } from './pages/IncidentPage';
import { IncidentsPage } from './pages/IncidentsPage';
import { LoginPage } from './pages/LoginPage';
import { OperationsPage } from './pages/OperationsPage';
import { match, navigate, useLocation } from './router';
import { sensorPage } from './sensors/routes';
import { savedToken, saveToken } from './session';
import { LiveStream } from './state/live';
import { loadCity } from './state/load';
import { store } from './state/store';
import { waterPage } from './water/routes';
import { warningPage } from './warnings/routes';

type SessionState = { status: 'checking' } | { status: 'signed-out'; notice: string | null } | { status: 'signed-in'; me: Me };

export function App() {
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  const live = useRef<LiveStream | null>(null);
  const loading = useRef<AbortController | null>(null);

  const end = useCallback((notice: string | null) => {
    live.current?.stop();
    live.current = null;
    loading.current?.abort();
    saveToken(null);
    store.clear();
    setSession({ status: 'signed-out', notice });
  }, []);

  const begin = useCallback((me: Me) => {
    store.me = me;
    setSession({ status: 'signed-in', me });
    live.current = new LiveStream(store, savedTokenOrCurrent);
    // The stream opens first, so nothing that happens while the lists load is missed.
    live.current.start();
    loading.current = new AbortController();
    void loadCity(store, loading.current.signal);
  }, []);

  useEffect(() => onSessionExpired(() => end('Your session has ended (expired or signed out elsewhere). Sign in again.')), [end]);

  useEffect(() => {
    const token = savedToken();
    if (!token) return setSession({ status: 'signed-out', notice: null });
    setToken(token);
    api<Me>('GET', '/me')
      .then(begin)
      .catch(() => end(null));
  }, []);

  async function signIn(email: string, password: string): Promise<void> {
    const result = await api<{ token: string }>('POST', '/auth/login', { email, password }, { anonymous: true });
    saveToken(result.token);
    const me = await api<Me>('GET', '/me');
    begin(me);
    if (location.pathname === '/login') navigate('/', { replace: true });
  }

  async function signOut(): Promise<void> {
    try {
      await api('POST', '/auth/logout');
    } catch {
      // Signing out locally is what matters; the server's session expires on its own.
    }
    end('You are signed out.');
  }

  const { pathname } = useLocation();
  if (session.status === 'checking') return <p className="splash">Vigil…</p>;
  if (session.status === 'signed-out') return <LoginPage notice={session.notice} onSignIn={signIn} />;
  return (
    <Shell me={session.me} onSignOut={signOut}>
      <Routes pathname={pathname} me={session.me} />
    </Shell>
  );
}

function savedTokenOrCurrent(): string | null {
  return savedToken();
}

function Routes({ pathname, me }: { pathname: string; me: Me }) {
  const { search } = useLocation();
  let params: Record<string, string> | null;
  if (pathname === '/' || pathname === '/login') return <OperationsPage />;
  if (pathname === '/incidents') return <IncidentsPage />;
  if ((params = match('/incidents/:id', pathname))) return <IncidentPage id={params.id!} />;
  if (pathname === '/assets') return <AssetsPage />;
  if ((params = match('/assets/:id', pathname))) return <AssetPage id={params.id!} />;
  const sensors = sensorPage(pathname, me);
  if (sensors) return sensors;
  const water = waterPage(pathname);
  if (water) return water;
  const intel = intelPage(pathname, me);
  if (intel) return intel;
  const warnings = warningPage(pathname, search, me);
  if (warnings) return warnings;
  if (pathname === '/admin') return me.permissions.includes('org:admin') ? <AdminPage /> : <NotFound text="Administration is for your organisation's admins." />;
  return <NotFound text={`Nothing here: ${pathname}`} />;
}

function NotFound({ text }: { text: string }) {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p>{text}</p>
      <p>
        <a href="/">Back to the operations map</a>
      </p>
    </main>
  );
}
