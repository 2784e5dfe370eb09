/**
 * What the store commands need at run time, loaded only when one of them runs: every `vigil` command would
 * otherwise pay for loading the store, the services and the migrations on start-up.
 */
export { openKernel } from '../kernel/kernel.js';
export { migrations } from '../migrations.js';
export { CtiService } from './service.js';
export { createFeed, deleteFeed, getFeedRow, listFeeds } from './feeds/queries.js';
export { exportMispEvent, importMispEvent } from './misp/store.js';
export { selectObjects, visibleScope } from './store/queries.js';
export { servedObject } from './store/rows.js';
