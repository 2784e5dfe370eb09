import type { Distribution, Severity, Tlp } from '../api/types';
import { SEVERITY_COLOURS } from '../format';
import { store } from '../state/store';

/**
 * FIRST TLP 2.0 colours, exactly as the standard gives them: the label's colour on a black background
 * (RED 255,43,43; AMBER 255,192,0; GREEN 51,255,0; CLEAR 255,255,255).
 */
export const TLP_COLOURS: Record<Tlp, string> = {
  red: '#FF2B2B',
  'amber+strict': '#FFC000',
  amber: '#FFC000',
  green: '#33FF00',
  clear: '#FFFFFF',
};

export const TLP_TEXT: Record<Tlp, string> = {
  clear: 'TLP:CLEAR',
  green: 'TLP:GREEN',
  amber: 'TLP:AMBER',
  'amber+strict': 'TLP:AMBER+STRICT',
  red: 'TLP:RED',
};

export const TLP_MEANING: Record<Tlp, string> = {
  clear: 'Disclosure is not limited',
  green: 'Limited to the community: never public',
  amber: 'Need-to-know: named organisations or a sharing group',
  'amber+strict': 'Only within the owner organisation',
  red: 'For the named recipients only',
};

export function TlpBadge({ tlp }: { tlp: Tlp }) {
  return (
    <span className="tlp" style={{ color: TLP_COLOURS[tlp], background: '#000000' }} title={TLP_MEANING[tlp]} data-tlp={tlp}>
      {TLP_TEXT[tlp]}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className="severity" style={{ borderColor: SEVERITY_COLOURS[severity], color: SEVERITY_COLOURS[severity] }}>
      {severity}
    </span>
  );
}

/** Who a distribution reaches, in words. */
export function distributionText(d: Distribution, ownerOrgId: string): string {
  switch (d.scope) {
    case 'owner':
      return `${store.orgName(ownerOrgId)} only`;
    case 'orgs':
      return `${store.orgName(ownerOrgId)} and ${d.orgIds.map((id) => store.orgName(id)).join(', ')}`;
    case 'group': {
      const group = store.groups.get(d.groupId);
      return `Sharing group ${group ? `“${group.name}”` : '(not one of yours)'}`;
    }
    case 'community':
      return 'Every organisation on this Vigil';
    case 'public':
      return 'Public, also without an account';
  }
}

export function SharingLine({ record }: { record: { tlp: Tlp; distribution: Distribution; ownerOrgId: string } }) {
  return (
    <span className="sharing-line">
      <TlpBadge tlp={record.tlp} /> <span className="muted">{distributionText(record.distribution, record.ownerOrgId)}</span>
    </span>
  );
}
