import { useMemo, useState } from 'react';
import { TlpBadge } from '../components/badges';
import { ASSET_ICONS } from '../map/icons';
import { Link } from '../router';
import { store, useStoreVersion } from '../state/store';

export function AssetsPage() {
  const version = useStoreVersion();
  const [text, setText] = useState('');
  const assets = useMemo(
    () =>
      [...store.assets.values()]
        .filter((a) => !text.trim() || `${a.name} ${a.type}`.toLowerCase().includes(text.trim().toLowerCase()))
        .sort((a, b) => b.criticality - a.criticality || a.name.localeCompare(b.name)),
    [version, text],
  );
  return (
    <main className="page">
      <header className="page-head">
        <h1>Assets</h1>
        <input type="search" aria-label="Search assets" placeholder="Search by name or type…" value={text} onChange={(e) => setText(e.target.value)} />
      </header>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col">Type</th>
            <th scope="col">Criticality</th>
            <th scope="col">Owner</th>
            <th scope="col">Label</th>
          </tr>
        </thead>
        <tbody>
          {assets.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to={`/assets/${a.id}`}>{a.name}</Link>
              </td>
              <td>
                <span className="swatch" style={{ background: (ASSET_ICONS[a.type] ?? ASSET_ICONS.generic!).colour }} aria-hidden="true" /> {a.type}
              </td>
              <td>{a.criticality}/5</td>
              <td>{store.orgName(a.ownerOrgId)}</td>
              <td>
                <TlpBadge tlp={a.tlp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
