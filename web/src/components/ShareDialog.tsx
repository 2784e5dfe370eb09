import { useMemo, useState } from 'react';
import { api, errorText } from '../api/client';
import type { Organisation, SharedRecord, SharingGroup } from '../api/types';
import {
  type ShareContext,
  type ShareDraft,
  SCOPES,
  distributionOf,
  draftOf,
  groupChoices,
  judge,
  labelChoices,
  orgChoices,
  scopeChoices,
  worldOf,
} from '../sharing/rules';
import { TLP_COLOURS, TLP_MEANING, TLP_TEXT, TlpBadge, distributionText } from './badges';
import { ErrorMessage, Modal } from './Modal';

export type ShareableKind = 'alert' | 'incident' | 'asset' | 'water-network' | 'water-scenario' | 'water-sweep';

/** Where a record of each kind is shared: /incidents/{id}/share, /water/scenarios/{id}/share, ... */
export function sharePath(kind: ShareableKind, id: string): string {
  return kind.startsWith('water-') ? `/water/${kind.slice('water-'.length)}s/${id}/share` : `/${kind}s/${id}/share`;
}

export interface ShareDialogProps {
  kind: ShareableKind;
  record: SharedRecord & { title?: string; name?: string };
  actorOrgId: string;
  mayShare: boolean;
  organisations: Organisation[];
  groups: SharingGroup[];
  onClose: () => void;
  onShared: (record: SharedRecord) => void;
}

/**
 * Change a record's TLP label and distribution. Every option the policy forbids is shown disabled with the
 * reason next to it; the server decides again on submit and its refusal is shown as it comes.
 */
export function ShareDialog(props: ShareDialogProps) {
  const { kind, record, organisations, groups } = props;
  const ctx: ShareContext = useMemo(
    () => ({
      actorOrgId: props.actorOrgId,
      mayShare: props.mayShare,
      record: { ownerOrgId: record.ownerOrgId, tlp: record.tlp, distribution: record.distribution },
      world: worldOf(
        organisations.map((o) => o.id),
        groups,
      ),
      groupIds: groups.filter((g) => g.ownerOrgId === props.actorOrgId || g.memberOrgIds.includes(props.actorOrgId)).map((g) => g.id),
    }),
    [props.actorOrgId, props.mayShare, record, organisations, groups],
  );
  const [draft, setDraft] = useState<ShareDraft>(() => draftOf(ctx.record));
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);

  const labels = labelChoices(ctx);
  const scopes = scopeChoices(ctx, draft);
  const orgs = orgChoices(ctx, draft);
  const groupOptions = groupChoices(ctx, draft);
  const verdict = judge(ctx, draft);
  const orgName = (id: string) => organisations.find((o) => o.id === id)?.name ?? id;
  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const update = (change: Partial<ShareDraft>) => {
    setServerError(null);
    setDraft((d) => ({ ...d, ...change }));
  };

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const distribution = distributionOf(draft);
    if (!verdict.allowed || !distribution) return;
    setBusy(true);
    setServerError(null);
    try {
      const shared = await api<SharedRecord>('POST', sharePath(kind, record.id), { tlp: draft.tlp, distribution });
      props.onShared(shared);
      props.onClose();
    } catch (error) {
      setServerError(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={`Share ${kind.replace('-', ' ')} “${record.title ?? record.name ?? record.id}”`} onClose={props.onClose} wide>
      <form className="share-dialog" onSubmit={submit}>
        <p className="now">
          Now: <TlpBadge tlp={record.tlp} /> {distributionText(record.distribution, record.ownerOrgId)}
        </p>
        <fieldset>
          <legend>Label (FIRST TLP 2.0)</legend>
          {labels.map((choice) => (
            <label key={choice.value} className={`choice${choice.allowed ? '' : ' disabled'}`}>
              <input
                type="radio"
                name="tlp"
                value={choice.value}
                checked={draft.tlp === choice.value}
                disabled={!choice.allowed}
                onChange={() => update({ tlp: choice.value })}
              />
              <span className="tlp" style={{ color: TLP_COLOURS[choice.value], background: '#000' }}>
                {TLP_TEXT[choice.value]}
              </span>
              <span className="muted">{TLP_MEANING[choice.value]}</span>
              {!choice.allowed && <span className="reason">{choice.reason}</span>}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Distribution: who receives it</legend>
          {scopes.map((choice) => (
            <label key={choice.value} className={`choice${choice.allowed ? '' : ' disabled'}`} data-scope={choice.value}>
              <input
                type="radio"
                name="scope"
                value={choice.value}
                checked={draft.scope === choice.value}
                disabled={!choice.allowed}
                onChange={() => update({ scope: choice.value, groupId: choice.value === 'group' ? (draft.groupId ?? groupOptions.find((g) => g.allowed)?.value ?? null) : draft.groupId })}
              />
              {SCOPES.find((s) => s.scope === choice.value)!.label}
              {!choice.allowed && <span className="reason">{choice.reason}</span>}
            </label>
          ))}
        </fieldset>
        {draft.scope === 'orgs' && (
          <fieldset>
            <legend>Organisations (besides {orgName(record.ownerOrgId)}, which always sees it)</legend>
            <div className="org-grid">
              {orgs.map((choice) => (
                <label key={choice.value} className={`choice${choice.allowed ? '' : ' disabled'}`}>
                  <input
                    type="checkbox"
                    value={choice.value}
                    checked={draft.orgIds.includes(choice.value)}
                    disabled={!choice.allowed && !draft.orgIds.includes(choice.value)}
                    onChange={(e) => update({ orgIds: e.target.checked ? [...draft.orgIds, choice.value] : draft.orgIds.filter((id) => id !== choice.value) })}
                  />
                  {orgName(choice.value)}
                  {!choice.allowed && <span className="reason">{choice.reason}</span>}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {draft.scope === 'group' && (
          <label className="field">
            Sharing group
            <select value={draft.groupId ?? ''} onChange={(e) => update({ groupId: e.target.value || null })}>
              <option value="">Choose a group…</option>
              {groupOptions.map((choice) => (
                <option key={choice.value} value={choice.value} disabled={!choice.allowed}>
                  {groupName(choice.value)}
                  {choice.allowed ? '' : ` — ${choice.reason}`}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className={verdict.allowed ? 'verdict ok' : 'verdict no'} aria-live="polite" data-testid="share-verdict">
          {verdict.allowed ? `Will be shared as ${TLP_TEXT[draft.tlp]} with: ${distributionText(distributionOf(draft)!, record.ownerOrgId)}` : verdict.reason}
        </p>
        <ErrorMessage error={serverError} />
        <div className="buttons">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!verdict.allowed || busy}>
            {busy ? 'Sharing…' : 'Share'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
