/** The live stream: Server-Sent Events of every change a user may see, resumable from the event log. */
export { StreamHub, sseFrame, type StreamClient } from './hub.js';
export { streamRoutes, refreshGroups } from './routes.js';
