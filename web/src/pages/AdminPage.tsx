import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import { type ApiToken, ROLES, type Role, type SharingGroup, type User } from '../api/types';
import { ErrorMessage } from '../components/Modal';
import { formatTime } from '../format';
import { store, useStoreVersion } from '../state/store';

type Tab = 'users' | 'tokens' | 'groups';

/** An organisation admin's page: users, API tokens (the secret shown once), sharing groups. */
export function AdminPage() {
  const [tab, setTab] = useState<Tab>('users');
  return (
    <main className="page">
      <header className="page-head">
        <h1>Administration of {store.me?.organisation.name}</h1>
      </header>
      <div role="tablist" aria-label="Administration" className="tabs">
        {(['users', 'tokens', 'groups'] as const).map((t) => (
          <button key={t} role="tab" type="button" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
            {t === 'users' ? 'Users' : t === 'tokens' ? 'API tokens' : 'Sharing groups'}
          </button>
        ))}
      </div>
      <div role="tabpanel">{tab === 'users' ? <Users /> : tab === 'tokens' ? <Tokens /> : <Groups />}</div>
    </main>
  );
}

function useList<T>(path: string): [T[] | null, string | null, () => void] {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    api<{ items: T[] }>('GET', path)
      .then((p) => setItems(p.items))
      .catch((e) => setError(errorText(e)));
  }, [path, n]);
  return [items, error, () => setN(n + 1)];
}

function Users() {
  const [users, error, reload] = useList<User>('/users');
  const [form, setForm] = useState({ email: '', name: '', role: 'analyst' as Role, password: '' });
  const [formError, setFormError] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email)) return setFormError('Enter a valid email address');
    if (!form.name.trim()) return setFormError('Enter the person’s name');
    if (form.password.length < 10) return setFormError('A password needs at least 10 characters');
    setFormError(null);
    try {
      await api('POST', '/users', { ...form, name: form.name.trim(), email: form.email.trim() });
      setForm({ email: '', name: '', role: 'analyst', password: '' });
      reload();
    } catch (e) {
      setFormError(errorText(e));
    }
  }
  async function update(user: User, change: Partial<Pick<User, 'role' | 'disabled'>>) {
    setRowError(null);
    try {
      await api('PATCH', `/users/${user.id}`, change);
      reload();
    } catch (e) {
      setRowError(errorText(e));
    }
  }
  return (
    <section aria-label="Users">
      <ErrorMessage error={error ?? rowError} />
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Account</th>
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => update(u, { role: e.target.value as Role })}>
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td>
                <button type="button" className="small" onClick={() => update(u, { disabled: !u.disabled })}>
                  {u.disabled ? 'Enable' : 'Disable'}
                </button>{' '}
                {u.disabled && <span className="muted">disabled</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={add} noValidate aria-label="Add a user">
        <h2>Add a user</h2>
        <label className="field">
          Email <input type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label className="field">
          Name <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="field">
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="field">
          Initial password <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </label>
        <ErrorMessage error={formError} />
        <button type="submit" className="primary">
          Add user
        </button>
      </form>
    </section>
  );
}

function Tokens() {
  const [tokens, error, reload] = useList<ApiToken>('/tokens');
  const [form, setForm] = useState({ name: '', role: 'operator' as Role, expiresInDays: '' });
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!form.name.trim()) return setFormError('Name the machine or integration that will use the token');
    const days = form.expiresInDays ? Number(form.expiresInDays) : undefined;
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) return setFormError('Expiry is a whole number of days, 1 to 3650');
    setFormError(null);
    try {
      const created = await api<{ token: string; apiToken: ApiToken }>('POST', '/tokens', { name: form.name.trim(), role: form.role, ...(days ? { expiresInDays: days } : {}) });
      setSecret({ name: created.apiToken.name, token: created.token });
      setForm({ name: '', role: 'operator', expiresInDays: '' });
      reload();
    } catch (e) {
      setFormError(errorText(e));
    }
  }
  async function revoke(token: ApiToken) {
    if (!window.confirm(`Revoke the token “${token.name}”? Machines using it stop at once.`)) return;
    try {
      await api('DELETE', `/tokens/${token.id}`);
      reload();
    } catch (e) {
      setFormError(errorText(e));
    }
  }
  return (
    <section aria-label="API tokens">
      <ErrorMessage error={error} />
      {secret && (
        <div className="secret" role="alert">
          <p>
            The secret of <strong>{secret.name}</strong>. Copy it now: it is shown only this once, Vigil keeps only its hash.
          </p>
          <code data-testid="token-secret">{secret.token}</code>{' '}
          <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(secret.token)}>
            Copy
          </button>{' '}
          <button type="button" className="small" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </div>
      )}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Prefix</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {(tokens ?? []).map((t) => (
            <tr key={t.id} className={t.revokedAt ? 'revoked' : ''}>
              <td>{t.name}</td>
              <td>{t.role}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{formatTime(t.createdAt)}</td>
              <td>{t.expiresAt ? formatTime(t.expiresAt) : 'never'}</td>
              <td>{formatTime(t.lastUsedAt)}</td>
              <td>
                {t.revokedAt ? (
                  <span className="muted">revoked {formatTime(t.revokedAt)}</span>
                ) : (
                  <button type="button" className="small danger" onClick={() => revoke(t)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" onSubmit={create} noValidate aria-label="Create an API token">
        <h2>Create an API token</h2>
        <label className="field">
          Name <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="e.g. SCADA historian bridge" />
        </label>
        <label className="field">
          Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="field">
          Expires in (days, optional) <input inputMode="numeric" value={form.expiresInDays} onChange={(e) => setForm({ ...form, expiresInDays: e.target.value })} />
        </label>
        <ErrorMessage error={formError} />
        <button type="submit" className="primary">
          Create token
        </button>
      </form>
    </section>
  );
}

function Groups() {
  useStoreVersion();
  const [groups, error, reload] = useList<SharingGroup>('/sharing-groups');
  const me = store.me!;
  const [editing, setEditing] = useState<{ id: string | null; name: string; description: string; members: string[] } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const others = [...store.organisations.values()].filter((o) => o.id !== me.organisation.id).sort((a, b) => a.name.localeCompare(b.name));

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    if (!editing.name.trim()) return setFormError('Name the group');
    setFormError(null);
    const body = { name: editing.name.trim(), description: editing.description, memberOrgIds: editing.members };
    try {
      const group = await api<SharingGroup>(editing.id ? 'PUT' : 'POST', editing.id ? `/sharing-groups/${editing.id}` : '/sharing-groups', body);
      store.groups.set(group.id, group);
      store.changed();
      setEditing(null);
      reload();
    } catch (e) {
      setFormError(errorText(e));
    }
  }
  return (
    <section aria-label="Sharing groups">
      <ErrorMessage error={error} />
      <ul className="plain groups">
        {(groups ?? []).map((g) => (
          <li key={g.id}>
            <strong>{g.name}</strong> <span className="muted">— {g.description}</span>
            <div className="small-text">
              Owner {store.orgName(g.ownerOrgId)}; members: {g.memberOrgIds.map((id) => store.orgName(id)).join(', ') || 'none'}
            </div>
            {g.ownerOrgId === me.organisation.id && (
              <button type="button" className="small" onClick={() => setEditing({ id: g.id, name: g.name, description: g.description, members: g.memberOrgIds.filter((m) => m !== me.organisation.id) })}>
                Edit
              </button>
            )}
          </li>
        ))}
      </ul>
      {!editing ? (
        <button type="button" className="primary" onClick={() => setEditing({ id: null, name: '', description: '', members: [] })}>
          New sharing group
        </button>
      ) : (
        <form className="inline-form" onSubmit={save} noValidate aria-label={editing.id ? 'Edit the sharing group' : 'New sharing group'}>
          <h2>{editing.id ? 'Edit the sharing group' : 'New sharing group'}</h2>
          <label className="field">
            Name <input value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} />
          </label>
          <label className="field">
            Description <input value={editing.description} onChange={(e) => setEditing({ ...editing, description: e.target.value })} />
          </label>
          <fieldset>
            <legend>Members (your organisation is always one)</legend>
            <div className="org-grid">
              {others.map((o) => (
                <label key={o.id} className="choice">
                  <input
                    type="checkbox"
                    checked={editing.members.includes(o.id)}
                    onChange={(e) => setEditing({ ...editing, members: e.target.checked ? [...editing.members, o.id] : editing.members.filter((m) => m !== o.id) })}
                  />
                  {o.name}
                </label>
              ))}
            </div>
          </fieldset>
          <ErrorMessage error={formError} />
          <div className="buttons">
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Save
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
