import { Type } from 'typebox';
import { Body, Id, SharingOut } from '../../kernel/http/schemas.js';
import { TASK_STATUSES } from './tasks.js';

const Assignee = Type.Object({
  lead: Type.Optional(Type.Boolean()),
  role: Type.Optional(Type.String()),
  sector: Type.Optional(Type.String()),
  organisationKind: Type.Optional(Type.String()),
});

const Step = Type.Object({
  id: Type.String(),
  title: Type.String(),
  instructions: Type.String(),
  mandatory: Type.Boolean(),
  assignee: Assignee,
  dueAfterMs: Type.Union([Type.Integer(), Type.Null()]),
  question: Type.Union([Type.String(), Type.Null()]),
  answers: Type.Array(Type.Object({ value: Type.String(), next: Type.Array(Type.String()) })),
  next: Type.Array(Type.String()),
});

export const Playbook = Type.Object({
  id: Id,
  slug: Type.String({ description: "the playbook's id in its YAML (unique per organisation)" }),
  version: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  incidentTypes: Type.Array(Type.String()),
  steps: Type.Array(Step),
  ...SharingOut,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PlaybookList = Type.Object({ items: Type.Array(Playbook) });
export const PlaybookQuery = Type.Object({ incidentType: Type.Optional(Type.String({ maxLength: 60 })) }, { additionalProperties: false });

export const PlaybookProblem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  problems: Type.Array(
    Type.Object({ path: Type.String(), line: Type.Union([Type.Integer(), Type.Null()]), column: Type.Union([Type.Integer(), Type.Null()]), message: Type.String() }),
  ),
});

export const Task = Type.Object({
  id: Id,
  runId: Id,
  incidentId: Id,
  playbookId: Id,
  playbookTitle: Type.String(),
  position: Type.Integer(),
  stepId: Type.String(),
  title: Type.String(),
  instructions: Type.String(),
  mandatory: Type.Boolean(),
  assignee: Assignee,
  assigneeText: Type.String(),
  assignedOrgId: Id,
  question: Type.Union([Type.String(), Type.Null()]),
  answers: Type.Array(Type.String()),
  status: Type.Enum(TASK_STATUSES),
  openedAt: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  answer: Type.Union([Type.String(), Type.Null()]),
  skipReason: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});

export const Run = Type.Object({
  id: Id,
  incidentId: Id,
  playbookId: Id,
  playbookVersion: Type.Integer(),
  title: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  version: Type.Integer({ description: 'changes with every task outcome' }),
  tasks: Type.Array(Task, { description: 'the tasks the caller may see: all for the owner organisation, its own for a partner' }),
});

export const RunList = Type.Object({ items: Type.Array(Run) });
export const TaskList = Type.Object({ items: Type.Array(Task) });

export const StartPlaybook = Body({ playbookId: Type.String({ minLength: 1, maxLength: 64, description: 'a playbook id, or a slug (your own first, else a shared template)' }) });
export const TaskParams = Type.Object({ id: Id, taskId: Id }, { additionalProperties: false });
export const Complete = Body({ note: Type.Optional(Type.String({ maxLength: 5000 })) });
export const AnswerBody = Body({ answer: Type.String({ minLength: 1, maxLength: 200 }) });
export const SkipBody = Body({ reason: Type.String({ minLength: 1, maxLength: 5000 }) });

