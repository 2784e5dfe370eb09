import type { Kernel } from '../../kernel/kernel.js';
import { SYSTEM_ACTOR } from '../../kernel/kernel.js';
import { sharingOf } from '../../kernel/sharing/index.js';
import { raiseNotices } from './runs.js';
import { type Notice, type PlaybookRun, noticesFor } from './tasks.js';

/**
 * Tells incident leads about mandatory steps gone overdue: `check(now)` looks at every unfinished run of an
 * incident that is not closed and raises each notice once (a skipped mandatory step is raised when it is
 * skipped). The server calls it on an interval; tests call it with the time they want.
 */
export class PlaybookWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kernel: Kernel,
    private readonly everyMs = 30_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.check(this.kernel.clock()).catch((error: unknown) => this.kernel.log.error({ err: error }, 'playbook check failed'));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async check(now: number): Promise<Notice[]> {
    const db = this.kernel.store.db;
    const rows = await db
      .selectFrom('playbook_runs')
      .innerJoin('incidents', 'incidents.id', 'playbook_runs.incident_id')
      .select(['playbook_runs.state', 'incidents.id', 'incidents.owner_org_id', 'incidents.tlp', 'incidents.dist_scope', 'incidents.dist_group_id', 'incidents.dist_orgs'])
      .where('playbook_runs.finished_at', 'is', null)
      .where('incidents.status', '!=', 'closed')
      .execute();
    // Only the notices due now are looked up (by key), not every notice ever raised.
    const due = rows.map((row) => ({ row, run: JSON.parse(row.state) as PlaybookRun })).map((r) => ({ ...r, notices: noticesFor(r.run, new Date(now).toISOString()) }));
    const keys = due.flatMap((d) => d.notices.map((n) => n.key));
    const known = new Set(keys.length ? (await db.selectFrom('playbook_notices').select('key').where('key', 'in', keys).execute()).map((r) => r.key) : []);
    const raised: Notice[] = [];
    for (const { row, run, notices } of due) {
      if (notices.every((n) => known.has(n.key))) continue;
      const incident = { id: row.id, ...sharingOf(row) };
      raised.push(...(await this.kernel.write(SYSTEM_ACTOR, (w) => raiseNotices(w, incident, run, now))));
    }
    return raised;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The overdue-step watch of this server (tests call `check(now)` on it). */
    playbookWatch: PlaybookWatch;
  }
}
