import type { Me } from '../api/types';
import { Link } from '../router';
import { mayWriteIntel } from './access';

/** The threat-intelligence pages, one tab each; each has its own address. */
export const INTEL_PATHS = ['/intel'];

export function IntelTabs({ me, current }: { me: Me; current: string }) {
  const tabs = [
    { to: '/intel/indicators', label: 'Indicators', show: true },
    { to: '/intel/feeds', label: 'Feeds', show: true },
    { to: '/intel/import', label: 'Import', show: mayWriteIntel(me) },
    { to: '/intel/taxii', label: 'TAXII collections', show: true },
  ].filter((t) => t.show);
  return (
    <nav className="tabs intel-tabs" aria-label="Threat intelligence">
      {tabs.map((t) => (
        <Link key={t.to} to={t.to} className={current === t.to ? 'active' : ''} aria-current={current === t.to ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

export function IntelHead({ me, current, subtitle, children }: { me: Me; current: string; subtitle: string; children?: React.ReactNode }) {
  return (
    <>
      <header className="page-head">
        <div>
          <h1>Threat intelligence</h1>
          <p className="muted">{subtitle}</p>
        </div>
        {children}
      </header>
      <IntelTabs me={me} current={current} />
    </>
  );
}
