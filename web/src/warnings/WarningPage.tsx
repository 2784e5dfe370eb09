// One warning: the message pending (edited by its authors, previewed as CAP XML with its validation, approved
// or rejected by a second person), the published chain, and the Update / Cancel / All clear that follow.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { TlpBadge } from '../components/badges';
import { formatTime } from '../format';
import { Link } from '../router';
import { store, useStoreVersion } from '../state/store';
import { AreaMap } from './AreaMap';
import { AreasEditor } from './AreasEditor';
import { ContentEditor } from './ContentEditor';
import { useApi, useTemplatesAndPolicy, useWarningsVersion } from './data';
import { type ContentForm, areaProblems, areaSpec, contentForm, contentOf, contentProblems, whyNotApprove, whyNotAuthor } from './form';
import { capAreaFeatures } from './geo';
import { refusalText, templateName } from './NewWarningPage';
import { PhaseBadge } from './WarningsPage';
import type { AreaDraft, Preview, Warning, WarningWithApprovals } from './types';

const KIND_NAMES: Record<string, string> = { alert: 'first message', update: 'Update', cancel: 'Cancel', 'all-clear': 'All clear' };

export function WarningPage({ id }: { id: string }) {
  useStoreVersion();
  const live = useWarningsVersion();
  const { data: warning, error, reload } = useApi<WarningWithApprovals>(`/warnings/${id}`, [live]);
  if (!warning) return <main className="page narrow">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</main>;
  return <WarningView key={warning.id} warning={warning} reload={reload} />;
}

function WarningView({ warning, reload }: { warning: WarningWithApprovals; reload: () => void }) {
  const { policy } = useTemplatesAndPolicy();
  const me = store.me!;
  const viewer = { userId: me.user?.id ?? null, orgId: me.organisation.id, role: me.role };
  const authorWhy = whyNotAuthor(viewer, warning, policy);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const proposal = warning.proposal;
  const latest = warning.messages[warning.messages.length - 1];

  async function act(method: string, path: string, body: unknown) {
    setBusy(true);
    setErrors([]);
    try {
      await api<Warning>(method, `/warnings/${warning.id}${path}`, body);
      reload();
    } catch (e) {
      setErrors(refusalText(e));
    } finally {
      setBusy(false);
    }
  }

  const shownAreas = useMemo(() => capAreaFeatures((proposal?.content.info[0] ?? null)?.area ?? []), [proposal]);
  const incident = warning.incidentId ? store.incidents.get(warning.incidentId) : undefined;
  return (
    <main className="page warnings-page" aria-labelledby="warning-title">
      <p className="muted">
        <Link to="/warnings">Public warnings</Link> · {templateName(warning.template)}
        {incident && (
          <>
            {' '}· from <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>
          </>
        )}
      </p>
      <h1 id="warning-title">
        <PhaseBadge warning={warning} /> {warning.headline}
      </h1>
      <p className="meta">
        {store.orgName(warning.ownerOrgId)} · <TlpBadge tlp={warning.tlp} /> · drafted {formatTime(warning.createdAt)} · version {warning.version}
        {warning.live && latest && (
          <>
            {' '}· <a href={latest.url}>public CAP XML</a> · <a href="/public/cap/feed.atom">Atom feed</a>
          </>
        )}
      </p>
      {errors.length > 0 && (
        <ul className="error" role="alert" data-testid="warning-errors">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {proposal ? (
        <section aria-labelledby="pending" className="pending" data-state={proposal.state}>
          <h2 id="pending">
            {proposal.state === 'draft' ? 'Draft' : 'Awaiting approval'}: the {KIND_NAMES[proposal.kind] ?? proposal.kind}
          </h2>
          <p className="muted">
            Written by {proposal.authors.map((a) => (a === me.user?.id ? 'you' : 'a colleague')).join(', ')} · changed {formatTime(proposal.updatedAt)}
            {proposal.submittedAt && ` · submitted ${formatTime(proposal.submittedAt)}`}
          </p>
          {proposal.rejection && (
            <p className="rejection" role="note">
              Sent back {formatTime(proposal.rejection.at)}: “{proposal.rejection.reason}”
            </p>
          )}
          <div className="columns">
            <div>
              {proposal.state === 'draft' ? (
                authorWhy.length ? (
                  <p className="muted">{authorWhy.join(' ')}</p>
                ) : (
                  <DraftTools warning={warning} busy={busy} act={act} />
                )
              ) : (
                <ApprovalPanel warning={warning} reasons={whyNotApprove(viewer, warning, policy)} busy={busy} act={act} />
              )}
            </div>
            <div>
              <AreaMap label="Map of the areas of the pending message" features={shownAreas} reference={(incident?.location as GeoJSON.Geometry | undefined) ?? null} />
              <PreviewPanel warning={warning} />
            </div>
          </div>
        </section>
      ) : warning.live && latest ? (
        <NextMessage warning={warning} why={authorWhy} busy={busy} act={act} />
      ) : null}
      <Messages warning={warning} />
      <Approvals warning={warning} />
    </main>
  );
}

type Act = (method: string, path: string, body: unknown) => Promise<void>;

function DraftTools({ warning, busy, act }: { warning: Warning; busy: boolean; act: Act }) {
  const proposal = warning.proposal!;
  const [form, setForm] = useState<ContentForm>(() => contentForm(proposal.content));
  const [dirty, setDirty] = useState(false);
  const [areas, setAreas] = useState<AreaDraft[]>([]);
  const [tried, setTried] = useState(false);
  useEffect(() => {
    if (!dirty) setForm(contentForm(proposal.content));
  }, [warning.version]);
  const problems = contentProblems(form);
  const shown = tried ? problems : {};
  const incident = warning.incidentId ? store.incidents.get(warning.incidentId) : undefined;
  return (
    <div className="draft-tools">
      <div className="actions">
        <button type="button" className="primary" disabled={busy || dirty} title={dirty ? 'Save your changes first' : undefined} onClick={() => act('POST', '/submit', { version: warning.version })}>
          Submit for approval
        </button>
        {dirty && <span className="muted small-text">Save your changes before submitting.</span>}
      </div>
      <details open={dirty}>
        <summary>Edit the message (every CAP field, per language)</summary>
        <ContentEditor
          form={form}
          onChange={(f) => {
            setForm(f);
            setDirty(true);
          }}
          problems={shown}
        />
        <button
          type="button"
          disabled={busy || !dirty}
          onClick={async () => {
            setTried(true);
            if (Object.keys(problems).length) return;
            await act('PUT', '/proposal', { content: contentOf(form), version: warning.version });
            setDirty(false);
          }}
        >
          Save the message
        </button>
      </details>
      <details>
        <summary>Replace the areas</summary>
        <AreasEditor areas={areas} onChange={setAreas} incident={incident ? { id: incident.id, location: incident.location } : warning.incidentId ? { id: warning.incidentId, location: null } : null} problems={areaProblems(areas)} />
        <button type="button" disabled={busy || areas.length === 0 || Object.keys(areaProblems(areas)).length > 0} onClick={() => act('PUT', '/proposal', { areas: areas.map(areaSpec), version: warning.version }).then(() => setAreas([]))}>
          Replace the areas of every language
        </button>
      </details>
    </div>
  );
}

function ApprovalPanel({ warning, reasons, busy, act }: { warning: Warning; reasons: string[]; busy: boolean; act: Act }) {
  const [reason, setReason] = useState('');
  const blocked = reasons.length > 0;
  return (
    <div className="approval" aria-labelledby="approval-title">
      <h3 id="approval-title">Approval (four eyes)</h3>
      <p className="muted">Approving publishes this message at once: its CAP XML gets a public address, it enters the Atom feed and goes to the webhook channels.</p>
      {blocked && (
        <ul className="why-not" data-testid="why-not-approve" id="why-not-approve">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={busy || blocked} aria-describedby={blocked ? 'why-not-approve' : undefined} title={blocked ? reasons.join(' ') : undefined} onClick={() => act('POST', '/approve', { version: warning.version })}>
          Approve and publish
        </button>
      </div>
      <label className="field">
        Reason for sending it back
        <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} disabled={blocked} />
      </label>
      <button type="button" disabled={busy || blocked || !reason.trim()} aria-describedby={blocked ? 'why-not-approve' : undefined} onClick={() => act('POST', '/reject', { reason: reason.trim(), version: warning.version })}>
        Reject
      </button>
    </div>
  );
}

function PreviewPanel({ warning }: { warning: Warning }) {
  const { data: preview, error } = useApi<Preview>(`/warnings/${warning.id}/preview`, [warning.version]);
  if (error) return <p className="error">{error}</p>;
  if (!preview) return <p className="muted">Preparing the preview…</p>;
  const errors = preview.problems.filter((p) => p.severity === 'error');
  const remarks = preview.problems.filter((p) => p.severity !== 'error');
  return (
    <div className="preview" data-testid="cap-preview">
      <h3>CAP 1.2 preview</h3>
      <p className={preview.valid ? 'valid' : 'error'} data-testid="cap-validity" data-valid={preview.valid ? 'true' : 'false'}>
        {preview.valid ? '✓ Valid CAP 1.2 (schema and §3 rules)' : `✗ Not valid CAP 1.2: ${errors.length} error(s)`}
      </p>
      {preview.problems.length > 0 && (
        <ul className="problems">
          {[...errors, ...remarks].map((p, i) => (
            <li key={i} className={p.severity}>
              <code>{p.path}</code> {p.message} <span className="muted">({p.rule})</span>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>The XML, as it would be published ({preview.identifier})</summary>
        <pre className="xml">{preview.xml}</pre>
      </details>
    </div>
  );
}

function NextMessage({ warning, why, busy, act }: { warning: Warning; why: string[]; busy: boolean; act: Act }) {
  const [reason, setReason] = useState('');
  const off = busy || why.length > 0;
  return (
    <section aria-labelledby="next" className="next-message">
      <h2 id="next">In force: what next</h2>
      {why.length > 0 && <p className="muted">{why.join(' ')}</p>}
      <p className="muted">Each of these drafts the next message of the chain (it references every earlier one); a second person approves it like the first.</p>
      <div className="actions">
        <button type="button" disabled={off} onClick={() => act('POST', '/update', {})}>
          Draft an Update
        </button>
        <button type="button" disabled={off} onClick={() => act('POST', '/all-clear', {})}>
          Draft the All clear
        </button>
      </div>
      <div className="actions">
        <label className="field inline">
          Reason for cancelling
          <input value={reason} onChange={(e) => setReason(e.target.value)} disabled={off} placeholder="e.g. issued in error" />
        </label>
        <button type="button" className="danger" disabled={off || !reason.trim()} onClick={() => act('POST', '/cancel', { reason: reason.trim() })}>
          Draft the Cancel
        </button>
      </div>
    </section>
  );
}

function Messages({ warning }: { warning: Warning }) {
  if (warning.messages.length === 0) return null;
  return (
    <section aria-labelledby="messages">
      <h2 id="messages">Published messages</h2>
      <table className="table" data-testid="published-messages">
        <thead>
          <tr>
            <th>#</th>
            <th>Message</th>
            <th>Identifier</th>
            <th>Sent</th>
            <th>References</th>
            <th>Webhooks</th>
          </tr>
        </thead>
        <tbody>
          {warning.messages.map((m) => (
            <tr key={m.identifier}>
              <td>{m.sequence}</td>
              <td>
                {KIND_NAMES[m.kind] ?? m.kind} ({m.msgType}, {m.status})
              </td>
              <td>
                <a href={m.url}>{m.identifier}</a>
              </td>
              <td>{m.sent}</td>
              <td className="small-text">{m.references ?? '—'}</td>
              <td>
                {m.deliveries.delivered} delivered · {m.deliveries.pending} pending · {m.deliveries.failed} failed
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Approvals({ warning }: { warning: WarningWithApprovals }) {
  if (warning.approvals.length === 0) return null;
  return (
    <section aria-labelledby="approvals">
      <h2 id="approvals">Decisions</h2>
      <ul className="plain">
        {warning.approvals.map((a, i) => (
          <li key={i}>
            {formatTime(a.at)} · {a.decision} the {KIND_NAMES[a.kind] ?? a.kind} · {store.orgName(a.orgId)}
            {a.reason && <> · “{a.reason}”</>}
            {a.identifier && <> · {a.identifier}</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
