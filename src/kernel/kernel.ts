import { pino, type Logger } from 'pino';
import { type NewAuditEntry, appendAudit } from './audit/log.js';
import type { Principal } from './auth/principal.js';
import type { Config } from './config.js';
import { type Engine, type Store, type Tx, lockLogOrder, openStore } from './db/connection.js';
import { type MigrationSet, migrateToLatest } from './db/migrate.js';
import { type EventBus, inProcessBus } from './events/bus.js';
import { type NewEvent, type VigilEvent, appendEvent } from './events/log.js';

/** Who makes a change: recorded on the audit log and the event log. */
export interface Actor {
  orgId: string | null;
  userId: string | null;
  tokenId: string | null;
  address: string | null;
}

export const SYSTEM_ACTOR: Actor = { orgId: null, userId: null, tokenId: null, address: null };

export function actorOf(principal: Principal, address: string | null): Actor {
  return { orgId: principal.orgId, userId: principal.userId, tokenId: principal.tokenId, address };
}

/** One change in progress: its transaction, and the two logs every change writes to. */
export interface Write {
  tx: Tx;
  actor: Actor;
  now: number;
  emit(event: NewEvent): Promise<VigilEvent>;
  audit(entry: Omit<NewAuditEntry, 'orgId' | 'actorUserId' | 'actorTokenId' | 'address'> & { orgId?: string | null }): Promise<void>;
  /** The same change, continued on behalf of another actor (used when one transaction acts for several, e.g. loading the demo city). */
  as(actor: Actor): Write;
}

export interface Kernel {
  config: Config;
  store: Store;
  engine: Engine;
  bus: EventBus;
  log: Logger;
  clock: () => number;
  /**
   * The one write path: runs `fn` in a transaction; events and audit entries it appends commit with
   * the change or not at all, and the events reach live listeners only after the commit.
   */
  write<T>(actor: Actor, fn: (w: Write) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface KernelOptions {
  migrations: MigrationSet;
  logger?: Logger;
  clock?: () => number;
  bus?: EventBus;
  /** Run pending migrations when opening (the server does; `vigil migrate` does it explicitly). */
  migrate?: boolean;
}

/** Paths and headers that may carry secrets; pino replaces them before anything is written. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  'token',
  '*.password',
  '*.token',
];

/** Removes secrets carried in a URL's query (the live stream accepts `?token=`) before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|password)=)[^&]*/gi, '$1[redacted]');
}

export function createLogger(config: Config, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.ip }),
      err: pino.stdSerializers.err,
    },
  };
  // Synchronous writes: a log line is on its way before the code after it runs, so nothing logged just before
  // a crash or a kill -9 is lost in a buffer.
  return pino(options, (destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: true }));
}

export async function openKernel(config: Config, options: KernelOptions): Promise<Kernel> {
  const log = options.logger ?? createLogger(config);
  const store = openStore(config.database);
  if (options.migrate !== false) {
    const result = await migrateToLatest(store.db, options.migrations);
    if (result.error) {
      await store.close();
      throw new Error(`database migration failed: ${String(result.error)}`);
    }
    for (const m of result.results ?? []) log.info({ migration: m.migrationName, status: m.status }, 'migration');
  }
  const clock = options.clock ?? Date.now;
  const bus = options.bus ?? inProcessBus((error) => log.error({ err: error }, 'event listener failed'));

  const write = async <T>(actor: Actor, fn: (w: Write) => Promise<T>): Promise<T> => {
    const committed: VigilEvent[] = [];
    const result = await store.db.transaction().execute(async (tx) => {
      let ordered = false;
      const holdOrder = async (): Promise<void> => {
        if (!ordered) {
          await lockLogOrder(tx, store.engine);
          ordered = true;
        }
      };
      const now = clock();
      const writeAs = (who: Actor): Write => ({
        tx,
        actor: who,
        now,
        async emit(event) {
          await holdOrder();
          const appended = await appendEvent(tx, event, now);
          committed.push(appended);
          return appended;
        },
        async audit(entry) {
          await holdOrder();
          await appendAudit(
            tx,
            {
              ...entry,
              orgId: entry.orgId === undefined ? who.orgId : entry.orgId,
              actorUserId: who.userId,
              actorTokenId: who.tokenId,
              address: who.address,
            },
            now,
          );
        },
        as: writeAs,
      });
      const w = writeAs(actor);
      return fn(w);
    });
    bus.publish(committed);
    return result;
  };

  return {
    config,
    store,
    engine: store.engine,
    bus,
    log,
    clock,
    write,
    close: () => store.close(),
  };
}
