export { webRoutes, WEB_DIST } from './routes.js';
