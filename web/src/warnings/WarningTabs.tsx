import { Link } from '../router';
import { can } from '../state/actions';
import { store } from '../state/store';

/** The warning pages, one tab each; each has its own address. */
export const WARNING_PATHS = ['/warnings'];

export function WarningTabs({ current }: { current: string }) {
  const tabs = [
    { to: '/warnings', label: 'Warnings', show: true },
    { to: '/warnings/inbox', label: 'Received CAP', show: true },
    { to: '/warnings/webhooks', label: 'Webhook channels', show: can.admin(store.me) },
  ].filter((t) => t.show);
  return (
    <nav className="tabs" aria-label="Public warnings">
      {tabs.map((t) => (
        <Link key={t.to} to={t.to} className={current === t.to ? 'active' : ''} aria-current={current === t.to ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
