export { mapRoutes } from './routes.js';
export { slimRoads, boundsOf, type RoadCollection } from './roads.js';
