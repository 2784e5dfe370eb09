import { type FSWatcher, existsSync, mkdirSync, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { ClosureError, type RoadClosure } from './closures.js';
import { GraphFileError } from './graph-file.js';
import { readRoadGraphFile } from './graph-store.js';
import type { RoadGraphAbout } from './road-graph.js';
import { Router } from './router.js';

/**
 * The road graph in service, as the server runs it (the I/O edge of routing: the graph file, its watcher and the
 * worker that builds a first graph). One `Router` answers at a time; a new graph (from `vigil roads import`, seen
 * by watching the file, or an explicit reload) is read and checked beside it, given every live closure, then
 * swapped in by one assignment, so requests never see a half-loaded graph and never wait for one. A file that
 * does not load (truncated, corrupt, another format version) leaves the graph in service untouched.
 */
export type RoadsState = 'starting' | 'building' | 'ready' | 'missing';

export interface RoadsStatus {
  state: RoadsState;
  graph: RoadGraphAbout | null;
  /** When the graph in service was loaded (ISO). */
  loadedAt: string | null;
  /** The last attempt to load a graph, successful or not. */
  lastLoad: { at: string; outcome: 'loaded' | 'unchanged' | 'failed'; reason: string; error?: string } | null;
  closures: number;
}

export interface LiveRoadsOptions {
  graphPath: string;
  /** Road data to build the graph from when the file is absent (the demo city); null: wait for `vigil roads import`. */
  seedFile: string | null;
  log: Logger;
  clock: () => number;
  /** Watch the graph file and load a new one as soon as it is replaced (default true). */
  watch?: boolean;
}

export class RoadsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoadsUnavailableError';
  }
}

interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

const WATCH_SETTLE_MS = 150;

export class LiveRoads {
  private active: Router | null = null;
  private state: RoadsState = 'starting';
  private started: Promise<void> | null = null;
  private building: Promise<void> | null = null;
  /** Loads run one after another, so two reloads never race to swap. */
  private queue: Promise<unknown> = Promise.resolve();
  private stamp: FileStamp | null = null;
  private loadedAt: number | null = null;
  private lastLoad: RoadsStatus['lastLoad'] = null;
  /** Every closure the server knows, as geometry: given again to each new graph (segment ids change between imports). */
  private readonly closures = new Map<string, RoadClosure>();
  private watcher: FSWatcher | null = null;
  private settle: NodeJS.Timeout | null = null;
  private worker: Worker | null = null;
  private closed = false;
  private readonly listeners = new Set<(status: RoadsStatus) => void>();

  constructor(private readonly options: LiveRoadsOptions) {}

  /**
   * Loads the graph file if there is one, gives it `closures`, and starts watching the file. Idempotent: every
   * caller gets the same promise.
   */
  start(closures: () => Promise<RoadClosure[]>): Promise<void> {
    this.started ??= (async () => {
      for (const c of await closures()) this.closures.set(c.id, c);
      if (this.closed) return;
      await this.reload('start');
      if (this.options.watch !== false && !this.closed) this.watchFile();
    })();
    return this.started;
  }

  /**
   * When there is no graph file and seed road data is configured (the demo city), builds the graph from it in a
   * worker thread, then loads it. The server calls this once it listens, so tests that never listen never pay.
   */
  buildMissing(): Promise<void> {
    this.building ??= (async () => {
      await this.started;
      const { graphPath, seedFile, log } = this.options;
      if (this.closed || this.active || !seedFile || existsSync(graphPath)) return;
      this.state = 'building';
      const started = performance.now();
      try {
        await this.buildFromSeed(seedFile);
        log.info({ graph: graphPath, seed: seedFile, ms: Math.round(performance.now() - started) }, 'road graph built from the seed road data');
      } catch (error) {
        if (!this.closed) log.error({ err: error, seed: seedFile }, 'building the road graph from the seed road data failed');
      }
      if (!this.closed) await this.reload('built from the seed road data');
    })();
    return this.building;
  }

  /** The router in service; waits for the start. Throws RoadsUnavailableError when there is no road graph. */
  async router(): Promise<Router> {
    if (this.active) return this.active;
    if (this.started) await this.started;
    if (this.building) await this.building;
    if (this.active) return this.active;
    throw new RoadsUnavailableError(
      this.state === 'building'
        ? 'The road graph is being built; try again in a moment'
        : 'No road graph is loaded: an administrator must run `vigil roads import <file.osm.pbf>`',
    );
  }

  /** Called after every attempt to load a graph (loaded, unchanged or failed), e.g. to tell an operator. */
  onLoad(listener: (status: RoadsStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The router in service now, if any (no waiting). */
  current(): Router | null {
    return this.active;
  }

  /** Loads the graph file again if it changed. A file that does not load leaves the graph in service. */
  reload(reason: string): Promise<RoadsStatus['lastLoad']> {
    const next = this.queue.then(() => {
      const outcome = this.load(reason);
      const status = this.status();
      for (const listener of this.listeners) listener(status);
      return outcome;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private load(reason: string): RoadsStatus['lastLoad'] {
    const { graphPath, log } = this.options;
    const at = new Date(this.options.clock()).toISOString();
    let stamp: FileStamp;
    try {
      const s = statSync(graphPath);
      stamp = { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
    } catch {
      if (!this.active && this.state !== 'building') this.state = 'missing';
      this.lastLoad = { at, outcome: 'failed', reason, error: `no road graph at ${graphPath}` };
      if (!this.active && !this.options.seedFile) log.warn({ graph: graphPath }, 'no road graph: routing and dispatch answer 503 until `vigil roads import <file>` is run');
      return this.lastLoad;
    }
    if (this.active && this.stamp && sameStamp(this.stamp, stamp)) {
      this.lastLoad = { at, outcome: 'unchanged', reason };
      return this.lastLoad;
    }
    const started = performance.now();
    let router: Router;
    try {
      router = new Router(readRoadGraphFile(graphPath));
    } catch (error) {
      const message = error instanceof GraphFileError ? error.message : `${(error as Error).message}`;
      if (!this.active) this.state = 'missing';
      this.lastLoad = { at, outcome: 'failed', reason, error: message };
      log.error({ graph: graphPath, error: message, reason }, this.active ? 'the new road graph does not load: the graph in service stays' : 'the road graph does not load');
      return this.lastLoad;
    }
    // Closures first, swap last: from the first query on the new graph, every live closure is honoured.
    let refused = 0;
    for (const closure of this.closures.values()) {
      try {
        router.setClosure(closure);
      } catch (error) {
        if (!(error instanceof ClosureError)) throw error;
        refused++;
        log.warn({ closure: closure.id, error: error.message }, 'a closure names no road of the new graph; it stays stored and closes nothing here');
      }
    }
    router.removeEndedClosures(this.options.clock());
    this.active = router;
    this.state = 'ready';
    this.stamp = stamp;
    this.loadedAt = this.options.clock();
    this.lastLoad = { at, outcome: 'loaded', reason };
    const s = router.roads.about.stats;
    log.info(
      { graph: graphPath, source: router.roads.about.source, importedAt: router.roads.about.importedAt, intersections: s.nodes, segments: s.segments, closures: this.closures.size - refused, ms: Math.round(performance.now() - started), reason },
      'road graph in service',
    );
    return this.lastLoad;
  }

  // ---- closures -------------------------------------------------------------------------------------

  /** Roads a closure would close on the graph in service (null without a graph). Throws ClosureError when it names no road. */
  check(closure: RoadClosure): number | null {
    return this.active ? this.active.closureSegments(closure) : null;
  }

  /** Sets (or replaces) a closure: honoured by every query from now on, and given to every future graph. */
  setClosure(closure: RoadClosure): void {
    this.closures.set(closure.id, closure);
    try {
      this.active?.setClosure(closure);
    } catch (error) {
      if (!(error instanceof ClosureError)) throw error;
      this.options.log.warn({ closure: closure.id, error: error.message }, 'a closure names no road of the graph in service');
    }
    this.forgetEnded();
  }

  removeClosure(id: string): void {
    this.closures.delete(id);
    this.active?.removeClosure(id);
  }

  /** Roads closed by a closure on the graph in service (null when unknown here). */
  closedRoadCount(id: string): number | null {
    return this.active?.closureSegmentCount(id) ?? null;
  }

  private forgetEnded(): void {
    const now = this.options.clock();
    for (const [id, c] of this.closures) if (c.endsAt !== null && c.endsAt <= now) this.closures.delete(id);
    this.active?.removeEndedClosures(now);
  }

  status(): RoadsStatus {
    return {
      state: this.state,
      graph: this.active?.roads.about ?? null,
      loadedAt: this.loadedAt === null ? null : new Date(this.loadedAt).toISOString(),
      lastLoad: this.lastLoad,
      closures: this.closures.size,
    };
  }

  // ---- the file -------------------------------------------------------------------------------------

  private watchFile(): void {
    const { graphPath, log } = this.options;
    const dir = dirname(graphPath);
    const name = basename(graphPath);
    try {
      mkdirSync(dir, { recursive: true });
      // `vigil roads import` writes a temporary file and renames it over the graph: the directory sees the rename.
      this.watcher = watch(dir, (_event, file) => {
        if (file !== name) return;
        if (this.settle) clearTimeout(this.settle);
        this.settle = setTimeout(() => {
          this.settle = null;
          void this.reload('the graph file changed');
        }, WATCH_SETTLE_MS);
      });
      this.watcher.on('error', (error) => log.warn({ err: error }, 'watching the road graph file failed; use POST /api/v1/roads/reload'));
    } catch (error) {
      log.warn({ err: error, dir }, 'cannot watch the road graph directory; use POST /api/v1/roads/reload after an import');
    }
  }

  private buildFromSeed(seedFile: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker/entry.mjs', import.meta.url), { workerData: { source: seedFile, out: this.options.graphPath } });
      this.worker = worker;
      worker.once('message', (m: { ok: boolean; message?: string }) => (m.ok ? resolve() : reject(new Error(m.message))));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        this.worker = null;
        if (code !== 0) reject(new Error(`the graph builder stopped (exit ${code})`));
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    if (this.settle) clearTimeout(this.settle);
    await this.worker?.terminate();
    // A start still reading closures must finish before the database it reads from is closed.
    await this.started?.catch(() => undefined);
    await this.building?.catch(() => undefined);
    this.watcher?.close();
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
