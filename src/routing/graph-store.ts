import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodeRoadGraph, encodeRoadGraph, GraphFileError } from './graph-file.js';
import type { RoadGraph } from './road-graph.js';

/**
 * The file edge of routing: where the graph lives and how it is written so that a failed or interrupted
 * import never replaces a good graph (write a temporary file beside it, verify, fsync, then rename).
 */
export function defaultGraphPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.VIGIL_DATA_DIR ?? './data', 'roads', 'graph.bin');
}

export function readRoadGraphFile(path: string): RoadGraph {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GraphFileError(code === 'ENOENT' ? `no road graph at ${path}; run \`vigil roads import <file>\` first` : `cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return decodeRoadGraph(bytes);
  } catch (error) {
    if (error instanceof GraphFileError) throw new GraphFileError(`${path}: ${error.message}`);
    throw error;
  }
}

export function writeRoadGraphFile(path: string, graph: RoadGraph): { bytes: number } {
  const bytes = encodeRoadGraph(graph);
  decodeRoadGraph(bytes);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${Math.random().toString(36).slice(2)}.graph.tmp`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { bytes: bytes.length };
}
