// An organisation's webhook channels (admins): where published warnings are POSTed, signed with HMAC; the
// secret is shown once; each channel's delivery log lists every attempt.
import { type FormEvent, useState } from 'react';
import { api, errorText } from '../api/client';
import { formatTime } from '../format';
import { useApi, useWarningsVersion } from './data';
import { WarningTabs } from './WarningTabs';
import type { WebhookChannel, WebhookDelivery } from './types';

export function WebhooksPage() {
  const live = useWarningsVersion();
  const { data: channels, error, reload } = useApi<WebhookChannel[]>('/warnings/webhooks', [live]);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  async function run(method: string, path: string, body?: unknown) {
    setActionError(null);
    try {
      const channel = await api<WebhookChannel | undefined>(method, path, body);
      if (channel?.secret) setSecret({ name: channel.name, secret: channel.secret });
      reload();
    } catch (e) {
      setActionError(errorText(e));
    }
  }

  return (
    <main className="page warnings-page" aria-labelledby="webhooks-title">
      <WarningTabs current="/warnings/webhooks" />
      <h1 id="webhooks-title">Webhook channels</h1>
      <p className="muted">
        Every message your organisation’s warnings publish is POSTed to each active channel as CAP XML, signed (<code>Vigil-Signature</code>, HMAC-SHA256), retried with back-off when the endpoint is down. See docs/warnings.md for verifying the signature.
      </p>
      {secret && (
        <div className="secret-once" role="alert">
          <p>
            The secret of <strong>{secret.name}</strong>, shown this once: copy it into the receiving system now.
          </p>
          <code data-testid="channel-secret">{secret.secret}</code>{' '}
          <button type="button" onClick={() => setSecret(null)}>
            I have copied it
          </button>
        </div>
      )}
      {(error || actionError) && <p className="error">{actionError ?? error}</p>}
      <NewChannel onCreate={(body) => run('POST', '/warnings/webhooks', body)} />
      {channels === null ? (
        <p className="muted">Loading…</p>
      ) : channels.length === 0 ? (
        <p className="muted">No channel yet.</p>
      ) : (
        channels.map((c) => (
          <section key={c.id} className="channel" aria-labelledby={`channel-${c.id}`}>
            <h2 id={`channel-${c.id}`}>
              {c.name} <span className={c.active ? 'badge on' : 'badge off'}>{c.active ? 'active' : 'paused'}</span>
            </h2>
            <p className="muted">
              <code>{c.url}</code> · since {formatTime(c.createdAt)}
            </p>
            <div className="actions">
              <button type="button" onClick={() => run('PATCH', `/warnings/webhooks/${c.id}`, { active: !c.active })}>
                {c.active ? 'Pause' : 'Resume'}
              </button>
              <button type="button" onClick={() => run('PATCH', `/warnings/webhooks/${c.id}`, { rotateSecret: true })}>
                Replace the secret
              </button>
              <button type="button" className="danger" onClick={() => confirm(`Delete the channel ${c.name}? Its pending deliveries end as failed; every record stays.`) && run('DELETE', `/warnings/webhooks/${c.id}`)}>
                Delete
              </button>
            </div>
            <DeliveryLog channelId={c.id} live={live} />
          </section>
        ))
      )}
    </main>
  );
}

function NewChannel({ onCreate }: { onCreate: (body: unknown) => Promise<void> }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const valid = name.trim() && /^https?:\/\/\S+$/.test(url.trim());
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!valid) return;
    await onCreate({ name: name.trim(), url: url.trim() });
    setName('');
    setUrl('');
  }
  return (
    <form className="new-channel filters" onSubmit={submit}>
      <label className="field inline">
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Radio Monaco" />
      </label>
      <label className="field inline">
        Endpoint
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
      </label>
      <button type="submit" disabled={!valid}>
        Add a channel
      </button>
    </form>
  );
}

function DeliveryLog({ channelId, live }: { channelId: string; live: number }) {
  const { data, error } = useApi<{ items: WebhookDelivery[] }>(`/warnings/webhooks/${channelId}/deliveries?limit=50`, [live]);
  if (error) return <p className="error">{error}</p>;
  if (!data) return null;
  if (data.items.length === 0) return <p className="muted">No delivery yet.</p>;
  return (
    <details className="delivery-log" open>
      <summary>Delivery log ({data.items.length} most recent)</summary>
      <table className="table">
        <thead>
          <tr>
            <th>Message</th>
            <th>Event</th>
            <th>State</th>
            <th>Attempts</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((d) => (
            <tr key={d.id} data-state={d.state}>
              <td>{d.identifier}</td>
              <td>{d.event}</td>
              <td>
                {d.state}
                {d.nextAttemptAt && d.state === 'pending' && <span className="muted small-text"> · next {formatTime(d.nextAttemptAt)}</span>}
              </td>
              <td>
                <ol className="attempts">
                  {d.attempts.map((a) => (
                    <li key={a.attempt}>
                      {formatTime(a.at)} · {a.status ?? a.error ?? '—'} · {a.durationMs} ms · {a.outcome}
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
