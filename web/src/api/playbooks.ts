// The playbook and task records of the API (src/incidents/playbooks/schemas.ts).

export type TaskStatus = 'pending' | 'open' | 'done' | 'skipped' | 'not-applicable';

export interface PlaybookTask {
  id: string;
  runId: string;
  incidentId: string;
  stepId: string;
  title: string;
  instructions: string;
  mandatory: boolean;
  assigneeText: string;
  assignedOrgId: string;
  question: string | null;
  answers: string[];
  status: TaskStatus;
  openedAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  closedAt: string | null;
  closedBy: string | null;
  answer: string | null;
  skipReason: string | null;
  note: string | null;
}

export interface PlaybookRun {
  id: string;
  incidentId: string;
  playbookId: string;
  playbookVersion: number;
  title: string;
  startedAt: string;
  finishedAt: string | null;
  version: number;
  tasks: PlaybookTask[];
}

export interface PlaybookSummary {
  id: string;
  slug: string;
  version: number;
  title: string;
  incidentTypes: string[];
  ownerOrgId: string;
}
