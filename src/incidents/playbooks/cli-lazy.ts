/** What `vigil playbook import|export` needs at run time, loaded only when one of them runs. */
export { openKernel } from '../../kernel/kernel.js';
export { migrations } from '../../migrations.js';
export { createPlaybook, definitionOf, findPlaybookBySlug, ownSlugTaken, replacePlaybook } from './store.js';
export { loadSharingWorld, checkInitialSharing, defaultsFromSettings, groupsOfOrganisation } from '../../kernel/sharing/index.js';
