import { useState } from 'react';
import type { SharedRecord } from '../api/types';
import { can } from '../state/actions';
import { type RecordKind, store } from '../state/store';
import { ShareDialog } from './ShareDialog';

/** Opens the share dialog for a record with what the store knows of organisations and groups. */
export function ShareButton({ kind, record }: { kind: RecordKind; record: SharedRecord & { title?: string; name?: string } }) {
  const [open, setOpen] = useState(false);
  const me = store.me;
  if (!me) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} title={can.share(me) ? 'Change the label and who receives it' : 'See who may receive it (your role may not share)'}>
        Share…
      </button>
      {open && (
        <ShareDialog
          kind={kind}
          record={record}
          actorOrgId={me.organisation.id}
          mayShare={can.share(me)}
          organisations={[...store.organisations.values()]}
          groups={[...store.groups.values()]}
          onClose={() => setOpen(false)}
          onShared={(shared) => store.upsert(kind, shared)}
        />
      )}
    </>
  );
}
