import { useState } from 'react';
import type { SharedRecord } from '../api/types';
import { SharingLine } from '../components/badges';
import { ShareDialog } from '../components/ShareDialog';
import { can } from '../state/actions';
import { store } from '../state/store';

/** The record's label and distribution, and the share dialog for a water network, scenario or sweep. */
export function WaterSharing<T extends SharedRecord & { name?: string }>({ kind, record, onShared }: { kind: 'water-network' | 'water-scenario' | 'water-sweep'; record: T; onShared: (record: T) => void }) {
  const [open, setOpen] = useState(false);
  const me = store.me;
  return (
    <span className="sharing">
      <SharingLine record={record} />
      {me && (
        <button type="button" className="small" onClick={() => setOpen(true)} title={can.share(me) ? 'Change the label and who receives it' : 'See who may receive it (your role may not share)'}>
          Share…
        </button>
      )}
      {open && me && (
        <ShareDialog
          kind={kind}
          record={record}
          actorOrgId={me.organisation.id}
          mayShare={can.share(me)}
          organisations={[...store.organisations.values()]}
          groups={[...store.groups.values()]}
          onClose={() => setOpen(false)}
          onShared={(shared) => onShared(shared as T)}
        />
      )}
    </span>
  );
}
