import { type FormEvent, useState } from 'react';
import { errorText } from '../api/client';
import { ErrorMessage } from '../components/Modal';

export function LoginPage({ notice, onSignIn }: { notice: string | null; onSignIn: (email: string, password: string) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return setError('Enter your email address, e.g. analyst@water.demo');
    if (!password) return setError('Enter your password');
    setBusy(true);
    setError(null);
    try {
      await onSignIn(email.trim(), password);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="logo" aria-hidden="true">◆</span> Vigil
        </h1>
        <p className="muted">Shared security operations for the city's operators and responders.</p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <label className="field">
          Email
          <input name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label className="field">
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
