// The warning pages' addresses, registered in App's router and the main navigation.
import type { ReactElement } from 'react';
import type { Me } from '../api/types';
import { match } from '../router';
import { InboxPage } from './InboxPage';
import { NewWarningPage } from './NewWarningPage';
import { WarningPage } from './WarningPage';
import { WarningsPage } from './WarningsPage';
import { WebhooksPage } from './WebhooksPage';
import './warnings.css';

/** The main navigation's entry: one for every warning page. */
export const WARNINGS_NAV = { to: '/warnings', label: 'Warnings', paths: ['/warnings'] };

function Refused({ text }: { text: string }) {
  return (
    <main className="page narrow">
      <h1>Not for your role</h1>
      <p>{text}</p>
    </main>
  );
}

/** The page for a warning address, or null when the address is not one of them. */
export function warningPage(pathname: string, search: URLSearchParams, me: Me): ReactElement | null {
  let params: Record<string, string> | null;
  if (pathname === '/warnings') return <WarningsPage />;
  if (pathname === '/warnings/new') return <NewWarningPage key={search.get('incident') ?? ''} incidentId={search.get('incident')} />;
  if (pathname === '/warnings/inbox') return <InboxPage />;
  if (pathname === '/warnings/webhooks') return me.permissions.includes('org:admin') ? <WebhooksPage /> : <Refused text="Webhook channels are for your organisation's admins." />;
  if ((params = match('/warnings/:id', pathname))) return <WarningPage key={params.id} id={params.id!} />;
  return null;
}
