// The threat-intelligence pages' addresses, registered in App's router and the main navigation.
import type { ReactElement } from 'react';
import type { Me } from '../api/types';
import { match } from '../router';
import { FeedsPage } from './FeedsPage';
import { ImportPage } from './ImportPage';
import { IndicatorPage } from './IndicatorPage';
import { IndicatorsPage } from './IndicatorsPage';
import { INTEL_PATHS } from './IntelTabs';
import { TaxiiPage } from './TaxiiPage';
import './intel.css';

/** The main navigation's entry: one for every threat-intelligence page. */
export const INTEL_NAV = { to: '/intel/indicators', label: 'Threat intel', paths: INTEL_PATHS };

/** The page for a threat-intelligence address, or null when the address is not one of them. */
export function intelPage(pathname: string, me: Me): ReactElement | null {
  let params: Record<string, string> | null;
  if (pathname === '/intel' || pathname === '/intel/indicators') return <IndicatorsPage me={me} />;
  if ((params = match('/intel/indicators/:id', pathname))) return <IndicatorPage key={params.id} stixId={params.id!} me={me} />;
  if (pathname === '/intel/feeds') return <FeedsPage me={me} />;
  if (pathname === '/intel/import') return <ImportPage me={me} />;
  if (pathname === '/intel/taxii') return <TaxiiPage me={me} />;
  return null;
}
