export { Problem, type ProblemBody, PROBLEM_MEDIA_TYPE, notFound, badRequest, forbidden, conflict, unprocessable, unauthorized } from './problem.js';
export { type Position, type Page, type Slice, encodeCursor, decodeCursor, sliceOf, asPage } from './cursor.js';
export { principalOf, requirePermission, actorFor } from './guard.js';
export { createHttpApp, bearerToken, type VigilApp } from './app.js';
export * as schemas from './schemas.js';
export { sendNdjsonExport, allPages } from './export.js';
export { initialSharing, shareRoute, commonListQuery, type CommonListQuery } from './shared-records.js';
export { recordReadRoutes, type RecordReads } from './record-routes.js';
