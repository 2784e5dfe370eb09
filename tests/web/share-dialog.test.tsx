import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Organisation, SharingGroup } from '../../web/src/api/types.js';
import { ShareDialog } from '../../web/src/components/ShareDialog.js';
import { store } from '../../web/src/state/store.js';

const org = (id: string, name: string): Organisation => ({ id, slug: id, name, sector: 'other', kind: 'operator', settings: {}, createdAt: '2026-01-01T00:00:00Z' });
const ORGS = [org('water', 'City Water Utility'), org('police', 'City Police'), org('energy', 'City Energy Grid')];
const GROUPS: SharingGroup[] = [];
for (const o of ORGS) store.organisations.set(o.id, o);

function render(props: { actorOrgId: string; mayShare: boolean; tlp: 'amber' | 'amber+strict' | 'red'; distribution: any }) {
  // The dialog is rendered without a DOM (server-side markup): what the user sees on opening it.
  return renderToStaticMarkup(
    <ShareDialog
      kind="incident"
      record={{ id: 'i1', title: 'Pump station intrusion', ownerOrgId: 'water', tlp: props.tlp, distribution: props.distribution, createdAt: '', updatedAt: '', version: 1 }}
      actorOrgId={props.actorOrgId}
      mayShare={props.mayShare}
      organisations={ORGS}
      groups={GROUPS}
      onClose={() => {}}
      onShared={() => {}}
    />,
  );
}

/** The <input> tag of a radio or checkbox, whatever the order of its attributes. */
function input(html: string, name: string | null, value: string): string {
  const tag = html.match(new RegExp(`<input[^>]*${name ? `name="${name}"[^>]*` : ''}value="${value.replace('+', '\\+')}"[^>]*>`));
  if (!tag) throw new Error(`no input ${name}=${value}`);
  return tag[0];
}

describe('ShareDialog', () => {
  it('shows the current label in its FIRST colour and every refused distribution with its reason', () => {
    const html = render({ actorOrgId: 'water', mayShare: true, tlp: 'amber+strict', distribution: { scope: 'owner' } });
    expect(html).toContain('TLP:AMBER+STRICT');
    expect(html).toMatch(/color:#FFC000;background:#000/);
    expect(html).toContain('AMBER+STRICT cannot leave your organisation');
    // The public scope and the listed organisations are disabled radio buttons.
    expect(input(html, 'scope', 'orgs')).toContain('disabled=""');
    expect(input(html, 'scope', 'public')).toContain('disabled=""');
    expect(input(html, 'scope', 'owner')).toContain('checked=""');
  });

  it('for a recipient, disables lower labels with the reason and lists only organisations that already see the record', () => {
    const html = render({ actorOrgId: 'police', mayShare: true, tlp: 'amber', distribution: { scope: 'orgs', orgIds: ['police'] } });
    expect(input(html, 'tlp', 'green')).toContain('disabled=""');
    expect(input(html, null, 'energy')).toContain('disabled=""');
    expect(input(html, null, 'police')).not.toContain('disabled=""');
    expect(html).toContain('Only the owner organisation may lower the label');
    expect(html).toContain('this organisation does not see the record now');
    expect(input(html, 'tlp', 'red')).not.toContain('disabled=""');
  });

  it('tells a viewer that their role may not share and offers no way to submit', () => {
    const html = render({ actorOrgId: 'water', mayShare: false, tlp: 'red', distribution: { scope: 'orgs', orgIds: ['police'] } });
    expect(html).toContain('Your role may not share records');
    expect(html).toMatch(/<button type="submit" class="primary" disabled="">/);
  });
});
