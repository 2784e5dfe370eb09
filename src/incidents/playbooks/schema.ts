import type { SharedColumns } from '../../kernel/db/schema.js';

export interface PlaybookTable extends SharedColumns {
  id: string;
  slug: string;
  version: number;
  title: string;
  /** JSON list of incident types. */
  incident_types: string;
  /** JSON: the checked Playbook of the current version. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface PlaybookVersionTable {
  playbook_id: string;
  version: number;
  definition: string;
  created_at: number;
}

export interface PlaybookRunTable {
  id: string;
  incident_id: string;
  playbook_id: string;
  playbook_version: number;
  /** JSON: the PlaybookRun (tasks.ts), the source of truth; playbook_tasks mirrors it for queries. */
  state: string;
  /** Optimistic concurrency: every change adds one, and is refused when someone changed it first. */
  version: number;
  started_at: number;
  finished_at: number | null;
  updated_at: number;
}

export interface PlaybookTaskTable {
  id: string;
  run_id: string;
  incident_id: string;
  position: number;
  step_id: string;
  /** The organisation that does the task (a partner that sees the incident, or the owner). */
  assigned_org_id: string;
  status: string;
  due_at: number | null;
  /** JSON: the Task. */
  data: string;
}

export interface PlaybookNoticeTable {
  key: string;
  incident_id: string;
  at: number;
}

export interface CorrelationSettingsTable {
  org_id: string;
  enabled: number;
  /** JSON CorrelationSettingsInput. */
  settings: string;
  /** JSON list of exclusion entries. */
  exclusions: string;
  cap: number;
  /** The least severity for which one alert alone opens an incident. */
  open_alone: string;
  updated_at: number;
  version: number;
}

declare module '../../kernel/db/schema.js' {
  interface Database {
    playbooks: PlaybookTable;
    playbook_versions: PlaybookVersionTable;
    playbook_runs: PlaybookRunTable;
    playbook_tasks: PlaybookTaskTable;
    playbook_notices: PlaybookNoticeTable;
    correlation_settings: CorrelationSettingsTable;
  }
}
