import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, api, errorText } from '../api/client';
import type { Distribution, Me, Tlp } from '../api/types';
import { TLP_MEANING, TLP_TEXT, TlpBadge, distributionText } from '../components/badges';
import { ErrorMessage } from '../components/Modal';
import { Link } from '../router';
import { type ShareDraft, SCOPES, worldOf } from '../sharing/rules';
import { store, useStoreVersion } from '../state/store';
import { mayWriteIntel } from './access';
import { type FileKind, type ImportDraft, type ImportReport, detectFileKind, draftProblem, importChoices, importContext, importRequest, mispReport, stixReport } from './importFile';
import { IntelHead } from './IntelTabs';
import type { ImportBody, MispImportBody } from './types';

/** Import a STIX 2.1 bundle or a MISP event from a file, choosing how it is shared, and read what came of it. */
export function ImportPage({ me }: { me: Me }) {
  useStoreVersion();
  const settings = me.organisation.settings as { defaultTlp?: Tlp; defaultDistribution?: Distribution };
  const defaults = { tlp: settings.defaultTlp ?? 'amber', distribution: settings.defaultDistribution ?? ({ scope: 'owner' } as Distribution) };
  const [file, setFile] = useState<File | null>(null);
  const [detected, setDetected] = useState<FileKind | null>(null);
  const [draft, setDraft] = useState<ImportDraft>({ kind: 'stix', partial: false, useDefaults: true, share: { tlp: defaults.tlp, scope: 'owner', orgIds: [], groupId: null } });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const groups = [...store.groups.values()];
  const myGroups = groups.filter((g) => g.ownerOrgId === me.organisation.id || g.memberOrgIds.includes(me.organisation.id));
  const ctx = useMemo(
    () => importContext(me.organisation.id, mayWriteIntel(me), worldOf(store.organisations.keys(), groups), myGroups.map((g) => g.id), draft.share),
    [me, draft.share, store.version],
  );
  const choices = importChoices(ctx, draft.share);
  const problem = file ? draftProblem(ctx, draft) : 'Choose a file';
  const setShare = (change: Partial<ShareDraft>) => setDraft((d) => ({ ...d, share: { ...d.share, ...change } }));

  async function choose(f: File | null) {
    setFile(f);
    setReport(null);
    setError(null);
    if (!f) return;
    const kind = detectFileKind(await f.slice(0, 64 * 1024).text());
    setDetected(kind);
    if (kind) setDraft((d) => ({ ...d, kind }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || problem) return;
    setBusy(true);
    setError(null);
    setReport(null);
    const { path, contentType } = importRequest(draft);
    try {
      const body = await api<ImportBody | MispImportBody>('POST', path, undefined, { raw: { body: file, contentType } });
      setReport(draft.kind === 'stix' ? stixReport(body as ImportBody) : mispReport(body as MispImportBody));
    } catch (e) {
      // A rejected file answers 422 with the report in the problem: shown as a report, not as an error.
      if (e instanceof ApiError && e.status === 422 && ('report' in e.problem || 'problems' in e.problem)) {
        setReport(draft.kind === 'stix' ? stixReport({ ...(e.problem as unknown as ImportBody), status: 'rejected' }, e.problem.detail) : mispReport(e.problem as unknown as MispImportBody, e.problem.detail));
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page intel">
      <IntelHead me={me} current="/intel/import" subtitle="Import a STIX 2.1 bundle or a MISP event into the store, as your organisation" />
      <form className="panel import-form" onSubmit={submit} aria-label="Import a file">
        <label>
          File (JSON)
          <input type="file" accept=".json,application/json,application/stix+json" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
        </label>
        <fieldset>
          <legend>It is</legend>
          <label>
            <input type="radio" name="kind" checked={draft.kind === 'stix'} onChange={() => setDraft((d) => ({ ...d, kind: 'stix' }))} /> a STIX 2.1 bundle
          </label>
          <label>
            <input type="radio" name="kind" checked={draft.kind === 'misp'} onChange={() => setDraft((d) => ({ ...d, kind: 'misp' }))} /> a MISP event
          </label>
          {file && <span className="muted small-text">{detected ? ` (recognised as ${detected === 'stix' ? 'a STIX bundle' : 'a MISP event'})` : ' (not recognised: say which)'}</span>}
        </fieldset>
        <label>
          <input type="checkbox" checked={draft.partial} onChange={(e) => setDraft((d) => ({ ...d, partial: e.target.checked }))} /> Keep the valid objects when some are invalid
          <span className="muted small-text"> (otherwise one invalid object rejects the whole file)</span>
        </label>
        <fieldset>
          <legend>Sharing</legend>
          <label>
            <input type="radio" name="sharing" checked={draft.useDefaults} onChange={() => setDraft((d) => ({ ...d, useDefaults: true }))} /> Your organisation's defaults: <TlpBadge tlp={defaults.tlp} />{' '}
            {distributionText(defaults.distribution, me.organisation.id)}
            {draft.kind === 'misp' && <span className="muted small-text"> — each MISP attribute keeps the distribution its level maps to</span>}
          </label>
          <label>
            <input type="radio" name="sharing" checked={!draft.useDefaults} onChange={() => setDraft((d) => ({ ...d, useDefaults: false }))} /> Choose
          </label>
          {!draft.useDefaults && (
            <div className="share-choice">
              <label>
                Label of objects without a TLP marking{' '}
                <select value={draft.share.tlp} onChange={(e) => setShare({ tlp: e.target.value as Tlp })}>
                  {choices.labels.map((c) => (
                    <option key={c.value} value={c.value} disabled={!c.allowed} title={c.reason ?? TLP_MEANING[c.value]}>
                      {TLP_TEXT[c.value]}
                    </option>
                  ))}
                </select>
              </label>
              <div role="radiogroup" aria-label="Distribution">
                {choices.scopes.map((c) => (
                  <label key={c.value} className={c.allowed ? '' : 'disabled'}>
                    <input type="radio" name="scope" value={c.value} checked={draft.share.scope === c.value} disabled={!c.allowed} onChange={() => setShare({ scope: c.value })} />{' '}
                    {SCOPES.find((s) => s.scope === c.value)?.label ?? c.value}
                    {!c.allowed && c.reason && <span className="muted small-text"> — {c.reason}</span>}
                  </label>
                ))}
              </div>
              {draft.share.scope === 'group' && (
                <label>
                  Sharing group{' '}
                  <select value={draft.share.groupId ?? ''} onChange={(e) => setShare({ groupId: e.target.value || null })}>
                    <option value="">choose…</option>
                    {choices.groups.map((c) => (
                      <option key={c.value} value={c.value} disabled={!c.allowed}>
                        {store.groups.get(c.value)?.name ?? c.value}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {draft.share.scope === 'orgs' && (
                <fieldset className="org-choice">
                  <legend>Organisations</legend>
                  {[...store.organisations.values()]
                    .filter((o) => o.id !== me.organisation.id)
                    .map((o) => (
                      <label key={o.id}>
                        <input
                          type="checkbox"
                          checked={draft.share.orgIds.includes(o.id)}
                          onChange={(e) => setShare({ orgIds: e.target.checked ? [...draft.share.orgIds, o.id] : draft.share.orgIds.filter((id) => id !== o.id) })}
                        />{' '}
                        {o.name}
                      </label>
                    ))}
                </fieldset>
              )}
              <p className="muted small-text">An object whose own label forbids this distribution (RED or AMBER to the community, GREEN to the public) is kept to your organisation and counted as narrowed.</p>
            </div>
          )}
        </fieldset>
        <p>
          <button type="submit" className="primary" disabled={busy || problem !== null}>
            {busy ? 'Importing…' : 'Import'}
          </button>{' '}
          {problem && file && <span className="muted">{problem}</span>}
        </p>
      </form>
      <ErrorMessage error={error} />
      {report && <ReportView report={report} />}
    </main>
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const { counts } = report;
  const total = Math.max(1, counts.stored + counts.duplicates + counts.rejected);
  return (
    <section className={`panel import-report outcome-${report.outcome.replace(' ', '-')}`} aria-labelledby="report-head" data-testid="import-report">
      <h2 id="report-head">
        {report.outcome === 'imported' ? 'Imported' : report.outcome === 'partly imported' ? 'Partly imported' : 'Not imported'}
      </h2>
      <p data-testid="report-headline">{report.headline}</p>
      <div className="proportion" role="img" aria-label={`${counts.stored} stored, ${counts.duplicates} already held, ${counts.rejected} rejected`}>
        <span className="part stored" style={{ width: `${(counts.stored / total) * 100}%` }} />
        <span className="part duplicate" style={{ width: `${(counts.duplicates / total) * 100}%` }} />
        <span className="part rejected" style={{ width: `${(counts.rejected / total) * 100}%` }} />
      </div>
      <p className="small-text legend">
        <span className="key stored" /> stored {counts.stored} · <span className="key duplicate" /> already held {counts.duplicates} · <span className="key rejected" /> rejected {counts.rejected}
        {counts.narrowed > 0 && ` · ${counts.narrowed} kept to your organisation by their label`}
      </p>
      {report.rejected.length > 0 && (
        <>
          <h3>Rejected</h3>
          <table className="list rejected" data-testid="rejected">
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">Object</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.map((r, i) => (
                <tr key={i}>
                  <td>{r.where}</td>
                  <td>{r.id ? <code>{r.id}</code> : r.type ?? <span className="muted">—</span>}</td>
                  <td>
                    <ul className="plain">
                      {r.reasons.map((reason, j) => (
                        <li key={j}>
                          <code>{reason.path}</code> {reason.message} <span className="muted small-text">({reason.code})</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.rejectedNotListed > 0 && <p className="muted">…and {report.rejectedNotListed.toLocaleString('en-GB')} more not listed.</p>}
        </>
      )}
      {report.accepted.length > 0 && (
        <>
          <h3>Accepted</h3>
          <table className="list accepted" data-testid="accepted">
            <thead>
              <tr>
                <th scope="col">Object</th>
                <th scope="col">Type</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {report.accepted.map((a) => (
                <tr key={`${a.id}/${a.version}`}>
                  <td>{a.type === 'indicator' ? <Link to={`/intel/indicators/${a.id}`}>{a.id}</Link> : <code>{a.id}</code>}</td>
                  <td>{a.type}</td>
                  <td>{a.version}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.acceptedNotListed > 0 && <p className="muted">…and {report.acceptedNotListed.toLocaleString('en-GB')} more not listed.</p>}
        </>
      )}
    </section>
  );
}
