import { SEVERITIES, type Severity } from '../../alerts/index.js';
import type { Queryable } from '../../kernel/db/connection.js';
import type { Write } from '../../kernel/kernel.js';
import { Exclusions, ExclusionError } from '../correlation/exclusions.js';
import { type CorrelationSettings, type CorrelationSettingsInput, CorrelationSettingsError, resolveSettings } from '../correlation/settings.js';

/**
 * One organisation's live correlation: whether it runs, its rules (settings.ts), the values that never
 * correlate, the cap (a value in more alerts than this within its window stops correlating), and the
 * least severity at which one alert alone opens an incident (below it, an incident opens when a second
 * alert correlates with the first, so a lone low alert does not become an incident).
 */
export interface OrgCorrelation {
  enabled: boolean;
  settings: CorrelationSettings;
  /** What the organisation wrote (the rest are defaults). */
  overrides: CorrelationSettingsInput;
  exclusions: string[];
  cap: number;
  openAlone: Severity;
  version: number;
}

export const DEFAULT_ORG_CORRELATION: Omit<OrgCorrelation, 'settings'> = { enabled: false, overrides: {}, exclusions: [], cap: 100, openAlone: 'high', version: 0 };

export async function readOrgCorrelation(db: Queryable, orgId: string): Promise<OrgCorrelation> {
  const row = await db.selectFrom('correlation_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst();
  if (!row) return { ...DEFAULT_ORG_CORRELATION, settings: resolveSettings({}) };
  const overrides = JSON.parse(row.settings) as CorrelationSettingsInput;
  return {
    enabled: row.enabled === 1,
    settings: resolveSettings(overrides),
    overrides,
    exclusions: JSON.parse(row.exclusions) as string[],
    cap: row.cap,
    openAlone: row.open_alone as Severity,
    version: row.version,
  };
}

export interface OrgCorrelationChange {
  enabled?: boolean;
  settings?: CorrelationSettingsInput;
  exclusions?: string[];
  cap?: number;
  openAlone?: Severity;
}

/** Checks a change; returns what is wrong with it (each problem a sentence), or nothing. */
export function correlationChangeProblems(change: OrgCorrelationChange): string[] {
  const problems: string[] = [];
  if (change.settings) {
    if (change.settings.partners && change.settings.partners.length > 0) problems.push('settings.partners: incidents are your own organisation\'s; partners see them by sharing');
    try {
      resolveSettings(change.settings);
    } catch (error) {
      if (!(error instanceof CorrelationSettingsError)) throw error;
      problems.push(error.message);
    }
  }
  for (const entry of change.exclusions ?? []) {
    try {
      new Exclusions([entry]);
    } catch (error) {
      if (!(error instanceof ExclusionError)) throw error;
      problems.push(`exclusions: ${error.message}`);
    }
  }
  if (change.cap !== undefined && !(Number.isInteger(change.cap) && change.cap >= 2 && change.cap <= 1_000_000)) problems.push('cap: must be a whole number from 2 to 1000000');
  if (change.openAlone !== undefined && !SEVERITIES.includes(change.openAlone)) problems.push(`openAlone: one of ${SEVERITIES.join(', ')}`);
  return problems;
}

export async function saveOrgCorrelation(w: Write, orgId: string, current: OrgCorrelation, change: OrgCorrelationChange): Promise<OrgCorrelation> {
  const next = {
    enabled: change.enabled ?? current.enabled,
    overrides: change.settings ?? current.overrides,
    exclusions: change.exclusions ?? current.exclusions,
    cap: change.cap ?? current.cap,
    openAlone: change.openAlone ?? current.openAlone,
  };
  const row = {
    enabled: next.enabled ? 1 : 0,
    settings: JSON.stringify(next.overrides),
    exclusions: JSON.stringify(next.exclusions),
    cap: next.cap,
    open_alone: next.openAlone,
    updated_at: w.now,
    version: current.version + 1,
  };
  if (current.version === 0) await w.tx.insertInto('correlation_settings').values({ org_id: orgId, ...row }).execute();
  else await w.tx.updateTable('correlation_settings').set(row).where('org_id', '=', orgId).execute();
  await w.audit({ action: 'correlation.settings', targetKind: 'organisation', targetId: orgId, orgId, details: { ...change } });
  // The live engine (on every node) rebuilds this organisation's correlator when it hears of the change.
  await w.emit({ type: 'correlation.settings', recordKind: 'organisation', recordId: orgId, actorOrgId: w.actor.orgId, audience: { ownerOrgId: orgId, distribution: { scope: 'owner' } }, data: { orgId, version: row.version } });
  return readOrgCorrelation(w.tx, orgId);
}
