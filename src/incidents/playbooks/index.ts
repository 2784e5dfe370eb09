/**
 * SOP playbooks: the public face for the rest of Vigil.
 *
 * How the platform uses it:
 * - Import: `readPlaybookYaml(text, fileName)` gives a checked `Playbook` or throws `PlaybookFormatError`
 *   whose `problems` carry path, line and message (render them as RFC 9457 problem details on HTTP, as
 *   lines on the CLI). `checkPlaybook(json)` does the same for a JSON body (same field names).
 *   Store the playbook with its `version`; a run keeps following the version it started with.
 * - Export: `writePlaybookYaml(playbook)`; reading the result back gives the same playbook.
 * - Run: `startPlaybook(playbook, { incidentId, by, now })` returns the run (one task per step) and the
 *   timeline events; `completeTask`, `answerTask`, `skipTask` (a reason is required) return the next run
 *   and events, or `{ ok: false, problem }` (a 409/422 on HTTP). Store the run with a version number and
 *   write the events to the incident timeline and the audit log in one transaction.
 * - Notices: `noticesFor(run, now)` on a timer and after every change; raise each `notice.key` once to the
 *   incident lead (mandatory steps overdue or skipped).
 * - Who may act: `isAssignee(task.assignee, { role, sector, organisationKind, isLead })`.
 */
export {
  END,
  ORGANISATION_KINDS,
  ROLES,
  SECTORS,
  describeAssignee,
  formatDuration,
  isAssignee,
  parseDuration,
  type Answer,
  type Assignee,
  type OrganisationKind,
  type Playbook,
  type PlaybookStep,
  type Role,
  type Sector,
} from './model.js';
export { checkPlaybook, type PlaybookCheck, type PlaybookProblem } from './validate.js';
export { PlaybookFormatError, formatProblem, readPlaybookYaml, writePlaybookYaml, type LocatedProblem } from './yaml.js';
export {
  TASK_STATUSES,
  answerTask,
  completeTask,
  isOverdue,
  noticesFor,
  skipTask,
  startPlaybook,
  type Notice,
  type PlaybookEvent,
  type PlaybookRun,
  type Task,
  type TaskOutcome,
  type TaskStatus,
} from './tasks.js';
export { registerPlaybookCli } from './cli.js';
