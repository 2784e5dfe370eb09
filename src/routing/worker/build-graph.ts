import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { writeRoadGraphFile } from '../graph-store.js';
import { importRoadGraph } from '../import.js';

/**
 * Builds a road graph file from road data off the server's main thread (the first start of the demo city:
 * read, build and contract take about a second of CPU that must not stall requests). The file is written
 * the safe way (temporary file, verified, renamed), so the server's watcher or its own load picks it up.
 */
const { source, out } = workerData as { source: string; out: string };
try {
  const graph = importRoadGraph({ bytes: readFileSync(source), fileName: source, importedAt: new Date().toISOString(), clock: () => performance.now() });
  const { bytes } = writeRoadGraphFile(out, graph);
  parentPort!.postMessage({ ok: true, bytes });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
