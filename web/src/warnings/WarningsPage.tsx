// The public warnings: in force, awaiting approval, drafts, archived; filtered by words and organisation.
// Lists are read again whenever the live stream says a warning changed.
import { useEffect, useState } from 'react';
import { allPages, errorText } from '../api/client';
import { ago } from '../format';
import { Link, navigate, useLocation } from '../router';
import { can } from '../state/actions';
import { store, useStoreVersion } from '../state/store';
import { useTemplatesAndPolicy, useWarningsVersion } from './data';
import { GROUP_LABELS, WARNING_GROUPS, type WarningGroup, countByGroup, filterWarnings, whyNotApprove } from './form';
import { templateName } from './NewWarningPage';
import { WarningTabs } from './WarningTabs';
import type { Warning } from './types';

const PHASE_TEXT: Record<string, string> = { draft: 'Draft', 'awaiting-approval': 'Awaiting approval', published: 'Published', updated: 'Updated', cancelled: 'Cancelled', 'all-clear': 'All clear' };

export function PhaseBadge({ warning }: { warning: Pick<Warning, 'phase' | 'live' | 'messages'> }) {
  const expired = warning.messages.length > 0 && !warning.live && (warning.phase === 'published' || warning.phase === 'updated');
  return (
    <span className={`phase-badge phase-${expired ? 'expired' : warning.phase}`} data-phase={warning.phase}>
      {expired ? 'Expired' : PHASE_TEXT[warning.phase]}
    </span>
  );
}

export function WarningsPage() {
  useStoreVersion();
  const live = useWarningsVersion();
  const { policy } = useTemplatesAndPolicy();
  const { search } = useLocation();
  const group = (search.get('group') ?? 'all') as WarningGroup | 'all';
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [list, setList] = useState<Warning[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    allPages<Warning>('/warnings', undefined, controller.signal)
      .then((items) => {
        setList(items);
        setError(null);
      })
      .catch((e) => (e as Error).name !== 'AbortError' && setError(errorText(e)));
    return () => controller.abort();
  }, [live]);

  const me = store.me!;
  const viewer = { userId: me.user?.id ?? null, orgId: me.organisation.id, role: me.role };
  const counts = countByGroup(list ?? []);
  const shown = filterWarnings(list ?? [], { group, text, owner });
  const owners = [...new Set((list ?? []).map((w) => w.ownerOrgId))];
  const setGroup = (g: string) => navigate(g === 'all' ? '/warnings' : `/warnings?group=${g}`);
  return (
    <main className="page warnings-page" aria-labelledby="warnings-title">
      <WarningTabs current="/warnings" />
      <header className="page-head">
        <h1 id="warnings-title">Public warnings</h1>
        {can.write(me) && (
          <Link to="/warnings/new" className="button primary">
            Draft a public warning
          </Link>
        )}
      </header>
      <p className="muted">
        Warnings to the public in CAP 1.2. Each is published only once a second person of {policy?.approverOrganisations.map((o) => o.name).join(', ') || 'an approving organisation'} approves it; the public reads them at{' '}
        <a href="/public/cap/feed.atom">/public/cap/feed.atom</a>.
      </p>
      <div role="tablist" aria-label="Which warnings" className="tabs">
        {(['all', ...WARNING_GROUPS] as const).map((g) => (
          <button key={g} role="tab" type="button" aria-selected={group === g} className={group === g ? 'active' : ''} onClick={() => setGroup(g)} data-group={g}>
            {g === 'all' ? `All (${list?.length ?? 0})` : `${GROUP_LABELS[g]} (${counts[g]})`}
          </button>
        ))}
      </div>
      <div className="filters" role="search">
        <label className="field inline">
          Search
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="headline, event, area, identifier" />
        </label>
        <label className="field inline">
          Organisation
          <select value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">every one</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {store.orgName(o)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      {list === null ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">No warning here.</p>
      ) : (
        <table className="table" data-testid="warning-list">
          <thead>
            <tr>
              <th>State</th>
              <th>Headline</th>
              <th>Template</th>
              <th>Organisation</th>
              <th>Messages</th>
              <th>Changed</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => {
              const mayApprove = w.proposal?.state === 'awaiting-approval' && whyNotApprove(viewer, w, policy).length === 0;
              return (
                <tr key={w.id} data-warning={w.id}>
                  <td>
                    <PhaseBadge warning={w} />
                    {w.proposal && w.messages.length > 0 && <span className="muted small-text"> + {w.proposal.kind} {w.proposal.state === 'draft' ? 'drafted' : 'awaiting approval'}</span>}
                    {mayApprove && <span className="to-you"> · for you to approve</span>}
                  </td>
                  <td>
                    <Link to={`/warnings/${w.id}`}>{w.headline || '(no headline)'}</Link>
                  </td>
                  <td>{templateName(w.template)}</td>
                  <td>{store.orgName(w.ownerOrgId)}</td>
                  <td>{w.messages.length}</td>
                  <td>{ago(w.updatedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
