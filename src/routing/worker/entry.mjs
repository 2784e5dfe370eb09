// Worker threads start without the TypeScript loader the main thread has: register tsx, then load the
// worker itself. Kept as plain JavaScript on purpose; everything else is TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./build-graph.ts');
