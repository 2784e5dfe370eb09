import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Project } from 'epanet-js';
import { Workspace } from 'epanet-js/slim';
import { EpanetEngine } from 'epanet-js/engines/v2.3.5';

/**
 * The hydraulic engine: OWA-EPANET 2.3 compiled to WebAssembly (epanet-js). One workspace per thread,
 * loaded once; on Node the wasm binary is read from the package and handed over explicitly, because the
 * engine's own loader expects a browser fetch.
 */
export const ENGINE_VERSION = 'OWA-EPANET 2.3.5 (epanet-js 0.9.0, WebAssembly)';

let workspace: Promise<Workspace> | undefined;

export function loadWorkspace(): Promise<Workspace> {
  workspace ??= (async () => {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('epanet-js/engines/v2.3.5');
    const wasmBinary = readFileSync(entry.replace(/index\.c?js$/, 'EpanetEngine.wasm'));
    const ws = new Workspace();
    await ws.loadModuleVersion(() => EpanetEngine({ wasmBinary }) as ReturnType<typeof EpanetEngine>);
    return ws;
  })();
  return workspace;
}

/** Drops this thread's engine instance (after a WebAssembly trap); the next run loads a fresh one. */
export function discardEngine(): void {
  workspace = undefined;
}

/** A problem the engine reported: a warning (code < 100) or an error. */
export interface EngineMessage {
  code: number;
  text: string;
}

/** An engine error, with what EPANET wrote about it in its report (often the element at fault). */
export class EngineError extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
    readonly reportLines: string[],
  ) {
    const details = reportLines.filter((l) => /error \d+/i.test(l)).slice(0, 5);
    super(`EPANET error ${code}: ${text}${details.length ? ` (${details.join('; ')})` : ''}`);
    this.name = 'EngineError';
  }
}

let fileCounter = 0;

/** The compiled engine's exports Vigil calls directly. */
interface RawEngine {
  _EN_getnodevalues(handle: number, property: number, values: number): number;
  _EN_getlinkvalues(handle: number, property: number, values: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPF64: Float64Array;
}

/**
 * One open EPANET project on an .inp text. Warnings that epanet-js would print are collected instead
 * (`takeWarnings`), so a simulation reports them against its time step.
 */
export class EngineSession {
  readonly project: Project;
  private readonly files: { inp: string; rpt: string; out: string; copy: string };
  private warnings: EngineMessage[] = [];
  private reportOffset = 0;
  private readonly originalWarn = console.warn;

  private constructor(
    private readonly ws: Workspace,
    inpText: string,
  ) {
    const tag = `${process.pid}-${++fileCounter}`;
    this.files = { inp: `/vigil-${tag}.inp`, rpt: `/vigil-${tag}.rpt`, out: `/vigil-${tag}.out`, copy: `/vigil-${tag}.copy` };
    ws.writeFile(this.files.inp, inpText);
    this.project = new Project(ws);
    console.warn = (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      const m = /Warning (\d+)\): (.*)$/.exec(text);
      if (m) this.warnings.push({ code: Number(m[1]), text: m[2] ?? '' });
      else this.originalWarn(...args);
    };
    try {
      this.project.open(this.files.inp, this.files.rpt, this.files.out);
    } catch (error) {
      let lines: string[] = [];
      // Closing flushes what EPANET wrote about the input errors. A project whose opening failed leaves the
      // engine's memory unreliable, so this engine instance is dropped and the next run loads a fresh one.
      this.closeProject();
      workspace = undefined;
      try {
        lines = this.ws.readFile(this.files.rpt).split(/\r?\n/).map((l: string) => l.trim());
      } catch {
        // no report was written
      }
      this.close();
      throw toEngineError(error, lines);
    }
  }

  static async open(inpText: string): Promise<EngineSession> {
    return new EngineSession(await loadWorkspace(), inpText);
  }

  /** Runs `fn`; an engine exception becomes an EngineError carrying the report's new lines. */
  call<T>(fn: (p: Project) => T): T {
    try {
      return fn(this.project);
    } catch (error) {
      throw toEngineError(error, this.newReportLines());
    }
  }

  private scratch?: { ptr: number; size: number };

  /**
   * All nodes' (or links') values of one property, read straight from the engine's memory into `out`
   * (EPANET index order). epanet-js's own getNodeValues copies through a JavaScript array, which costs
   * more than the solve itself on large networks.
   */
  readAll(kind: 'node' | 'link', property: number, out: Float64Array): Float64Array {
    const en = this.project._EN as unknown as RawEngine;
    const handle = (this.project as unknown as { _projectHandle: number })._projectHandle;
    const bytes = out.length * 8;
    if (!this.scratch || this.scratch.size < bytes) {
      if (this.scratch) en._free(this.scratch.ptr);
      this.scratch = { ptr: en._malloc(bytes), size: bytes };
    }
    const ptr = this.scratch.ptr;
    const code = kind === 'node' ? en._EN_getnodevalues(handle, property, ptr) : en._EN_getlinkvalues(handle, property, ptr);
    if (code >= 100) throw new EngineError(code, this.ws.getError(code), []);
    out.set(en.HEAPF64.subarray(ptr >> 3, (ptr >> 3) + out.length));
    return out;
  }

  takeWarnings(): EngineMessage[] {
    const w = this.warnings;
    this.warnings = [];
    return w;
  }

  /** Lines EPANET wrote to its report since the last call (warnings name nodes and links there). */
  newReportLines(): string[] {
    let text = '';
    try {
      // EPANET writes its report through a buffer; copying the report closes and reopens it, which
      // flushes what it holds.
      this.project.copyReport(this.files.copy);
      text = this.ws.readFile(this.files.rpt);
    } catch {
      return [];
    }
    const fresh = text.slice(this.reportOffset);
    this.reportOffset = text.length;
    return fresh.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  }

  private projectClosed = false;

  /** EN_close once only: a second call frees the engine's memory twice. */
  private closeProject(): void {
    if (this.projectClosed) return;
    this.projectClosed = true;
    try {
      this.project.close();
    } catch {
      // never opened
    }
  }

  close(): void {
    if (this.scratch) (this.project._EN as unknown as RawEngine)._free(this.scratch.ptr);
    this.scratch = undefined;
    this.closeProject();
    console.warn = this.originalWarn;
    const fs = (this.ws as unknown as { instance: { FS: { unlink(path: string): void } } }).instance.FS;
    for (const f of Object.values(this.files)) {
      try {
        fs.unlink(f);
      } catch {
        // the engine did not create it
      }
    }
  }
}

/** An exception from epanet-js ("EPANET Error 110: ...") or from the WebAssembly runtime, as an EngineError. */
export function toEngineError(error: unknown, reportLines: string[]): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const m = /EPANET Error (\d+): (.*)$/s.exec(message);
  return new EngineError(m ? Number(m[1]) : 0, m ? (m[2] ?? message) : message, reportLines);
}

/** The first element name EPANET's report gives for a problem ("node J12", "link P4", "Pump PU1", ...). */
export function elementFromReport(lines: string[]): { kind: 'node' | 'link'; id: string } | undefined {
  for (const line of lines) {
    if (!/warning|error|ill-cond|disconnected|unbalanced|flow change/i.test(line)) continue;
    const m = /\b(node|junction|tank|reservoir|link|pipe|pump|valve)\s+(\S+)/i.exec(line);
    if (m) {
      const word = m[1]!.toLowerCase();
      const kind = ['node', 'junction', 'tank', 'reservoir'].includes(word) ? 'node' : 'link';
      return { kind, id: m[2]!.replace(/[.,:]$/, '') };
    }
  }
  return undefined;
}
