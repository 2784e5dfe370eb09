/** Assets: the city's infrastructure and places, typed, geolocated, owned, with dependencies between them. */
export { type Asset, type AssetFilters, type Dependency, type DependencyKind, ASSET_TYPES, DEPENDENCY_KINDS } from './model.js';
export { getAsset, listAssets, countAssets, insertAsset, updateAsset, invisibleAssets, type AssetInput } from './queries.js';
export { assetRoutes } from './routes.js';
export { assetMigrations } from './migrations.js';
export type { AssetTable, AssetLinkTable } from './schema.js';
